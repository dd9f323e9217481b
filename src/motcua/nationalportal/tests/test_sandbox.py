"""The sandbox portal checks what it receives, and says it is a sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers import lifecycle
from motcua.nationalportal import sandbox
from motcua.nationalportal.client import SANDBOX_PASSWORD, SANDBOX_USERNAME
from motcua.nationalportal.models import SandboxDossier

pytestmark = pytest.mark.django_db

BASE = "/sandbox/cong-dvcqg/"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(BASE + path, json.dumps(body), content_type="application/json")


@pytest.fixture
def session(client: Client) -> str:
    answer = post(client, "auth", {"username": SANDBOX_USERNAME, "password": SANDBOX_PASSWORD})
    assert answer.status_code == 200
    return str(answer.json()["session"])


def item(status: int = 1, **changes: Any) -> dict[str, Any]:
    data = {
        "MaHoSo": "H17.02-261205-0001",
        "MaTTHC": "2.000488",
        "TenTTHC": "Cấp Phiếu lý lịch tư pháp",
        "ChuHoSo": "Nguyễn Văn An",
        "LoaiDoiTuong": "1",
        "SoGiayToChuHoSo": "048095000001",
        "NgayTiepNhan": "20261205093000",
        "NgayHenTra": "",
        "TrangThaiHoSo": str(status),
        "DonViXuLy": "Sở Tư pháp",
        "TaiLieuNop": [],
    }
    data.update(changes)
    return data


def sync(client: Client, session: str, data: dict[str, Any], *, updating: bool) -> Any:
    return post(
        client,
        "sync",
        {
            "session": session,
            "madonvi": "H17.02",
            "service": "DongBoHoSoMC",
            "isUpdating": "True" if updating else "False",
            "data": [data],
        },
    )


def test_a_wrong_password_or_no_session_is_refused(client: Client) -> None:
    assert post(client, "auth", {"username": SANDBOX_USERNAME, "password": "x"}).status_code == 401
    assert sync(client, "forged", item(), updating=False).status_code == 401


def test_dossiers_are_kept_when_their_statuses_come_in_order(client: Client, session: str) -> None:
    assert sync(client, session, item(1), updating=False).json()["error_code"] == "00"
    assert sync(client, session, item(2), updating=True).status_code == 200
    assert sync(client, session, item(2), updating=True).status_code == 200  # a repeat: update
    assert SandboxDossier.objects.get().statuses == [1, 2, 2]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"NgayTiepNhan": "05/12/2026"}, "NgayTiepNhan"),
        ({"NgayHenTra": "2026120517"}, "NgayHenTra"),
        ({"MaTTHC": ""}, "MaTTHC"),
        ({"SoGiayToChuHoSo": "12345"}, "SoGiayToChuHoSo"),
        ({"LoaiDoiTuong": "2", "SoGiayToChuHoSo": "048095000001"}, "tax code"),
        ({"TrangThaiHoSo": "11"}, "TrangThaiHoSo"),
        ({"MaHoSo": "HS-1"}, "MaHoSo"),
        ({"TaiLieuNop": "none"}, "TaiLieuNop"),
    ],
)
def test_malformed_payloads_are_refused_with_the_field_named(
    client: Client, session: str, changes: dict[str, Any], error: str
) -> None:
    answer = sync(client, session, item(**changes), updating=False)
    assert answer.status_code == 400
    assert error in answer.json()["message"]
    assert not SandboxDossier.objects.exists()


def test_statuses_out_of_order_are_refused(client: Client, session: str) -> None:
    assert sync(client, session, item(4), updating=False).status_code == 400  # starts as 1
    assert sync(client, session, item(2), updating=True).status_code == 400  # unknown here
    sync(client, session, item(1), updating=False)
    jump = sync(client, session, item(9), updating=True)
    assert jump.status_code == 400 and "from 1 to 9" in jump.json()["message"]
    assert SandboxDossier.objects.get().statuses == [1]


def test_the_sandbox_knows_every_status_change_of_the_lifecycle() -> None:
    """Its table of national transitions holds every change the platform can make."""
    for name, rule in lifecycle.RULES.items():
        if rule.keeps_status:
            continue
        targets = [rule.target] if rule.target is not None else [int(s) for s in rule.sources]
        for source in rule.sources:
            for target in targets:
                before, after = lifecycle.national_code(source), lifecycle.national_code(target)
                if before != after and target in lifecycle.Status.values:
                    assert after in sandbox.NEXT[before], (name, before, after)


def test_the_pages_say_sandbox_and_are_for_administrators(
    client: Client, session: str, settings: Settings
) -> None:
    sync(client, session, item(1), updating=False)
    assert client.get(BASE).status_code == 302  # sign in first
    citizen = UserFactory.create()
    client.force_login(citizen)
    assert client.get(BASE).status_code == 403
    admin = UserFactory.create(is_staff=True)
    sign_in_with_second_factor(client, admin)
    page = client.get(BASE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "SANDBOX" in text and "H17.02-261205-0001" in text
    detail = client.get(BASE + "ho-so/H17.02-261205-0001/")
    assert "048095000001" in detail.content.decode()
    settings.MOTCUA_SANDBOX_ENABLED = False
    assert client.get(BASE).status_code == 404
    assert sync(client, session, item(2), updating=True).status_code == 404
