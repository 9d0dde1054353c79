"""A deploy check: no demo account may keep the demo password in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks

DEMO_USERNAMES = ("demo-officer", "demo-hr", "demo-admin")


@checks.register(checks.Tags.security, checks.Tags.database, deploy=True)
def demo_password_not_in_use(app_configs=None, databases=None, **kwargs):
    if not settings.PRODUCTION or not databases:
        return []
    errors = []
    for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES):
        if user.check_password(settings.DEFAULT_DEMO_PASSWORD):
            errors.append(
                checks.Error(
                    f"the account {user.username} still has the demo password",
                    hint="change its password or deactivate it",
                    id="xuefa.E001",
                )
            )
    return errors
