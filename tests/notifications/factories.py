import factory

from notifications.models import Channel, ChannelPreference, Delivery, Notification
from tests.training.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "正文"
    due_key = factory.Sequence(lambda n: f"k{n}")


class ChannelPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelPreference

    user = factory.SubFactory(UserFactory)
    channel = Channel.WEBHOOK
    enabled = True


__all__ = ["ChannelPreferenceFactory", "Delivery", "NotificationFactory"]
