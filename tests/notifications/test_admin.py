import pytest
from django.urls import reverse

from notifications.models import Channel, Delivery, DeliveryState
from notifications.services import notify
from tests.training.factories import UserFactory

pytestmark = pytest.mark.django_db


def _failed_delivery(settings):
    settings.WEBHOOK_URL = ""
    notify(recipient=UserFactory(email="li@example.org"), kind="k", title="t")
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, attempts=3, last_error="HTTP 400")
    return delivery


def test_admin_lists_deliveries_with_their_error(client, settings):
    _failed_delivery(settings)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    # when
    response = client.get(reverse("admin:notifications_delivery_changelist"), {"state__exact": "failed"})
    # then
    assert response.status_code == 200
    assert "HTTP 400" in response.content.decode()


def test_admin_retry_action_sends_a_failed_delivery_again(client, settings, django_capture_on_commit_callbacks):
    delivery = _failed_delivery(settings)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "retry", "_selected_action": [delivery.pk]},
        )
    # then it is pending again, with a fresh count of tries, and its send is queued on commit
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 0)
    assert len(callbacks) == 1
