"""Forms 01–06 of the one-stop procedure (DOMAIN.md §4), one function each, as PDF bytes.

Each function reads the dossier as it is (its history gives the signer and the date of the
act the form records) and returns the whole document; the caller decides whether to store,
send or stream it. Reasons are written as the officer typed them, one item per line.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.utils import timezone
from fpdf.enums import WrapMode, XPos

from motcua.agencies.models import Agency
from motcua.printing.frame import (
    LINE,
    FormPDF,
    Signer,
    clean,
    date_vn,
    lines_of,
    local,
    moment_vn,
    short_moment_vn,
    when_vn,
)

from ..lifecycle import Transition
from ..models import Channel, Dossier, DossierEvent, DossierStep

RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
SUPPLEMENT_REQUEST = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
REFUSAL = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
APOLOGY = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
STOP = "Thông báo dừng xử lý hồ sơ"
CONTROL_SHEET = "Phiếu kiểm soát quá trình giải quyết hồ sơ"

CHANNELS = {
    Channel.IN_PERSON: "Trực tiếp tại Bộ phận Một cửa",
    Channel.ONLINE: "Trực tuyến",
    Channel.POST: "Qua dịch vụ bưu chính",
}
TIME_UNITS = {
    "working_days": "ngày làm việc",
    "calendar_days": "ngày",
    "working_hours": "giờ làm việc",
}
HEAD_OF_AGENCY = Signer("Thủ trưởng cơ quan", hint="(Ký, ghi rõ họ tên và đóng dấu)")

# The moves of the dossier between units, logged on the control sheet (form 06).
HAND_OVERS = {
    Transition.ACCEPT: "Tiếp nhận hồ sơ",
    Transition.FORWARD: "Chuyển giải quyết",
    Transition.HAND_OVER: "Chuyển tiếp",
    Transition.DECIDE: "Có kết quả, chuyển Bộ phận Một cửa",
    Transition.RETURN_RESULT: "Trả kết quả",
}


# --- what every form says about the dossier ------------------------------------------------


def _name(dossier: Dossier) -> str:
    return clean(dossier.applicant.full_name or dossier.applicant.username)


def _you(dossier: Dossier) -> str:
    """How the form addresses the applicant."""
    return {"male": "Ông", "female": "Bà"}.get(dossier.applicant.sex, "Ông/Bà")


def _last(dossier: Dossier, transition: str) -> DossierEvent | None:
    return (
        dossier.events.filter(transition=transition)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def _issued_on(event: DossierEvent | None) -> datetime.date:
    """The date the act was done (so a reprint carries it), or today."""
    return local(event.created_at if event else timezone.now()).date()


def _actor(event: DossierEvent | None) -> str:
    if event is None or event.actor is None:
        return ""
    return event.actor.full_name or event.actor.username


def _issuer(dossier: Dossier) -> Agency:
    """The agency answering for the processing (forms 04 and 05)."""
    return dossier.processing_unit or dossier.receiving_agency


def _contact(agency: Agency) -> str:
    phone = clean(agency.phone)
    return f"{clean(agency.name)} (điện thoại {phone})" if phone else clean(agency.name)


def _number(value: object) -> str:
    """A time limit as Vietnamese writes it: ``15``, ``0,5``."""
    number = Decimal(str(value or 0)).normalize()
    return f"{number:f}".replace(".", ",")


def _applicant(pdf: FormPDF, dossier: Dossier) -> None:
    applicant = dossier.applicant
    pdf.field(_you(dossier), _name(dossier))
    if dossier.on_behalf_of is not None:
        business = dossier.on_behalf_of
        pdf.field("Đại diện cho", f"{business.name} (mã số thuế {business.tax_code})")
    if applicant.phone:
        pdf.field("Số điện thoại", applicant.phone)
    if applicant.email:
        pdf.field("Thư điện tử", applicant.email)


def _request(pdf: FormPDF, dossier: Dossier) -> None:
    pdf.field("Nội dung yêu cầu giải quyết", dossier.procedure.name)
    pdf.field("Trường hợp", dossier.case_name)


def _reasons(pdf: FormPDF, text: str) -> None:
    items = lines_of(text)
    if len(items) == 1:
        pdf.paragraph(items[0], indent=5)
    else:
        pdf.numbered(items)


def _required(text: str, what: str) -> str:
    if not lines_of(text):
        raise ValueError(f"The {what} is empty: the form must state it.")
    return text


def _addressed(pdf: FormPDF, dossier: Dossier) -> None:
    to = f"{_you(dossier)} {_name(dossier)}"
    if dossier.on_behalf_of is not None:
        to += f", đại diện {clean(dossier.on_behalf_of.name)}"
    pdf.paragraph(f"Kính gửi: {to}.", bold=True)
    pdf.gap()


# --- form 01 -------------------------------------------------------------------------------


def _received_components(dossier: Dossier) -> list[tuple[str, str, str, str]]:
    """(name, originals, copies, files) of each component received.

    Online, a component is received when a file was attached to it. A paper dossier has no
    files: it could not be accepted without its mandatory components, so those are listed.
    """
    components = dossier.rules.components
    files = Counter(dossier.attachments.values_list("component_position", flat=True))
    rows = []
    for position, component in enumerate(components):
        if files[position] or (not files and component.mandatory):
            rows.append(
                (
                    component.name,
                    str(component.originals),
                    str(component.copies),
                    str(files[position]) if files else "—",
                )
            )
    return rows


def receipt_pdf(dossier: Dossier, *, tracking_url: str) -> bytes:
    """Form 01: the receipt with the appointment date, the lookup code and its QR code."""
    accept = _last(dossier, Transition.ACCEPT)
    agency = dossier.receiving_agency
    pdf = FormPDF(form="Mẫu số 01", title=RECEIPT, agency=agency, code=dossier.code)
    pdf.heading(RECEIPT, issued_on=_issued_on(accept))
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.paragraph(f"{clean(agency.name)} tiếp nhận hồ sơ của:")
    _applicant(pdf, dossier)
    _request(pdf, dossier)
    pdf.field("Hình thức nộp", CHANNELS.get(Channel(dossier.channel), ""))
    pdf.gap()

    pdf.paragraph("1. Thành phần hồ sơ nộp gồm:")
    pdf.gap(1)
    rows = [(str(n), *row) for n, row in enumerate(_received_components(dossier), start=1)]
    pdf.grid(
        ("STT", "Tên giấy tờ", "Bản chính", "Bản sao", "Tệp"),
        rows or [("", "—", "", "", "")],
        widths=(10, 97, 22, 20, 16),
        aligns=("CENTER", "LEFT", "CENTER", "CENTER", "CENTER"),
    )
    pdf.gap()
    rules = dossier.rules
    limit = f"{_number(rules.time_limit)} {TIME_UNITS.get(rules.time_unit, '')}"
    pdf.field("2. Thời gian giải quyết hồ sơ theo quy định", limit.strip())
    pdf.field("3. Thời gian nhận hồ sơ", moment_vn(dossier.accepted_at or dossier.submitted_at))
    pdf.field("4. Thời gian trả kết quả giải quyết hồ sơ", moment_vn(dossier.due_at))
    pdf.gap()

    size = 32.0
    pdf.keep(size + 4)
    top = pdf.get_y()
    pdf.qr(tracking_url, x=pdf.w - pdf.r_margin - size, y=top, size=size)
    text_width = pdf.width - size - 4
    pdf.multi_cell(text_width, LINE, "5. Tra cứu tình trạng giải quyết hồ sơ:", new_x=XPos.LMARGIN)
    for label, value in (("Mã hồ sơ", dossier.code), ("Mã tra cứu", dossier.lookup_secret)):
        pdf.set_x(pdf.l_margin + 5)
        pdf.write(LINE, f"{label}: ")
        pdf.set_font(style="B")
        pdf.write(LINE, value)
        pdf.set_font(style="")
        pdf.ln(LINE)
    pdf.set_x(pdf.l_margin + 5)
    pdf.multi_cell(
        text_width - 5,
        LINE,
        "Quét mã QR bên cạnh hoặc truy cập địa chỉ sau để tra cứu:",
        new_x=XPos.LMARGIN,
    )
    pdf.set_font(size=8.5)
    pdf.set_x(pdf.l_margin + 5)
    pdf.multi_cell(text_width - 5, 4.5, tracking_url, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
    pdf.set_font(size=11)
    pdf.set_y(max(pdf.get_y(), top + size))

    applicant = Signer("Người nộp hồ sơ", name=_name(dossier))
    pdf.signatures(
        applicant if dossier.channel != Channel.ONLINE else None,
        Signer("Người tiếp nhận hồ sơ", name=_actor(accept)),
    )
    return pdf.render()


# --- form 02 -------------------------------------------------------------------------------


def supplement_request_pdf(dossier: Dossier, *, missing: str) -> bytes:
    """Form 02: what the applicant must add, one item per line of ``missing``."""
    _required(missing, "list of missing items")
    request = _last(dossier, Transition.REQUEST_SUPPLEMENT)
    agency = dossier.receiving_agency
    pdf = FormPDF(form="Mẫu số 02", title=SUPPLEMENT_REQUEST, agency=agency, code=dossier.code)
    pdf.heading(SUPPLEMENT_REQUEST, issued_on=_issued_on(request))
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.paragraph(f"{clean(agency.name)} tiếp nhận hồ sơ của:")
    _applicant(pdf, dossier)
    _request(pdf, dossier)
    pdf.field("Ngày nộp hồ sơ", date_vn(dossier.submitted_at))
    pdf.gap()
    you = _you(dossier)
    if request is not None and request.apology:
        # A second request comes with the agency's apology (DOMAIN.md §4).
        pdf.paragraph(
            f"{clean(agency.name)} xin lỗi {you} vì phải yêu cầu bổ sung hồ sơ thêm một lần. Lý do:"
        )
        pdf.gap(1)
        _reasons(pdf, request.apology)
        pdf.gap()
    pdf.paragraph(
        "Sau khi xem xét, đối chiếu thành phần hồ sơ, đề nghị "
        f"{you} bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"
    )
    pdf.gap(1)
    pdf.numbered(lines_of(missing))
    pdf.gap()
    pdf.paragraph(
        "Thời gian bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết. "
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, {you} liên hệ "
        f"{_contact(agency)} để được hướng dẫn."
    )
    pdf.signatures(None, Signer("Người hướng dẫn", name=_actor(request)))
    return pdf.render()


# --- form 03 -------------------------------------------------------------------------------


def refusal_pdf(dossier: Dossier, *, reason: str) -> bytes:
    """Form 03: the dossier is not accepted, for the reasons given."""
    _required(reason, "reason")
    refusal = _last(dossier, Transition.REFUSE)
    agency = dossier.receiving_agency
    pdf = FormPDF(form="Mẫu số 03", title=REFUSAL, agency=agency, code=dossier.code)
    pdf.heading(REFUSAL, issued_on=_issued_on(refusal))
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.paragraph(f"{clean(agency.name)} tiếp nhận hồ sơ của:")
    _applicant(pdf, dossier)
    _request(pdf, dossier)
    pdf.field("Ngày nộp hồ sơ", date_vn(dossier.submitted_at))
    pdf.gap()
    pdf.paragraph(
        f"Qua nghiên cứu, đối chiếu với quy định hiện hành, {clean(agency.name)} từ chối "
        "tiếp nhận, giải quyết hồ sơ này vì lý do sau:"
    )
    pdf.gap(1)
    _reasons(pdf, reason)
    pdf.gap()
    pdf.paragraph(f"Xin thông báo để {_you(dossier)} được biết và thực hiện./.")
    pdf.signatures(None, Signer("Người tiếp nhận hồ sơ", name=_actor(refusal)))
    return pdf.render()


# --- form 04 -------------------------------------------------------------------------------


def apology_pdf(
    dossier: Dossier, *, reason: str, new_due: datetime.date | datetime.datetime
) -> bytes:
    """Form 04: the apology for a late result, with its reason and the new appointment."""
    _required(reason, "reason")
    issuer = _issuer(dossier)
    name = clean(issuer.name)
    you = _you(dossier)
    pdf = FormPDF(form="Mẫu số 04", title=APOLOGY, agency=issuer, code=dossier.code)
    pdf.heading(APOLOGY, issued_on=_issued_on(None))
    _addressed(pdf, dossier)
    pdf.paragraph(
        f"Ngày {date_vn(dossier.accepted_at or dossier.submitted_at)}, "
        f"{clean(dossier.receiving_agency.name)} tiếp nhận hồ sơ của {you} đề nghị giải quyết "
        f"thủ tục “{clean(dossier.procedure.name)}” ({clean(dossier.case_name)}), "
        f"mã hồ sơ {dossier.code}."
    )
    pdf.field("Thời gian hẹn trả kết quả", moment_vn(dossier.due_at))
    pdf.paragraph(
        f"Tuy nhiên đến nay, {name} chưa thể trả kết quả giải quyết hồ sơ của {you} đúng hẹn "
        "ghi trong Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Lý do:"
    )
    pdf.gap(1)
    _reasons(pdf, reason)
    pdf.gap()
    pdf.paragraph(
        f"Sự chậm trễ này đã gây phiền hà cho {you}. {name} xin lỗi {you} vì sự bất tiện này "
        f"và hẹn lại thời gian trả kết quả giải quyết hồ sơ:"
    )
    pdf.field("Thời gian hẹn trả kết quả mới", when_vn(new_due), indent=5)
    pdf.gap()
    pdf.paragraph(f"Trân trọng thông báo để {you} được biết./.")
    pdf.signatures(None, HEAD_OF_AGENCY)
    return pdf.render()


# --- form 05 -------------------------------------------------------------------------------


def stop_pdf(dossier: Dossier, *, reason: str) -> bytes:
    """Form 05: processing of the dossier is stopped, for the reasons given."""
    _required(reason, "reason")
    stop = _last(dossier, Transition.STOP)
    issuer = _issuer(dossier)
    you = _you(dossier)
    pdf = FormPDF(form="Mẫu số 05", title=STOP, agency=issuer, code=dossier.code)
    pdf.heading(STOP, issued_on=_issued_on(stop))
    _addressed(pdf, dossier)
    pdf.paragraph(
        f"Ngày {date_vn(dossier.accepted_at or dossier.submitted_at)}, "
        f"{clean(dossier.receiving_agency.name)} tiếp nhận hồ sơ của {you} đề nghị giải quyết "
        f"thủ tục “{clean(dossier.procedure.name)}” ({clean(dossier.case_name)}), "
        f"mã hồ sơ {dossier.code}."
    )
    pdf.paragraph(f"{clean(issuer.name)} thông báo dừng xử lý hồ sơ nêu trên. Lý do:")
    pdf.gap(1)
    _reasons(pdf, reason)
    pdf.gap()
    pdf.paragraph(
        f"Nếu có vướng mắc, {you} liên hệ {_contact(issuer)} để được hướng dẫn. "
        f"Trân trọng thông báo để {you} được biết./."
    )
    pdf.signatures(None, Signer(HEAD_OF_AGENCY.role, HEAD_OF_AGENCY.hint, _actor(stop)))
    return pdf.render()


# --- form 06 -------------------------------------------------------------------------------


def timeliness(at: datetime.datetime, due: datetime.datetime | None) -> str:
    """Against the appointment: ahead of it, on its day, or after it."""
    if due is None:
        return "—"
    if at > due:
        return "Quá hạn"
    return "Đúng hạn" if local(at).date() == local(due).date() else "Trước hạn"


def _unit(agency: Agency | None) -> str:
    return clean(agency.name) if agency is not None else "—"


def _steps_ended_by(
    events: list[DossierEvent], steps: list[DossierStep]
) -> list[list[DossierStep]]:
    """For each hand-over, the processing steps it ended (``steps.advance``).

    A step ends in the same transaction as its hand-over, a moment before the event is
    written: it belongs to the first hand-over at or after its end.
    """
    ended: list[list[DossierStep]] = [[] for _ in events]
    for step in steps:
        if step.finished_at is None:
            continue
        for index, event in enumerate(events):
            if step.finished_at <= event.created_at:
                ended[index].append(step)
                break
    return ended


def _step_timeliness(at: datetime.datetime, ended: list[DossierStep]) -> str:
    """Against the deadlines of the steps the hand-over ended: late if any of them was late."""
    if any(step.is_late for step in ended):
        return "Quá hạn"
    return timeliness(at, max(step.due_at for step in ended))


def _hand_over_rows(
    dossier: Dossier, events: list[DossierEvent], steps: list[DossierStep]
) -> list[tuple[str, str, str, str, str, str]]:
    """(number, from, to, time, timeliness, note) of each move of the dossier.

    Who hands over is whoever received it at the previous move: the path is read as a chain,
    so each row's giver is the last row's taker. A move that ends processing steps is on time
    or late against those steps' own deadlines; any other against the first appointment
    (an apology's new date does not make it on time). The return of the result is late
    when the supplement was requested more than once (DOMAIN.md §4, §9).
    """
    applicant = f"Người nộp: {_name(dossier)}"
    one_stop = f"Bộ phận Một cửa – {_unit(dossier.receiving_agency)}"
    holder = one_stop
    rows = []
    for number, (event, ended) in enumerate(
        zip(events, _steps_ended_by(events, steps), strict=True), start=1
    ):
        giver = holder
        if event.transition == Transition.ACCEPT:
            giver, taker = applicant, one_stop
        elif event.transition == Transition.FORWARD:
            taker = _unit(event.to_unit or dossier.receiving_agency)
        elif event.transition == Transition.HAND_OVER:
            taker = _unit(event.to_unit)
        elif event.transition == Transition.DECIDE:
            taker = one_stop
        else:  # the result returned
            giver, taker = one_stop, applicant
        holder = taker
        note = HAND_OVERS.get(Transition(event.transition), "")
        for step in ended:
            note += f"; bước “{clean(step.name)}”, hạn {short_moment_vn(step.due_at)}"
        if actor := _actor(event):
            note += f"; người thực hiện: {clean(actor)}"
        if event.reason:
            note += f"; {clean(event.reason)}"
        at = event.created_at
        result = _step_timeliness(at, ended) if ended else timeliness(at, dossier.due_at)
        if (
            event.transition == Transition.RETURN_RESULT
            and dossier.supplement_requested_more_than_once
        ):
            result = "Quá hạn"
            note += "; yêu cầu bổ sung hồ sơ quá một lần"
        rows.append((str(number), giver, taker, short_moment_vn(at), result, note))
    return rows


def control_sheet_pdf(dossier: Dossier) -> bytes:
    """Form 06: every move of the dossier between units, with its time and timeliness.

    Timeliness is per step: each move against the deadline of the processing step it ends
    (``DossierStep``), the others against the first appointment.
    """
    events = list(
        dossier.events.filter(transition__in=list(HAND_OVERS))
        .select_related("actor", "to_unit")
        .order_by("created_at", "id")
    )
    agency = dossier.receiving_agency
    pdf = FormPDF(form="Mẫu số 06", title=CONTROL_SHEET, agency=agency, code=dossier.code)
    pdf.heading(CONTROL_SHEET, issued_on=_issued_on(events[-1] if events else None))
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.field("Người nộp hồ sơ", _name(dossier))
    if dossier.on_behalf_of is not None:
        pdf.field("Đại diện cho", dossier.on_behalf_of.name)
    _request(pdf, dossier)
    pdf.field("Cơ quan tiếp nhận", agency.name)
    pdf.field("Cơ quan (bộ phận) giải quyết", _unit(dossier.processing_unit or agency))
    pdf.field("Thời gian nhận hồ sơ", moment_vn(dossier.accepted_at or dossier.submitted_at))
    pdf.field("Thời gian hẹn trả kết quả", moment_vn(dossier.due_at))
    if dossier.apology_due_at is not None:
        new_due = moment_vn(dossier.apology_due_at)
        pdf.field("Thời gian hẹn trả kết quả mới (phiếu xin lỗi)", new_due)
    if dossier.supplement_requested_more_than_once:
        pdf.field(
            "Yêu cầu bổ sung hồ sơ",
            f"{dossier.supplement_requests} lần (quá một lần: tính là quá hạn)",
        )
    pdf.gap()
    if not events:
        pdf.paragraph("Hồ sơ chưa được giao, nhận giữa các bộ phận.")
        return pdf.render()
    pdf.grid(
        (
            "STT",
            "Bên giao",
            "Bên nhận",
            "Thời gian giao, nhận",
            "Kết quả (trước hạn / đúng hạn / quá hạn)",
            "Ghi chú",
        ),
        _hand_over_rows(dossier, events, list(dossier.steps.all())),
        widths=(9, 34, 34, 24, 24, 40),
        aligns=("CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "LEFT"),
    )
    return pdf.render()
