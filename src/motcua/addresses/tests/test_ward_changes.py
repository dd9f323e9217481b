"""Wards merge or are renamed: their places move to the successor, the former code kept."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from motcua.addresses import selectors, services
from motcua.addresses.errors import UnknownWard
from motcua.addresses.models import PlaceAction
from motcua.agencies.models import Agency

from .factories import HAI_CHAU, HOA_CUONG, make_place, make_ward, ward_committee

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("move_ward_places", *args, stdout=out)
    return out.getvalue()


def test_a_merged_wards_places_move_to_the_successor_with_their_former_code_kept() -> None:
    ward = make_ward(HAI_CHAU)
    place = make_place(ward.officer)
    code, plus_code = place.code, place.plus_code
    out = run("--from", str(HAI_CHAU), "--to", str(HOA_CUONG), "--reason", "Nghị quyết 1/2026")
    assert "1 địa điểm" in out
    place.refresh_from_db()
    assert (place.ward_code, place.former_ward_code) == (HOA_CUONG, HAI_CHAU)
    assert place.former_ward_name == "Phường Hải Châu"
    assert (place.code, place.plus_code) == (code, plus_code)  # the address itself stays
    assert place.search_text == "24 tran phu hoa cuong"
    before, after = place.events.order_by("version")
    assert before.snapshot["ward_code"] == HAI_CHAU and after.snapshot["ward_code"] == HOA_CUONG
    assert after.action == PlaceAction.WARD_CHANGED and after.reason == "Nghị quyết 1/2026"
    # Found under its new ward; its short plus code now names the successor.
    assert selectors.search_text("tran phu", ward_code=HOA_CUONG) == [place]
    assert selectors.short_plus_code(place).endswith("Hòa Cường")


def test_a_dry_run_changes_nothing() -> None:
    ward = make_ward(HAI_CHAU)
    place = make_place(ward.officer)
    out = run("--from", str(HAI_CHAU), "--to", str(HOA_CUONG), "--dry-run")
    assert "không thay đổi gì" in out
    place.refresh_from_db()
    assert place.ward_code == HAI_CHAU and place.events.count() == 1


def test_ceased_ward_committees_lead_their_places_to_the_successors_ward() -> None:
    ward = make_ward(HAI_CHAU)
    place = make_place(ward.officer)
    successor = ward_committee(HOA_CUONG)
    Agency.objects.filter(ward_code=HAI_CHAU).update(
        valid_until=datetime.date(2026, 1, 1), successor=successor
    )
    run("--successors")
    place.refresh_from_db()
    assert (place.ward_code, place.former_ward_code) == (HOA_CUONG, HAI_CHAU)


def test_unknown_wards_are_refused_with_a_message() -> None:
    ward = make_ward(HAI_CHAU)
    make_place(ward.officer)
    with pytest.raises(CommandError, match="Không có phường/xã nào của Thành phố Đà Nẵng"):
        run("--from", str(HAI_CHAU), "--to", "99999")
    with pytest.raises(CommandError, match="Không có địa điểm nào"):
        run("--from", "12345", "--to", str(HOA_CUONG))
    with pytest.raises(CommandError):
        run("--to", str(HOA_CUONG))
    with pytest.raises(UnknownWard):
        services.move_ward(from_code=HAI_CHAU, to_code=70)  # a ward of Hà Nội
