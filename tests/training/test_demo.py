"""The demo year: sessions per the issue, a spread of standings, a session for demo-officer soon; idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from training import demo
from training.models import Attendance, Department, HoursEntry, TrainingSession
from training.selectors import department_rollup, organisation_targets

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
def test_demo_year_is_seeded_once_with_a_spread_of_standings():
    with time_machine.travel(NOW, tick=False):
        demo.seed(password="pw-for-tests-1")
        counts = (TrainingSession.objects.count(), Attendance.objects.count(), HoursEntry.objects.count())
        demo.seed(password="pw-for-tests-1")
        again = (TrainingSession.objects.count(), Attendance.objects.count(), HoursEntry.objects.count())
        root = Department.objects.get(code="JH")
        [rollup] = department_rollup(department_ids=[root.pk], year=2026)
        targets = organisation_targets(year=2026)

    assert counts == again
    kinds = dict.fromkeys(TrainingSession.objects.values_list("kind", flat=True).distinct())
    assert set(kinds) == {
        "central_group_study",
        "thematic_legal_training",
        "enforcement_training",
        "onboarding",
        "refresher",
        "constitution_day",
    }
    assert TrainingSession.objects.filter(kind="central_group_study").count() == 8
    assert TrainingSession.objects.filter(kind="thematic_legal_training").count() == 6
    assert TrainingSession.objects.filter(kind="constitution_day", starts_at__date="2026-12-04").count() == 1
    assert rollup["people"] == 60
    assert rollup["done"] > 0
    assert rollup["on_pace"] > 0
    assert rollup["behind"] > 0
    assert targets["central_group_study"]["held"] == 8  # Jan–Oct less Feb and Aug
    soon = TrainingSession.objects.filter(
        audience__people__user__username="demo-officer",
        starts_at__gt=NOW,
        starts_at__lte=NOW + timedelta(hours=2),
    )
    assert soon.count() == 1
