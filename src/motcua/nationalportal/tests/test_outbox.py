"""The outbox row is written with the change, in its transaction, for the right changes."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.tests.factories import make_world
from motcua.nationalportal.formats import national_time
from motcua.nationalportal.models import SyncItem, SyncState

from .helpers import accept_and_process, filed

pytestmark = pytest.mark.django_db


def statuses(dossier_id: int) -> list[int]:
    return list(
        SyncItem.objects.filter(dossier_id=dossier_id)
        .order_by("event_id")
        .values_list("status", flat=True)
    )


def test_filing_and_each_status_change_are_queued_with_their_payload() -> None:
    world = make_world()
    dossier = filed(world)
    first = SyncItem.objects.get(dossier=dossier)
    assert first.is_creation and first.status == 1 and first.state == SyncState.PENDING
    assert first.payload["MaHoSo"] == dossier.code
    assert first.payload["MaTTHC"] == "2.000488"
    assert first.payload["TrangThaiHoSo"] == "1"
    assert first.payload["SoGiayToChuHoSo"] == world.applicant.personal_id
    assert first.payload["LoaiDoiTuong"] == "1"
    assert first.payload["NgayTiepNhan"] == national_time(dossier.submitted_at)
    assert first.payload["NgayHenTra"] == ""
    assert first.payload["TaiLieuNop"][0]["TenTepDinhKem"] == "Tờ khai"

    dossier = accept_and_process(world, dossier)
    assert statuses(dossier.pk) == [1, 2, 4, 5, 4]
    accepted = SyncItem.objects.get(dossier=dossier, status=2)
    assert accepted.payload["NgayHenTra"] == national_time(dossier.due_at)
    assert not accepted.is_creation
    supplement = SyncItem.objects.filter(dossier=dossier, status=4).last()
    assert supplement is not None
    (request,) = supplement.payload["DanhSachHoSoBoSung"]
    assert request["NoiDungBoSung"] == "Thiếu bản sao giấy khai sinh"
    assert request["TrangThaiBoSung"] == "1"


def test_a_hand_over_keeps_the_national_status_and_is_not_sent() -> None:
    world = make_world()
    dossier = filed(world)
    dossier = accept_and_process(world, dossier)
    before = SyncItem.objects.count()
    dossier_services.act(
        dossier=dossier,
        user=world.processor,
        transition=Transition.HAND_OVER,
        to_unit=world.agency,
    )
    assert SyncItem.objects.count() == before


def test_not_this_agencys_competence_is_sent_as_not_received() -> None:
    world = make_world()
    dossier = filed(world)
    dossier_services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.GUIDE_ELSEWHERE,
        reason="Thuộc thẩm quyền Sở Xây dựng",
        to_unit=world.other_agency,
    )
    assert statuses(dossier.pk) == [1, 3]
    last = SyncItem.objects.filter(dossier=dossier).last()
    assert last is not None and last.payload["TrangThaiHoSo"] == "3"


def test_a_change_rolled_back_leaves_no_outbox_row() -> None:
    world = make_world()
    dossier = filed(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
        assert statuses(dossier.pk) == [1, 2]
        raise RuntimeError("the change fails after its handlers ran")
    assert statuses(dossier.pk) == [1]
