"""The inbox API (API.md, Notifications) and the caller's channel preferences."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Channel


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    due_key = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    read = serializers.SerializerMethodField()

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class InboxPagination(api_settings.DEFAULT_PAGINATION_CLASS):  # type: ignore[name-defined]  # the project's pagination, named in settings
    """A page of notifications plus the caller's unread count."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread"] = self.unread
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread"] = {"type": "integer", "example": 3}
        schema["required"] = [*schema.get("required", []), "unread"]
        return schema


class InboxView(ListAPIView):
    """The caller's notifications, newest first, with the unread count."""

    serializer_class = NotificationOutputSerializer
    pagination_class = InboxPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.inbox(self.request.user).order_by("-created_at", "-pk")

    def paginate_queryset(self, queryset):
        self.paginator.unread = selectors.unread_count(self.request.user)
        return super().paginate_queryset(queryset)

    @extend_schema(operation_id="notifications_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MarkReadView(APIView):
    """Mark one of the caller's notifications read (another person's: 404)."""

    @extend_schema(request=None, responses={200: NotificationOutputSerializer}, operation_id="notifications_read")
    def post(self, request, notification_id):
        notification = services.mark_read(user=request.user, notification_id=notification_id)
        return Response(NotificationOutputSerializer(notification).data)


class MarkAllReadView(APIView):
    """Mark all of the caller's notifications read."""

    class ReadAllOutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField()
        unread = serializers.IntegerField()

    @extend_schema(request=None, responses={200: ReadAllOutputSerializer}, operation_id="notifications_read_all")
    def post(self, request):
        marked = services.mark_all_read(user=request.user)
        return Response(
            self.ReadAllOutputSerializer({"marked": marked, "unread": selectors.unread_count(request.user)}).data
        )


class ChannelOutputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    enabled = serializers.BooleanField()
    available = serializers.BooleanField()
    configurable = serializers.BooleanField()
    address = serializers.CharField()


class ChannelsView(APIView):
    """Which channels the caller's reminders take; PUT switches outbound ones on or off."""

    class ChannelsInputSerializer(serializers.Serializer):
        class ChannelChoiceSerializer(serializers.Serializer):
            channel = serializers.ChoiceField(choices=Channel.choices)
            enabled = serializers.BooleanField()
            address = serializers.CharField(max_length=254, required=False, allow_blank=True)

        channels = ChannelChoiceSerializer(many=True, allow_empty=False)

    output = inline_serializer("NotificationChannels", {"channels": ChannelOutputSerializer(many=True)})

    @extend_schema(responses={200: output}, operation_id="notification_channels_get")
    def get(self, request):
        return Response({"channels": ChannelOutputSerializer(selectors.channel_settings(request.user), many=True).data})

    @extend_schema(request=ChannelsInputSerializer, responses={200: output}, operation_id="notification_channels_put")
    def put(self, request):
        data = self.ChannelsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_channel_preferences(user=request.user, choices=data.validated_data["channels"])
        return Response({"channels": ChannelOutputSerializer(selectors.channel_settings(request.user), many=True).data})
