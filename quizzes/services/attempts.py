"""Attempts: start (draw and freeze the paper), save an answer, submit, the deadline job.

Every entry point (API, pages, jobs) calls these; the rules live nowhere else
(RELIABILITY.md: the mobile path must not skip the web path's checks).
"""

from __future__ import annotations

import json
import logging
import random
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from training.models import LEGAL_CATEGORIES, Person

from .. import cache as section_cache
from ..errors import invalid, refuse
from ..grading import grade
from ..models import Answer, Attempt, AttemptStatus, Question, QuestionType, Quiz, QuizKind, QuizOverride
from ..passwords import check_start_password

logger = logging.getLogger(__name__)

UNTIMED = timedelta(days=1)  # an attempt without a time limit or a closing time still ends


def limits_for(*, quiz: Quiz, person: Person) -> tuple[int | None, int | None]:
    """(time limit in minutes, attempts allowed) for this person, overrides applied."""
    override = QuizOverride.objects.filter(quiz=quiz, person=person).first()
    time_limit = quiz.time_limit_minutes
    allowed = quiz.attempts_allowed
    if override is not None:
        time_limit = override.time_limit_minutes or time_limit
        allowed = override.attempts_allowed or allowed
    return time_limit, allowed


def check_can_start(*, person: Person, quiz: Quiz, now: datetime, used: int, allowed: int | None, password) -> None:
    """The start rules (DESIGN.md, rules): published, inside the window, in the
    audience, within the attempts allowed, with the start password when one is
    set, and for certification the prerequisite legal 学时 of this year."""
    from ..selectors.quizzes import audience_covers

    if not person.is_active:
        raise refuse("person_inactive", _("该人员已离职或停用"))
    if not quiz.is_published:
        raise refuse("quiz_not_published", _("该测验尚未发布"))
    if not audience_covers(quiz.audience, person):
        raise refuse("not_in_audience", _("您不在该测验的参加范围内"))
    if quiz.opens_at and now < quiz.opens_at:
        raise refuse("exam_window_not_open", _("考试尚未开始"), detail={"opens_at": quiz.opens_at.isoformat()})
    if quiz.closes_at and now >= quiz.closes_at:
        raise refuse("exam_window_closed", _("考试已结束"), detail={"closes_at": quiz.closes_at.isoformat()})
    if allowed is not None and used >= allowed:
        raise refuse("attempts_exhausted", _("作答次数已用完"), detail={"allowed": allowed, "used": used})
    if quiz.start_password_hash:
        if not password:
            raise refuse("start_password_required", _("请输入考试口令"))
        if not check_start_password(password, quiz.start_password_hash):
            raise refuse("start_password_wrong", _("考试口令错误"))
    if quiz.kind == QuizKind.CERTIFICATION and quiz.required_legal_hours > 0:
        earned = legal_hours_this_year(person=person, now=now)
        if earned < quiz.required_legal_hours:
            raise refuse(
                "prerequisite_hours_missing",
                _("本年度法律类学时不足"),
                detail={
                    "required": str(quiz.required_legal_hours.quantize(Decimal("0.1"))),
                    "earned": str(Decimal(earned).quantize(Decimal("0.1"))),
                },
            )


def legal_hours_this_year(*, person: Person, now: datetime) -> Decimal:
    from training.selectors import hours_earned

    year = timezone.localtime(now).year
    return hours_earned(person=person, year=year, categories=LEGAL_CATEGORIES)


def _new_keys(count: int) -> list[str]:
    """``count`` opaque option keys from one read of the OS's randomness (a read per key was
    a third of a start's time under load)."""
    raw = secrets.token_hex(4 * count)
    return ["k" + raw[i : i + 8] for i in range(0, 8 * count, 8)]


# What a start reads of the bank, kept in the process by the bank's generation
# (quizzes.cache): the candidate id lists of the sections and the drawn
# questions' rows (type, tags, current version, stem, options). Any change to
# the bank bumps the generation once it commits, so nothing read before it is
# used again; each start still reads the generation from the cache. Unpickling
# 10,000 candidate ids and fetching 100 questions on every start were a third
# of a start's time.
# (generation, candidate lists by cache key, rows by question id), replaced whole
# in one assignment so that a thread never pairs one generation with another's rows.
_memo: tuple[str | None, dict[str, list[int]], dict[int, tuple]] = (None, {}, {})
_MEMO_ROWS_MAX = 50_000


def _bank_memo(generation: str) -> tuple[str | None, dict[str, list[int]], dict[int, tuple]]:
    global _memo
    memo = _memo
    if memo[0] != generation or len(memo[2]) > _MEMO_ROWS_MAX:
        memo = (generation, {}, {})
        _memo = memo
    return memo


def _candidate_lists(sections: list[tuple[str, list[str]]]) -> tuple[str, list[list[int]]]:
    """The bank's generation and the candidate ids of each section."""
    current = section_cache.generation()
    memo = _bank_memo(current)[1]
    keys = [section_cache.section_key(question_type=t, tags=tags, generation_value=current) for t, tags in sections]
    found = [memo.get(key) for key in keys]
    if all(ids is not None for ids in found):
        return current, found  # type: ignore[return-value]
    lists = section_cache.candidate_ids_for(sections)
    memo.update(zip(keys, lists, strict=True))
    return current, lists


def _drawn_rows(ids: list[int], generation: str) -> dict[int, tuple]:
    """(id, type, tags, current version id, stem, options) of the drawn questions that have a
    current version: from the process's memo, the rest in one query (on PostgreSQL one JSON
    document for all of them, one parse instead of two per question)."""
    memo = _bank_memo(generation)[2]
    found = {pk: memo[pk] for pk in ids if pk in memo}
    missing = [pk for pk in ids if pk not in found]
    if not missing:
        return found
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT json_agg(json_build_array(q.id, q.type, q.tags, q.current_id, v.stem, v.options)) "
                "FROM quizzes_question q JOIN quizzes_questionversion v ON v.id = q.current_id "
                "WHERE q.id = ANY(%s)",
                [missing],
            )
            (rows,) = cursor.fetchone()
        if isinstance(rows, str):
            rows = json.loads(rows)
        rows = [tuple(row) for row in rows or []]
    else:
        rows = list(
            Question.objects.filter(pk__in=missing, current__isnull=False).values_list(
                "id", "type", "tags", "current_id", "current__stem", "current__options"
            )
        )
    for row in rows:
        found[row[0]] = memo[row[0]] = row
    return found


def draw_paper(*, quiz: Quiz, rng: random.Random | None = None) -> dict:
    """Draw the questions of each section from the cached candidate ids and freeze them.

    Two cache reads for all sections, then only the drawn questions are
    loaded (one query, no model instances); the paper is one JSON document
    with random per-attempt option keys.
    """
    # The draw and the option order are not secrets (the paper shows both), so a
    # generator seeded from the OS per start will do; the option keys, which must
    # not be guessable, come from ``secrets``.
    rng = rng or random.Random(secrets.randbits(128))
    sections = list(quiz.sections.all())
    generation, candidate_lists = _candidate_lists([(s.question_type, list(s.tags)) for s in sections])
    chosen: list[tuple[int, Decimal]] = []
    taken: set[int] = set()
    for section, ids in zip(sections, candidate_lists, strict=True):
        candidates = [pk for pk in ids if pk not in taken] if taken else ids
        if len(candidates) < section.count:
            raise refuse(
                "not_enough_questions",
                _("题库中的题目不足以组卷"),
                detail={
                    "section": section.title or section.position,
                    "needed": section.count,
                    "found": len(candidates),
                },
            )
        picked = rng.sample(candidates, section.count)
        taken.update(picked)
        chosen += [(pk, section.points) for pk in picked]
    by_id = _drawn_rows([pk for pk, _ in chosen], generation)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    questions: list[dict[str, Any]] = []
    for position, (pk, points) in enumerate(chosen, start=1):
        row = by_id.get(pk)
        if row is None:  # removed since the cache was filled
            raise refuse("not_enough_questions", _("题库已变更，请重试"))
        _pk, qtype, tags, version_id, stem, options = row
        options = list(options)
        if quiz.shuffle_options and qtype != QuestionType.TRUE_FALSE:
            rng.shuffle(options)
        new_keys = _new_keys(len(options))
        while len(set(new_keys)) < len(new_keys):  # pragma: no cover - 32 random bits each
            new_keys = _new_keys(len(options))
        keys = {key: option["id"] for key, option in zip(new_keys, options, strict=True)}
        shown = [{"key": key, "text": option["text"]} for key, option in zip(new_keys, options, strict=True)]
        questions.append(
            {
                "question_id": pk,
                "version_id": version_id,
                "position": position,
                "type": qtype,
                "stem": stem,
                "points": str(points),
                "options": shown,
                "keys": keys,
                "tags": list(tags or []),
            }
        )
    return {
        "kind": quiz.kind,
        "questions": questions,
        "version_ids": [q["version_id"] for q in questions],
        # what an answer save checks, read in the database on its own (save_answer)
        "index": {str(q["question_id"]): {"type": q["type"], "keys": list(q["keys"])} for q in questions},
    }


def _lock_person(person: Person) -> None:
    """Lock the person's row only: no ordering, so no join (a join would lock the
    department row too and queue every start in a department behind each other)."""
    list(Person.objects.select_for_update(of=("self",)).filter(pk=person.pk).order_by().values_list("pk", flat=True))


def start_attempt(*, person: Person, quiz: Quiz, password: str | None = None, now: datetime | None = None):
    """Start an attempt, or return the person's open one. Returns (attempt, created).

    At most one open attempt per person and quiz: the person's row is locked
    for the whole start (one short transaction), and a partial unique index
    holds it in the database too. The deadline is fixed here: the earlier of
    start + time limit and the window's close (RELIABILITY.md, timers).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            _lock_person(person)
            attempts = list(
                Attempt.objects.filter(quiz=quiz, person=person).only("id", "status", "deadline", "number", "person_id")
            )
            open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
            if open_attempt is not None:
                if open_attempt.deadline >= now:
                    return Attempt.objects.get(pk=open_attempt.pk), False
                # Its time ran out before the deadline job closed it. Should this start be
                # refused, the rollback leaves it to the job, which grades it the same way.
                submit_attempt(attempt=open_attempt, now=now)
            time_limit, allowed = limits_for(quiz=quiz, person=person)
            used = len(attempts)
            check_can_start(person=person, quiz=quiz, now=now, used=used, allowed=allowed, password=password)
            paper = draw_paper(quiz=quiz)
            deadline = now + (timedelta(minutes=time_limit) if time_limit else UNTIMED)
            if quiz.closes_at and quiz.closes_at < deadline:
                deadline = quiz.closes_at
            max_score = sum((Decimal(q["points"]) for q in paper["questions"]), Decimal("0"))
            attempt = Attempt.objects.create(
                quiz=quiz,
                person=person,
                number=used + 1,
                started_at=now,
                deadline=deadline,
                paper=paper,
                max_score=max_score,
            )
    except IntegrityError:
        existing = Attempt.objects.filter(quiz=quiz, person=person, status=AttemptStatus.OPEN).first()
        if existing is None:
            raise
        return existing, False
    return attempt, True


_UPSERT = """
INSERT INTO quizzes_answer (attempt_id, question_id, value, seq, saved_at)
SELECT %s, %s, {json}, %s, %s
WHERE EXISTS (SELECT 1 FROM quizzes_attempt WHERE id = %s AND status = 'open' AND deadline >= %s {lock})
ON CONFLICT (attempt_id, question_id) DO {action}
RETURNING value, seq, saved_at
"""
_NEWER_WINS = (
    "UPDATE SET value = excluded.value, seq = excluded.seq, saved_at = excluded.saved_at "
    "WHERE quizzes_answer.seq < excluded.seq"
)


def _upsert_sql(*, first_wins: bool) -> str:
    return _UPSERT.format(json="%s", lock="", action="NOTHING" if first_wins else _NEWER_WINS)


def _stored(row) -> dict:
    value, seq, saved_at = row
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(saved_at, str):
        saved_at = datetime.fromisoformat(saved_at)
    if timezone.is_naive(saved_at):
        saved_at = timezone.make_aware(saved_at, UTC)
    return {"value": value, "seq": seq, "saved_at": saved_at}


def paper_entry(attempt: Attempt, question_id: int) -> dict | None:
    """The paper's entry of a question: from the index (type and keys) when loaded, else the full list."""
    index = attempt.paper.get("index")
    if index is not None:
        return index.get(str(question_id))
    return next((q for q in attempt.paper.get("questions", []) if q["question_id"] == question_id), None)


def check_value(entry: dict, value):
    """The answer's shape for its question: a list of this paper's keys, or a bool."""
    if entry["type"] == QuestionType.TRUE_FALSE:
        if not isinstance(value, bool):
            raise invalid("invalid_answer", _("判断题的答案须为 true 或 false"))
        return value
    if not isinstance(value, list) or any(not isinstance(k, str) or k not in entry["keys"] for k in value):
        raise invalid("invalid_answer", _("答案须为本试卷的选项"))
    value = sorted(set(value))
    if entry["type"] == QuestionType.SINGLE and len(value) > 1:
        raise invalid("invalid_answer", _("单选题只能选一个选项"))
    return value


_SAVE_POSTGRES = """
WITH a AS (
    SELECT id, status, deadline, paper -> 'index' -> %(qkey)s AS entry, paper ->> 'kind' AS kind
    FROM quizzes_attempt
    WHERE id = %(attempt)s AND {owner}
    FOR SHARE
), ins AS (
    INSERT INTO quizzes_answer (attempt_id, question_id, value, seq, saved_at)
    SELECT a.id, %(question)s, %(value)s::jsonb, %(seq)s, %(now)s FROM a
    WHERE a.status = 'open' AND a.deadline >= %(now)s AND a.entry IS NOT NULL
      AND CASE WHEN a.entry ->> 'type' = 'true_false' THEN jsonb_typeof(%(value)s::jsonb) = 'boolean'
               ELSE jsonb_typeof(%(value)s::jsonb) = 'array'
                    AND (a.entry -> 'keys') @> %(value)s::jsonb
                    AND (a.entry ->> 'type' <> 'single' OR jsonb_array_length(%(value)s::jsonb) <= 1) END
    ON CONFLICT (attempt_id, question_id) DO UPDATE
        SET value = excluded.value, seq = excluded.seq, saved_at = excluded.saved_at
        WHERE quizzes_answer.seq < excluded.seq AND (SELECT kind FROM a) <> 'practice'
    RETURNING value, seq, saved_at
)
SELECT a.status, a.deadline, a.entry, a.kind, ins.value, ins.seq, ins.saved_at,
       stored.value, stored.seq, stored.saved_at
FROM a
LEFT JOIN ins ON true
LEFT JOIN quizzes_answer stored ON stored.attempt_id = a.id AND stored.question_id = %(question)s
"""


def _shape(value):
    """A true/false answer, or a list of option keys (sorted, without repeats)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(k, str) and len(k) <= 32 for k in value) and len(value) <= 10:
        return sorted(set(value))
    raise invalid("invalid_answer", _("答案须为本试卷的选项，或 true / false"))


def save_answer(
    *,
    attempt: Attempt,
    person: Person | int | None = None,
    question_id: int,
    value,
    seq: int,
    now=None,
    user=None,
) -> dict:
    """Store one answer when its ``seq`` is higher than the stored one; return what is stored.

    The owner is ``person`` (or the person of ``user``). On PostgreSQL this is
    one statement: it reads the attempt's state and the question's paper entry
    under a share lock (so a concurrent submit either grades this answer or
    refuses it), and upserts only while the attempt is open, before its
    deadline, with this paper's keys, and with a newer sequence number (a late
    retry never overwrites a newer answer). Practice quizzes lock a question at
    its first answer. Raises 404 not_found, 409 attempt_closed, 400
    question_not_on_paper / invalid_answer.
    """
    now = now or timezone.now()
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise invalid("validation_error", _("seq 须为非负整数"), detail={"seq": [_("须为非负整数")]})
    value = _shape(value)
    if connection.vendor == "postgresql":
        return _save_postgres(
            attempt=attempt, person=person, user=user, question_id=question_id, value=value, seq=seq, now=now
        )
    return _save_portable(
        attempt=attempt, person=person, user=user, question_id=question_id, value=value, seq=seq, now=now
    )


def _save_postgres(*, attempt, person, user, question_id, value, seq, now) -> dict:
    if person is not None:
        owner, owner_id = "person_id = %(owner)s", person if isinstance(person, int) else person.pk
    else:
        owner, owner_id = "person_id = (SELECT id FROM training_person WHERE user_id = %(owner)s)", user.pk
    params = {
        "qkey": str(question_id),
        "attempt": attempt.pk,
        "owner": owner_id,
        "question": question_id,
        "value": json.dumps(value),
        "seq": seq,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SAVE_POSTGRES.format(owner=owner), params)
        row = cursor.fetchone()
    if row is None:
        raise refuse("not_found", _("未找到"), status=404)
    status, deadline, entry, kind, *rest = row
    new, old = rest[:3], rest[3:]
    if new[1] is not None:
        return {**_stored(new), "kind": kind}
    if status != AttemptStatus.OPEN or now > deadline:
        raise refuse("attempt_closed", _("本次作答已结束"))
    if entry is None:
        raise invalid("question_not_on_paper", _("该题不在本试卷中"))
    if isinstance(entry, str):
        entry = json.loads(entry)
    check_value(entry, value)  # raises for a value the statement refused
    if old[1] is None:  # pragma: no cover - the statement stores a valid first answer
        raise refuse("attempt_closed", _("本次作答已结束"))
    return {**_stored(old), "kind": kind}


def _save_portable(*, attempt, person, user, question_id, value, seq, now) -> dict:
    """The same rules for the embedded SQLite default, in two statements (SQLite serialises writers)."""
    owner = Attempt.objects.filter(pk=attempt.pk)
    owner = (
        owner.filter(person_id=person if isinstance(person, int) else person.pk)
        if person is not None
        else owner.filter(person__user_id=user.pk)
    )
    attempt = owner.only("id", "person_id", "status", "deadline", "paper").first()
    if attempt is None:
        raise refuse("not_found", _("未找到"), status=404)
    if attempt.status != AttemptStatus.OPEN or now > attempt.deadline:
        raise refuse("attempt_closed", _("本次作答已结束"))
    entry = paper_entry(attempt, question_id)
    if entry is None:
        raise invalid("question_not_on_paper", _("该题不在本试卷中"))
    value = check_value(entry, value)
    first_wins = attempt.paper.get("kind") == QuizKind.PRACTICE
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(first_wins=first_wins),
            [attempt.pk.hex, question_id, json.dumps(value), seq, now, attempt.pk.hex, now],
        )
        row = cursor.fetchone()
    kind = attempt.paper.get("kind")
    if row is not None:
        return {**_stored(row), "kind": kind}
    stored = (
        Answer.objects.filter(attempt_id=attempt.pk, question_id=question_id)
        .values_list("value", "seq", "saved_at")
        .first()
    )
    if stored is None:  # the attempt closed between the check and the write
        raise refuse("attempt_closed", _("本次作答已结束"))
    return {**_stored(stored), "kind": kind}


def answers_of(attempt: Attempt) -> dict[int, dict]:
    return {
        row["question_id"]: {"value": row["value"], "seq": row["seq"], "saved_at": row["saved_at"]}
        for row in Answer.objects.filter(attempt_id=attempt.pk).values("question_id", "value", "seq", "saved_at")
    }


def _keys_for(attempt: Attempt) -> dict[int, object]:
    from ..models import QuestionVersion

    ids = attempt.paper.get("version_ids", [])
    return dict(QuestionVersion.objects.filter(pk__in=ids).values_list("id", "answer"))


def submit_attempt(*, attempt: Attempt, person: Person | None = None, now: datetime | None = None) -> Attempt:
    """Close and grade an attempt; submitting again returns the same result.

    After the deadline it is graded from what was saved before it and its
    finish time is the deadline (RELIABILITY.md, timers). Grading is on the
    server only.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # of=self: the quiz row joined for its settings must not be locked, or every
        # submit of an exam would queue behind the others.
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz")
            .filter(pk=attempt.pk)
            .order_by()
            .first()
        )
        if locked is None or (person is not None and locked.person_id != person.pk):
            raise refuse("not_found", _("未找到"), status=404)
        if locked.status == AttemptStatus.SUBMITTED:
            return locked
        quiz = locked.quiz
        answers = {qid: a["value"] for qid, a in answers_of(locked).items()}
        score, max_score, percent, passed, marks = grade(
            paper=locked.paper,
            answers=answers,
            keys=_keys_for(locked),
            partial_credit=quiz.partial_credit,
            pass_mark=quiz.pass_mark,
        )
        locked.status = AttemptStatus.SUBMITTED
        locked.finished_at = min(now, locked.deadline)
        locked.score, locked.max_score, locked.percent, locked.passed, locked.marks = (
            score,
            max_score,
            percent,
            passed,
            marks,
        )
        locked.save(update_fields=["status", "finished_at", "score", "max_score", "percent", "passed", "marks"])
        record(
            actor=locked.person.user if person is not None else None,
            action="quizzes.attempt_submitted",
            target=locked,
            after={"score": str(score), "percent": str(percent), "passed": passed, "auto": person is None},
        )
        if quiz.kind == QuizKind.CERTIFICATION and not passed:
            _flag_second_failure(locked)
    return locked


def _flag_second_failure(attempt: Attempt) -> None:
    """A second failed certification attempt flags the person for HR: one resit
    (补考) is allowed, then the officer is off the post (REGULATIONS.md, the exam)."""
    quiz = attempt.quiz
    failed = Attempt.objects.filter(
        person_id=attempt.person_id,
        quiz__kind=QuizKind.CERTIFICATION,
        status=AttemptStatus.SUBMITTED,
        passed=False,
    )
    if quiz.credential_type_id:
        failed = failed.filter(quiz__credential_type_id=quiz.credential_type_id)
    else:
        failed = failed.filter(quiz=quiz)
    if failed.count() < 2:
        return
    attempt.flagged_for_hr = True
    attempt.save(update_fields=["flagged_for_hr"])
    record(
        actor=None,
        action="quizzes.certification_failed_twice",
        target=attempt.person,
        after={"attempt": str(attempt.pk), "quiz": quiz.pk},
    )
    from notifications.services import Message, notify_many

    from ..selectors.people import hr_users_over

    person = attempt.person
    messages = [
        Message(
            recipient_id=user_id,
            kind="certification_failed_twice",
            title=_("%(name)s 执法资格考试两次未通过") % {"name": person.name},
            body=_("%(quiz)s：请安排调整岗位或后续处理。") % {"quiz": quiz.title},
            target_type="training.person",
            target_id=str(person.pk),
            due_key=f"attempt:{attempt.pk}",
        )
        for user_id in hr_users_over(person)
    ]
    transaction.on_commit(lambda: notify_many(messages))


def submit_expired_attempts(*, now: datetime | None = None, batch: int = 500) -> int:
    """Submit every open attempt whose deadline has passed (the deadline job);
    each is graded as it stood at its deadline. Returns how many it closed."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lt=now)
        .order_by("deadline")
        .values_list("id", flat=True)[:batch]
    )
    closed = 0
    for pk in ids:
        try:
            attempt = submit_attempt(attempt=Attempt(pk=pk), now=now)
        except Exception:  # one broken attempt must not stop the others; the next run retries it
            logger.exception("could not submit attempt %s", pk)
            continue
        closed += attempt.finished_at is not None
    return closed


@transaction.atomic
def extend_open_attempts(*, quiz: Quiz, minutes: int, actor, reason: str = "") -> int:
    """Give every open attempt of a quiz more time (after an outage). Returns how many."""
    if minutes <= 0 or minutes > 24 * 60:
        raise invalid("validation_error", _("延长时间须为 1–1440 分钟"), detail={"minutes": [_("1–1440")]})
    count = Attempt.objects.filter(quiz=quiz, status=AttemptStatus.OPEN).update(
        deadline=F("deadline") + timedelta(minutes=minutes)
    )
    record(
        actor=actor,
        action="quizzes.open_attempts_extended",
        target=quiz,
        after={"minutes": minutes, "attempts": count},
        reason=reason,
    )
    return count
