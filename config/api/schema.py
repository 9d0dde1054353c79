"""OpenAPI: the device-token scheme, and every operation documenting its 4xx
answers with the error envelope (API.md, Conventions)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "One token per device from POST /api/v1/auth/token/, sent as `Token <token>`.",
        }


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "example": "validation_error"},
        "message": {"type": "string"},
        "detail": {"nullable": True},
    },
    "required": ["code", "message", "detail"],
}

_STANDARD = {
    "400": "The request is malformed (`validation_error` with field messages, or a specific code).",
    "401": "`not_authenticated`: no or bad credentials.",
    "403": "`permission_denied`: the role may not do this.",
    "404": "`not_found`: does not exist or is outside the caller's scope.",
    "409": "A rule or the object's state refuses it; `code` names the rule.",
    "429": "`throttled`, `login_locked` or `check_in_throttled`.",
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            public_op = not operation.get("security") or {} in operation.get("security", [])
            for status_code, description in _STANDARD.items():
                if status_code in {"401", "403"} and public_op:
                    continue
                if status_code in responses:
                    responses[status_code].setdefault("content", {"application/json": {"schema": ref}})
                    continue
                responses[status_code] = {
                    "description": description,
                    "content": {"application/json": {"schema": ref}},
                }
    return result
