import pytest

from portal.checks import demo_password_not_in_use
from tests.training.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_production_flags_a_demo_account_with_the_demo_password(settings):
    settings.PRODUCTION = True
    UserFactory(username="demo-hr", password="xuefa-demo")
    UserFactory(username="demo-officer", password="changed-since-1")
    errors = demo_password_not_in_use(databases=["default"])
    assert [(e.id, e.msg) for e in errors] == [("xuefa.E001", "the account demo-hr still has the demo password")]


def test_development_does_not_flag_it(settings):
    settings.PRODUCTION = False
    UserFactory(username="demo-hr", password="xuefa-demo")
    assert demo_password_not_in_use(databases=["default"]) == []


def test_seed_demo_refuses_the_demo_password_in_production(settings):
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    settings.DEMO_PASSWORD = settings.DEFAULT_DEMO_PASSWORD
    with pytest.raises(CommandError, match="production refuses the demo password"):
        call_command("seed_demo")
