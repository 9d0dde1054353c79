"""Per-device API tokens (django-rest-knox): log in, log out one device, log out all."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from training.accounts import authenticate_or_refuse


class TokenLoginView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expiry = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, auth=[], operation_id="auth_token")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate_or_refuse(request=request, **data.validated_data)
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        instance, token = AuthToken.objects.create(user)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": token, "expiry": instance.expiry}, status=status.HTTP_200_OK)


class LogoutView(KnoxLogoutView):
    """End the token this device sent."""

    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout")
    def post(self, request, format=None):
        return super().post(request, format)


class LogoutAllView(KnoxLogoutAllView):
    """End every token of the caller: every device is logged out."""

    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout_all")
    def post(self, request, format=None):
        return super().post(request, format)


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: inline_serializer("Health", {"status": serializers.CharField()})},
        auth=[],
        operation_id="healthz",
    )
    def get(self, request):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response({"status": "ok"})
