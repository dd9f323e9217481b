"""The demo's two whole journeys, as citizen and officer, through the pages on a phone.

Issue 13's "done when": on the demo catalogue, a birth registration (1.001193) and a house
building permit (1.009994) are filed, received, supplemented or paid, decided, signed and
downloaded in a real browser at 360 px; the test asserts what a person relies on (the fee on
the review step, the supplement's reason at the top of the citizen's page, the child's name
and the permit's site on the signed PDF, the signer on the verification page), listens to a
procedure, and axe-core finds no serious or critical violation on the pages passed through.
Only the people are set up by code; everything else is done by clicking.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from motcua.accounts.models import AgencyMembership, User
from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import Procedure
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, officer
from motcua.eforms.examples import example_document
from tests.e2e.people import PASSWORD, sign_in
from tests.e2e.test_accessibility import violations
from tests.e2e.test_demo_birth_registration import fill_step

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
CHILD = "Nguyễn Minh Khang"
SUPPLEMENT_REASON = "Giấy chứng sinh bị mờ, xin nộp lại bản rõ nét"
SITE = "Thửa đất số 125, tờ bản đồ số 7, 12 Lê Duẩn, phường Hải Châu"
OWNER = "Trần Văn Bình"
APPROVER = "Phạm Thị Lan"


def text_of(data: bytes) -> str:
    """A PDF's text, its spacing made single so that wrapped lines still match."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def wait(page: Any) -> Any:
    """Each click below loads a new page: wait for it before looking at what it shows."""
    return page.expect_navigation()


def act(page: Any, transition: str, reason: str = "") -> None:
    form = page.locator(f"form:has(input[name=transition][value={transition}])")
    if reason:
        form.locator("textarea").fill(reason)
    with wait(page):
        form.locator("button[type=submit]").click()


def people(procedure: Procedure) -> tuple[Agency, User, User, TOTPDevice]:
    """A level-2 citizen of the procedure's first ward and that ward's officer (with TOTP)."""
    ward = procedure.agencies.filter(kind=AgencyKind.WARD_COMMITTEE).order_by("code").first()
    assert ward is not None
    citizen = UserFactory.create(
        full_name="Lê Thị Thu Hà", assurance_level=2, current_ward_code=ward.ward_code
    )
    citizen.set_password(PASSWORD)
    citizen.save()
    staff = officer(ward, "receiver", "processor", "approver")
    staff.full_name = APPROVER
    staff.set_password(PASSWORD)
    staff.save()
    AgencyMembership.objects.filter(user=staff, role="approver").update(title="Chủ tịch")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    return ward, citizen, staff, device


def sign_in_with_second_factor(page: Any, base: str, staff: User, device: TOTPDevice) -> None:
    sign_in(page, base, staff.username)
    page.goto(base + "/can-bo/ho-so/")
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    page.fill("input[name=token]", f"{token:06d}")
    with wait(page):
        page.locator("form button[type=submit]").last.click()


def file_online(page: Any, base: str, code: str, answers: dict[str, Any], document: Path) -> str:
    """Files the procedure's first case step by step; returns the review step's text."""
    page.goto(f"{base}/thu-tuc/{code}/nop-truc-tuyen/")
    page.locator("#case-0").check()
    with wait(page):
        page.locator(f"form[action$='/ho-so/nop/{code}/'] button").click()
    for _step in range(10):
        if page.locator("button[value=next]").count() == 0:
            break
        fill_step(page, answers)
        with wait(page):
            page.locator("button[value=next]").click()
    uploads = page.locator("input[type=file]").evaluate_all("inputs => inputs.map(i => i.id)")
    for upload in uploads:
        page.locator(f"#{upload}").set_input_files(str(document))
        with wait(page):
            page.locator(f"form:has(#{upload}) button").click()
    return str(page.inner_text("main"))


def receive(page: Any, base: str, dossier: Dossier) -> None:
    """The desk finds the dossier in its list, ticks every document valid and accepts it."""
    page.goto(base + "/can-bo/ho-so/?list=to_receive")
    with wait(page):
        page.get_by_role("link", name=dossier.code).click()
    for box in page.locator("#checklist input[name^=valid-]").all():
        box.check()
    with wait(page):
        page.locator("form:has(#checklist) button[type=submit]").click()
    act(page, "accept")


def fill_decision(page: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#id_decision_{name}", value)
    with wait(page):
        page.locator(f"form:has(#id_decision_{next(iter(values))}) button[type=submit]").click()


def signed_result(page: Any, base: str, dossier: Dossier) -> bytes:
    """What the citizen's download link on their dossier page gives."""
    page.goto(f"{base}/ho-so/{dossier.code}/")
    href = page.locator("#result-heading ~ p a.button").get_attribute("href")
    response = page.request.get(base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    body: bytes = response.body()
    assert body.startswith(b"%PDF")
    return body


def check_page(page: Any, name: str, found: list[str]) -> None:
    """axe-core on the page as it is now, and nothing wider than the phone."""
    found += [f"{name}: {v}" for v in violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        found.append(f"{name}: {width} px wide")


def listen(page: Any, base: str) -> float:
    """Presses "Nghe" on the procedure page; the audio's duration once it can play."""
    page.goto(base + "/thu-tuc/1.001193/")
    with wait(page):
        page.get_by_role("button", name="Nghe", exact=True).click()
    assert page.locator("audio[controls]").count() == 1
    return float(
        page.evaluate(
            """() => new Promise((resolve, reject) => {
                const audio = document.querySelector('audio');
                const done = () => resolve(audio.duration);
                if (audio.readyState >= 3) { done(); return; }
                audio.addEventListener('canplay', done, {once: true});
                audio.addEventListener('error', () => reject(new Error('audio error')),
                                       {once: true});
                audio.load();
                setTimeout(() => reject(new Error('no canplay')), 15000);
            })"""
        )
    )


def test_birth_registration_filed_supplemented_decided_downloaded_and_rated(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    procedure = Procedure.objects.get(code="1.001193")
    ward, citizen_user, staff, device = people(procedure)
    schema = procedure.versions.order_by("-number")[0].snapshot["cases"][0]["eform"]
    answers = {**example_document(schema), "ho_ten_tre": CHILD}
    document = tmp_path / "giay-to.pdf"
    document.write_bytes(PDF)
    base = live_server.url
    citizen = browser.new_context(**PHONE).new_page()
    desk = browser.new_context(**PHONE).new_page()
    found: list[str] = []

    # Before filing, the citizen listens to the procedure read aloud.
    duration = listen(citizen, base)
    assert duration > 0, duration
    check_page(citizen, "procedure page", found)

    # Filed step by step; the identity card is proved by the level-2 e-ID, not uploaded.
    sign_in(citizen, base, citizen_user.username)
    review = file_online(citizen, base, "1.001193", answers, document)
    assert "đã xác thực qua tài khoản định danh điện tử" in review
    assert CHILD in review and ward.name in review
    assert "Miễn phí" in review  # the fee, on the step where the citizen commits
    check_page(citizen, "review step", found)
    citizen.locator("#id_declared").check()
    with wait(citizen):
        citizen.locator("button[value=submit]").click()
    dossier = Dossier.objects.get()
    assert citizen.url.endswith(f"/ho-so/{dossier.code}/")

    # The ward's desk accepts, then asks for a supplement with its reason.
    sign_in_with_second_factor(desk, base, staff, device)
    receive(desk, base, dossier)
    check_page(desk, "officer's dossier page", found)
    act(desk, "request_supplement", SUPPLEMENT_REASON)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED

    # The citizen reads the reason first thing on their page, and sends what is asked for.
    citizen.goto(f"{base}/ho-so/{dossier.code}/")
    assert SUPPLEMENT_REASON in citizen.inner_text("#next-action")
    check_page(citizen, "citizen's page asking for a supplement", found)
    citizen.select_option("#component", "1")  # giấy chứng sinh
    citizen.locator("#supplement-file").set_input_files(str(document))
    with wait(citizen):
        citizen.locator("form:has(#supplement-file) button").click()
    with wait(citizen):
        citizen.locator("button[value=supplement]").click()
    assert dossier.attachments.filter(for_supplement=True).count() == 1

    # The officer forwards, fills the extract's fields, decides (signs) and returns it.
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    act(desk, "forward")
    fill_decision(desk, {"so_dang_ky": "128/2026", "quyen_so": "01/2026"})
    assert desk.input_value("#id_decision_so_dang_ky") == "128/2026"
    check_page(desk, "officer's decision fields", found)
    act(desk, "decide")
    act(desk, "return_result")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # The citizen downloads the signed extract, which names the child, and rates the service.
    extract = text_of(signed_result(citizen, base, dossier))
    assert "Đã trả kết quả" in citizen.inner_text("main")
    assert CHILD.upper() in extract and "128/2026" in extract
    check_page(citizen, "citizen's page with the result", found)
    # each criterion of the service-quality index's survey, then the overall score
    rating = citizen.locator("#rating-heading ~ form")
    names = rating.locator("input[type=radio]").evaluate_all(
        "inputs => [...new Set(inputs.map(i => i.name))]"
    )
    assert "value" in names and len(names) > 1
    for name in names:
        rating.locator(f"input[name={name}]").first.check()
    with wait(citizen):
        citizen.locator("#rating-heading ~ form button[type=submit]").click()
    assert citizen.locator("#rating-heading ~ form").count() == 0  # rated once, shown
    assert dossier.rating is not None  # type: ignore[attr-defined]
    assert found == [], "\n".join(found)


def test_building_permit_filed_paid_decided_downloaded_and_verified(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = True
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    settings.MOTCUA_PAYMENT_BASE_URL = ""
    settings.MOTCUA_PUBLIC_URL = live_server.url
    call_command("load_demo", stdout=io.StringIO())
    procedure = Procedure.objects.get(code="1.009994")
    ward, citizen_user, staff, device = people(procedure)
    schema = procedure.versions.order_by("-number")[0].snapshot["cases"][0]["eform"]
    answers = {
        **example_document(schema),
        "ho_ten_chu_dau_tu": OWNER,
        "dia_diem_xay_dung": SITE,
        "dien_tich_lo_dat": 100,
        "dien_tich_xay_dung": 80,
        "tong_dien_tich_san": 240,
        "so_tang": 3,
    }
    document = tmp_path / "giay-to.pdf"
    document.write_bytes(PDF)
    base = live_server.url
    citizen = browser.new_context(**PHONE).new_page()
    desk = browser.new_context(**PHONE).new_page()
    found: list[str] = []

    # Filed online; the review step shows the 75,000 đồng fee before the citizen commits.
    sign_in(citizen, base, citizen_user.username)
    review = file_online(citizen, base, "1.009994", answers, document)
    assert SITE in review and ward.name in review
    assert "75.000" in review
    check_page(citizen, "review step", found)
    citizen.locator("#id_declared").check()
    with wait(citizen):
        citizen.locator("button[value=submit]").click()
    dossier = Dossier.objects.get()

    # The desk accepts: the fee is due before processing.
    sign_in_with_second_factor(desk, base, staff, device)
    receive(desk, base, dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT

    # The citizen pays it in the sandbox gateway and comes back.
    citizen.goto(f"{base}/ho-so/{dossier.code}/")
    assert "75.000" in citizen.inner_text("main")
    check_page(citizen, "citizen's page asking for the fee", found)
    with wait(citizen):
        citizen.locator(f"form[action='/thanh-toan/ho-so/{dossier.code}/'] button").click()
    assert "SANDBOX" in citizen.inner_text(".sandbox-banner")
    assert "75.000" in citizen.inner_text("main")
    check_page(citizen, "sandbox gateway", found)
    with wait(citizen):
        citizen.locator("#sandbox-confirm").click()
    assert citizen.get_attribute("#payment-state", "data-state") == "paid"
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED

    # The officer forwards, fills the permit's fields, previews it, decides and returns it.
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    act(desk, "forward")
    fill_decision(
        desk,
        {
            "so_giay_phep": "57/GPXD",
            "dien_tich_xay_dung": "78",
            "so_tang": "3",
            "chieu_cao": "12",
            "hieu_luc_den": "2027-12-31",
        },
    )
    check_page(desk, "officer's permit fields", found)
    preview_href = desk.locator("#decision-heading ~ p a.button").get_attribute("href")
    preview = desk.request.get(base + preview_href)
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    draft = text_of(preview.body())
    assert "BẢN XEM TRƯỚC" in draft and "57/GPXD" in draft and SITE in draft
    act(desk, "decide")
    act(desk, "return_result")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # The citizen downloads the signed permit: the site, the area and the floors granted.
    signed = signed_result(citizen, base, dossier)
    permit = text_of(signed)
    assert "GIẤY PHÉP XÂY DỰNG SỐ 57/GPXD" in permit.upper()
    assert SITE in permit and OWNER in permit
    assert "Diện tích xây dựng tầng 1: 78 m²" in permit and "Số tầng: 3" in permit
    assert "31/12/2027" in permit and "BẢN XEM TRƯỚC" not in permit

    # Anyone checks it on the public verification page, which names the signer.
    saved = tmp_path / "giay-phep.pdf"
    saved.write_bytes(signed)
    checker = browser.new_context(**PHONE).new_page()
    checker.goto(base + "/verify/")
    checker.locator("input[type=file]").set_input_files(str(saved))
    with wait(checker):
        checker.locator("form[action='/verify/'] button[type=submit]").click()
    assert checker.get_attribute("[data-outcome]", "data-outcome") == "valid"
    verdict = checker.inner_text("main")
    assert dossier.code in verdict and f"{APPROVER}, Chủ tịch, {ward.name}" in verdict
    check_page(checker, "verification page", found)
    assert found == [], "\n".join(found)
