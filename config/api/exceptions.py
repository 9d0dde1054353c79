"""One envelope for every API error: {"code", "message", "detail"}.

Domain errors (audit.errors.DomainError) carry their own code and status;
DRF's and Django's exceptions are mapped to the codes of API.md.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from audit.errors import DomainError

logger = logging.getLogger("xuefa.api")

_CODES: list[tuple[type[Exception], str]] = [
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "not_authenticated"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.Throttled, "throttled"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.ValidationError, "validation_error"),
]

_MESSAGES = {
    "not_authenticated": "Authentication credentials were not provided or are invalid.",
    "permission_denied": "You do not have permission to perform this action.",
    "not_found": "Not found.",
    "validation_error": "The request is invalid.",
}


def envelope(code: str, message: str, detail=None) -> dict:
    return {"code": code, "message": message, "detail": detail}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        response = Response(envelope(exc.code, exc.message, exc.detail), status=exc.status)
        if exc.status == 429 and isinstance(exc.detail, dict) and "retry_after" in exc.detail:
            response["Retry-After"] = str(exc.detail["retry_after"])
        return response
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django answers 500 (JSON for /api/, see config.urls)

    code = next((c for cls, c in _CODES if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = envelope(code, _MESSAGES[code], detail)
    else:
        message = str(exc.detail) if isinstance(exc, exceptions.APIException) else _MESSAGES.get(code, code)
        detail = None
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            detail = {"retry_after": int(exc.wait)}
        response.data = envelope(code, _MESSAGES.get(code, message) if code != "throttled" else message, detail)
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = "Token"
    return response


def json_not_found(request, exception=None):
    return JsonResponse(envelope("not_found", _MESSAGES["not_found"]), status=404)


def json_server_error(request):
    logger.error("server error on %s", request.path)
    return JsonResponse(envelope("server_error", "Internal server error."), status=500)
