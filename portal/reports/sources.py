"""The bulk reads the reports make of the training and quizzes apps.

Every read a report needs goes through this one module, so the report builders
never touch another app's models and the number of queries per batch of people
is fixed: one for progress, one for exam results, one for credentials.

Training and quizzes own these rules. Where their bulk selectors are present
they are used as they are; the reads below them are bulk, read-only stand-ins
that follow DESIGN.md's defaults (``annual`` 90 学时 for everyone,
``enforcement_legal`` 60 学时 of the legal categories for enforcement officers,
the share of the year on the staff, pace = required × day of year ÷ days in
year) and are dropped as the selectors land.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from training import selectors as training_selectors
from training.models import LEGAL_CATEGORIES, HoursEntry, Person

try:  # quizzes is an optional neighbour while it is being built
    from quizzes import selectors as quizzes_selectors
except ImportError:  # pragma: no cover - depends on what has landed
    quizzes_selectors = None

ONE_DECIMAL = Decimal("0.1")
ZERO = Decimal("0.0")


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


# -- progress --------------------------------------------------------------------

RULE_CODES = ("annual", "enforcement_legal")
HOURS_PER_DAY = Decimal("7.5")
_DEFAULT_RULES = {
    # code: (hours required, enforcement officers only, categories counted or None for all)
    "annual": (Decimal("90.0"), False, None),
    "enforcement_legal": (Decimal("60.0"), True, tuple(str(c) for c in LEGAL_CATEGORIES)),
}


def local_today() -> dt.date:
    return timezone.localdate()


def _q(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def year_fraction(*, year: int, as_of: dt.date) -> tuple[int, int]:
    """(day of year reached, days in the year) as of a date, clamped to the year."""
    days_in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    if as_of.year < year:
        return 0, days_in_year
    if as_of.year > year:
        return days_in_year, days_in_year
    return as_of.timetuple().tm_yday, days_in_year


def staff_share(*, joined_on: dt.date | None, left_on: dt.date | None, year: int) -> Decimal:
    """The share of a year a person was on the staff (joiners and leavers owe only that)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = max(joined_on or start, start)
    last = min(left_on or end, end)
    if last < first:
        return Decimal(0)
    return Decimal((last - first).days + 1) / Decimal((end - start).days + 1)


def _fallback_progress(people: Sequence, *, year: int, as_of: dt.date) -> dict[int, dict[str, RuleProgress]]:
    ids = [p.pk for p in people]
    earned: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for person_id, category, total in (
        HoursEntry.objects.filter(person_id__in=ids, year=year)
        .values_list("person_id", "category")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        earned[person_id][category] = total
    reached, days_in_year = year_fraction(year=year, as_of=as_of)
    result: dict[int, dict[str, RuleProgress]] = {}
    for person in people:
        share = staff_share(joined_on=person.joined_on, left_on=person.left_on, year=year)
        rules: dict[str, RuleProgress] = {}
        for code, (hours, enforcement_only, categories) in _DEFAULT_RULES.items():
            if enforcement_only and not person.is_enforcement_officer:
                continue
            by_category = earned.get(person.pk, {})
            got = sum(
                (v for k, v in by_category.items() if categories is None or k in categories),
                ZERO,
            )
            required = _q(hours * share)
            expected = _q(required * reached / days_in_year)
            rules[code] = RuleProgress(
                code=code,
                earned=_q(got),
                required=required,
                expected=expected,
                days=_q(got / HOURS_PER_DAY),
                on_pace=got >= expected,
            )
        result[person.pk] = rules
    return result


def _from_training(value) -> dict[str, RuleProgress]:
    """Adapt training's Progress (a list of per-rule progress) into the report's RuleProgress."""
    rules = getattr(value, "rules", value)
    items = rules.values() if isinstance(rules, dict) else rules
    out: dict[str, RuleProgress] = {}
    for rule in items:
        code = str(rule.code)
        earned = Decimal(_get(rule, "earned_hours", "earned", default=ZERO))
        out[code] = RuleProgress(
            code=code,
            earned=earned,
            required=Decimal(_get(rule, "required_hours", "required", default=ZERO)),
            expected=Decimal(_get(rule, "expected_hours", "expected", default=ZERO)),
            days=_q(Decimal(_get(rule, "earned_days", "days", default=earned / HOURS_PER_DAY))),
            on_pace=bool(rule.on_pace),
        )
    return out


def progress_for(people: Sequence, *, year: int, as_of: dt.date | None = None) -> dict[int, dict[str, RuleProgress]]:
    """Progress per person and rule for a batch of people, in a fixed number of queries."""
    as_of = as_of or local_today()
    if not people:
        return {}
    selector = getattr(training_selectors, "progress_for_people", None)
    if selector is not None:
        found = selector(people=Person.objects.filter(pk__in=[p.pk for p in people]), year=year, as_of=as_of)
        return {pid: _from_training(value) for pid, value in found.items()}
    return _fallback_progress(people, year=year, as_of=as_of)


# -- exams and credentials -------------------------------------------------------


def _get(obj, *names, default=None):
    """A field of a selector's answer, whether it is a dict or an object."""
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def _exam_from(value) -> ExamResult | None:
    if value is None:
        return None
    quiz = _get(value, "quiz")
    title = _get(value, "quiz_title") or (quiz if isinstance(quiz, str) else _get(quiz, "title", default=""))
    return ExamResult(
        quiz_title=str(title or ""),
        finished_at=_get(value, "finished_at", "submitted_at"),
        score=_get(value, "score"),
        passed=_get(value, "passed"),
    )


def _credential_from(value) -> CredentialInfo | None:
    if value is None:
        return None
    return CredentialInfo(
        number=str(_get(value, "number", default="")),
        status=str(_get(value, "status", default="")),
        expires_on=_get(value, "expires_on", "expires"),
    )


def exams_for(person_ids: Iterable[int]) -> dict[int, ExamResult | None]:
    ids = list(person_ids)
    selector = getattr(quizzes_selectors, "latest_results_for_people", None)
    if selector is None or not ids:
        return {}
    return {pid: _exam_from(v) for pid, v in selector(person_ids=ids).items()}


def credentials_for(person_ids: Iterable[int], *, today: dt.date) -> dict[int, CredentialInfo | None]:
    ids = list(person_ids)
    selector = getattr(quizzes_selectors, "credential_status_for_people", None)
    if selector is None or not ids:
        return {}
    return {pid: _credential_from(v) for pid, v in selector(person_ids=ids, today=today).items()}


def facts_for(people: Sequence, *, year: int, as_of: dt.date | None = None) -> dict[int, PersonFacts]:
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


def quizzes_annual_figures(*, year: int) -> dict | None:
    selector = getattr(quizzes_selectors, "annual_figures", None)
    return None if selector is None else selector(year=year)


def training_organisation_targets(*, year: int):
    selector = getattr(training_selectors, "organisation_targets", None)
    return None if selector is None else selector(year=year)


# -- roll-ups for the dashboard's charts -------------------------------------------


def department_rollup(*, department_ids: list[int], year: int, as_of: dt.date) -> list[dict]:
    """Per department subtree: people done, on pace, behind (training's roll-up)."""
    selector = getattr(training_selectors, "department_rollup", None)
    if selector is None or not department_ids:
        return []
    return selector(department_ids=department_ids, year=year, as_of=as_of)


@dataclass(frozen=True)
class ExpiringCredential:
    person_id: int
    name: str
    number: str
    expires_on: dt.date


def credential_counts(*, people, today: dt.date, horizon_days: int) -> tuple[dict[str, int], list]:
    """Credentials of the people in a queryset counted by effective status (expiry computed
    here, as everywhere status is read), and the live ones expiring within ``horizon_days``.

    A read of the quizzes models in two queries, whatever the number of people.
    """
    try:
        from quizzes.models import Credential
    except ImportError:  # pragma: no cover - depends on what has landed
        return {}, []
    from django.db.models import Case, CharField, Count, Value, When

    live = ("active", "suspended")
    credentials = Credential.objects.filter(holder__in=people.values("pk"))
    effective = Case(
        When(status__in=live, expires_on__lt=today, then=Value("expired")),
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
    return counts, expiring
