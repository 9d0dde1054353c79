"""The question bank, quizzes and their attempts, and the enforcement credential.

A question's content lives in versions: an edit of a version that a paper has
used makes a new version, so old attempts keep what they showed. An attempt
freezes its whole paper in one row (one JSON document) so that starting one
stays a single insert however many people start at once.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from training.models import Audience, Person


class QuestionType(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TRUE_FALSE = "true_false", _("判断")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("启用")
    RETIRED = "retired", _("停用")


class Question(models.Model):
    """A question of the bank; what it says lives in its versions (``current`` is the one drawn)."""

    type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    category = models.CharField(_("category"), max_length=100, blank=True)
    tags = models.JSONField(_("tags (legal areas)"), default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(_("status"), max_length=16, choices=QuestionStatus.choices, default="active")
    current = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["status", "type"], name="question_status_type_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_5"),
        ]

    def __str__(self) -> str:
        stem = self.current.stem if self.current_id and self.current else ""
        return f"#{self.pk} {stem[:40]}"


class QuestionVersion(models.Model):
    """What a question says at one point: stem, options, the key, explanation and legal basis.

    ``options`` is ``[{"id": 1, "text": "..."}]``; ``answer`` is the list of
    correct option ids, or ``true``/``false`` for a true/false question.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    stem = models.TextField(_("stem"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.JSONField(_("answer"))
    explanation = models.TextField(_("explanation"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question_id", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="question_version_unique")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class QuizKind(models.TextChoices):
    PRACTICE = "practice", _("练习")
    ASSESSMENT = "assessment", _("平时考核")
    CERTIFICATION = "certification", _("执法资格考试")
    ANNUAL_EXAM = "annual_exam", _("年度学法考试")


class ReviewPolicy(models.TextChoices):
    NEVER = "never", _("不显示对错")
    AFTER_SUBMIT = "after_submit", _("交卷后显示")
    IMMEDIATE = "immediate", _("作答后立即显示（练习）")


class CredentialType(models.Model):
    """A kind of enforcement credential (行政执法证) and its validity rules."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    number_prefix = models.CharField(_("number prefix"), max_length=16, default="XF")
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), default=5)
    max_pass_age_days = models.PositiveIntegerField(_("how old a pass may be (days)"), default=365)

    class Meta:
        ordering = ["code"]
        verbose_name = _("credential type")
        verbose_name_plural = _("credential types")

    def __str__(self) -> str:
        return self.name


class Quiz(models.Model):
    """A practice set, a periodic assessment, the certification exam or the annual exam."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=QuizKind.choices, default=QuizKind.PRACTICE)
    is_published = models.BooleanField(_("published"), default=True)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("empty = unlimited; certification defaults to 2")
    )
    pass_mark = models.DecimalField(_("pass mark (of 100)"), max_digits=5, decimal_places=2, default=Decimal("60"))
    audience = models.ForeignKey(Audience, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_policy = models.CharField(
        _("review policy"), max_length=16, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_SUBMIT
    )
    partial_credit = models.BooleanField(_("partial credit for multiple choice"), default=False)
    start_password_hash = models.CharField(max_length=128, blank=True, editable=False)
    credential_type = models.ForeignKey(
        CredentialType, null=True, blank=True, on_delete=models.PROTECT, related_name="quizzes"
    )
    required_legal_hours = models.DecimalField(
        _("legal 学时 required this year"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        indexes = [
            models.Index(fields=["opens_at"], name="quiz_opens_idx"),
            models.Index(fields=["closes_at"], name="quiz_closes_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_window_order",
            ),
            models.CheckConstraint(condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="quiz_pass_mark_0_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # A first try and one resit (补考) unless set otherwise (REGULATIONS.md, the exam).
        if self._state.adding and self.kind == QuizKind.CERTIFICATION and self.attempts_allowed is None:
            self.attempts_allowed = 2
        super().save(*args, **kwargs)

    @property
    def needs_password(self) -> bool:
        return bool(self.start_password_hash)

    @property
    def reveals_correctness(self) -> bool:
        return self.kind != QuizKind.CERTIFICATION and self.review_policy != ReviewPolicy.NEVER


class QuizSection(models.Model):
    """One part of the blueprint: ``count`` questions of a type drawn from tags, ``points`` each."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=100, blank=True)
    question_type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    tags = models.JSONField(_("tags (any of)"), default=list, blank=True)
    count = models.PositiveSmallIntegerField(_("questions"))
    points = models.DecimalField(_("points each"), max_digits=5, decimal_places=2, default=Decimal("1"))

    class Meta:
        ordering = ["quiz_id", "position", "id"]
        verbose_name = _("blueprint section")
        verbose_name_plural = _("blueprint sections")

    def __str__(self) -> str:
        return f"{self.quiz_id}: {self.count} × {self.question_type}"


class QuizOverride(models.Model):
    """A per-person accommodation: more time or more attempts."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [models.UniqueConstraint(fields=["quiz", "person"], name="quiz_override_unique")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.person_id}"


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("作答中")
    SUBMITTED = "submitted", _("已交卷")


class Attempt(models.Model):
    """One sitting of a quiz by one person, with its frozen paper.

    ``paper`` is ``{"questions": [{"question_id", "version_id", "position",
    "type", "stem", "points", "options": [{"key", "text"}], "keys": {key:
    option id}, "tags"}]}``: the option keys are random per attempt, and the
    map back to the bank's option ids never leaves the server.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.OPEN)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    paper = models.JSONField(default=dict)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    # Per question the fraction earned (0..1), kept for review and statistics.
    marks = models.JSONField(default=dict, blank=True)
    flagged_for_hr = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["quiz", "person"], name="attempt_quiz_person_idx"),
            models.Index(fields=["status", "deadline"], name="attempt_status_deadline_idx"),
            models.Index(fields=["person", "finished_at"], name="attempt_person_finished_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "person"], condition=Q(status="open"), name="attempt_one_open_per_person"
            ),
            models.UniqueConstraint(fields=["quiz", "person", "number"], name="attempt_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.person_id} #{self.number}"


class Answer(models.Model):
    """The stored answer to one question of an attempt; ``seq`` only ever grows."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question_id = models.IntegerField()
    value = models.JSONField()
    seq = models.BigIntegerField()
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="answer_one_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class Regrade(models.Model):
    """The old and new score of an attempt recomputed after an answer key was fixed."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrades")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    old_score = models.DecimalField(max_digits=7, decimal_places=2)
    new_score = models.DecimalField(max_digits=7, decimal_places=2)
    old_passed = models.BooleanField()
    new_passed = models.BooleanField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.old_score} → {self.new_score}"


class ExternalResult(models.Model):
    """A certification exam passed outside xuefa (a card issued before it), entered by HR with its document."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="external_exam_results")
    credential_type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="+")
    passed_on = models.DateField(_("passed on"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    document_ref = models.CharField(_("document"), max_length=255)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("external exam result")
        verbose_name_plural = _("external exam results")

    def __str__(self) -> str:
        return f"{self.person_id} {self.passed_on}"


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销")
    EXPIRED = "expired", _("过期")
    SURRENDERED = "surrendered", _("注销")


LIVE_STATUSES = (CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED)


class Credential(models.Model):
    """An enforcement credential (执法证). ``status`` is what was recorded;
    read it through ``effective_status`` (expired once ``expires_on`` has passed)."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    holder = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credentials")
    credential_type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="credentials")
    domain = models.CharField(_("enforcement domain"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=16, choices=CredentialStatus.choices, default="active")
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external_result = models.ForeignKey(
        ExternalResult, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        indexes = [models.Index(fields=["status", "expires_on"], name="credential_status_expiry_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "credential_type"],
                condition=Q(status__in=["active", "suspended"]),
                name="credential_one_live_per_type",
            ),
            models.CheckConstraint(
                condition=Q(attempt__isnull=False) | Q(external_result__isnull=False),
                name="credential_rests_on_a_result",
            ),
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("issued_on")), name="credential_expiry_order"),
        ]

    def __str__(self) -> str:
        return self.number

    def effective_status(self, today) -> str:
        if self.status in LIVE_STATUSES and self.expires_on < today:
            return CredentialStatus.EXPIRED
        return self.status


class CredentialEvent(models.Model):
    """One change of a credential: who, when, why, and the state before and after."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("授予")
        SUSPENDED = "suspended", _("暂扣")
        REVOKED = "revoked", _("吊销")
        RENEWED = "renewed", _("换证")
        SURRENDERED = "surrendered", _("注销")
        EXPIRED = "expired", _("过期")

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("credential event")
        verbose_name_plural = _("credential events")
        indexes = [models.Index(fields=["kind", "at"], name="credential_event_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.credential_id} {self.kind}"
