import pytest

from audit.models import AuditEntry
from audit.services import record
from tests.training.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_record_writes_who_what_target_before_after():
    person = PersonFactory()
    entry = record(
        actor=person.user,
        action="person_barred",
        target=person,
        before={"barred": False},
        after={"barred": True},
        reason="under investigation",
    )
    entry.refresh_from_db()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id) == (
        person.user.pk,
        "person_barred",
        "training.person",
        str(person.pk),
    )
    assert (entry.before, entry.after, entry.reason) == ({"barred": False}, {"barred": True}, "under investigation")


def test_an_entry_cannot_be_changed_or_deleted():
    entry = record(actor=None, action="login_failed", target_type="auth.user", target_id="x")
    entry.action = "something_else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")
    assert AuditEntry.objects.get().action == "login_failed"


def test_the_admin_offers_no_add_change_or_delete(admin_client):
    record(actor=None, action="login_failed", target_type="auth.user", target_id="x")
    entry = AuditEntry.objects.get()
    assert admin_client.get("/admin/audit/auditentry/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.count() == 1
