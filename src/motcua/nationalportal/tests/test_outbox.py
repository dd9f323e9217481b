"""The outbox row is written with the change, in its transaction, for the right changes."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_world
from motcua.nationalportal import payload
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


def test_filing_and_each_status_change_are_queued() -> None:
    world = make_world()
    dossier = filed(world)
    first = SyncItem.objects.get(dossier=dossier)
    assert first.is_creation and first.status == 1 and first.state == SyncState.PENDING
    dossier = accept_and_process(world, dossier)
    assert statuses(dossier.pk) == [1, 2, 4, 5, 4]
    assert SyncItem.objects.filter(is_creation=True).count() == 1


def test_the_payload_holds_what_the_national_portal_takes() -> None:
    world = make_world()
    dossier = filed(world)
    first = payload.build(Dossier.objects.get(pk=dossier.pk), 1)
    assert first["MaHoSo"] == dossier.code
    assert first["MaTTHC"] == "2.000488"
    assert first["TrangThaiHoSo"] == "1"
    assert first["SoGiayToChuHoSo"] == world.applicant.personal_id
    assert first["LoaiDoiTuong"] == "1"
    assert first["ChuHoSo"] == world.applicant.full_name
    assert first["NgayTiepNhan"] == national_time(dossier.submitted_at)
    assert first["NgayHenTra"] == ""
    assert first["TaiLieuNop"][0]["TenTepDinhKem"] == "Tờ khai"

    dossier = accept_and_process(world, dossier)
    later = payload.build(Dossier.objects.get(pk=dossier.pk), 4)
    assert later["NgayTiepNhan"] == national_time(dossier.accepted_at)
    assert later["NgayHenTra"] == national_time(dossier.due_at)
    assert later["DonViXuLy"] == world.agency.name
    (request,) = later["DanhSachHoSoBoSung"]
    assert request["NoiDungBoSung"] == "Thiếu bản sao giấy khai sinh"
    assert request["TrangThaiBoSung"] == "1"
    assert request["NgayTiepNhanBoSung"] != ""


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
    assert payload.build(Dossier.objects.get(pk=dossier.pk), 3)["TrangThaiHoSo"] == "3"


def test_a_change_rolled_back_leaves_no_outbox_row() -> None:
    world = make_world()
    dossier = filed(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
        assert statuses(dossier.pk) == [1, 2]
        raise RuntimeError("the change fails after its handlers ran")
    assert statuses(dossier.pk) == [1]
