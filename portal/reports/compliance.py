"""The compliance report: a row per person of a subtree with hours and days
per rule, pace, last exam and credential status — one builder for the API's
JSON, its csv and xlsx files, the HR dashboard and its export.

Queries are fixed per page (count, people, progress, exams, credentials) and
per batch of ``BATCH`` people for exports, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import DecimalField, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from training.models import Category, Department, Person
from training.selectors import scope_department_ids

from . import pace, sources
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
    ("expiring", _("90天内到期")),
)
# ordering key -> (SQL ordering or None when it needs the computed facts)
ORDERINGS: dict[str, tuple[str, ...] | None] = {
    "department": ("department__path", "staff_number"),
    "staff_number": ("staff_number",),
    "name": ("name", "staff_number"),
    # the year's 学时 of all categories, from the per-person-year summary training keeps
    "hours": ("year_total", "staff_number"),
    "-hours": ("-year_total", "staff_number"),
    "expiry": None,
}
EXPIRING_DAYS = 90


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

    @property
    def needs_facts_to_select(self) -> bool:
        """True when filtering or sorting depends on computed progress or credentials."""
        return bool(self.pace or self.credential) or ORDERINGS.get(self.ordering, ()) is None


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
    order: tuple[str, ...] = ORDERINGS.get(flt.ordering) or ("department__path", "staff_number")
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
    ).order_by(*order)


def _keep(row: ComplianceRow, flt: ComplianceFilter) -> bool:
    facts = row.facts
    if flt.pace == "on_pace" and not facts.on_pace:
        return False
    if flt.pace == "behind" and facts.on_pace:
        return False
    if flt.pace == "done" and not all(r.done for r in facts.rules.values()):
        return False
    if flt.credential:
        credential = facts.credential
        if flt.credential == "none":
            return credential is None
        if credential is None:
            return False
        if flt.credential == "expiring":
            return (
                credential.status == "active"
                and credential.expires_on is not None
                and (credential.expires_on - flt.as_of).days <= EXPIRING_DAYS
            )
        return credential.status == flt.credential
    return True


def _sort_key(flt: ComplianceFilter):
    if flt.ordering == "expiry":
        far = dt.date.max
        return lambda row: (
            (row.facts.credential.expires_on or far) if row.facts.credential else far,
            row.person.staff_number,
        )
    return None


def rows_for(people: list[Person], flt: ComplianceFilter) -> list[ComplianceRow]:
    facts = sources.facts_for(people, year=flt.year, as_of=flt.as_of)
    return [ComplianceRow(p, facts[p.pk]) for p in people]


def _narrowed_by_pace(people: QuerySet[Person], flt: ComplianceFilter) -> tuple[QuerySet[Person], ComplianceFilter]:
    """The pace filter done in SQL where it can be (see pace.py); the filter then has no pace left to apply."""
    if not flt.pace:
        return people, flt
    narrowed = pace.filter_by_pace(people, year=flt.year, as_of=flt.as_of, pace=flt.pace)
    if narrowed is None:
        return people, flt
    return narrowed, replace(flt, pace="")


def iter_rows(scope: ComplianceDepartment, flt: ComplianceFilter) -> Iterator[ComplianceRow]:
    """Every row, batch by batch (a server-side cursor for people, fixed queries per batch).

    Filters that need computed facts are applied per batch; a sort that needs
    them is not kept for exports (the SQL order is), so memory stays constant.
    """
    people, flt = _narrowed_by_pace(people_for(scope, flt), flt)
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


def _selection_facts(people: list[Person], flt: ComplianceFilter, queryset) -> dict[int, PersonFacts]:
    """Only the facts a filter or sort needs (progress for pace, credentials for their
    filters and expiry), for the whole filtered set; the page's rows get all of them."""
    ids = [p.pk for p in people]
    progress = sources.progress_for(people, year=flt.year, as_of=flt.as_of, queryset=queryset) if flt.pace else {}
    wants_credentials = bool(flt.credential) or flt.ordering == "expiry"
    credentials = sources.credentials_for(ids, today=flt.as_of) if wants_credentials else {}
    return {
        pid: PersonFacts(rules=progress.get(pid, {}), last_exam=None, credential=credentials.get(pid)) for pid in ids
    }


def page_of(scope: ComplianceDepartment, flt: ComplianceFilter, *, offset: int, limit: int) -> ComplianceSlice:
    """One page of rows.

    Filters and sorts the database can do are done there, and facts are read
    for the page only; pace and credential filters and the expiry sort read the
    facts they need for the whole filtered set first (still a fixed number of
    queries), then all facts for the page.
    """
    people, flt = _narrowed_by_pace(people_for(scope, flt), flt)
    if not flt.needs_facts_to_select:
        count = people.count()
        return ComplianceSlice(count, rows_for(list(people[offset : offset + limit]), flt))
    everyone = list(people)
    facts = _selection_facts(everyone, flt, people)
    selected = [ComplianceRow(p, facts[p.pk]) for p in everyone if _keep(ComplianceRow(p, facts[p.pk]), flt)]
    key = _sort_key(flt)
    if key is not None:
        selected.sort(key=key)
    return ComplianceSlice(len(selected), rows_for([row.person for row in selected[offset : offset + limit]], flt))


def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code


def credential_status_label(code: str) -> str:
    return str(dict(CREDENTIAL_CHOICES).get(code, code))
