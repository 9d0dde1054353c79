"""Progress against the year's requirement rules, read from the per-person-year summary.

DESIGN.md (Progress): per person, year and rule — earned, required, remaining,
expected by today = required × (day of year ÷ days in year), on pace iff
earned ≥ expected; days = 学时 ÷ the policy's 学时 per day. A person who joins
or leaves mid-year owes the share of the year they were on the staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import AppliesTo, ContentCategory, Department, Person, PersonYearHours, RequirementRule, TrainingPolicy
from ..services.ledger import round_half
from ..services.policy import ensure_policy

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")
CATEGORIES = [c.value for c in ContentCategory]


@dataclass(frozen=True)
class RuleProgress:
    code: str
    name: str
    required_hours: Decimal
    earned_hours: Decimal
    earned_days: Decimal
    remaining_hours: Decimal
    expected_hours: Decimal
    on_pace: bool
    by_category: dict[str, Decimal]

    @property
    def done(self) -> bool:
        return self.earned_hours >= self.required_hours


@dataclass(frozen=True)
class Progress:
    person_id: int
    year: int
    as_of: date
    rules: list[RuleProgress] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return all(r.done for r in self.rules)

    @property
    def on_pace(self) -> bool:
        return all(r.on_pace for r in self.rules)

    @property
    def standing(self) -> str:
        """ "done", "on_pace" or "behind" — what the roll-ups count."""
        if self.done:
            return "done"
        return "on_pace" if self.on_pace else "behind"


def today() -> date:
    return timezone.localdate()


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def staff_span(*, year: int, joined_on: date | None, left_on: date | None) -> tuple[date, date] | None:
    """The part of ``year`` the person was on the staff (inclusive), or None."""
    start = max(joined_on or date(year, 1, 1), date(year, 1, 1))
    end = min(left_on or date(year, 12, 31), date(year, 12, 31))
    return (start, end) if start <= end else None


def is_full_year(*, year: int, joined_on: date | None, left_on: date | None) -> bool:
    return (joined_on is None or joined_on <= date(year, 1, 1)) and (left_on is None or left_on >= date(year, 12, 31))


def required_for(rule_hours: Decimal, *, year: int, joined_on: date | None, left_on: date | None) -> Decimal:
    """The rule's 学时, pro-rated to the days on the staff and rounded to 0.5 学时."""
    if is_full_year(year=year, joined_on=joined_on, left_on=left_on):
        return rule_hours
    span = staff_span(year=year, joined_on=joined_on, left_on=left_on)
    if span is None:
        return ZERO
    days = (span[1] - span[0]).days + 1
    return round_half(rule_hours * days / days_in_year(year))


def expected_for(
    rule_hours: Decimal, *, year: int, as_of: date, joined_on: date | None, left_on: date | None
) -> Decimal:
    """required × (days on the staff up to ``as_of`` ÷ days in year), to 0.1 学时, never above what is owed."""
    span = staff_span(year=year, joined_on=joined_on, left_on=left_on)
    if span is None or as_of < span[0]:
        return ZERO
    days = (min(as_of, span[1]) - span[0]).days + 1
    expected = (rule_hours * days / days_in_year(year)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return min(expected, required_for(rule_hours, year=year, joined_on=joined_on, left_on=left_on))


def _rules(year: int) -> tuple[TrainingPolicy, list[RequirementRule]]:
    policy = ensure_policy(year=year)
    return policy, list(RequirementRule.objects.filter(policy=policy))


def _applies(rule: RequirementRule, is_enforcement_officer: bool) -> bool:
    return rule.applies_to == AppliesTo.EVERYONE or is_enforcement_officer


def _counted(rule: RequirementRule) -> list[str]:
    return list(rule.categories) or CATEGORIES


def _build(
    *,
    person_id: int,
    is_enforcement_officer: bool,
    joined_on: date | None,
    left_on: date | None,
    hours: dict[str, Decimal],
    policy: TrainingPolicy,
    rules: list[RequirementRule],
    year: int,
    as_of: date,
) -> Progress:
    out = []
    for rule in rules:
        if not _applies(rule, is_enforcement_officer):
            continue
        by_category = {c: hours.get(c, ZERO) for c in _counted(rule)}
        earned = sum(by_category.values(), ZERO)
        required = required_for(rule.required_hours, year=year, joined_on=joined_on, left_on=left_on)
        expected = expected_for(rule.required_hours, year=year, as_of=as_of, joined_on=joined_on, left_on=left_on)
        out.append(
            RuleProgress(
                code=rule.code,
                name=rule.name,
                required_hours=required,
                earned_hours=earned,
                earned_days=(earned / policy.hours_per_day).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                remaining_hours=max(required - earned, ZERO),
                expected_hours=expected,
                on_pace=earned >= expected,
                by_category=by_category,
            )
        )
    return Progress(person_id=person_id, year=year, as_of=as_of, rules=out)


def progress_for_people(*, people: QuerySet[Person], year: int, as_of: date | None = None) -> dict[int, Progress]:
    """Progress of many people in a fixed number of queries (policy, rules, people, summaries)."""
    as_of = as_of or today()
    policy, rules = _rules(year)
    rows = list(people.values_list("id", "is_enforcement_officer", "joined_on", "left_on").order_by())
    summaries = {
        s["person_id"]: s
        for s in PersonYearHours.objects.filter(year=year, person_id__in=[r[0] for r in rows]).values(
            "person_id", *CATEGORIES
        )
    }
    result = {}
    for pid, enforcement, joined_on, left_on in rows:
        summary = summaries.get(pid, {})
        result[pid] = _build(
            person_id=pid,
            is_enforcement_officer=enforcement,
            joined_on=joined_on,
            left_on=left_on,
            hours={c: summary.get(c, ZERO) for c in CATEGORIES},
            policy=policy,
            rules=rules,
            year=year,
            as_of=as_of,
        )
    return result


def progress(*, person: Person | int, year: int, as_of: date | None = None) -> Progress:
    """One person's progress against each rule that applies to them."""
    pid = person if isinstance(person, int) else person.pk
    return progress_for_people(people=Person.objects.filter(pk=pid), year=year, as_of=as_of)[pid]


def legal_hours(*, person: Person | int, year: int) -> Decimal:
    """This year's 学时 in the legal categories — the certification exam's prerequisite."""
    pid = person if isinstance(person, int) else person.pk
    row = PersonYearHours.objects.filter(person_id=pid, year=year).values("general_law", "specialised_law", "new_laws")
    found = row.first()
    if not found:
        return ZERO
    return found["general_law"] + found["specialised_law"] + found["new_laws"]


# --- roll-ups: full-year people counted in SQL, the few joiners/leavers in Python -------------------


def _full_year_q(year: int) -> Q:
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=date(year, 1, 1))) & (
        Q(left_on__isnull=True) | Q(left_on__gte=date(year, 12, 31))
    )


def _annotated(people: QuerySet[Person], *, year: int, rules: list[RequirementRule], as_of: date):
    """People with, per rule, earned 学时 (alias ``e_<i>``) and the Q's for done and on pace."""
    dec = DecimalField(max_digits=8, decimal_places=1)
    people = people.annotate(yh=FilteredRelation("year_hours", condition=Q(year_hours__year=year)))
    done_q, pace_q = Q(), Q()
    for i, rule in enumerate(rules):
        earned: Any = None
        for c in list(rule.categories) or ["total"]:  # every category counts: the kept total
            term = Coalesce(F(f"yh__{c}"), Value(ZERO), output_field=dec)
            earned = term if earned is None else earned + term
        people = people.alias(**{f"e_{i}": earned})
        expected = expected_for(rule.required_hours, year=year, as_of=as_of, joined_on=None, left_on=None)
        exempt = Q() if rule.applies_to == AppliesTo.EVERYONE else Q(is_enforcement_officer=False)
        met = Q(**{f"e_{i}__gte": rule.required_hours})
        paced = Q(**{f"e_{i}__gte": expected})
        done_q &= (exempt | met) if exempt else met
        pace_q &= (exempt | paced) if exempt else paced
    return people, done_q, pace_q


def _standing_counts(people: QuerySet[Person], *, year: int, as_of: date) -> dict[int, dict[str, int]]:
    """Per department id: how many active people are done, on pace, behind."""
    _policy, rules = _rules(year)
    active = people.filter(is_active=True)
    counts: dict[int, dict[str, int]] = {}

    def bucket(dept_id: int) -> dict[str, int]:
        return counts.setdefault(dept_id, {"people": 0, "done": 0, "on_pace": 0, "behind": 0})

    full, done_q, pace_q = _annotated(active.filter(_full_year_q(year)), year=year, rules=rules, as_of=as_of)
    rows = full.values("department_id").annotate(
        n=Count("id"), n_done=Count("id", filter=done_q), n_pace=Count("id", filter=pace_q)
    )
    for row in rows.order_by():
        b = bucket(row["department_id"])
        b["people"] += row["n"]
        b["done"] += row["n_done"]
        on_pace_not_done = row["n_pace"] - row["n_done"]
        b["on_pace"] += on_pace_not_done
        b["behind"] += row["n"] - row["n_pace"]
    partial = active.exclude(_full_year_q(year))
    rows = list(partial.values_list("id", "department_id", "is_enforcement_officer", "joined_on", "left_on").order_by())
    if rows:
        summaries = {
            s[0]: dict(zip(CATEGORIES, s[1:], strict=True))
            for s in PersonYearHours.objects.filter(year=year, person_id__in=[r[0] for r in rows]).values_list(
                "person_id", *CATEGORIES
            )
        }
        thresholds: dict[tuple, list[tuple[RequirementRule, Decimal, Decimal]]] = {}
        for pid, dept_id, enforcement, joined_on, left_on in rows:
            key = (joined_on, left_on)
            if key not in thresholds:  # joiners share a handful of dates: compute each pair once
                thresholds[key] = [
                    (
                        rule,
                        required_for(rule.required_hours, year=year, joined_on=joined_on, left_on=left_on),
                        expected_for(rule.required_hours, year=year, as_of=as_of, joined_on=joined_on, left_on=left_on),
                    )
                    for rule in rules
                ]
            hours = summaries.get(pid, {})
            done = paced = True
            for rule, required, expected in thresholds[key]:
                if not _applies(rule, enforcement):
                    continue
                earned = sum((hours.get(c, ZERO) for c in _counted(rule)), ZERO)
                done = done and earned >= required
                paced = paced and earned >= expected
            b = bucket(dept_id)
            b["people"] += 1
            b["done" if done else "on_pace" if paced else "behind"] += 1
    return counts


def department_rollup(*, department_ids: list[int], year: int, as_of: date | None = None) -> list[dict]:
    """Per department (its whole subtree): people, done, on pace (not yet done), behind."""
    as_of = as_of or today()
    paths = dict(Department.objects.values_list("id", "path"))
    departments = list(Department.objects.filter(pk__in=department_ids).only("id", "name", "path"))
    if not departments:
        return []
    prefixes = tuple(d.path for d in departments)
    reached = [pk for pk, path in paths.items() if path.startswith(prefixes)]
    counts = _standing_counts(Person.objects.filter(department_id__in=reached), year=year, as_of=as_of)
    out = []
    for d in departments:
        total = {"people": 0, "done": 0, "on_pace": 0, "behind": 0}
        for dept_id, c in counts.items():
            if paths.get(dept_id, "").startswith(d.path):
                for k in total:
                    total[k] += c[k]
        out.append({"department_id": d.pk, "name": d.name, **total})
    return out


def people_behind_pace(*, year: int, as_of: date | None = None):
    """Ids of active people behind pace on any rule (for the monthly pace reminder), as an iterator."""
    as_of = as_of or today()
    _, rules = _rules(year)
    full, _done_q, pace_q = _annotated(
        Person.objects.filter(is_active=True).filter(_full_year_q(year)), year=year, rules=rules, as_of=as_of
    )
    yield from full.exclude(pace_q).values_list("id", flat=True).order_by("id").iterator(chunk_size=2000)
    partial = Person.objects.filter(is_active=True).exclude(_full_year_q(year))
    for pid, prog in sorted(progress_for_people(people=partial, year=year, as_of=as_of).items()):
        if not prog.on_pace:
            yield pid
