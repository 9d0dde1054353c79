from tests.access import Row, expect
from tests.portal.factories import certification_exam, granted_credential, session_now


def _attempt(world, *, submitted=False):
    from quizzes.services import start_attempt, submit_attempt

    attempt, _created = start_attempt(person=world.officer, quiz=certification_exam())
    return submit_attempt(attempt=attempt, person=world.officer) if submitted else attempt


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
    Row(
        "portal:exam-start",
        "post",
        expect(302, 302, 302, 302, 302, 302),
        setup=lambda world, ctx: {"quiz_id": certification_exam().pk},
        label="everyone is in the audience: started, then sent to the attempt",
    ),
    Row(
        "portal:attempt",
        "get",
        expect(302, 200, 404, 404, 404, 404),
        setup=lambda world, ctx: {"attempt_id": _attempt(world).pk},
        label="the officer's open attempt",
    ),
    Row(
        "portal:attempt-result",
        "get",
        expect(302, 200, 404, 404, 404, 404),
        setup=lambda world, ctx: {"attempt_id": _attempt(world, submitted=True).pk},
        label="the officer's submitted attempt",
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
    Row(
        "portal:external-new", "post", ALL_SIGNED_IN, body=lambda world, ctx: {}, format="multipart", label="empty form"
    ),
    Row(
        "portal:reminders", "post", expect(302, 302, 302, 302, 302, 302), body=lambda world, ctx: {}, format="multipart"
    ),
    # The public credential page needs no login and shows the same to everyone.
    Row(
        "portal:verify",
        "get",
        expect(404, 404, 404, 404, 404, 404),
        setup=lambda world, ctx: {"key": "XF-NONE"},
        label="an unknown number",
    ),
    Row(
        "portal:verify",
        "get",
        expect(200, 200, 200, 200, 200, 200),
        setup=lambda world, ctx: {"key": str(granted_credential(world.officer).public_token)},
        label="the officer's credential by its token",
    ),
]
