"""The credential filters and the expiry sort done in SQL agree with quizzes' selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.reports import compliance, sources
from tests.portal.test_reports_exam_columns import credential
from tests.training.factories import PersonFactory

YEAR = 2025


@pytest.fixture
def holders(world):
    today = timezone.localdate()
    people = {name: PersonFactory(department=world.here, user=None) for name in (
        "active", "expiring", "expired", "suspended", "renewed_after_revocation", "revoked_only", "none",
    )}  # fmt: skip
    credential(people["active"], expires_on=today + dt.timedelta(days=400), number="A-1")
    credential(people["expiring"], expires_on=today + dt.timedelta(days=90), number="E-1")
    credential(people["expired"], expires_on=today - dt.timedelta(days=1), number="X-1")
    credential(people["suspended"], expires_on=today + dt.timedelta(days=30), number="S-1", status="suspended")
    credential(
        people["renewed_after_revocation"], expires_on=today + dt.timedelta(days=10), number="R-1", status="revoked"
    )
    credential(people["renewed_after_revocation"], expires_on=today + dt.timedelta(days=700), number="R-2")
    credential(people["revoked_only"], expires_on=today + dt.timedelta(days=50), number="V-1", status="revoked")
    return people


def _names(holders, people):
    by_id = {p.pk: name for name, p in holders.items()}
    return [by_id[p.pk] for p in people if p.pk in by_id]


@pytest.mark.parametrize("wanted", ["active", "suspended", "revoked", "expired", "none", "expiring"])
def test_the_sql_filter_keeps_whom_quizzes_selector_describes(world, holders, wanted):
    scope = compliance.resolve_scope(world.admin.user, world.here.pk)
    today = timezone.localdate()

    page = compliance.page_of(scope, compliance.ComplianceFilter(year=YEAR, credential=wanted), offset=0, limit=100)

    everyone = list(compliance.people_for(scope, compliance.ComplianceFilter(year=YEAR)))
    current = sources.credentials_for([p.pk for p in everyone], today=today)

    def keeps(c):
        if wanted == "none":
            return c is None
        if c is None:
            return False
        if wanted == "expiring":
            return c.status == "active" and (c.expires_on - today).days <= 90
        return c.status == wanted

    expected = [p for p in everyone if keeps(current.get(p.pk))]
    assert sorted(_names(holders, [r.person for r in page.rows])) == sorted(_names(holders, expected))


def test_the_filters_name_the_expected_people(world, holders):
    scope = compliance.resolve_scope(world.admin.user, world.here.pk)

    def names(wanted):
        flt = compliance.ComplianceFilter(year=YEAR, credential=wanted)
        return sorted(_names(holders, [r.person for r in compliance.page_of(scope, flt, offset=0, limit=100).rows]))

    assert names("active") == ["active", "expiring", "renewed_after_revocation"]
    assert names("expiring") == ["expiring"]
    assert names("expired") == ["expired"]
    assert names("suspended") == ["suspended"]
    assert names("revoked") == ["revoked_only"]
    assert names("none") == ["none"]


def test_ordering_by_expiry_soonest_first_and_people_without_a_credential_last(world, holders):
    scope = compliance.resolve_scope(world.admin.user, world.here.pk)
    flt = compliance.ComplianceFilter(year=YEAR, ordering="expiry")

    rows = compliance.page_of(scope, flt, offset=0, limit=100).rows

    assert _names(holders, [r.person for r in rows]) == [
        "expired", "suspended", "revoked_only", "expiring", "active", "renewed_after_revocation", "none",
    ]  # fmt: skip
