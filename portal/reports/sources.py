"""The bulk reads the reports make of the training and quizzes apps.

Every read a report needs goes through this one module, so the report builders
never touch another app's rules and the number of queries per batch of people
is fixed: training's progress (policy, rules, people, summaries), quizzes'
latest results and current credentials — one query each, whatever the batch.
The answers are adapted here into the report's own small types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from quizzes import selectors as quizzes_selectors
from quizzes.models import LIVE_STATUSES, Credential
from training import selectors as training_selectors
from training.models import Person, TrainingPolicy

ONE_DECIMAL = Decimal("0.1")
ZERO = Decimal("0.0")
DEFAULT_HOURS_PER_DAY = Decimal("7.5")


@dataclass(frozen=True)
class RuleProgress:
    """How one person stands against one requirement rule in a year."""

    code: str
    earned: Decimal
    required: Decimal
    expected: Decimal
    days: Decimal
    on_pace: bool

    @property
    def remaining(self) -> Decimal:
        return max(self.required - self.earned, ZERO)

    @property
    def done(self) -> bool:
        return self.earned >= self.required


@dataclass(frozen=True)
class ExamResult:
    quiz_title: str
    finished_at: dt.datetime | None
    score: Decimal | None
    passed: bool | None


@dataclass(frozen=True)
class CredentialInfo:
    number: str
    status: str
    expires_on: dt.date | None


@dataclass(frozen=True)
class PersonFacts:
    """What a report needs of a person beyond the person row itself."""

    rules: dict[str, RuleProgress]
    last_exam: ExamResult | None
    credential: CredentialInfo | None

    @property
    def on_pace(self) -> bool:
        return all(rule.on_pace for rule in self.rules.values())


def local_today() -> dt.date:
    return timezone.localdate()


def _q(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _get(obj, *names, default=None):
    """A field of a selector's answer, whether it is a dict or an object."""
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


# -- progress --------------------------------------------------------------------


def _from_training(progress) -> dict[str, RuleProgress]:
    """Training's Progress (a list of per-rule progress) as the report's RuleProgress by rule code."""
    return {
        rule.code: RuleProgress(
            code=rule.code,
            earned=rule.earned_hours,
            required=rule.required_hours,
            expected=rule.expected_hours,
            days=_q(rule.earned_days),
            on_pace=rule.on_pace,
        )
        for rule in progress.rules
    }


def progress_for(
    people: Sequence[Person], *, year: int, as_of: dt.date | None = None, queryset=None
) -> dict[int, dict]:
    """Progress per person and rule for a batch of people, in a fixed number of queries.

    ``queryset``, when given, selects the same people without a list of ids.
    """
    if not people:
        return {}
    found = training_selectors.progress_for_people(
        people=queryset if queryset is not None else Person.objects.filter(pk__in=[p.pk for p in people]),
        year=year,
        as_of=as_of or local_today(),
    )
    return {pid: _from_training(value) for pid, value in found.items()}


# -- exams and credentials -------------------------------------------------------


def _exam_from(value) -> ExamResult | None:
    if value is None:
        return None
    quiz = _get(value, "quiz")
    title = _get(value, "quiz_title") or (quiz if isinstance(quiz, str) else _get(quiz, "title", default=""))
    return ExamResult(
        quiz_title=str(title or ""),
        finished_at=_get(value, "finished_at"),
        score=_get(value, "score"),
        passed=_get(value, "passed"),
    )


def _credential_from(value) -> CredentialInfo | None:
    if value is None:
        return None
    return CredentialInfo(
        number=str(_get(value, "number", default="")),
        status=str(_get(value, "status", default="")),
        expires_on=_get(value, "expires_on"),
    )


def exams_for(person_ids: Iterable[int]) -> dict[int, ExamResult | None]:
    ids = list(person_ids)
    if not ids:
        return {}
    return {pid: _exam_from(v) for pid, v in quizzes_selectors.latest_results_for_people(person_ids=ids).items()}


def credentials_for(person_ids: Iterable[int], *, today: dt.date) -> dict[int, CredentialInfo | None]:
    ids = list(person_ids)
    if not ids:
        return {}
    found = quizzes_selectors.credential_status_for_people(person_ids=ids, today=today)
    return {pid: _credential_from(v) for pid, v in found.items()}


def facts_for(people: Sequence[Person], *, year: int, as_of: dt.date | None = None) -> dict[int, PersonFacts]:
    """Everything the compliance report shows beside a person row, for a batch of people."""
    as_of = as_of or local_today()
    ids = [p.pk for p in people]
    progress = progress_for(people, year=year, as_of=as_of)
    exams = exams_for(ids)
    credentials = credentials_for(ids, today=as_of)
    return {
        pid: PersonFacts(rules=progress.get(pid, {}), last_exam=exams.get(pid), credential=credentials.get(pid))
        for pid in ids
    }


# -- the annual report's and the dashboard's figures ----------------------------------


def hours_per_day(*, year: int) -> Decimal:
    """The year's 学时 per day from training's policy (7.5 until the year has a policy)."""
    found = TrainingPolicy.objects.filter(year=year).values_list("hours_per_day", flat=True).first()
    return found or DEFAULT_HOURS_PER_DAY


def quizzes_annual_figures(*, year: int) -> dict:
    return quizzes_selectors.annual_figures(year=year)


def training_organisation_targets(*, year: int) -> dict:
    return training_selectors.organisation_targets(year=year)


def department_rollup(*, department_ids: list[int], year: int, as_of: dt.date) -> list[dict]:
    """Per department subtree: people done, on pace, behind (training's roll-up)."""
    if not department_ids:
        return []
    return training_selectors.department_rollup(department_ids=department_ids, year=year, as_of=as_of)


@dataclass(frozen=True)
class ExpiringCredential:
    person_id: int
    name: str
    number: str
    expires_on: dt.date


EXPIRY_BUCKETS = ((0, 30), (31, 60), (61, 90))  # days from today, inclusive


def credential_counts(
    *, people, today: dt.date, horizon_days: int
) -> tuple[dict[str, int], list[ExpiringCredential], list[tuple[str, int]]]:
    """Credentials of the people in a queryset counted by effective status, the active
    ones expiring within ``horizon_days`` (at most 50, soonest first), and how many
    expire within 30, 60 and 90 days.

    Quizzes has no selector for counts over a subtree, so this reads its
    Credential model, read-only, in three queries whatever the number of people;
    expiry is computed here as everywhere status is read (DESIGN.md).
    """
    credentials = Credential.objects.filter(holder__in=people.values("pk"))
    effective = Case(
        When(status__in=list(LIVE_STATUSES), expires_on__lt=today, then=Value("expired")),
        default="status",
        output_field=CharField(),
    )
    counts = {
        row["effective"]: row["n"]
        for row in credentials.annotate(effective=effective).values("effective").annotate(n=Count("id")).order_by()
    }
    expiring = [
        ExpiringCredential(*row)
        for row in credentials.filter(
            status="active", expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=horizon_days)
        )
        .order_by("expires_on", "number")
        .values_list("holder_id", "holder__name", "number", "expires_on")[:50]
    ]
    found = credentials.filter(status="active").aggregate(
        **{
            f"b{i}": Count(
                "id",
                filter=Q(
                    expires_on__gte=today + dt.timedelta(days=low), expires_on__lte=today + dt.timedelta(days=high)
                ),
            )
            for i, (low, high) in enumerate(EXPIRY_BUCKETS)
        }
    )
    buckets = [(f"{low}–{high}", found[f"b{i}"]) for i, (low, high) in enumerate(EXPIRY_BUCKETS)]
    return counts, expiring, buckets
