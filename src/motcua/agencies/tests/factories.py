import factory

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel, OneStopDesk


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"H17.{(n % 80) + 10:02d}.{(n // 80) + 1:02d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    level = AgencyLevel.CITY


class WardCommitteeFactory(AgencyFactory):
    code = factory.Sequence(lambda n: f"H17.60.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân Phường Thử {n}")
    kind = AgencyKind.WARD_COMMITTEE
    level = AgencyLevel.WARD


class DeskFactory(factory.django.DjangoModelFactory[OneStopDesk]):
    class Meta:
        model = OneStopDesk

    agency = factory.SubFactory(AgencyFactory)
    name = factory.LazyAttribute(lambda o: f"Bộ phận Một cửa {o.agency.name}")
    address = "24 Trần Phú, Đà Nẵng"
