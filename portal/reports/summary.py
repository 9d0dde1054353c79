"""The figures behind the HR dashboard's charts, for the caller's scope.

Aggregates are made in the database (a handful of queries whatever the
number of people), so the organisation summary stays cheap at 100,000 people.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, FilteredRelation, Q

from training.models import Department

from . import sources
from .compliance import ComplianceDepartment, ComplianceFilter, people_for
from .credentials import EXPIRING_DAYS

# Buckets of the year's days of training (all categories), against the 12-day requirement.
DAY_BUCKETS = ((Decimal(0), Decimal(3)), (Decimal(3), Decimal(6)), (Decimal(6), Decimal(9)), (Decimal(9), Decimal(12)))


@dataclass(frozen=True)
class DashboardSummary:
    people: int
    hours_buckets: list[tuple[str, int]]
    departments: list[dict]
    credentials: dict[str, int]
    expiring: list
    expiry_buckets: list[tuple[str, int]]


def _bucket_label(low: Decimal, high: Decimal | None) -> str:
    return f"≥{low}" if high is None else f"{low}–{high}"


def hours_distribution(people, *, year: int) -> tuple[int, list[tuple[str, int]]]:
    per_day = sources.hours_per_day(year=year)
    annotated = people.order_by().annotate(yh=FilteredRelation("year_hours", condition=Q(year_hours__year=year)))
    aggregates = {"n": Count("id")}
    for i, (low, high) in enumerate(DAY_BUCKETS):
        condition = Q(yh__total__lt=high * per_day)
        if low:
            condition &= Q(yh__total__gte=low * per_day)
        else:
            condition |= Q(yh__total__isnull=True)
        aggregates[f"b{i}"] = Count("id", filter=condition)
    aggregates["top"] = Count("id", filter=Q(yh__total__gte=DAY_BUCKETS[-1][1] * per_day))
    found = annotated.aggregate(**aggregates)
    buckets = [(_bucket_label(low, high), found[f"b{i}"]) for i, (low, high) in enumerate(DAY_BUCKETS)]
    buckets.append((_bucket_label(DAY_BUCKETS[-1][1], None), found["top"]))
    return found["n"], buckets


def child_departments(scope: ComplianceDepartment) -> list[int]:
    """The departments one level below the scope (or the top ones for the whole organisation)."""
    if scope.department is None:
        roots = list(Department.objects.filter(parent__isnull=True).values_list("id", flat=True))
        if len(roots) == 1:
            return list(Department.objects.filter(parent_id=roots[0]).values_list("id", flat=True)) or roots
        return roots
    children = list(Department.objects.filter(parent=scope.department).values_list("id", flat=True))
    return children or [scope.department.pk]


SUMMARY_TTL = 300  # seconds: the charts may be this stale; the table below them never is


def cached_dashboard_summary(scope: ComplianceDepartment, flt: ComplianceFilter) -> DashboardSummary:
    """The charts' figures, kept in the cache for a few minutes per scope, year, category and day.

    The aggregates over a large subtree cost more than the page's budget, and
    a chart a few minutes old says the same thing to HR.
    """
    ids = "all" if scope.ids is None else hashlib.sha256(",".join(map(str, sorted(scope.ids))).encode()).hexdigest()
    key = f"portal:hr-summary:v2:{ids[:32]}:{flt.year}:{flt.category}:{flt.as_of.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = dashboard_summary(scope, flt)
        cache.set(key, found, SUMMARY_TTL)
    return found


def dashboard_summary(scope: ComplianceDepartment, flt: ComplianceFilter) -> DashboardSummary:
    people = people_for(scope, ComplianceFilter(year=flt.year, category=flt.category, as_of=flt.as_of))
    count, buckets = hours_distribution(people, year=flt.year)
    rollup = sources.department_rollup(department_ids=child_departments(scope), year=flt.year, as_of=flt.as_of)
    credentials, expiring, expiry_buckets = sources.credential_counts(
        people=people.filter(is_active=True), today=flt.as_of, horizon_days=EXPIRING_DAYS
    )
    return DashboardSummary(
        people=count,
        hours_buckets=buckets,
        departments=rollup,
        credentials=credentials,
        expiring=expiring,
        expiry_buckets=expiry_buckets,
    )
