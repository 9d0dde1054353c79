"""Taking a quiz on a phone: the list, start, save an answer, submit, resume; HR's results.

Nothing about correctness leaves these views while an attempt is open
(except a practice question once answered), and a certification exam never
shows it (RELIABILITY.md, answers leaked).
"""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from training.selectors import person_for

from .. import selectors, services
from ..models import Attempt, AttemptStatus, QuestionVersion, Quiz, QuizKind, ReviewPolicy
from .permissions import IsHROrAdmin, IsOfficer

ATTEMPT_FIELDS = ("id", "quiz_id", "person_id", "status", "started_at", "deadline", "finished_at", "paper")


# --- output shapes ------------------------------------------------------------------


class OptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


class PaperQuestionSerializer(serializers.Serializer):
    question_id = serializers.IntegerField()
    position = serializers.IntegerField()
    type = serializers.CharField()
    stem = serializers.CharField()
    points = serializers.DecimalField(max_digits=5, decimal_places=2)
    options = OptionSerializer(many=True)


class StoredAnswerSerializer(serializers.Serializer):
    value = serializers.JSONField()
    seq = serializers.IntegerField()
    saved_at = serializers.DateTimeField()


class FeedbackSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    correct_value = serializers.JSONField()
    explanation = serializers.CharField()
    legal_basis = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=7, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    passed = serializers.BooleanField()
    finished_at = serializers.DateTimeField()


class AttemptSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    quiz = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    server_now = serializers.DateTimeField()
    questions = PaperQuestionSerializer(many=True)
    answers = serializers.DictField(child=StoredAnswerSerializer())
    feedback = serializers.DictField(child=FeedbackSerializer(), required=False)
    result = ResultSerializer(required=False, allow_null=True)


def _public_question(entry: dict) -> dict:
    return {
        "question_id": entry["question_id"],
        "position": entry["position"],
        "type": entry["type"],
        "stem": entry["stem"],
        "points": entry["points"],
        "options": [{"key": o["key"], "text": o["text"]} for o in entry["options"]],
    }


def _feedback(attempt: Attempt, question_ids) -> dict[str, dict]:
    """The answer, explanation and legal basis of the given questions, in this paper's keys."""
    entries = {q["question_id"]: q for q in attempt.paper["questions"] if q["question_id"] in set(question_ids)}
    versions = QuestionVersion.objects.in_bulk([e["version_id"] for e in entries.values()])
    answers = dict(attempt.answers.filter(question_id__in=list(entries)).values_list("question_id", "value"))
    result = {}
    for qid, entry in entries.items():
        version = versions[entry["version_id"]]
        if entry["type"] == "true_false":
            correct_value = version.answer
            correct = answers.get(qid) is version.answer
        else:
            back = {option_id: key for key, option_id in entry["keys"].items()}
            correct_value = sorted(back[i] for i in version.answer if i in back)
            correct = sorted(answers.get(qid) or []) == correct_value
        result[str(qid)] = {
            "correct": correct,
            "correct_value": correct_value,
            "explanation": version.explanation,
            "legal_basis": version.legal_basis,
        }
    return result


def attempt_payload(attempt: Attempt, *, now=None, fresh: bool = False) -> dict:
    """The attempt as its owner sees it (API.md): never the keys' meaning while open.
    ``fresh``: just started, so nothing is saved yet (no query for the answers)."""
    answers = {
        str(row["question_id"]): {"value": row["value"], "seq": row["seq"], "saved_at": row["saved_at"]}
        for row in ([] if fresh else attempt.answers.values("question_id", "value", "seq", "saved_at"))
    }
    data = {
        "id": attempt.pk,
        "quiz": attempt.quiz_id,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "server_now": now or timezone.now(),
        "questions": [_public_question(q) for q in attempt.paper.get("questions", [])],
        "answers": answers,
        "result": None,
    }
    kind = attempt.paper.get("kind")
    if attempt.status == AttemptStatus.OPEN:
        if kind == QuizKind.PRACTICE and answers:
            data["feedback"] = _feedback(attempt, [int(k) for k in answers])
        return data
    data["result"] = {
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "finished_at": attempt.finished_at,
    }
    quiz = Quiz.objects.only("kind", "review_policy").get(pk=attempt.quiz_id)
    if quiz.kind != QuizKind.CERTIFICATION and quiz.review_policy != ReviewPolicy.NEVER:
        data["feedback"] = _feedback(attempt, [q["question_id"] for q in attempt.paper.get("questions", [])])
    return data


def _when(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def _money(value):
    return str(Decimal(value).quantize(Decimal("0.01"))) if value is not None else None


def wire(data: dict) -> dict:
    """The payload in AttemptSerializer's shape, built directly: a paper of a
    hundred questions goes out on every start and resume, and serializer
    fields per option would be most of the cost of a start."""
    out = {
        **data,
        "id": str(data["id"]),
        "started_at": _when(data["started_at"]),
        "deadline": _when(data["deadline"]),
        "server_now": _when(data["server_now"]),
        "answers": {
            qid: {"value": a["value"], "seq": a["seq"], "saved_at": _when(a["saved_at"])}
            for qid, a in data["answers"].items()
        },
    }
    if data["result"] is not None:
        result = data["result"]
        out["result"] = {
            "score": _money(result["score"]),
            "max_score": _money(result["max_score"]),
            "percent": _money(result["percent"]),
            "passed": result["passed"],
            "finished_at": _when(result["finished_at"]),
        }
    return out


def _respond(attempt: Attempt, code=status.HTTP_200_OK, *, fresh: bool = False) -> Response:
    return Response(wire(attempt_payload(attempt, fresh=fresh)), status=code)


def _owned(request, attempt_id) -> Attempt:
    attempt = selectors.attempt_for_owner(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        from django.http import Http404

        raise Http404
    return attempt


# --- views ---------------------------------------------------------------------------


class QuizListView(ListAPIView):
    """The quizzes the caller may take now or later."""

    permission_classes = [IsOfficer]

    class QuizListOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="quiz.id")
        title = serializers.CharField(source="quiz.title")
        description = serializers.CharField(source="quiz.description")
        kind = serializers.CharField(source="quiz.kind")
        opens_at = serializers.DateTimeField(source="quiz.opens_at", allow_null=True)
        closes_at = serializers.DateTimeField(source="quiz.closes_at", allow_null=True)
        time_limit_minutes = serializers.IntegerField(allow_null=True)
        pass_mark = serializers.DecimalField(source="quiz.pass_mark", max_digits=5, decimal_places=2)
        attempts_used = serializers.IntegerField()
        attempts_left = serializers.IntegerField(allow_null=True)
        open_attempt = serializers.UUIDField(source="open_attempt_id", allow_null=True)
        needs_password = serializers.BooleanField(source="quiz.needs_password")
        required_legal_hours = serializers.DecimalField(
            source="quiz.required_legal_hours", max_digits=6, decimal_places=1
        )
        earned_legal_hours = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
        prerequisites_met = serializers.BooleanField()

    serializer_class = QuizListOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Quiz.objects.none()
        person = person_for(self.request.user)
        return selectors.quizzes_for(person=person, now=timezone.now())


class StartAttemptView(APIView):
    """Start an attempt (201), or get back the caller's open one (200)."""

    permission_classes = [IsOfficer]

    class StartAttemptInputSerializer(serializers.Serializer):
        password = serializers.CharField(required=False, allow_blank=True, max_length=128)

    @extend_schema(request=StartAttemptInputSerializer, responses={200: AttemptSerializer, 201: AttemptSerializer})
    def post(self, request, quiz_id: int):
        data = self.StartAttemptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quiz = get_object_or_404(Quiz.objects.select_related("audience"), pk=quiz_id, is_published=True)
        person = person_for(request.user)
        assert person is not None  # IsOfficer
        attempt, created = services.start_attempt(
            person=person, quiz=quiz, password=data.validated_data.get("password") or None
        )
        if created:
            return _respond(attempt, status.HTTP_201_CREATED, fresh=True)
        return _respond(attempt)


class AttemptDetailView(APIView):
    """The attempt, resumable; only its owner sees it (404 for everyone else)."""

    @extend_schema(responses={200: AttemptSerializer})
    def get(self, request, attempt_id):
        return _respond(_owned(request, attempt_id))


class SaveAnswerView(APIView):
    """Save one answer; stored only when ``seq`` is higher than the stored one."""

    class SaveAnswerInputSerializer(serializers.Serializer):
        value = serializers.JSONField()
        seq = serializers.IntegerField(min_value=0, max_value=2**62)

    class SaveAnswerOutputSerializer(serializers.Serializer):
        question_id = serializers.IntegerField()
        value = serializers.JSONField()
        seq = serializers.IntegerField()
        saved_at = serializers.DateTimeField()
        server_now = serializers.DateTimeField()
        feedback = FeedbackSerializer(required=False)

    @classmethod
    def _valid_input(cls, raw) -> tuple:
        """(value, seq). The usual body (a value and an integer seq in range) is taken as it
        is: building the serializer's fields was a tenth of a save. Anything else goes
        through the serializer, so its errors stay the same."""
        if isinstance(raw, dict) and raw.get("value") is not None:
            seq = raw.get("seq")
            if type(seq) is int and 0 <= seq <= 2**62:
                return raw["value"], seq
        data = cls.SaveAnswerInputSerializer(data=raw)
        data.is_valid(raise_exception=True)
        return data.validated_data["value"], data.validated_data["seq"]

    @extend_schema(request=SaveAnswerInputSerializer, responses={200: SaveAnswerOutputSerializer})
    def put(self, request, attempt_id, question_id: int):
        value, seq = self._valid_input(request.data)
        now = timezone.now()
        stored = services.save_answer(
            attempt=Attempt(pk=attempt_id),
            user=request.user,
            question_id=question_id,
            value=value,
            seq=seq,
            now=now,
        )
        body = {
            "question_id": question_id,
            "value": stored["value"],
            "seq": stored["seq"],
            "saved_at": _when(stored["saved_at"]),
            "server_now": _when(now),
        }
        if stored["kind"] == QuizKind.PRACTICE:
            full = Attempt.objects.get(pk=attempt_id)
            body["feedback"] = _feedback(full, [question_id])[str(question_id)]
        return Response(body)


class SubmitAttemptView(APIView):
    """Submit: graded on the server; again → the same result."""

    @extend_schema(request=None, responses={200: AttemptSerializer})
    def post(self, request, attempt_id):
        attempt = _owned(request, attempt_id)
        attempt = services.submit_attempt(attempt=attempt, person=person_for(request.user))
        return _respond(Attempt.objects.get(pk=attempt.pk))


class ResultListView(ListAPIView):
    """Scores, pass/fail and times of the people in the caller's scope; never answers."""

    permission_classes = [IsHROrAdmin]

    class ResultListOutputSerializer(serializers.Serializer):
        attempt = serializers.UUIDField(source="id")
        quiz = serializers.IntegerField(source="quiz_id")
        quiz_title = serializers.CharField(source="quiz.title")
        kind = serializers.CharField(source="quiz.kind")
        person = serializers.IntegerField(source="person_id")
        name = serializers.CharField(source="person.name")
        staff_number = serializers.CharField(source="person.staff_number")
        department = serializers.CharField(source="person.department.name")
        number = serializers.IntegerField()
        started_at = serializers.DateTimeField()
        finished_at = serializers.DateTimeField()
        score = serializers.DecimalField(max_digits=7, decimal_places=2)
        max_score = serializers.DecimalField(max_digits=7, decimal_places=2)
        percent = serializers.DecimalField(max_digits=5, decimal_places=2)
        passed = serializers.BooleanField()
        flagged_for_hr = serializers.BooleanField()

    serializer_class = ResultListOutputSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("quiz", int, required=False),
            OpenApiParameter("person", int, required=False),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        def number(name):
            raw = self.request.query_params.get(name, "")
            return int(raw) if raw.isdigit() else None

        return selectors.results_for(user=self.request.user, quiz_id=number("quiz"), person_id=number("person"))
