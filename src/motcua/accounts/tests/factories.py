import factory
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Business, BusinessMembership, BusinessRole, User


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    personal_id = factory.Sequence(lambda n: f"048095{n:06d}")
    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    assurance_level = 2
    password = factory.django.Password("a-long-passphrase-1")


class BusinessFactory(factory.django.DjangoModelFactory[Business]):
    class Meta:
        model = Business

    tax_code = "0100109106"
    name = "Công ty TNHH Thử Nghiệm"
    representative_name = "Trần Thị B"


class MembershipFactory(factory.django.DjangoModelFactory[BusinessMembership]):
    class Meta:
        model = BusinessMembership

    business = factory.SubFactory(BusinessFactory)
    user = factory.SubFactory(UserFactory)
    role = BusinessRole.LEGAL_REPRESENTATIVE


def sign_in_with_second_factor(client: Client, user: User) -> None:
    """Sign ``client`` in as ``user`` and pass the TOTP check, as an officer would."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    response = client.post("/accounts/second-factor/", {"token": f"{token:06d}"})
    assert response.status_code == 302, response
