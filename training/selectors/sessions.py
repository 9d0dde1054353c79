"""Reads about sessions: who they are for, what is coming, the organisation's targets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import Audience, Person, SessionKind, SessionStatus, TrainingSession
from ..services.policy import ensure_policy
from .people import scope_department_ids

SHANGHAI = ZoneInfo("Asia/Shanghai")


def audience_ids_including(person: Person) -> set[int]:
    """Ids of every audience the person belongs to now (three queries, whatever the number of audiences).

    Same rule as ``audience_members``: departments (with subtrees), categories
    and enforcement-only narrow; named people are added; nothing at all means
    everyone; people who left belong to none.
    """
    if not person.is_active:
        return set()
    ancestors = {int(x) for x in person.department.path.strip("/").split("/") if x}
    named = set(Audience.people.through.objects.filter(person_id=person.pk).values_list("audience_id", flat=True))
    departments: dict[int, set[int]] = {}
    for aid, did in Audience.departments.through.objects.values_list("audience_id", "department_id"):
        departments.setdefault(aid, set()).add(did)
    ids = set(named)
    audiences = Audience.objects.annotate(named_count=Count("people")).values_list(
        "id", "categories", "enforcement_only", "named_count"
    )
    for aid, categories, enforcement_only, named_count in audiences:
        if aid in ids:
            continue
        depts = departments.get(aid)
        narrowed = bool(depts) or bool(categories) or enforcement_only
        if not narrowed:
            if named_count == 0:
                ids.add(aid)
            continue
        if depts and not (depts & ancestors):
            continue
        if categories and person.category not in categories:
            continue
        if enforcement_only and not person.is_enforcement_officer:
            continue
        ids.add(aid)
    return ids


def sessions_visible_to(user, person: Person | None, *, include_audience: bool = True) -> QuerySet[TrainingSession]:
    """Sessions a caller may see.

    Everyone sees the sessions whose audience includes them. HR and admins
    limited to a subtree also see those whose audience reaches into it: a
    department inside or above the scope, a named person inside it, or an
    organisation-wide audience (categories or enforcement officers only, or
    everyone) — and those they created. Unscoped HR and admins see all.
    """
    from ..roles import ADMIN, HR, has_role

    sessions = TrainingSession.objects.select_related("audience")
    if has_role(user, ADMIN, HR):
        scope = scope_department_ids(user)
        if scope is None:
            return sessions
        above: list[int] = []
        if person is not None and person.scope_department is not None:
            above = [int(x) for x in person.scope_department.path.strip("/").split("/") if x]
        organisation_wide = Q(audience__departments__isnull=True) & (
            Q(audience__enforcement_only=True) | ~Q(audience__categories=[]) | Q(audience__people__isnull=True)
        )
        reach = Q(audience__departments__in=[*scope, *above]) | Q(audience__people__department_id__in=scope)
        reach |= organisation_wide | Q(created_by=user)
        if person is not None and include_audience:
            reach |= Q(audience_id__in=audience_ids_including(person))
        ids = TrainingSession.objects.filter(reach).values("pk")
        return sessions.filter(pk__in=ids)
    if person is None:
        return sessions.none()
    return sessions.filter(audience_id__in=audience_ids_including(person))


def upcoming_sessions_for(*, person: Person, within: timedelta) -> QuerySet[TrainingSession]:
    """Scheduled sessions of the person's audiences starting between now and now + ``within``."""
    now = timezone.now()
    return TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + within,
        audience_id__in=audience_ids_including(person),
    ).order_by("starts_at")


def sessions_starting_between(start: datetime, end: datetime) -> QuerySet[TrainingSession]:
    """Scheduled sessions starting in [start, end) — what the reminder jobs scan."""
    return TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at", "id")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def organisation_targets(*, year: int, as_of: date | None = None) -> dict:
    """Central-group studies and thematic legal trainings held this year against the policy's targets.

    Held = marked held, or scheduled and already over. Expected by today =
    target × (day of year ÷ days in year), to 0.1.
    """
    as_of = as_of or timezone.localdate()
    policy = ensure_policy(year=year)
    start, end = year_bounds(year)
    now = timezone.now()
    held_q = Q(status=SessionStatus.HELD) | Q(status=SessionStatus.SCHEDULED, ends_at__lte=now)
    counts = dict(
        TrainingSession.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            kind__in=[SessionKind.CENTRAL_GROUP_STUDY, SessionKind.THEMATIC_LEGAL_TRAINING],
        )
        .filter(held_q)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
        .order_by()
    )
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    if as_of < date(year, 1, 1):
        elapsed = 0
    elif as_of.year > year:
        elapsed = days
    else:
        elapsed = as_of.timetuple().tm_yday

    def target(kind: str, wanted: int) -> dict:
        expected = (Decimal(wanted) * elapsed / days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        held = counts.get(kind, 0)
        return {"held": held, "target": wanted, "expected": expected, "on_pace": held >= expected}

    return {
        "year": year,
        "as_of": as_of,
        "central_group_study": target(SessionKind.CENTRAL_GROUP_STUDY, policy.central_group_target),
        "thematic_legal_training": target(SessionKind.THEMATIC_LEGAL_TRAINING, policy.thematic_training_target),
    }
