"""Objects the portal tests need, made through the apps' own services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from training.services.sessions import AudienceSpec, schedule_session


def session_now(*, departments, title="法治专题培训：行政处罚法", hours="3.0", starts_in=timedelta(minutes=-10)):
    """A session running now (it started ``-starts_in`` ago) for the given departments."""
    start = timezone.now() + starts_in
    return schedule_session(
        actor=None,
        title=title,
        kind="thematic_legal_training",
        content_category="general_law",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        credited_hours=Decimal(hours),
        audience=AudienceSpec(departments=[d.pk for d in departments]),
        place="三楼会议室",
    )
