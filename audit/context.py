"""The id of the request (or task) being served, for audit entries and logs.

It lives here, in the lowest package, so that config's middleware can set it
and every app can read it.
"""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    return request_id_var.get()
