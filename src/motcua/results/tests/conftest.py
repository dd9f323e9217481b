"""Signing keys made once per test session (key generation is slow), English messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.results.keys import ca_paths, ensure_agency_certificate

# make_world()'s agencies.
AGENCIES = {"H17.02": "Sở Tư pháp", "H17.03": "Sở Xây dựng"}


@dataclass(frozen=True)
class Keys:
    root: Path
    foreign_root: Path  # another CA with a certificate for the same agency code


@pytest.fixture(scope="session")
def signing_keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    root = tmp_path_factory.mktemp("signing")
    foreign = tmp_path_factory.mktemp("foreign-signing")
    for code, name in AGENCIES.items():
        ensure_agency_certificate(root, code=code, name=name)
    ensure_agency_certificate(foreign, code="H17.02", name=AGENCIES["H17.02"])
    return Keys(root, foreign)


@pytest.fixture(autouse=True)
def _signing_settings(settings: pytest.FixtureRequest, signing_keys: Keys) -> None:
    settings.MOTCUA_SIGNING_BACKEND = "files"  # type: ignore[attr-defined]
    settings.MOTCUA_SIGNING_DIR = signing_keys.root  # type: ignore[attr-defined]
    settings.MOTCUA_SIGNING_CA_CERT = ca_paths(signing_keys.root).cert  # type: ignore[attr-defined]
    settings.MOTCUA_SIGNING_TSA_URL = ""  # type: ignore[attr-defined]
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def processing_dossier(world: World) -> Dossier:
    """A dossier filed, accepted and forwarded: status 4, ready for a decision."""
    dossier = file_dossier(world)
    act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    return act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD)


@pytest.fixture
def dossier(world: World) -> Dossier:
    return processing_dossier(world)
