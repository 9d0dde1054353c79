from tests.access import Row, expect
from tests.training.factories import PDF, external_record, make_session
from training.services.attendance import current_code
from training.services.calendar import calendar_feed_for

EVERYONE_SIGNED_IN = expect(401, 200, 200, 200, 200, 200)
ADMIN_ON_SESSION = expect(401, 403, 403, 404, 403, 200)  # seen by the audience, managed by admins only


def session_here(world, ctx):
    ctx["session"] = make_session(departments=[world.here])
    return {"pk": ctx["session"].pk}


def attendance_here(world, ctx):
    return {**session_here(world, ctx), "person_id": world.officer.pk}


def record_of_officer(world, ctx):
    ctx["record"] = external_record(world.officer, evidence=PDF)
    return {"pk": ctx["record"].pk}


def new_session_body(world, ctx):
    return {
        "title": "民法典专题讲座",
        "kind": "thematic_legal_training",
        "content_category": "general_law",
        "starts_at": "2026-12-10T09:00:00+08:00",
        "ends_at": "2026-12-10T12:00:00+08:00",
        "credited_hours": "3",
        "audience": {"departments": [world.here.pk]},
    }


ROWS = [
    Row("api:me", "get", EVERYONE_SIGNED_IN),
    Row("api:me-progress", "get", EVERYONE_SIGNED_IN, query="year=2026"),
    Row("api:me-calendar", "get", EVERYONE_SIGNED_IN),
    Row("api:me-calendar-rotate", "post", EVERYONE_SIGNED_IN),
    Row(
        "api:calendar-feed",
        "get",
        expect(200, 200, 200, 200, 200, 200),
        setup=lambda world, ctx: {"token": calendar_feed_for(person=world.officer).token},
        label="the officer's secret token",
    ),
    Row(
        "api:calendar-feed",
        "get",
        expect(404, 404, 404, 404, 404, 404),
        setup=lambda world, ctx: {"token": "not-a-token"},
        label="an unknown token",
    ),
    Row("api:session-list", "get", EVERYONE_SIGNED_IN),
    Row("api:session-list", "post", expect(401, 403, 403, 403, 403, 201), body=new_session_body),
    Row("api:session-detail", "get", expect(401, 200, 200, 404, 200, 200), setup=session_here),
    Row("api:session-detail", "patch", ADMIN_ON_SESSION, setup=session_here, body=lambda w, c: {"title": "改"}),
    Row("api:session-cancel", "post", ADMIN_ON_SESSION, setup=session_here, body=lambda w, c: {"reason": "台风"}),
    Row("api:session-check-in-code", "get", ADMIN_ON_SESSION, setup=session_here),
    Row(
        "api:session-check-in",
        "post",
        # HR here sits in the department the session is for; the admin and HR elsewhere do not.
        expect(401, 200, 200, 409, 200, 409),
        setup=session_here,
        body=lambda w, c: {"code": current_code(session=c["session"]).code},
        label="the current code",
    ),
    Row("api:session-attendance", "get", expect(401, 403, 403, 404, 200, 200), setup=session_here),
    # The matrix posts JSON: an admin gets past access control to "no file" (uploads: test_attendance_import.py).
    Row(
        "api:session-attendance-import",
        "post",
        expect(401, 403, 403, 404, 403, 400),
        setup=session_here,
        body=lambda w, c: {},
        label="no file",
    ),
    Row(
        "api:session-attendance-detail",
        "patch",
        ADMIN_ON_SESSION,
        setup=attendance_here,
        body=lambda w, c: {"status": "attended"},
    ),
    Row("api:person-list", "get", expect(401, 403, 403, 200, 200, 200)),
    Row("api:department-rollup", "get", expect(401, 403, 403, 200, 200, 200), query="year=2026"),
    Row("api:organisation-targets", "get", expect(401, 403, 403, 200, 200, 200)),
    Row(
        "api:person-detail",
        "get",
        expect(401, 200, 404, 404, 200, 200),
        setup=lambda w, c: {"pk": w.officer.pk},
        label="the officer (their own record)",
    ),
    Row(
        "api:person-progress",
        "get",
        expect(401, 200, 404, 404, 200, 200),
        setup=lambda w, c: {"pk": w.officer.pk},
        query="year=2026",
    ),
    Row(
        "api:person-import",
        "post",
        expect(401, 403, 403, 403, 403, 400),
        body=lambda w, c: {},
        label="no file",
    ),
    Row("api:external-record-list", "get", EVERYONE_SIGNED_IN),
    Row(
        "api:external-record-list",
        "post",
        expect(401, 201, 201, 201, 201, 201),
        body=lambda w, c: {
            "title": "网络学法",
            "content_category": "new_laws",
            "hours": "1.5",
            "completed_on": "2026-05-01",
        },
        label="without evidence",
    ),
    Row("api:external-record-approve", "post", expect(401, 403, 404, 404, 200, 200), setup=record_of_officer),
    Row(
        "api:external-record-reject",
        "post",
        expect(401, 403, 404, 404, 200, 200),
        setup=record_of_officer,
        body=lambda w, c: {"reason": "证明不清"},
    ),
    Row("api:external-record-evidence", "get", expect(401, 200, 404, 404, 200, 200), setup=record_of_officer),
]
