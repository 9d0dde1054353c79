from tests.access import Row, expect
from tests.portal.factories import session_now

ALL_SIGNED_IN = expect(302, 200, 200, 200, 200, 200)

ROWS = [
    # Pages answer an anonymous caller with a redirect to the login page.
    Row("portal:home", "get", ALL_SIGNED_IN),
    Row("portal:login", "get", expect(200, 302, 302, 302, 302, 302), label="a logged-in caller is sent home"),
    Row("portal:logout", "post", expect(302, 302, 302, 302, 302, 302)),
    Row("portal:password-change", "get", ALL_SIGNED_IN),
    Row("portal:check-in-start", "get", ALL_SIGNED_IN),
    Row(
        "portal:check-in",
        "get",
        expect(302, 200, 200, 404, 200, 200),
        setup=lambda world, ctx: {"session_id": session_now(departments=[world.here]).pk},
        label="a session for the department here",
    ),
    Row(
        "portal:check-in",
        "post",
        expect(302, 200, 200, 404, 200, 200),
        setup=lambda world, ctx: {"session_id": session_now(departments=[world.here]).pk},
        body=lambda world, ctx: {"code": "x"},
        format="multipart",
        label="a wrong code shows the page again",
    ),
    Row("portal:check-in-start", "post", ALL_SIGNED_IN, body=lambda world, ctx: {}, format="multipart"),
    Row("portal:exams", "get", ALL_SIGNED_IN),
    Row("portal:exam-start", "post", ALL_SIGNED_IN, setup=lambda world, ctx: {"quiz_id": 1}),
    Row(
        "portal:attempt",
        "get",
        ALL_SIGNED_IN,
        setup=lambda world, ctx: {"attempt_id": "00000000-0000-0000-0000-000000000001"},
    ),
    Row(
        "portal:attempt-result",
        "get",
        ALL_SIGNED_IN,
        setup=lambda world, ctx: {"attempt_id": "00000000-0000-0000-0000-000000000001"},
    ),
    Row("portal:record", "get", ALL_SIGNED_IN),
    Row("portal:external-new", "get", ALL_SIGNED_IN),
    Row("portal:transcript", "get", ALL_SIGNED_IN),
    Row("portal:credential", "get", ALL_SIGNED_IN),
    Row("portal:reminders", "get", ALL_SIGNED_IN),
    Row(
        "portal:reminder-read",
        "post",
        expect(302, 404, 404, 404, 404, 404),
        setup=lambda world, ctx: {"notification_id": "00000000-0000-0000-0000-000000000001"},
        label="no such notification",
    ),
    # The public credential page needs no login.
    Row("portal:verify", "get", expect(200, 200, 200, 200, 200, 200), setup=lambda world, ctx: {"key": "XF-NONE"}),
]
