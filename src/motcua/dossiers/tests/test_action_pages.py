"""One form, one view and one URL per action on the dossier pages: done, back to the page;
refused, the page again with status 400, the error next to what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers import services
from motcua.dossiers.forms import ConsultationForm
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def processing(world: World) -> Dossier:
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=world.receiver, transition=transition)
    return dossier


@pytest.mark.parametrize(
    ("typed", "days"),
    [("1", Decimal(1)), ("0,5", Decimal("0.5")), ("2.25", Decimal("2.25")), ("60", Decimal(60))],
)
def test_the_time_slice_takes_a_comma_or_a_point(world: World, typed: str, days: Decimal) -> None:
    form = ConsultationForm({"agency": "H17.03", "part": "x", "working_days": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["working_days"] == days


@pytest.mark.parametrize("typed", ["", "0", "-1", "60.01", "abc", "NaN", "Infinity", "1e400"])
def test_the_time_slice_is_more_than_0_and_at_most_60(world: World, typed: str) -> None:
    with translation.override("vi"):
        form = ConsultationForm({"agency": "H17.03", "part": "x", "working_days": typed})
        assert not form.is_valid()
        errors = [str(error) for error in form.errors["working_days"]]
    assert errors == ["Thời hạn phối hợp phải lớn hơn 0 và không quá 60 ngày làm việc."]


def test_the_coordinating_agency_must_exist(world: World) -> None:
    with translation.override("vi"):
        form = ConsultationForm({"agency": "X99", "part": "x", "working_days": "1"})
        errors = [str(error) for error in form.errors["agency"]]
    assert errors == ["Vui lòng chọn cơ quan phối hợp."]


def test_a_refused_consultation_keeps_what_was_typed(world: World) -> None:
    dossier = processing(world)
    lead = Client()
    sign_in_with_second_factor(lead, world.processor)
    url = f"/can-bo/ho-so/{dossier.code}/phoi-hop/"
    refused = lead.post(url, {"agency": "H17.03", "part": "Thẩm định móng", "working_days": "61"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Thẩm định móng</textarea>" in page
    assert 'value="61"' in page
    assert 'aria-describedby="consult-working_days_error"' in page
    assert 'id="consult-working_days_error"' in page and "không quá 60 ngày" in page
    assert not Consultation.objects.exists()

    done = lead.post(url, {"agency": "H17.03", "part": "Thẩm định móng", "working_days": "0,5"})
    assert done.status_code == 302 and done["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert Consultation.objects.get().part == "Thẩm định móng"


def test_a_refused_transition_keeps_the_reason_typed_in_its_form(world: World) -> None:
    dossier = file_dossier(world)
    desk = Client()
    sign_in_with_second_factor(desk, world.receiver)
    url = f"/can-bo/ho-so/{dossier.code}/xu-ly/"
    # Guiding elsewhere names the competent agency: without it, refused.
    refused = desk.post(url, {"transition": "guide_elsewhere", "reason": "Không thuộc thẩm quyền"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="transition-errors"' in page and 'role="alert"' in page
    assert (
        'aria-invalid="true" aria-describedby="transition-errors">Không thuộc thẩm quyền</textarea>'
        in page
    )
    assert page.count("Không thuộc thẩm quyền</textarea>") == 1  # in its own form only
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED


def test_the_officer_page_takes_no_post_and_actions_need_the_dossiers_agency(
    world: World,
) -> None:
    dossier = file_dossier(world)
    ours = Client()
    sign_in_with_second_factor(ours, world.receiver)
    assert ours.post(f"/can-bo/ho-so/{dossier.code}/", {"transition": "accept"}).status_code == 405
    theirs = Client()
    sign_in_with_second_factor(theirs, world.outsider_officer)
    for path, body in (
        ("xu-ly/", {"transition": "accept"}),
        ("phoi-hop/", {"agency": "H17.03", "part": "x", "working_days": "1"}),
        ("xin-loi/1/", {"reason": "x"}),
        ("phoi-hop/1/tra-loi/", {"answer": "x"}),
    ):
        assert theirs.post(f"/can-bo/ho-so/{dossier.code}/{path}", body).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED


def test_the_applicants_actions_have_their_own_urls(world: World) -> None:
    dossier = file_dossier(world)
    services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu giấy ủy quyền",
    )
    applicant = Client()
    applicant.force_login(world.applicant)
    page = applicant.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f'action="/ho-so/{dossier.code}/bo-sung/tep/"' in page
    assert f'action="/ho-so/{dossier.code}/bo-sung/"' in page

    no_file = applicant.post(f"/ho-so/{dossier.code}/bo-sung/tep/", {"component": "1"})
    assert no_file.status_code == 400
    page = no_file.content.decode()
    assert 'id="supplement-file-error"' in page and "Vui lòng chọn tệp." in page
    assert '<option value="1" selected>' in page  # the document chosen stays chosen

    wrong = applicant.post(f"/ho-so/{dossier.code}/bo-sung/tep/", {"component": "9", "file": pdf()})
    assert wrong.status_code == 400
    upload_url = f"/ho-so/{dossier.code}/bo-sung/tep/"
    uploaded = applicant.post(upload_url, {"component": "1", "file": pdf()})
    assert uploaded.status_code == 302
    done = applicant.post(f"/ho-so/{dossier.code}/bo-sung/")
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.ACCEPTED

    withdrawn = applicant.post(
        f"/ho-so/{dossier.code}/rut/", {"reason": "Nộp nhầm", "confirm": "on"}
    )
    assert withdrawn.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN
    again = applicant.post(
        f"/ho-so/{dossier.code}/rut/", {"reason": "Nộp nhầm lần hai", "confirm": "on"}
    )
    assert again.status_code == 400 and 'class="error-summary" role="alert"' in again.text


def test_a_refused_apology_or_answer_says_why_at_its_field(world: World) -> None:
    import datetime

    from django.utils import timezone

    from motcua.dossiers import coordination
    from motcua.dossiers.deadlines import sweep_deadlines
    from motcua.dossiers.models import ApologyLetter

    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    sweep_deadlines()
    letter = ApologyLetter.objects.get(dossier=dossier)
    desk = Client()
    sign_in_with_second_factor(desk, world.receiver)
    refused = desk.post(f"/can-bo/ho-so/{dossier.code}/xin-loi/{letter.pk}/", {"reason": "  "})
    assert refused.status_code == 400
    page = refused.content.decode()
    reason_id = f"apology-{letter.pk}-reason"
    assert f'aria-describedby="{reason_id}_error"' in page
    assert f'id="{reason_id}_error">Vui lòng nêu rõ lý do' in page
    letter.refresh_from_db()
    assert letter.status == "draft"

    dossier = processing(world)
    consultation = coordination.request_part(
        dossier=dossier,
        officer=world.processor,
        agency=world.other_agency,
        part="Thẩm định",
        working_days=1,
    )
    coordinating = Client()
    sign_in_with_second_factor(coordinating, world.outsider_officer)
    url = f"/can-bo/ho-so/{dossier.code}/phoi-hop/{consultation.pk}/tra-loi/"
    refused = coordinating.post(url, {"answer": ""})
    assert refused.status_code == 400
    assert f'aria-describedby="answer-{consultation.pk}-answer_error"' in refused.text
    done = coordinating.post(url, {"answer": "Đồng ý"})
    assert done.status_code == 302
