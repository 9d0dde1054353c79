from django.urls import path

from .views import ChannelsView, InboxView, MarkAllReadView, MarkReadView

urlpatterns = [
    path("me/notifications/", InboxView.as_view(), name="notifications"),
    path("me/notifications/read-all/", MarkAllReadView.as_view(), name="notifications-read-all"),
    path("me/notifications/<uuid:notification_id>/read/", MarkReadView.as_view(), name="notification-read"),
    path("me/notification-channels/", ChannelsView.as_view(), name="notification-channels"),
]
