"""Request ids: taken from a sane incoming X-Request-ID or made anew, put on
the response and on every log line written while the request runs."""

from __future__ import annotations

import logging
import re
import uuid

from audit.context import request_id_var

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIDMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIDLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class LanguageMiddleware:
    """Chinese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so
    an office PC or phone set to English would show English pages nobody
    chose. Here only the language cookie (set by ``/i18n/setlang/``) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NulByteGuardMiddleware:
    """Refuse a NUL character in the path, the query string or a JSON body with a 400.

    PostgreSQL cannot store NUL in text or jsonb, so such input would
    otherwise reach the database and answer a 500. Uploaded files (multipart)
    may hold NUL bytes and are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import unquote_to_bytes

        query = unquote_to_bytes(request.META.get("QUERY_STRING", ""))
        body_has_nul = request.content_type == "application/json" and (
            b"\\u0000" in request.body or b"\x00" in request.body
        )
        if "\x00" in request.path or b"\x00" in query or body_has_nul:
            from django.http import HttpResponseBadRequest, JsonResponse

            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "validation_error",
                        "message": "The request is invalid.",
                        "detail": {"non_field_errors": ["NUL characters are not allowed."]},
                    },
                    status=400,
                )
            return HttpResponseBadRequest("NUL characters are not allowed.")
        return self.get_response(request)
