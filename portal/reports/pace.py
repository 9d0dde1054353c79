"""The pace filters of the compliance report, in SQL.

Filtering 100,000 people by pace one row at a time takes seconds, so people on
the staff the whole year are filtered in the database, on training's
per-person-year summary, with the rule DESIGN.md gives (expected by a date =
required × days elapsed ÷ days in year, to 0.1 学时; on pace iff earned ≥
expected; done iff earned ≥ required). The few who joined or left during the
year owe a share of it, which training's progress selector computes; they are
checked in Python and added by id. The result is a queryset: counted, ordered
and paged by the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from training.models import AppliesTo, ContentCategory, Person, RequirementRule

from . import sources

CATEGORIES = [c.value for c in ContentCategory]
TENTH = Decimal("0.1")


def _full_year(year: int) -> Q:
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=dt.date(year, 1, 1))) & (
        Q(left_on__isnull=True) | Q(left_on__gte=dt.date(year, 12, 31))
    )


def _elapsed(year: int, as_of: dt.date) -> tuple[int, int]:
    days_in_year = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    if as_of < dt.date(year, 1, 1):
        return 0, days_in_year
    if as_of > dt.date(year, 12, 31):
        return days_in_year, days_in_year
    return (as_of - dt.date(year, 1, 1)).days + 1, days_in_year


def _keeps(pace: str, facts_rules: dict) -> bool:
    on_pace = all(r.on_pace for r in facts_rules.values())
    if pace == "on_pace":
        return on_pace
    if pace == "behind":
        return not on_pace
    return all(r.done for r in facts_rules.values())


def filter_by_pace(people: QuerySet[Person], *, year: int, as_of: dt.date, pace: str) -> QuerySet[Person] | None:
    """``people`` narrowed to those on pace, behind or done; None when the year has no rules yet
    (the caller then uses training's progress, which makes the year's policy)."""
    rules = list(RequirementRule.objects.filter(policy__year=year))
    if not rules:
        return None
    elapsed, days_in_year = _elapsed(year, as_of)
    dec = DecimalField(max_digits=8, decimal_places=1)
    annotated = people.annotate(pace_yh=FilteredRelation("year_hours", condition=Q(year_hours__year=year)))
    done_q, pace_q = Q(), Q()
    for i, rule in enumerate(rules):
        earned: Any = None
        for category in list(rule.categories) or CATEGORIES:
            term = Coalesce(F(f"pace_yh__{category}"), Value(Decimal("0")), output_field=dec)
            earned = term if earned is None else earned + term
        annotated = annotated.alias(**{f"pace_e{i}": earned})
        expected = min(
            (rule.required_hours * elapsed / days_in_year).quantize(TENTH, rounding=ROUND_HALF_UP),
            rule.required_hours,
        )
        met = Q(**{f"pace_e{i}__gte": rule.required_hours})
        paced = Q(**{f"pace_e{i}__gte": expected})
        if rule.applies_to != AppliesTo.EVERYONE:
            exempt = Q(is_enforcement_officer=False)
            met, paced = exempt | met, exempt | paced
        done_q &= met
        pace_q &= paced
    wanted = {"on_pace": pace_q, "behind": ~pace_q, "done": done_q}[pace]

    partial = list(people.exclude(_full_year(year)).order_by())
    progress = sources.progress_for(partial, year=year, as_of=as_of)
    kept = [p.pk for p in partial if _keeps(pace, progress.get(p.pk, {}))]
    return annotated.filter((_full_year(year) & wanted) | Q(pk__in=kept))
