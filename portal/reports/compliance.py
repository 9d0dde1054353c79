"""The compliance report: a row per person of a subtree with hours and days
per rule, pace, last exam and credential status — one builder for the API's
JSON, its csv and xlsx files, the HR dashboard and its export.

Filters and sorts are made by the database (pace.py, credentials.py), so a
page is counted and sliced there; queries are fixed per page (count, people,
progress, exams, credentials) and per batch of ``BATCH`` people for exports,
whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from training.models import Category, Department, Person
from training.selectors import scope_department_ids

from . import credentials, pace, sources
from .credentials import EXPIRING_DAYS as EXPIRING_DAYS
from .sources import PersonFacts, local_today

BATCH = 2000

PACE_CHOICES = (
    ("on_pace", _("按进度")),
    ("behind", _("落后")),
    ("done", _("已完成")),
)
CREDENTIAL_CHOICES = (
    ("active", _("有效")),
    ("suspended", _("暂扣")),
    ("revoked", _("吊销")),
    ("expired", _("过期")),
    ("surrendered", _("注销")),
    ("none", _("无执法证")),
    ("expiring", _("90天内到期")),  # EXPIRING_DAYS
)
# ordering key -> SQL ordering
ORDERINGS: dict[str, tuple[str, ...]] = {
    "department": ("department__path", "staff_number"),
    "staff_number": ("staff_number",),
    "name": ("name", "staff_number"),
    # the year's 学时 of all categories, from the per-person-year summary training keeps
    "hours": ("year_total", "staff_number"),
    "-hours": ("-year_total", "staff_number"),
    # the expiry of the credential the report shows (see credentials.py), soonest first, none last
    "expiry": ("credential_expires_on", "staff_number"),
}


@dataclass(frozen=True)
class ComplianceFilter:
    year: int
    department: Department | None = None
    category: str = ""
    pace: str = ""
    credential: str = ""
    search: str = ""
    ordering: str = "department"
    as_of: dt.date = field(default_factory=local_today)


@dataclass(frozen=True)
class ComplianceRow:
    person: Person
    facts: PersonFacts

    @property
    def annual(self):
        return self.facts.rules.get("annual")

    @property
    def legal(self):
        return self.facts.rules.get("enforcement_legal")

    @property
    def credential_label(self) -> str:
        credential = self.facts.credential
        return "" if credential is None else credential_status_label(credential.status)


@dataclass(frozen=True)
class ComplianceDepartment:
    """A department the caller may report on, with the ids of its subtree."""

    department: Department | None
    ids: list[int] | None  # None: the whole organisation


def caller_scope_ids(user) -> list[int] | None:
    """The caller's scope (training's rule), read once per request."""
    if not hasattr(user, "_portal_scope_ids"):
        user._portal_scope_ids = scope_department_ids(user)
    return user._portal_scope_ids


def resolve_scope(user, department_id: int | None) -> ComplianceDepartment:
    """The department a report covers: the one asked for (within the caller's scope,
    otherwise 404) or the caller's whole scope."""
    scope = caller_scope_ids(user)
    if department_id is None:
        if scope is None:
            return ComplianceDepartment(None, None)
        department = Department.objects.filter(pk__in=scope).order_by("path").first()
        return ComplianceDepartment(department, scope)
    if scope is not None and department_id not in scope:
        raise Http404("department not in scope")
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise Http404("no such department")
    ids = list(Department.objects.filter(path__startswith=department.path).values_list("id", flat=True))
    return ComplianceDepartment(department, ids)


def people_for(scope: ComplianceDepartment, flt: ComplianceFilter) -> QuerySet[Person]:
    """People on the staff at some time in the year within the scope, filtered in SQL."""
    start, end = dt.date(flt.year, 1, 1), dt.date(flt.year, 12, 31)
    people = Person.objects.select_related("department").filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=end),
        Q(left_on__isnull=True) | Q(left_on__gte=start),
    )
    if scope.ids is not None:
        people = people.filter(department_id__in=scope.ids)
    if flt.category:
        people = people.filter(category=flt.category)
    if flt.search:
        people = people.filter(Q(name__icontains=flt.search) | Q(staff_number__icontains=flt.search))
    order = ORDERINGS.get(flt.ordering, ORDERINGS["department"])
    order_by: list[Any] = list(order)
    if order[0] == "credential_expires_on":
        people = credentials.with_current_credential(people, today=flt.as_of)
        order_by[0] = F("credential_expires_on").asc(nulls_last=True)
    if "year_total" in order[0]:
        people = people.annotate(
            yh=FilteredRelation("year_hours", condition=Q(year_hours__year=flt.year)),
            year_total=Coalesce(F("yh__total"), Value(Decimal("0")), output_field=DecimalField()),
        )
    return people.only(
        "id",
        "name",
        "staff_number",
        "category",
        "is_enforcement_officer",
        "joined_on",
        "left_on",
        "is_active",
        "department__id",
        "department__name",
        "department__path",
    ).order_by(*order_by)


def _keep(row: ComplianceRow, flt: ComplianceFilter) -> bool:
    """The pace filter, row by row (only for a year without a policy yet; see _narrowed)."""
    rules = row.facts.rules.values()
    if flt.pace == "on_pace":
        return row.facts.on_pace
    if flt.pace == "behind":
        return not row.facts.on_pace
    if flt.pace == "done":
        return all(r.done for r in rules)
    return True


def rows_for(people: list[Person], flt: ComplianceFilter) -> list[ComplianceRow]:
    facts = sources.facts_for(people, year=flt.year, as_of=flt.as_of)
    return [ComplianceRow(p, facts[p.pk]) for p in people]


def _narrowed(people: QuerySet[Person], flt: ComplianceFilter) -> tuple[QuerySet[Person], ComplianceFilter]:
    """The pace and credential filters done in SQL (see pace.py, credentials.py); what is
    left to apply row by row is only a pace filter for a year without rules yet."""
    if flt.credential:
        people = credentials.filter_by_credential(people, today=flt.as_of, credential=flt.credential)
        flt = replace(flt, credential="")
    if flt.pace:
        narrowed = pace.filter_by_pace(people, year=flt.year, as_of=flt.as_of, pace=flt.pace)
        if narrowed is not None:
            people, flt = narrowed, replace(flt, pace="")
    return people, flt


def iter_rows(scope: ComplianceDepartment, flt: ComplianceFilter) -> Iterator[ComplianceRow]:
    """Every row, batch by batch (a server-side cursor for people, fixed queries per batch).

    Filters and sorts are the database's, as for a page; only a pace filter for a
    year without a policy yet is applied per batch. Memory stays constant.
    """
    people, flt = _narrowed(people_for(scope, flt), flt)
    batch: list[Person] = []
    for person in people.iterator(chunk_size=BATCH):
        batch.append(person)
        if len(batch) == BATCH:
            yield from (row for row in rows_for(batch, flt) if _keep(row, flt))
            batch = []
    if batch:
        yield from (row for row in rows_for(batch, flt) if _keep(row, flt))


@dataclass(frozen=True)
class ComplianceSlice:
    count: int
    rows: list[ComplianceRow]


def page_of(scope: ComplianceDepartment, flt: ComplianceFilter, *, offset: int, limit: int) -> ComplianceSlice:
    """One page of rows: filtered, sorted, counted and paged by the database, facts read
    for the page only. A pace filter for a year whose policy does not exist yet reads
    training's progress (which makes the policy) for the whole filtered set first."""
    people, flt = _narrowed(people_for(scope, flt), flt)
    if not flt.pace:
        return ComplianceSlice(people.count(), rows_for(list(people[offset : offset + limit]), flt))
    everyone = list(people)
    progress = sources.progress_for(everyone, year=flt.year, as_of=flt.as_of, queryset=people)
    selected = [p for p in everyone if _keep(ComplianceRow(p, PersonFacts(progress.get(p.pk, {}), None, None)), flt)]
    return ComplianceSlice(len(selected), rows_for(selected[offset : offset + limit], flt))


def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code


def credential_status_label(code: str) -> str:
    return str(dict(CREDENTIAL_CHOICES).get(code, code))
