import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User


@pytest.fixture(autouse=True)
def sandbox_enabled(settings: pytest.FixtureRequest) -> None:
    settings.MOTCUA_SANDBOX_ENABLED = True  # type: ignore[attr-defined]


@pytest.fixture
def admin_client(client: Client) -> Client:
    """A superuser whose session passed the officers' second factor (django-otp)."""
    user = User.objects.create_superuser("tester", "tester@example.com", "a-long-passphrase-1")
    device = TOTPDevice.objects.create(user=user, name="tester", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
