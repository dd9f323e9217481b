"""Forms 01–06 as PDF: Vietnamese text intact, the receipt's QR code, the control sheet."""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Callable
from typing import Any, cast

import pytest
import segno
from django.utils import timezone
from pypdf import PdfReader

from motcua.accounts.tests.factories import BusinessFactory
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.dossiers import services
from motcua.dossiers.documents import (
    apology_pdf,
    control_sheet_pdf,
    receipt_pdf,
    refusal_pdf,
    stop_pdf,
    supplement_request_pdf,
)
from motcua.dossiers.documents.forms import timeliness
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.printing.frame import (
    QR_BORDER,
    date_vn,
    lines_of,
    moment_vn,
    place_and_date,
)

pytestmark = pytest.mark.django_db

APPLICANT = "Trần Thị Ánh Tuyết"
TRACKING = "https://dichvucong.danang.gov.vn/tra-cuu-ho-so/?ma={code}&bi-mat={secret}"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@pytest.fixture
def world() -> World:
    world = make_world()
    world.applicant.full_name = APPLICANT
    world.applicant.save(update_fields=["full_name"])
    world.receiver.full_name = "Lê Văn Đức"
    world.receiver.save(update_fields=["full_name"])
    world.approver.full_name = "Phạm Thị Hằng"
    world.approver.save(update_fields=["full_name"])
    return world


def accepted(world: World) -> Dossier:
    dossier = file_dossier(world)
    return services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)


def processing(world: World) -> Dossier:
    return services.act(dossier=accepted(world), user=world.receiver, transition=Transition.FORWARD)


def url_for(dossier: Dossier) -> str:
    return TRACKING.format(code=dossier.code, secret=dossier.lookup_secret)


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    """All the text, whitespace (line breaks included) collapsed to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in read(data).pages).split())


# --- every form ----------------------------------------------------------------------------


def _supplement(world: World) -> bytes:
    dossier = services.act(
        dossier=accepted(world),
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Bản sao Căn cước",
    )
    return supplement_request_pdf(dossier, missing="Bản sao Căn cước")


def _refusal(world: World) -> bytes:
    dossier = services.act(
        dossier=file_dossier(world),
        user=world.receiver,
        transition=Transition.REFUSE,
        reason="Không thuộc thẩm quyền",
    )
    return refusal_pdf(dossier, reason="Không thuộc thẩm quyền")


def _stop(world: World) -> bytes:
    dossier = services.act(
        dossier=processing(world),
        user=world.approver,
        transition=Transition.STOP,
        reason="Người nộp đề nghị dừng",
    )
    return stop_pdf(dossier, reason="Người nộp đề nghị dừng")


FORMS: dict[str, tuple[str, Callable[[World], bytes]]] = {
    "01": (
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        lambda w: receipt_pdf(d := accepted(w), tracking_url=url_for(d)),
    ),
    "02": ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", _supplement),
    "03": ("Phiếu từ chối tiếp nhận giải quyết hồ sơ", _refusal),
    "04": (
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        lambda w: apology_pdf(accepted(w), reason="Chờ", new_due=datetime.date(2030, 1, 2)),
    ),
    "05": ("Thông báo dừng xử lý hồ sơ", _stop),
    "06": (
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        lambda w: control_sheet_pdf(processing(w)),
    ),
}


@pytest.mark.parametrize("number", sorted(FORMS))
def test_every_form_is_an_a4_pdf_with_the_national_header_and_embedded_font(
    world: World, number: str
) -> None:
    title, build = FORMS[number]
    data = build(world)
    reader = read(data)
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = text_of(data)
    for expected in (f"Mẫu số {number}", NATION, MOTTO, "SỞ TƯ PHÁP", title.upper()):
        assert expected in text
    assert "Đà Nẵng, ngày" in text
    assert APPLICANT in text
    code = Dossier.objects.get().code
    assert code in text
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == f"{title} – {code}"
    assert metadata.creator == "Motcua"
    assert metadata.author == "Sở Tư pháp"
    resources: Any = page["/Resources"]
    fonts = resources["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "DejaVu" in descriptor["/FontName"] and "/FontFile2" in descriptor


# --- form 01 -------------------------------------------------------------------------------


def test_receipt_says_who_what_when_and_how_to_look_it_up(world: World) -> None:
    dossier = accepted(world)
    assert dossier.due_at is not None and dossier.accepted_at is not None
    text = text_of(receipt_pdf(dossier, tracking_url=url_for(dossier)))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert f"Ông/Bà: {APPLICANT}" in text
    assert "Nội dung yêu cầu giải quyết: Cấp Phiếu lý lịch tư pháp" in text
    assert f"Trường hợp: {dossier.case_name}" in text
    assert "Hình thức nộp: Trực tuyến" in text
    # The one component with a file, with its originals and copies; not the optional one.
    assert "1 Tờ khai 1 0 1" in text and "Giấy ủy quyền" not in text
    assert f"Thời gian nhận hồ sơ: {moment_vn(dossier.accepted_at)}" in text
    assert f"Thời gian trả kết quả giải quyết hồ sơ: {moment_vn(dossier.due_at)}" in text
    assert date_vn(dossier.due_at) in text
    assert f"Mã tra cứu: {dossier.lookup_secret}" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Lê Văn Đức" in text
    assert "NGƯỜI NỘP HỒ SƠ" not in text  # filed online: nobody signs at the counter


def test_receipt_times_are_vietnam_time_whatever_the_active_time_zone(world: World) -> None:
    dossier = accepted(world)
    assert dossier.due_at is not None
    due = timezone.localtime(dossier.due_at, datetime.timezone(datetime.timedelta(hours=7)))
    with timezone.override("America/New_York"):
        text = text_of(receipt_pdf(dossier, tracking_url=url_for(dossier)))
    assert f"{due:%H} giờ {due:%M} phút, ngày {due:%d/%m/%Y}" in text


def test_receipt_qr_code_encodes_the_tracking_url(world: World) -> None:
    dossier = accepted(world)
    url = url_for(dossier)
    page = read(receipt_pdf(dossier, tracking_url=url)).pages[0]
    assert len(page.images) == 1
    image = page.images[0].image
    assert image is not None
    picture = image.convert("L")
    # No decoder needed: the embedded picture's modules are exactly segno's symbol for the URL.
    matrix = segno.make(url, error="m", micro=False).matrix
    assert picture.width == picture.height
    scale = picture.width / (len(matrix) + 2 * QR_BORDER)
    for row, bits in enumerate(matrix):
        for column, bit in enumerate(bits):
            x = int((QR_BORDER + column + 0.5) * scale)
            y = int((QR_BORDER + row + 0.5) * scale)
            dark = cast(int, picture.getpixel((x, y))) < 128
            assert dark == bool(bit), (row, column)
    links = [annot.get_object() for annot in page.get("/Annots", [])]
    assert any(link.get("/A", {}).get("/URI") == url for link in links)


def test_receipt_for_a_business_on_paper(world: World) -> None:
    dossier = accepted(world)
    business = BusinessFactory.create(name="Công ty TNHH Ánh Dương")
    Dossier.objects.filter(pk=dossier.pk).update(on_behalf_of=business, channel=Channel.IN_PERSON)
    dossier.attachments.update(dossier=None)
    dossier.refresh_from_db()
    text = text_of(receipt_pdf(dossier, tracking_url=url_for(dossier)))
    assert "Đại diện cho: Công ty TNHH Ánh Dương (mã số thuế 0100109106)" in text
    assert "Hình thức nộp: Trực tiếp tại Bộ phận Một cửa" in text
    # No files: the mandatory components are what the counter received.
    assert "1 Tờ khai 1 0 —" in text and "Giấy ủy quyền" not in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_the_parent_agency_heads_the_agency_block(world: World) -> None:
    city = AgencyFactory.create(code="H17", name="Ủy ban nhân dân thành phố Đà Nẵng")
    Agency.objects.filter(pk=world.agency.pk).update(parent=city)
    dossier = accepted(world)
    text = text_of(receipt_pdf(dossier, tracking_url=url_for(dossier)))
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG SỞ TƯ PHÁP" in text


def test_decomposed_text_prints_as_ordinary_vietnamese(world: World) -> None:
    world.applicant.full_name = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    world.applicant.save(update_fields=["full_name"])
    dossier = accepted(world)
    assert "Nguyễn Thị Hường" in text_of(receipt_pdf(dossier, tracking_url=url_for(dossier)))


# --- forms 02 to 05 ------------------------------------------------------------------------


def test_supplement_request_lists_each_missing_item(world: World) -> None:
    missing = "- Bản sao Căn cước công dân\n\n* Giấy ủy quyền có chứng thực\n3. Ảnh 4x6"
    dossier = services.act(
        dossier=accepted(world),
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason=missing,
    )
    text = text_of(supplement_request_pdf(dossier, missing=missing))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Bản sao Căn cước công dân 2. Giấy ủy quyền có chứng thực 3. Ảnh 4x6" in text
    assert f"Ngày nộp hồ sơ: {date_vn(dossier.submitted_at)}" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and "Lê Văn Đức" in text
    with pytest.raises(ValueError):
        supplement_request_pdf(dossier, missing=" \n - \n")


def test_a_long_list_runs_onto_more_pages_with_the_footer(world: World) -> None:
    dossier = accepted(world)
    missing = "\n".join(f"Giấy tờ thứ {n} còn thiếu chữ ký của người đại diện" for n in range(80))
    data = supplement_request_pdf(dossier, missing=missing)
    reader = read(data)
    assert len(reader.pages) >= 2
    last = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Mã hồ sơ {dossier.code} · Trang {number}/{last}" in page.extract_text()
    assert "80. Giấy tờ thứ 79" in text_of(data)


def test_refusal_gives_the_reasons(world: World) -> None:
    reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp\nĐề nghị nộp tại UBND phường"
    dossier = services.act(
        dossier=file_dossier(world),
        user=world.receiver,
        transition=Transition.REFUSE,
        reason=reason,
    )
    text = text_of(refusal_pdf(dossier, reason=reason))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "1. Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp" in text
    assert "2. Đề nghị nộp tại UBND phường" in text
    assert "Lê Văn Đức" in text
    with pytest.raises(ValueError):
        refusal_pdf(dossier, reason="")


def test_apology_gives_the_reason_and_the_new_appointment(world: World) -> None:
    dossier = accepted(world)
    assert dossier.due_at is not None
    text = text_of(
        apology_pdf(
            dossier, reason="Cần xác minh thêm tại Công an", new_due=datetime.date(2030, 1, 2)
        )
    )
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert f"Kính gửi: Ông/Bà {APPLICANT}." in text
    assert "Cần xác minh thêm tại Công an" in text
    assert f"Thời gian hẹn trả kết quả: {moment_vn(dossier.due_at)}" in text
    assert "Thời gian hẹn trả kết quả mới: 02/01/2030" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text
    at_time = datetime.datetime(2030, 1, 2, 1, 30, tzinfo=datetime.UTC)
    text = text_of(apology_pdf(dossier, reason="Chờ", new_due=at_time))
    assert "Thời gian hẹn trả kết quả mới: 08 giờ 30 phút, ngày 02/01/2030" in text


def test_stop_notice_cites_form_05_and_the_reason(world: World) -> None:
    dossier = services.act(
        dossier=processing(world),
        user=world.approver,
        transition=Transition.STOP,
        reason="Người nộp hồ sơ đề nghị dừng giải quyết",
    )
    text = text_of(stop_pdf(dossier, reason="Người nộp hồ sơ đề nghị dừng giải quyết"))
    assert "Mẫu số 05" in text and "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ" in text
    assert "Người nộp hồ sơ đề nghị dừng giải quyết" in text
    assert "Phạm Thị Hằng" in text


# --- form 06 -------------------------------------------------------------------------------


def test_control_sheet_lists_every_hand_over_with_its_timeliness(world: World) -> None:
    dossier = processing(world)
    dossier = services.act(
        dossier=dossier,
        user=world.processor,
        transition=Transition.HAND_OVER,
        to_unit=world.other_agency,
    )
    dossier = services.act(
        dossier=dossier,
        user=world.outsider_officer,
        transition=Transition.HAND_OVER,
        to_unit=world.agency,
        reason="Đã thẩm định",
    )
    for user, transition in (
        (world.approver, Transition.DECIDE),
        (world.receiver, Transition.RETURN_RESULT),
    ):
        dossier = services.act(dossier=dossier, user=user, transition=transition)
    # The other department kept it past the appointment: it and what follows are late.
    assert dossier.due_at is not None
    late = dossier.events.filter(transition__in=["decide", "return_result"]) | (
        dossier.events.filter(transition=Transition.HAND_OVER, to_unit=world.agency)
    )
    late.update(created_at=dossier.due_at + datetime.timedelta(days=1))

    text = text_of(control_sheet_pdf(dossier))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    events = list(dossier.events.exclude(transition=Transition.SUBMIT))
    assert len(events) == 6
    for number, event in enumerate(events, start=1):
        assert f" {number} " in text
        assert f"{timezone.localtime(event.created_at):%H:%M %d/%m/%Y}" in text
    for note in ("Tiếp nhận hồ sơ", "Chuyển giải quyết", "Chuyển tiếp", "Trả kết quả"):
        assert note in text
    one_stop = "Bộ phận Một cửa – Sở Tư pháp"
    for row in (
        f"1 Người nộp: {APPLICANT} {one_stop}",
        f"2 {one_stop} Sở Tư pháp",
        "3 Sở Tư pháp Sở Xây dựng",
        "4 Sở Xây dựng Sở Tư pháp",
        f"5 Sở Tư pháp {one_stop}",
        f"6 {one_stop} Người nộp: {APPLICANT}",
    ):
        assert row in text
    assert "Đã thẩm định" in text
    assert text.count("người thực hiện:") == 6
    assert text.count("Trước hạn") == 3 and text.count("Quá hạn") == 3


def test_control_sheet_before_any_hand_over(world: World) -> None:
    text = text_of(control_sheet_pdf(file_dossier(world)))
    assert "Hồ sơ chưa được giao, nhận giữa các bộ phận." in text


def test_timeliness_is_ahead_on_the_day_or_late() -> None:
    due = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)  # 17:00 in Đà Nẵng
    assert timeliness(due - datetime.timedelta(days=2), due) == "Trước hạn"
    assert timeliness(due - datetime.timedelta(hours=5), due) == "Đúng hạn"
    assert timeliness(due + datetime.timedelta(minutes=1), due) == "Quá hạn"
    assert timeliness(due, None) == "—"


# --- formatting ----------------------------------------------------------------------------


def test_dates_and_place_line(world: World) -> None:
    assert date_vn(datetime.datetime(2026, 1, 4, 18, 30, tzinfo=datetime.UTC)) == "05/01/2026"
    assert date_vn(None) == "—"
    assert place_and_date(world.agency, datetime.date(2026, 1, 5)) == (
        "Đà Nẵng, ngày 05 tháng 01 năm 2026"
    )
    assert place_and_date(world.agency, datetime.date(2026, 11, 26)) == (
        "Đà Nẵng, ngày 26 tháng 11 năm 2026"
    )


def test_lines_of_drops_bullets_and_blank_lines() -> None:
    assert lines_of("- a  b\n\n  * c\r\n1) d\n2. e\n-x") == ["a b", "c", "d", "e", "-x"]


def test_the_embedded_fonts_hold_every_vietnamese_letter_and_the_dong_sign() -> None:
    from fontTools.ttLib import TTFont

    from motcua.printing.frame import FONT_DIR

    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    wanted = set(letters + letters.upper() + tones + tones.upper() + "₫–—“”‘’…·•→№")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = TTFont(FONT_DIR / name).getBestCmap()
        missing = sorted(ch for ch in wanted if ord(ch) not in cmap)
        assert not missing, (name, missing)


def test_each_hand_over_is_on_time_or_late_against_its_own_step(world: World) -> None:
    from decimal import Decimal

    from motcua.catalog import services as catalog_services
    from motcua.catalog.models import ProcessingStep

    case = world.procedure.cases.get()
    for position, (name, role) in enumerate(
        (("Tiếp nhận", "receiver"), ("Thẩm định", "processor"), ("Ký", "approver"))
    ):
        ProcessingStep.objects.create(
            case=case, position=position, name=name, role=role, duration=Decimal("0")
        )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="steps")
    dossier = processing(world)
    dossier = services.act(
        dossier=dossier, user=world.processor, transition=Transition.HAND_OVER, to_unit=world.agency
    )
    # The appraisal step had its own deadline a day before it was handed over; the dossier's
    # appointment is still ahead.
    appraisal = dossier.steps.get(name="Thẩm định")
    assert appraisal.finished_at is not None and dossier.due_at is not None
    appraisal.due_at = appraisal.finished_at - datetime.timedelta(days=1)
    appraisal.save(update_fields=["due_at"])
    dossier.steps.filter(name="Tiếp nhận").update(due_at=dossier.due_at)
    assert timezone.now() < dossier.due_at

    text = text_of(control_sheet_pdf(dossier))
    assert text.count("Quá hạn") == 1
    assert "bước “Thẩm định”, hạn" in text and "bước “Tiếp nhận”, hạn" in text
    late_row = text[text.index("3 Sở Tư pháp Sở Tư pháp") :]
    assert late_row.index("Quá hạn") < late_row.index("bước “Thẩm định”")


def test_the_control_sheet_counts_against_the_first_appointment_after_an_apology(
    world: World,
) -> None:
    from motcua.dossiers.deadlines import send_apology, sweep_deadlines
    from motcua.dossiers.models import ApologyLetter

    dossier = processing(world)
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    sweep_deadlines()
    send_apology(letter=ApologyLetter.objects.get(), officer=world.receiver, reason="Chờ")
    dossier = services.act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    dossier.refresh_from_db()
    assert dossier.apology_due_at is not None and dossier.apology_due_at > timezone.now()
    text = text_of(control_sheet_pdf(dossier))
    assert "Thời gian hẹn trả kết quả mới (phiếu xin lỗi)" in text
    # Every move came after the first appointment (moved an hour back), though before the new
    # one: all are late.
    assert text.count("Quá hạn") == 3 and "Trước hạn" not in text and "Đúng hạn" not in text
