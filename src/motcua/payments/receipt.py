"""The payment receipt (biên lai thu phí, lệ phí điện tử) as PDF, on the one-stop forms' frame.

Fixed Vietnamese text, like the forms: it is a financial record. The amount is written the
Vietnamese way (``1.250.000 đồng``) and in words.
"""

from __future__ import annotations

from .models import Payment

TITLE = "Biên lai thu phí, lệ phí"
STATES = {
    "paid": "Đã thanh toán",
    "refunded": "Đã hoàn trả",
}
DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", " nghìn", " triệu", " tỷ"]


def dong(amount: int) -> str:
    """``1.250.000 đồng``: dots between thousands, as Vietnamese writes money."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def _three(number: int, full: bool) -> str:
    """Words for 0–999; ``full`` writes the hundreds and "lẻ" inside a larger number."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens > 1:
        words += [DIGITS[tens], "mươi"]
    elif tens == 1:
        words.append("mười")
    elif units and (hundreds or full):
        words.append("lẻ")
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def in_words(amount: int) -> str:
    """``Một triệu hai trăm năm mươi nghìn đồng``."""
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        scale = GROUPS[index] if index < 4 else GROUPS[index - 3] + " tỷ"
        parts.append(_three(group, full=index != len(groups) - 1) + scale)
    text = " ".join(parts) + " đồng"
    return text[0].upper() + text[1:]


def receipt_pdf(payment: Payment) -> bytes:
    from motcua.printing.frame import FormPDF, Signer, clean, local, moment_vn

    dossier = payment.dossier
    agency = dossier.receiving_agency
    pdf = FormPDF(form="Biên lai điện tử", title=TITLE, agency=agency, code=dossier.code)
    moment = payment.paid_at or payment.created_at
    pdf.heading(TITLE, issued_on=local(moment).date())
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.field("Thủ tục", dossier.procedure.name)
    pdf.field("Người nộp", payment.payer.full_name or payment.payer.username)
    pdf.field("Nội dung thu", payment.description)
    pdf.field("Số tiền", dong(payment.amount))
    pdf.field("Bằng chữ", in_words(payment.amount))
    pdf.field("Hình thức thanh toán", f"Trực tuyến qua cổng thanh toán ({payment.gateway})")
    pdf.field("Mã thanh toán", payment.order_ref)
    pdf.field("Mã giao dịch của cổng thanh toán", payment.gateway_transaction_no or "—")
    if payment.bank_code:
        pdf.field("Ngân hàng", payment.bank_code)
    pdf.field("Thời điểm thanh toán", moment_vn(payment.pay_date or payment.paid_at))
    pdf.field("Tình trạng", STATES.get(payment.state, payment.state))
    pdf.gap()
    pdf.paragraph(
        f"{clean(agency.name)} xác nhận đã nhận khoản tiền trên qua thanh toán trực tuyến. "
        "Biên lai được lập tự động từ hệ thống dịch vụ công."
    )
    pdf.signatures(None, Signer("Đơn vị thu", hint="(Biên lai điện tử, không cần chữ ký)"))
    return pdf.render()
