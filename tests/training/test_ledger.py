"""The hours ledger: entries, the summary kept beside them, the year split."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.training.factories import PersonFactory
from training.errors import HoursInvalid
from training.models import HoursEntry, PersonYearHours
from training.selectors import hours_earned, legal_hours
from training.services.ledger import credit_hours, rebuild_summary, split_by_year

SH = ZoneInfo("Asia/Shanghai")
D = Decimal


def summary(person, year):
    return PersonYearHours.objects.filter(person=person, year=year).values(
        "general_law", "specialised_law", "new_laws", "other", "total"
    )[0]


@pytest.mark.django_db
def test_credit_writes_entry_and_summary_together():
    person = PersonFactory()
    credit_hours(person=person, year=2026, category="general_law", hours=D("7.5"), source="attendance")
    credit_hours(person=person, year=2026, category="other", hours=D("3"), source="attendance")
    credit_hours(person=person, year=2026, category="general_law", hours=D("-1.5"), source="correction", reason="x")

    assert hours_earned(person=person, year=2026) == D("9.0")
    assert summary(person, 2026) == {
        "general_law": D("6.0"),
        "specialised_law": D("0.0"),
        "new_laws": D("0.0"),
        "other": D("3.0"),
        "total": D("9.0"),
    }
    assert legal_hours(person=person, year=2026) == D("6.0")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "source"),
    [(D("-1"), "attendance"), (D("0.3"), "attendance"), (D("500"), "attendance"), (D("-250"), "correction")],
)
def test_absurd_or_negative_hours_are_refused_and_nothing_written(hours, source):
    person = PersonFactory()
    with pytest.raises(HoursInvalid) as caught:
        credit_hours(person=person, year=2026, category="general_law", hours=hours, source=source)
    assert caught.value.code == "hours_invalid"
    assert HoursEntry.objects.count() == 0
    assert PersonYearHours.objects.count() == 0


@pytest.mark.django_db
def test_rebuild_summary_reproduces_what_was_kept():
    person = PersonFactory()
    credit_hours(person=person, year=2026, category="new_laws", hours=D("4"), source="attendance")
    credit_hours(person=person, year=2025, category="other", hours=D("2.5"), source="external")
    kept = sorted(PersonYearHours.objects.values_list("person_id", "year", "new_laws", "other", "total"))
    PersonYearHours.objects.all().delete()

    assert rebuild_summary() == 2

    assert sorted(PersonYearHours.objects.values_list("person_id", "year", "new_laws", "other", "total")) == kept


def test_session_within_one_year_is_not_split():
    start = datetime(2026, 3, 1, 9, tzinfo=SH)
    assert split_by_year(starts_at=start, ends_at=start.replace(hour=17), hours=D("7.5")) == [(2026, D("7.5"))]


def test_session_across_new_year_splits_by_duration_rounded_to_half():
    # 30 Dec 2026 12:00 → 2 Jan 2027 12:00 (Shanghai): 36 h in 2026, 36 h in 2027... then an uneven one.
    start = datetime(2026, 12, 31, 18, tzinfo=SH)
    end = datetime(2027, 1, 1, 2, tzinfo=SH)  # 6 h in 2026, 2 h in 2027: 75 % of 7.5 = 5.625 → 5.5
    assert split_by_year(starts_at=start, ends_at=end, hours=D("7.5")) == [(2026, D("5.5")), (2027, D("2.0"))]


def test_year_split_follows_shanghai_not_utc():
    # 31 Dec 2026 20:00 → 1 Jan 2027 00:00 Shanghai is entirely 2026 in Shanghai (12:00–16:00 UTC).
    start = datetime(2026, 12, 31, 20, tzinfo=SH)
    end = datetime(2027, 1, 1, 0, tzinfo=SH)
    assert split_by_year(starts_at=start, ends_at=end, hours=D("3")) == [(2026, D("3"))]
    # 31 Dec 23:00 → 1 Jan 02:00: 1 h then 2 h; 1/3 of 3 = 1.0, the rest to 2027.
    assert split_by_year(
        starts_at=datetime(2026, 12, 31, 23, tzinfo=SH), ends_at=datetime(2027, 1, 1, 2, tzinfo=SH), hours=D("3")
    ) == [(2026, D("1.0")), (2027, D("2.0"))]


def test_year_split_remainder_goes_to_the_later_year():
    # 1 h of 4 in 2026 of 1.5 学时: 0.375 → 0.5, remainder 1.0 to 2027.
    start = datetime(2026, 12, 31, 23, tzinfo=SH)
    end = datetime(2027, 1, 1, 3, tzinfo=SH)
    assert split_by_year(starts_at=start, ends_at=end, hours=D("1.5")) == [(2026, D("0.5")), (2027, D("1.0"))]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_credits_all_reach_the_summary():
    import threading

    from django.db import connection

    person = PersonFactory()
    barrier = threading.Barrier(6)

    def go(i):
        try:
            barrier.wait()
            for _ in range(5):
                credit_hours(person=person.pk, year=2026, category="general_law", hours=D("1.5"), source="attendance")
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert HoursEntry.objects.count() == 30
    assert summary(person, 2026)["total"] == D("45.0")
    assert summary(person, 2026)["general_law"] == D("45.0")


@pytest.mark.django_db
def test_rebuild_command_restores_a_tampered_summary():
    from io import StringIO

    from django.core.management import call_command

    person = PersonFactory()
    credit_hours(person=person, year=2026, category="specialised_law", hours=D("12"), source="attendance")
    PersonYearHours.objects.filter(person=person).update(specialised_law=D("99"), total=D("99"))
    out = StringIO()

    call_command("rebuild_hours_summary", "--year", "2026", stdout=out)

    assert out.getvalue() == "summary rows written: 1\n"
    assert summary(person, 2026)["specialised_law"] == D("12.0")
    assert summary(person, 2026)["total"] == D("12.0")
