"""A small world for the store: a birth registration whose result is a birth extract, and a
later procedure of another kind that asks for that extract."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component, Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.services import act, save_draft, start_draft
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.personalstore.models import ResultType, StoredDocument

BIRTH_EXTRACT = "GIAY_KHAI_SINH"


@dataclass
class StoreWorld:
    world: World
    later: Procedure  # asks for the birth extract (component 0) and a form (component 1)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def sw(db: None) -> StoreWorld:
    world = make_world()
    ResultType.objects.create(
        procedure=world.procedure,
        document_type=BIRTH_EXTRACT,
        title="Trích lục khai sinh",
        form_fields=["ho_ten"],
    )
    later = make_procedure(
        code="1.004859", name="Đăng ký thay đổi, cải chính hộ tịch", agencies=[world.agency]
    )
    case = later.cases.get()
    Component.objects.create(
        case=case, position=0, name="Giấy khai sinh", mandatory=True, document_type=BIRTH_EXTRACT
    )
    Component.objects.create(case=case, position=1, name="Tờ khai", mandatory=False)
    catalog_services.record_version(procedure=later, actor=None, note="components")
    return StoreWorld(world, later)


def returned_dossier(world: World, applicant: User | None = None) -> Dossier:
    """Filed, accepted, forwarded, decided (signed) and returned: the result is in the store."""
    dossier = file_dossier(world, applicant)
    for user, transition in (
        (world.receiver, Transition.ACCEPT),
        (world.receiver, Transition.FORWARD),
        (world.approver, Transition.DECIDE),
        (world.receiver, Transition.RETURN_RESULT),
    ):
        dossier = act(dossier=dossier, user=user, transition=transition)
    return dossier


@pytest.fixture
def stored(sw: StoreWorld) -> StoredDocument:
    returned_dossier(sw.world)
    return StoredDocument.objects.get(owner_user=sw.world.applicant)


def later_draft(sw: StoreWorld, applicant: User | None = None) -> DossierDraft:
    who = applicant or sw.world.applicant
    draft = start_draft(user=who, procedure=sw.later, acting_for=None)
    return save_draft(draft=draft, user=who, values={"ho_ten": "Nguyễn Văn An"})


def client_for(user: User, *, officer: bool = False) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"  # the language switch's choice
    if officer:
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client


def stranger() -> User:
    return UserFactory.create()
