"""The one way 学时 enter the ledger: an entry and the per-person-year summary, in one transaction.

DESIGN.md (Hours ledger): every credit is an entry with source, 学时, who, when
and why; totals are sums of entries. The summary (``PersonYearHours``) exists
for speed only, is updated with F() expressions in the same transaction (no
read-modify-write race) and can be rebuilt from the ledger at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Sum

from ..errors import HoursInvalid
from ..models import ContentCategory, HoursEntry, HoursSource, Person, PersonYearHours

SHANGHAI = ZoneInfo("Asia/Shanghai")
HALF = Decimal("0.5")
MAX_ENTRY = Decimal("200")
SUMMARY_COLUMNS = {c.value: c.value for c in ContentCategory}


def round_half(value: Decimal) -> Decimal:
    """Round to the nearest 0.5 学时 (halves up)."""
    return ((value / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HALF).quantize(Decimal("0.1"))


def check_hours(hours: Decimal, *, allow_negative: bool = False) -> Decimal:
    """学时 are multiples of 0.5 within ±200 (a whole year is ~90); anything else is refused."""
    try:
        hours = Decimal(hours)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise HoursInvalid() from exc
    if not hours.is_finite() or abs(hours) > MAX_ENTRY or (hours < 0 and not allow_negative):
        raise HoursInvalid()
    if (hours / HALF) != (hours / HALF).to_integral_value():
        raise HoursInvalid()
    return hours.quantize(Decimal("0.1"))


def split_by_year(*, starts_at: datetime, ends_at: datetime, hours: Decimal) -> list[tuple[int, Decimal]]:
    """Share a session's 学时 between the calendar years (Asia/Shanghai) it spans.

    In proportion to the duration in each year, each share rounded to 0.5 学时,
    the remainder to the last year (DESIGN.md, Hours ledger).
    """
    start = starts_at.astimezone(SHANGHAI)
    end = ends_at.astimezone(SHANGHAI)
    if start.year == end.year or hours == 0:
        return [(end.year if start.year == end.year else start.year, hours)]
    total = Decimal(int((end - start).total_seconds()))
    shares: list[tuple[int, Decimal]] = []
    given = Decimal("0")
    cursor = start
    for year in range(start.year, end.year):
        boundary = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
        part = round_half(hours * Decimal(int((boundary - cursor).total_seconds())) / total)
        part = min(part, hours - given)
        shares.append((year, part))
        given += part
        cursor = boundary
    shares.append((end.year, hours - given))
    return [(year, part) for year, part in shares if part != 0]


@transaction.atomic
def credit_hours(
    *,
    person: Person | int,
    year: int,
    category: str,
    hours: Decimal,
    source: str,
    source_ref: str = "",
    reason: str = "",
    actor=None,
) -> HoursEntry:
    """Write one ledger entry and add it to the person's summary for the year, atomically.

    Only a correction may be negative (the ledger's check constraint says so too).
    """
    hours = check_hours(hours, allow_negative=source == HoursSource.CORRECTION)
    if category not in SUMMARY_COLUMNS:
        raise HoursInvalid("未知的内容类别。")
    person_id = person if isinstance(person, int) else person.pk
    entry = HoursEntry.objects.create(
        person_id=person_id,
        year=year,
        category=category,
        hours=hours,
        source=source,
        source_ref=source_ref,
        reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _add_to_summary(person_id=person_id, year=year, category=category, hours=hours)
    return entry


def _add_to_summary(*, person_id: int, year: int, category: str, hours: Decimal) -> None:
    PersonYearHours.objects.get_or_create(person_id=person_id, year=year)
    column = SUMMARY_COLUMNS[category]
    PersonYearHours.objects.filter(person_id=person_id, year=year).update(
        **{column: F(column) + hours, "total": F("total") + hours}
    )


def entries_for_ref(source_ref: str) -> dict[int, Decimal]:
    """What the ledger holds per year for one source (e.g. "attendance:12")."""
    rows = HoursEntry.objects.filter(source_ref=source_ref).values("year").annotate(total=Sum("hours"))
    return {row["year"]: row["total"] for row in rows}


@transaction.atomic
def set_credit(
    *,
    person: Person,
    target: Iterable[tuple[int, Decimal]],
    category: str,
    source: str,
    source_ref: str,
    reason: str = "",
    actor=None,
) -> list[HoursEntry]:
    """Bring the ledger's total for one source to ``target`` (per year) by adding entries.

    Nothing is overwritten: an increase is a new credit, a decrease a
    correction entry, each keeping who, when and why.
    """
    wanted = dict(target)
    held = entries_for_ref(source_ref)
    written = []
    for year in sorted(set(wanted) | set(held)):
        delta = wanted.get(year, Decimal("0")) - held.get(year, Decimal("0"))
        if delta == 0:
            continue
        written.append(
            credit_hours(
                person=person,
                year=year,
                category=category,
                hours=delta,
                source=source if delta > 0 and not held.get(year) else HoursSource.CORRECTION,
                source_ref=source_ref,
                reason=reason,
                actor=actor,
            )
        )
    return written


@transaction.atomic
def rebuild_summary(*, person_ids: Iterable[int] | None = None, year: int | None = None) -> int:
    """Recompute the summary from the ledger (all of it, or some people / one year). Returns rows written."""
    summaries = PersonYearHours.objects.all()
    entries = HoursEntry.objects.all()
    if person_ids is not None:
        person_ids = list(person_ids)
        summaries = summaries.filter(person_id__in=person_ids)
        entries = entries.filter(person_id__in=person_ids)
    if year is not None:
        summaries = summaries.filter(year=year)
        entries = entries.filter(year=year)
    summaries.delete()
    sums: dict[tuple[int, int], dict[str, Decimal]] = {}
    for row in entries.values("person_id", "year", "category").annotate(total=Sum("hours")).order_by():
        sums.setdefault((row["person_id"], row["year"]), {})[row["category"]] = row["total"]
    rows = []
    for (pid, yr), by_category in sums.items():
        values = {SUMMARY_COLUMNS[c]: h for c, h in by_category.items()}
        rows.append(PersonYearHours(person_id=pid, year=yr, total=sum(by_category.values(), Decimal("0")), **values))
    PersonYearHours.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
