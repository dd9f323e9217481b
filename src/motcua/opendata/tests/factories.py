"""Open-data test data: stewards with tokens, datasets, resources."""

from __future__ import annotations

from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import AgencyMembership, OfficerRole, User
from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata import services
from motcua.opendata.access import Actor
from motcua.opendata.constants import DatasetState
from motcua.opendata.models import Dataset, Resource, Theme


class ThemeFactory(factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"chu-de-{n}")
    title = factory.Sequence(lambda n: f"Chủ đề {n}")


def steward(agency: Agency | None = None, **user: Any) -> User:
    person = UserFactory.create(**user)
    AgencyMembership.objects.create(
        user=person, agency=agency or AgencyFactory.create(), role=OfficerRole.DATA_STEWARD
    )
    return person


def token_key(user: User, agency: Agency | None = None, dataset: Dataset | None = None) -> str:
    if agency is None and dataset is None:
        agency = user.agency_memberships.get().agency
    return services.issue_token(user=user, name="test", agency=agency, dataset=dataset)[1]


def dataset(
    agency: Agency,
    *,
    name: str,
    title: str = "Bộ dữ liệu thử",
    private: bool = False,
    state: str = DatasetState.ACTIVE,
    tags: list[str] | None = None,
    themes: list[Theme] | None = None,
    licence: str = "cc-by",
    **extra: Any,
) -> Dataset:
    """A dataset made through the service, as a steward of ``agency`` would."""
    person = steward(agency)
    values = {
        "name": name,
        "title": title,
        "title_en": extra.pop("title_en", ""),
        "notes": extra.pop("notes", "Mô tả bộ dữ liệu."),
        "notes_en": "",
        "owner_org": agency,
        "groups": themes or [],
        "tags": tags or [],
        "license_id": licence,
        "frequency": extra.pop("frequency", "monthly"),
        "temporal_start": extra.pop("temporal_start", None),
        "temporal_end": extra.pop("temporal_end", None),
        "spatial": extra.pop("spatial", "Thành phố Đà Nẵng"),
        "maintainer": "Phòng Dữ liệu",
        "maintainer_email": "dulieu@danang.gov.vn",
        "version": "1.0",
        "private": private,
        "state": state,
    }
    return services.create_dataset(actor=Actor(user=person), values=values)


def csv_resource(ds: Dataset, content: bytes, name: str = "bang.csv") -> Resource:
    person = User.objects.filter(
        agency_memberships__agency=ds.agency, agency_memberships__role=OfficerRole.DATA_STEWARD
    ).first()
    return services.add_resource(
        actor=Actor(user=person),
        dataset=ds,
        values={"name": name, "description": "", "format": "CSV", "url": ""},
        upload=SimpleUploadedFile(name, content, content_type="text/csv"),
    )
