"""The result document: the agency's decision on a dossier, as PDF bytes before signing.

Drawn on the one-stop forms' frame (Decree 30/2020 layout, DejaVu embedded). The decision text
comes from the procedure's ``ResultTemplate`` or, when it has none, a generic text. The same
drawing gives the approver's preview, marked on every page so it can never pass as the result.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.template import Context
from fpdf.enums import WrapMode, XPos

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.eforms.display import readable
from motcua.printing.frame import LINE, FormPDF, Signer, clean, date_vn, lines_of

from .models import TEMPLATE_ENGINE, ResultTemplate

GENERIC_TITLE = "Kết quả giải quyết thủ tục hành chính"
# One paragraph per line (the lines are long: they are paragraphs, wrapped by the PDF).
GENERIC_BODY = "\n".join(
    [
        "Căn cứ hồ sơ số {{ dossier.code }} nộp ngày {{ dossier.submitted_at }} "
        "và kết quả thẩm định;",
        '{{ agency.name }} chấp thuận yêu cầu "{{ dossier.procedure }}" ({{ dossier.case }}) '
        "của {{ applicant }}.",
        "Văn bản này là kết quả giải quyết thủ tục hành chính dạng điện tử, được ký số, "
        "có giá trị pháp lý như bản giấy.",
    ]
)
QR_SIZE = 30.0
PREVIEW_MARK = "BẢN XEM TRƯỚC"
PREVIEW_NOTE = "BẢN XEM TRƯỚC – CHƯA KÝ SỐ, KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
DEFAULT_SIGNER_TITLE = "Thủ trưởng cơ quan"


class PreviewPDF(FormPDF):
    """The result before signing: a large grey mark across every page."""

    def header(self) -> None:
        super().header()
        with self.local_context():
            self.set_font(size=44)
            self.set_text_color(205, 205, 205)
            with self.rotation(35, x=self.w / 2, y=self.h / 2):
                width = self.get_string_width(PREVIEW_MARK)
                self.text(self.w / 2 - width / 2, self.h / 2, PREVIEW_MARK)


@dataclass(frozen=True)
class ResultText:
    title: str
    paragraphs: list[str]


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _printed(value: Any) -> Any:
    """An answer as a person reads it: e-form dates (ISO) as dd/mm/yyyy, in the rows of a
    repeating group and nested objects too."""
    if isinstance(value, dict):
        return {key: _printed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printed(item) for item in value]
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def _eform(dossier: Dossier) -> dict[str, Any]:
    """The e-form the dossier was filed with (none for a dossier without a version)."""
    if dossier.procedure_version_id is None:
        return {}
    return dict(dossier.rules.eform or {})


def template_context(
    dossier: Dossier, agency: Agency, decision: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What a result template may use: plain values, never the model objects themselves.

    ``decision``: the decision fields the officer filled (``ResultDraft.values``).
    """
    applicant = dossier.applicant
    name = applicant.full_name or applicant.username
    if dossier.on_behalf_of is not None:
        name = f"{name}, đại diện {dossier.on_behalf_of.name}"
    return {
        "dossier": {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "procedure_code": dossier.procedure.code,
            "case": dossier.case_name,
            "submitted_at": date_vn(dossier.submitted_at),
            "accepted_at": date_vn(dossier.accepted_at),
        },
        # the answers in the form's own shape (rows as lists), choices by their labels
        "form": _printed(
            readable(_eform(dossier), dossier.form_data or {}, as_of=dossier.submitted_at)
        ),
        "applicant": name,
        "agency": {"name": agency.name, "code": agency.code, "address": agency.address},
        "decision": dict(decision or {}),
    }


def result_text(
    dossier: Dossier, agency: Agency, decision: dict[str, Any] | None = None
) -> ResultText:
    template = ResultTemplate.objects.filter(procedure_id=dossier.procedure_id).first()
    title_source = template.title if template else GENERIC_TITLE
    body_source = template.body if template else GENERIC_BODY
    context = Context(template_context(dossier, agency, decision), autoescape=False)
    title = clean(TEMPLATE_ENGINE.from_string(title_source).render(context))
    body = TEMPLATE_ENGINE.from_string(body_source).render(context)
    return ResultText(title=title or GENERIC_TITLE, paragraphs=lines_of(body))


def result_pdf(
    dossier: Dossier,
    *,
    agency: Agency,
    number: str,
    issued_on: datetime.date,
    verify_url: str,
    signer_name: str,
    signer_title: str = "",
    decision: dict[str, Any] | None = None,
    preview: bool = False,
) -> bytes:
    """The unsigned result: agency, dossier code, decision, QR to its verification page, signer.

    ``preview``: the approver's look before deciding; marked on every page, no signature line,
    no verification address (it has none yet).
    """
    text = result_text(dossier, agency, decision)
    frame = PreviewPDF if preview else FormPDF
    pdf = frame(form=f"Số: {number}", title=text.title, agency=agency, code=dossier.code)
    pdf.heading(text.title, issued_on=issued_on)
    if preview:
        pdf.paragraph(PREVIEW_NOTE, bold=True)
        pdf.gap()
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.field("Thủ tục", dossier.procedure.name)
    pdf.gap()
    for paragraph in text.paragraphs:
        pdf.paragraph(paragraph)
        pdf.gap(1)

    pdf.signatures(
        None,
        Signer(
            signer_title or DEFAULT_SIGNER_TITLE,
            hint="(Chưa ký số – bản xem trước)" if preview else "(Đã ký số)",
            name=signer_name,
        ),
        space=8,
    )
    pdf.gap(4)
    if preview:
        pdf.paragraph(PREVIEW_NOTE, bold=True)
        return pdf.render()
    pdf.keep(QR_SIZE + 4)
    top = pdf.get_y()
    pdf.qr(verify_url, x=pdf.l_margin, y=top, size=QR_SIZE)
    left = pdf.l_margin + QR_SIZE + 4
    pdf.set_xy(left, top + 2)
    pdf.set_font(size=9.5)
    pdf.multi_cell(
        pdf.width - QR_SIZE - 4,
        5,
        "Văn bản điện tử được ký số. Quét mã QR hoặc truy cập địa chỉ sau để xác thực:",
        new_x=XPos.LEFT,
    )
    pdf.multi_cell(pdf.width - QR_SIZE - 4, 4.5, verify_url, wrapmode=WrapMode.CHAR)
    pdf.set_font(size=11)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE))
    pdf.ln(LINE / 2)
    return pdf.render()
