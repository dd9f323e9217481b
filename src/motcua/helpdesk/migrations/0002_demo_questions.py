"""First questions and answers of the help page; the city edits them in the admin afterwards."""

from django.db import migrations

TOPICS = [
    (
        "nop-truc-tuyen",
        "Nộp hồ sơ trực tuyến",
        [
            (
                "Tôi có thể nộp hồ sơ trực tuyến cho những thủ tục nào?",
                "Mỗi thủ tục trong danh mục ghi rõ mức độ dịch vụ công trực tuyến. Thủ tục "
                "“toàn trình” được nộp, thanh toán và nhận kết quả hoàn toàn trên mạng; thủ tục "
                "“một phần” được nộp trực tuyến nhưng phải đến nhận kết quả hoặc xuất trình bản "
                "gốc tại bộ phận một cửa.",
            ),
            (
                "Tệp đính kèm cần định dạng và dung lượng thế nào?",
                "Hệ thống nhận tệp PDF, JPG hoặc PNG, mỗi tệp không quá 10 MB. Hãy chụp hoặc quét "
                "rõ nét, đủ các trang, không bị che hoặc cắt góc.",
            ),
            (
                "Tôi có thể lưu hồ sơ đang khai dở và nộp sau không?",
                "Có. Hồ sơ chưa nộp được lưu ở mục “Hồ sơ của tôi” dưới dạng bản nháp; bạn mở lại "
                "để bổ sung và nộp khi đã đủ giấy tờ.",
            ),
        ],
    ),
    (
        "dinh-danh-dien-tu",
        "Đăng nhập bằng tài khoản định danh điện tử (VNeID)",
        [
            (
                "Vì sao nên đăng nhập bằng VNeID?",
                "Tài khoản định danh điện tử mức độ 2 đã xác thực họ tên, số CCCD và ngày sinh "
                "của bạn, nên biểu mẫu được điền sẵn và bạn không phải tải lên ảnh căn cước công "
                "dân.",
            ),
            (
                "Tôi chưa có tài khoản định danh điện tử mức độ 2 thì làm thế nào?",
                "Bạn đăng ký tại Công an phường, xã nơi cư trú khi làm hoặc đổi căn cước công dân "
                "gắn chip. Trong lúc chờ, bạn vẫn có thể tạo tài khoản trên cổng bằng số điện "
                "thoại để nộp các thủ tục chỉ yêu cầu mức độ 1.",
            ),
        ],
    ),
    (
        "phi-le-phi",
        "Phí, lệ phí và thanh toán",
        [
            (
                "Tôi thanh toán phí, lệ phí trực tuyến bằng cách nào?",
                "Khi hồ sơ cần nộp phí, trang hồ sơ hiện nút “Thanh toán”. Bạn thanh toán qua "
                "cổng thanh toán bằng thẻ ngân hàng nội địa, ví điện tử hoặc mã QR; biên lai điện "
                "tử được gửi ngay và lưu ở mục “Thanh toán của tôi”.",
            ),
            (
                "Tiền đã bị trừ nhưng hồ sơ vẫn báo chưa thanh toán?",
                "Hệ thống tự đối soát với ngân hàng trong vòng vài phút. Nếu sau 30 phút vẫn chưa "
                "cập nhật, hãy gọi đường dây nóng và cung cấp mã hồ sơ cùng mã giao dịch.",
            ),
        ],
    ),
    (
        "bo-sung",
        "Bổ sung hồ sơ",
        [
            (
                "Làm sao biết hồ sơ của tôi cần bổ sung?",
                "Bạn nhận thông báo qua thư điện tử hoặc tin nhắn, và trang hồ sơ ghi rõ giấy tờ "
                "còn thiếu cùng ý kiến của cán bộ tiếp nhận.",
            ),
            (
                "Thời gian bổ sung có tính vào thời hạn giải quyết không?",
                "Không. Thời hạn giải quyết được tính từ khi hồ sơ đầy đủ, hợp lệ; thời gian chờ "
                "bạn bổ sung giấy tờ không tính vào thời hạn.",
            ),
        ],
    ),
    (
        "nhan-ket-qua",
        "Nhận kết quả",
        [
            (
                "Kết quả điện tử có giá trị như bản giấy không?",
                "Có. Kết quả được ký số bởi cơ quan có thẩm quyền và có giá trị pháp lý như bản "
                "giấy. Bất kỳ ai cũng có thể kiểm tra chữ ký tại trang xác thực kết quả.",
            ),
            (
                "Tôi có thể nhận kết quả qua bưu điện không?",
                "Có, nếu bạn chọn cách nhận qua dịch vụ bưu chính công ích khi nộp hồ sơ; cước "
                "phí do bạn trả khi nhận.",
            ),
        ],
    ),
]


def add_questions(apps, schema_editor):
    Topic = apps.get_model("helpdesk", "Topic")
    Question = apps.get_model("helpdesk", "Question")
    for topic_order, (slug, title, questions) in enumerate(TOPICS, start=1):
        topic, created = Topic.objects.get_or_create(
            slug=slug, defaults={"title": title, "order": topic_order * 10}
        )
        if not created:
            continue  # edited by the city since: left as it is
        for order, (question, answer) in enumerate(questions, start=1):
            Question.objects.create(topic=topic, question=question, answer=answer, order=order * 10)


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunPython(add_questions, migrations.RunPython.noop)]
