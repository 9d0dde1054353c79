"""Credentials: HR grants and changes them; the holder and HR read them; the public verifies one."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from training.selectors import people_in_scope

from .. import selectors, services
from ..models import Attempt, Credential, CredentialEvent, CredentialStatus, CredentialType
from .permissions import IsHROrAdmin


class CredentialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    public_token = serializers.UUIDField()
    holder = serializers.IntegerField(source="holder_id")
    name = serializers.CharField(source="holder.name")
    credential_type = serializers.CharField(source="credential_type.code")
    credential_type_name = serializers.CharField(source="credential_type.name")
    domain = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.SerializerMethodField()
    attempt = serializers.UUIDField(source="attempt_id", allow_null=True)
    external_result = serializers.IntegerField(source="external_result_id", allow_null=True)

    def get_status(self, obj) -> str:
        return obj.effective_status(self.context["today"])


def _out(credential: Credential, code=status.HTTP_200_OK) -> Response:
    credential = Credential.objects.select_related("holder", "credential_type").get(pk=credential.pk)
    return Response(CredentialSerializer(credential, context={"today": timezone.localdate()}).data, status=code)


def _visible(request, credential_id: int) -> Credential:
    return get_object_or_404(selectors.credentials_visible_to(request.user), pk=credential_id)


def _managed(request, credential_id: int) -> Credential:
    """A credential of a person in the HR/admin caller's scope (404 otherwise)."""
    return get_object_or_404(
        Credential.objects.filter(holder__in=people_in_scope(request.user)).select_related("holder"), pk=credential_id
    )


class CredentialListView(ListAPIView):
    """GET: the caller's own credential, or for HR those in scope. POST (HR): grant one."""

    serializer_class = CredentialSerializer
    filter_backends: list = []

    class CredentialListExternalResultSerializer(serializers.Serializer):
        passed_on = serializers.DateField()
        score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
        document_ref = serializers.CharField(max_length=255)

    class CredentialListInputSerializer(serializers.Serializer):
        person = serializers.IntegerField()
        credential_type = serializers.CharField(max_length=32)
        attempt = serializers.UUIDField(required=False, allow_null=True)
        external_result = serializers.DictField(required=False, allow_null=True)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsHROrAdmin()]
        return super().get_permissions()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self):
        qs = selectors.credentials_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("status") in CredentialStatus.values:
            from ..selectors.credentials import status_filter

            qs = qs.filter(status_filter(params["status"], timezone.localdate()))
        if params.get("person", "").isdigit():
            qs = qs.filter(holder_id=int(params["person"]))
        return qs

    @extend_schema(request=CredentialListInputSerializer, responses={201: CredentialSerializer})
    def post(self, request):
        data = self.CredentialListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = get_object_or_404(people_in_scope(request.user), pk=values["person"])
        credential_type = get_object_or_404(CredentialType, code=values["credential_type"])
        attempt = None
        external = None
        if values.get("attempt"):
            attempt = Attempt.objects.filter(pk=values["attempt"], person=person).first()
            if attempt is None:
                from ..errors import refuse

                raise refuse("no_qualifying_result", "没有合格的执法资格考试成绩")
        elif values.get("external_result"):
            external_data = self.CredentialListExternalResultSerializer(data=values["external_result"])
            external_data.is_valid(raise_exception=True)
            external = external_data.validated_data
        credential = services.grant_credential(
            person=person,
            credential_type=credential_type,
            attempt=attempt,
            external_result=external,
            actor=request.user,
            reason=values.get("reason", ""),
        )
        return _out(credential, status.HTTP_201_CREATED)


class CredentialDetailView(APIView):
    @extend_schema(responses={200: CredentialSerializer})
    def get(self, request, credential_id: int):
        return _out(_visible(request, credential_id))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


def _action(service):
    class ActionView(APIView):
        permission_classes = [IsHROrAdmin]

        @extend_schema(request=ReasonSerializer, responses={200: CredentialSerializer})
        def post(self, request, credential_id: int):
            data = ReasonSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            credential = _managed(request, credential_id)
            credential = service(credential=credential, actor=request.user, reason=data.validated_data["reason"])
            return _out(credential)

    ActionView.__name__ = ActionView.__qualname__ = f"{service.__name__.title().replace('_', '')}View"
    ActionView.__doc__ = service.__doc__
    return ActionView


SuspendCredentialView = _action(services.suspend_credential)
RevokeCredentialView = _action(services.revoke_credential)
RenewCredentialView = _action(services.renew_credential)
SurrenderCredentialView = _action(services.surrender_credential)


class CredentialEventsView(ListAPIView):
    """Every change of a credential: who, when, why."""

    filter_backends: list = []

    class CredentialEventsOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        kind = serializers.CharField()
        at = serializers.DateTimeField()
        actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
        reason = serializers.CharField()
        before = serializers.JSONField()
        after = serializers.JSONField()

    serializer_class = CredentialEventsOutputSerializer

    def get_queryset(self):
        credential = _visible(self.request, self.kwargs["credential_id"])
        return CredentialEvent.objects.filter(credential=credential).select_related("actor").order_by("at", "id")


class PublicCredentialView(APIView):
    """Verify a credential from its QR code's token or its number (亮证执法): anonymous, throttled."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_credential"

    class PublicCredentialOutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        name = serializers.CharField()
        credential_type = serializers.CharField()
        domain = serializers.CharField()
        status = serializers.CharField()
        valid_from = serializers.DateField()
        valid_until = serializers.DateField()

    @extend_schema(responses={200: PublicCredentialOutputSerializer}, auth=[])
    def get(self, request, token_or_number: str):
        credential = selectors.public_credential(token_or_number)
        if credential is None:
            raise Http404
        return Response(
            self.PublicCredentialOutputSerializer(
                {
                    "number": credential.number,
                    "name": credential.holder.name,
                    "credential_type": credential.credential_type.name,
                    "domain": credential.domain,
                    "status": credential.effective_status(timezone.localdate()),
                    "valid_from": credential.issued_on,
                    "valid_until": credential.expires_on,
                }
            ).data
        )
