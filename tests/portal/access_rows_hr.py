from tests.access import Row, expect


def _officer(world, ctx):
    return {"person_id": world.officer.pk}


def _external_record(world, ctx):
    import datetime as dt
    from decimal import Decimal

    from training.models import ExternalRecord

    record = ExternalRecord.objects.create(
        person=world.officer,
        title="行政处罚法专题网络培训",
        content_category="general_law",
        hours=Decimal("3.0"),
        completed_on=dt.date(2026, 3, 1),
    )
    return {"record_id": record.pk}


ROWS = [
    # The reports: HR and admin within their scope; officers are refused.
    Row("api:reports-compliance", "get", expect(401, 403, 403, 200, 200, 200)),
    Row("api:reports-annual", "get", expect(401, 403, 403, 200, 200, 200)),
    # HR pages: anonymous callers are sent to the login page.
    Row("portal:hr-dashboard", "get", expect(302, 403, 403, 200, 200, 200)),
    Row("portal:hr-export", "get", expect(302, 403, 403, 200, 200, 200)),
    Row("portal:hr-annual", "get", expect(302, 403, 403, 200, 200, 200)),
    Row("portal:hr-person", "get", expect(302, 403, 403, 404, 200, 200), setup=_officer),
    Row("portal:hr-person-reset-password", "post", expect(302, 403, 403, 404, 200, 200), setup=_officer),
    Row(
        "portal:hr-external-decide",
        "post",
        expect(302, 403, 403, 404, 302, 302),
        setup=_external_record,
        body=lambda world, ctx: {"decision": "reject", "reason": "证明材料不清晰"},
    ),
]
