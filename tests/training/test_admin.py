"""The training admin: every list and add page opens, the projector shows the code, a correction goes through the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.training.factories import external_record, make_session
from training.models import HoursEntry, PersonYearHours
from training.services.attendance import code_at


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [
        "department",
        "person",
        "audience",
        "trainingsession",
        "trainingpolicy",
        "externalrecord",
        "hoursentry",
        "personyearhours",
    ],
)
def test_admin_lists_open(world, superuser_client, model):
    make_session(departments=[world.here])
    external_record(world.officer)
    assert superuser_client.get(reverse(f"admin:training_{model}_changelist")).status_code == 200


@pytest.mark.django_db
def test_session_change_page_with_attendance_inline(world, superuser_client):
    session = make_session(departments=[world.here])
    assert superuser_client.get(reverse("admin:training_trainingsession_change", args=[session.pk])).status_code == 200


@pytest.mark.django_db
def test_projector_shows_the_current_code_and_a_qr(world, superuser_client):
    session = make_session(departments=[world.here])
    response = superuser_client.get(reverse("admin:training_trainingsession_projector", args=[session.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    minute = int(__import__("time").time()) // 60
    assert code_at(session, minute) in html or code_at(session, minute - 1) in html
    fresh = superuser_client.get(reverse("admin:training_trainingsession_projector_code", args=[session.pk])).json()
    assert fresh["qr_url"].endswith(f"/check-in/{session.pk}/?code={fresh['code']}")


@pytest.mark.django_db
def test_projector_is_for_staff_only(world, client):
    session = make_session(departments=[world.here])
    client.force_login(world.officer.user)
    response = client.get(reverse("admin:training_trainingsession_projector", args=[session.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_correction_added_in_admin_goes_through_the_ledger(world, superuser_client):
    response = superuser_client.post(
        reverse("admin:training_hoursentry_add"),
        {
            "person": world.officer.pk,
            "year": 2026,
            "category": "general_law",
            "hours": "-1.5",
            "source": "correction",
            "reason": "重复登记",
        },
    )
    assert response.status_code == 302
    assert list(HoursEntry.objects.values_list("hours", "source", "reason")) == [
        (Decimal("-1.5"), "correction", "重复登记")
    ]
    assert PersonYearHours.objects.get(person=world.officer, year=2026).general_law == Decimal("-1.5")


@pytest.mark.django_db
def test_changing_a_persons_department_in_admin_is_an_audited_transfer(world, superuser_client):
    from django.forms.models import model_to_dict

    from audit.models import AuditEntry
    from training.models import Person

    data = {k: ("" if v is None else v) for k, v in model_to_dict(world.officer).items()}
    data.update({"department": world.elsewhere.pk, "is_active": "", "left_on": "2026-10-31"})
    response = superuser_client.post(reverse("admin:training_person_change", args=[world.officer.pk]), data)

    assert response.status_code == 302, response.content[:500]
    person = Person.objects.get(pk=world.officer.pk)
    assert (person.department_id, person.is_active, str(person.left_on)) == (world.elsewhere.pk, False, "2026-10-31")
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "training.person.deactivate",
        "training.person.transfer",
    ]
