"""The pace filters done in SQL agree with training's progress, row by row (joiners included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.reports import compliance, sources
from tests.training.factories import PersonFactory
from training.services.ledger import credit_hours
from training.services.policy import ensure_policy

YEAR = 2025
MID_YEAR = dt.date(2025, 7, 2)  # day 183 of 365: 45.1 of 90 学时 and 30.1 of 60 expected


def give(person, hours: str, category: str):
    credit_hours(person=person, year=YEAR, category=category, hours=Decimal(hours), source="correction")


@pytest.fixture
def staff(world):
    ensure_policy(year=YEAR)
    people = {
        "ahead": PersonFactory(department=world.here, user=None, is_enforcement_officer=True),
        "legal_behind": PersonFactory(department=world.here, user=None, is_enforcement_officer=True),
        "just_on_pace": PersonFactory(department=world.here, user=None),
        "just_behind": PersonFactory(department=world.here, user=None),
        "done": PersonFactory(department=world.here, user=None),
        # joined on 1 July: owes 45.5 学时 and has 1 day's share expected by 2 July
        "joiner": PersonFactory(department=world.here, user=None, joined_on=dt.date(2025, 7, 1)),
    }
    give(people["ahead"], "60.0", "general_law")
    give(people["legal_behind"], "20.0", "general_law")
    give(people["legal_behind"], "40.0", "other")
    give(people["just_on_pace"], "45.5", "other")
    give(people["just_behind"], "45.0", "other")
    give(people["done"], "90.0", "other")
    give(people["joiner"], "1.0", "other")
    return people


def _names(staff, people):
    by_id = {p.pk: name for name, p in staff.items()}
    return sorted(by_id[p.pk] for p in people if p.pk in by_id)


@pytest.mark.parametrize("pace", ["on_pace", "behind", "done"])
def test_the_sql_filter_keeps_the_people_training_s_progress_says(world, staff, pace):
    scope = compliance.resolve_scope(world.admin.user, world.here.pk)
    flt = compliance.ComplianceFilter(year=YEAR, pace=pace, as_of=MID_YEAR)

    page = compliance.page_of(scope, flt, offset=0, limit=100)

    everyone = list(compliance.people_for(scope, compliance.ComplianceFilter(year=YEAR, as_of=MID_YEAR)))
    progress = sources.progress_for(everyone, year=YEAR, as_of=MID_YEAR)
    expected = [
        p
        for p in everyone
        if {
            "on_pace": all(r.on_pace for r in progress[p.pk].values()),
            "behind": not all(r.on_pace for r in progress[p.pk].values()),
            "done": all(r.done for r in progress[p.pk].values()),
        }[pace]
    ]
    assert _names(staff, [r.person for r in page.rows]) == _names(staff, expected)
    assert page.count == len(expected)


def test_the_expected_outcome_mid_year(world, staff):
    scope = compliance.resolve_scope(world.admin.user, world.here.pk)

    def names(pace):
        flt = compliance.ComplianceFilter(year=YEAR, pace=pace, as_of=MID_YEAR)
        return _names(staff, [r.person for r in compliance.page_of(scope, flt, offset=0, limit=100).rows])

    assert names("on_pace") == ["ahead", "done", "joiner", "just_on_pace"]
    assert names("behind") == ["just_behind", "legal_behind"]
    assert names("done") == ["done"]


def test_the_export_applies_the_same_filter(world, staff):
    scope = compliance.resolve_scope(world.admin.user, world.here.pk)
    flt = compliance.ComplianceFilter(year=YEAR, pace="behind", as_of=MID_YEAR)

    rows = list(compliance.iter_rows(scope, flt))

    assert _names(staff, [r.person for r in rows]) == ["just_behind", "legal_behind"]
