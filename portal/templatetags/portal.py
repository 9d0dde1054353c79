"""Small template helpers of the portal pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from training.roles import roles_of
from training.selectors import person_for

register = template.Library()


@register.simple_tag(takes_context=True)
def user_roles(context) -> list[str]:
    request = context.get("request")
    return roles_of(request.user) if request is not None else []


@register.simple_tag(takes_context=True)
def shows_officer_nav(context) -> bool:
    """The tab bar is for people with a staff record who have set their own password."""
    request = context.get("request")
    person = person_for(request.user) if request is not None else None
    return bool(person is not None and not person.must_change_password)


@register.filter
def percent(part, whole) -> int:
    """part / whole as a whole percentage, capped at 100 (for rings and bars)."""
    try:
        part, whole = Decimal(str(part)), Decimal(str(whole))
    except (ArithmeticError, ValueError):
        return 0
    if whole <= 0:
        return 100
    return int(min(Decimal(100), part * 100 / whole))
