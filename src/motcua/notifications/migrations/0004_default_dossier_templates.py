"""The default Vietnamese texts of the messages told to an applicant, one per dossier event.

E-mails in full Vietnamese; SMS on one short line without diacritics (a message with them
holds 70 characters instead of 160). Editable afterwards in the admin (each edit a version).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

LINK = "Xem hồ sơ: {{ link }}"
SIGNATURE = "\n\nCổng dịch vụ công – thư tự động, vui lòng không trả lời."

# event: (e-mail subject, e-mail body, SMS body)
DEFAULTS: dict[str, tuple[str, str, str]] = {
    "dossier.submitted": (
        "Hồ sơ {{ code }}: đã nộp",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được gửi đến {{ agency }}. "
        "Cơ quan sẽ kiểm tra và báo cho ông/bà kết quả tiếp nhận.\n" + LINK,
        "Ho so {{ code }} da nop, cho tiep nhan. {{ link }}",
    ),
    "dossier.accepted": (
        "Hồ sơ {{ code }}: đã tiếp nhận, hẹn trả kết quả {{ appointment }}",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được {{ agency }} tiếp nhận.\n"
        "Ngày hẹn trả kết quả: {{ appointment }}.\n"
        "{% if amount %}Phí, lệ phí phải nộp: {{ amount }}. Ông/bà nộp trực tuyến tại trang "
        "hồ sơ hoặc tại bộ phận một cửa; hồ sơ được giải quyết sau khi nộp phí.\n{% endif %}"
        + LINK,
        "Ho so {{ code }} da tiep nhan, hen tra {{ appointment }}."
        "{% if amount %} Nop phi {{ amount_plain }}.{% endif %} {{ link }}",
    ),
    "dossier.processing": (
        "Hồ sơ {{ code }}: đang giải quyết",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được chuyển đến bộ phận chuyên môn và đang "
        "được giải quyết.{% if appointment %} Ngày hẹn trả kết quả: {{ appointment }}."
        "{% endif %}\n" + LINK,
        "Ho so {{ code }} dang giai quyet.{% if appointment %} Hen tra {{ appointment }}."
        "{% endif %} {{ link }}",
    ),
    "dossier.supplement_requested": (
        "Hồ sơ {{ code }}: cần bổ sung",
        "Hồ sơ {{ code }} ({{ procedure }}) cần được bổ sung.\n"
        "Nội dung cần bổ sung: {{ reason }}\n"
        "Ông/bà bổ sung trực tuyến tại trang hồ sơ.\n" + LINK,
        "Ho so {{ code }} can bo sung: {{ reason|truncatechars:60 }} {{ link }}",
    ),
    "dossier.supplement_requested_again": (
        "Hồ sơ {{ code }}: xin lỗi, cần bổ sung thêm",
        "Hồ sơ {{ code }} ({{ procedure }}): {{ agency }} xin lỗi vì phải đề nghị ông/bà "
        "bổ sung thêm một lần nữa. {{ apology }}\n"
        "Nội dung cần bổ sung: {{ reason }}\n" + LINK,
        "Xin loi, ho so {{ code }} can bo sung them: {{ reason|truncatechars:50 }} {{ link }}",
    ),
    "dossier.supplement_received": (
        "Hồ sơ {{ code }}: đã nhận hồ sơ bổ sung",
        "Hồ sơ {{ code }} ({{ procedure }}): đã nhận phần bổ sung, hồ sơ tiếp tục được "
        "giải quyết.{% if appointment %} Ngày hẹn trả kết quả: {{ appointment }}.{% endif %}\n"
        + LINK,
        "Ho so {{ code }} da nhan bo sung.{% if appointment %} Hen tra {{ appointment }}."
        "{% endif %} {{ link }}",
    ),
    "dossier.fee_due": (
        "Hồ sơ {{ code }}: nộp phí {{ amount }}",
        "Hồ sơ {{ code }} ({{ procedure }}): số tiền phí, lệ phí phải nộp là {{ amount }}.\n"
        "Ông/bà nộp trực tuyến tại trang hồ sơ hoặc tại bộ phận một cửa.\n" + LINK,
        "Ho so {{ code }}: nop phi {{ amount_plain }} tai {{ link }}",
    ),
    "dossier.payment_received": (
        "Hồ sơ {{ code }}: đã nhận tiền phí",
        "Hồ sơ {{ code }} ({{ procedure }}): đã nhận khoản phí, lệ phí của ông/bà; hồ sơ "
        "tiếp tục được giải quyết.\n" + LINK,
        "Ho so {{ code }}: da nhan tien phi. {{ link }}",
    ),
    "dossier.decided": (
        "Hồ sơ {{ code }}: đã có kết quả",
        "Hồ sơ {{ code }} ({{ procedure }}) đã có kết quả giải quyết.\n"
        "Nhận kết quả: {{ receive_at }}.\n" + LINK,
        "Ho so {{ code }} da co ket qua. {{ link }}",
    ),
    "dossier.returned": (
        "Hồ sơ {{ code }}: đã trả kết quả",
        "Hồ sơ {{ code }} ({{ procedure }}): kết quả đã được trả cho ông/bà. "
        "Mời ông/bà đánh giá mức độ hài lòng tại trang hồ sơ.\n" + LINK,
        "Ho so {{ code }} da tra ket qua. {{ link }}",
    ),
    "dossier.refused": (
        "Hồ sơ {{ code }}: không được tiếp nhận",
        "Hồ sơ {{ code }} ({{ procedure }}) không được {{ agency }} tiếp nhận.\n"
        "Lý do: {{ reason }}\n" + LINK,
        "Ho so {{ code }} khong duoc tiep nhan: {{ reason|truncatechars:55 }} {{ link }}",
    ),
    "dossier.guided_elsewhere": (
        "Hồ sơ {{ code }}: đề nghị nộp tại {{ agency }}",
        "Hồ sơ {{ code }} ({{ procedure }}) không thuộc thẩm quyền của cơ quan đã nhận. "
        "Đề nghị ông/bà nộp hồ sơ tại {{ agency }}.\n"
        "Lý do: {{ reason }}\n" + LINK,
        "Ho so {{ code }}: de nghi nop tai {{ agency|truncatechars:50 }}. {{ link }}",
    ),
    "dossier.stopped": (
        "Hồ sơ {{ code }}: dừng giải quyết",
        "Việc giải quyết hồ sơ {{ code }} ({{ procedure }}) đã dừng.\n"
        "Lý do: {{ reason }}\n" + LINK,
        "Ho so {{ code }} dung giai quyet: {{ reason|truncatechars:60 }} {{ link }}",
    ),
    "dossier.withdrawn": (
        "Hồ sơ {{ code }}: đã rút",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được rút theo yêu cầu của ông/bà."
        "{% if reason %}\nLý do: {{ reason }}{% endif %}\n" + LINK,
        "Ho so {{ code }} da rut theo yeu cau. {{ link }}",
    ),
    "dossier.appointment_moved": (
        "Hồ sơ {{ code }}: xin lỗi, hẹn lại ngày trả kết quả {{ appointment }}",
        "Hồ sơ {{ code }} ({{ procedure }}): {{ agency }} xin lỗi vì trả kết quả chậm.\n"
        "Lý do: {{ reason }}\n"
        "Ngày hẹn trả kết quả mới: {{ appointment }}.\n" + LINK,
        "Xin loi, ho so {{ code }} tra cham, hen lai {{ appointment }}. {{ link }}",
    ),
}


def seed(apps: Any, schema_editor: Any) -> None:
    template_model = apps.get_model("notifications", "MessageTemplate")
    version_model = apps.get_model("notifications", "MessageTemplateVersion")
    for event, (subject, email_body, sms_body) in DEFAULTS.items():
        for channel, subject_text, body in (
            ("email", subject, email_body + SIGNATURE),
            ("sms", "", sms_body),
        ):
            template, created = template_model.objects.get_or_create(
                event=event,
                channel=channel,
                defaults={"subject": subject_text, "body": body, "active": True},
            )
            if created:
                version_model.objects.create(
                    template=template, number=1, subject=subject_text, body=body
                )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_message_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
