"""An admin limited to a department subtree sees only its subtree's credentials in the Django admin."""

from datetime import date

import pytest

from quizzes.models import Credential, ExternalResult
from tests.quizzes.factories import CredentialTypeFactory

pytestmark = pytest.mark.django_db


def test_a_scoped_admin_lists_only_credentials_of_the_subtree(world, scoped_admin_client):
    kind = CredentialTypeFactory()
    for number, holder in (("JH-HERE-1", world.officer), ("JH-ELSE-1", world.hr_elsewhere)):
        result = ExternalResult.objects.create(
            person=holder, credential_type=kind, passed_on=date(2025, 12, 1), score=80, document_ref="省考 2025-12"
        )
        Credential.objects.create(
            number=number,
            holder=holder,
            credential_type=kind,
            issued_on=date(2026, 1, 5),
            expires_on=date(2031, 1, 4),
            external_result=result,
        )
    html = scoped_admin_client(scope=world.here).get("/admin/quizzes/credential/").content.decode()
    assert "JH-HERE-1" in html
    assert "JH-ELSE-1" not in html
