from datetime import UTC, datetime

import pytest

from notifications.services.quiet_hours import in_quiet_hours, quiet_hours_end


@pytest.mark.parametrize(
    ("utc", "quiet"),
    [
        (datetime(2026, 3, 1, 13, 59, tzinfo=UTC), False),  # 21:59 Shanghai
        (datetime(2026, 3, 1, 14, 0, tzinfo=UTC), True),  # 22:00
        (datetime(2026, 3, 1, 16, 0, tzinfo=UTC), True),  # 00:00
        (datetime(2026, 3, 1, 22, 59, tzinfo=UTC), True),  # 06:59
        (datetime(2026, 3, 1, 23, 0, tzinfo=UTC), False),  # 07:00
    ],
)
def test_quiet_hours_span_midnight_in_shanghai(settings, utc, quiet):
    settings.SMS_QUIET_HOURS = "22:00-07:00"
    assert in_quiet_hours(utc) is quiet


def test_quiet_hours_end_before_midnight_is_next_morning(settings):
    settings.SMS_QUIET_HOURS = "22:00-07:00"
    # 23:00 Shanghai on 31 December → 07:00 on 1 January
    assert quiet_hours_end(datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_quiet_hours_end_after_midnight_is_the_same_morning(settings):
    settings.SMS_QUIET_HOURS = "22:00-07:00"
    # 03:00 Shanghai on 1 January (19:00 UTC on 31 December) → 07:00 that morning
    assert quiet_hours_end(datetime(2026, 12, 31, 19, 0, tzinfo=UTC)) == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_outside_quiet_hours_the_end_is_now(settings):
    settings.SMS_QUIET_HOURS = "22:00-07:00"
    moment = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 12:00 Shanghai
    assert quiet_hours_end(moment) == moment


def test_no_quiet_hours_when_unset(settings):
    settings.SMS_QUIET_HOURS = ""
    assert in_quiet_hours(datetime(2026, 3, 1, 16, 0, tzinfo=UTC)) is False
