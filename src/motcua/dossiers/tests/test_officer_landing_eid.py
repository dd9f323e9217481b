"""An officer who signs in with the national e-ID lands on their worklist (sandbox provider)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from motcua.accounts.models import AgencyMembership
from motcua.accounts.tests.factories import UserFactory
from motcua.accounts.tests.test_eid_flow import front_channel, identity, provider
from motcua.agencies.tests.factories import AgencyFactory

# Transactional: the live server (the sandbox provider's back channel) sees committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["provider"]  # the fixture, used by name


def test_an_officer_signing_in_with_the_eid_lands_on_the_worklist(provider: str) -> None:
    who = identity("Nguyễn Văn An")
    staff = UserFactory.create(personal_id=who.personal_id)
    AgencyMembership.objects.create(user=staff, agency=AgencyFactory.create(), role="receiver")
    client = Client()
    done = client.get(front_channel(client, who))
    assert done.status_code == 302 and done["Location"] == "/can-bo/ho-so/"

    # A ``next`` given at the start wins.
    client.logout()
    start = client.get("/accounts/eid/start/?" + urlencode({"next": "/thu-tuc/"}))
    assert start.status_code == 302
    assert client.session["eid_next"] == "/thu-tuc/"


def test_a_citizen_signing_in_with_the_eid_lands_where_they_did(provider: str) -> None:
    client = Client()
    done = client.get(front_channel(client, identity("Nguyễn Văn An")))
    assert done["Location"] == "/accounts/"
