"""Demo identities for the sandbox e-ID, present in every database (tests included).

Invented people and businesses of Đà Nẵng (province 48). CCCD numbers follow Circular
07/2016/TT-BCA (birth-province code 048 Đà Nẵng, 049 Quảng Nam, 046 Thừa Thiên Huế; sex and
century digit; two digits of the birth year); tax codes pass ``stdnum.vn.mst``. Ward codes are
the post-2025 divisions of ``vietnam-provinces``. ``sub`` values are fixed UUIDs so that they
are the same in every database.
"""

import datetime

from django.db import migrations

CITIZEN, BUSINESS = 1, 2

IDENTITIES = [
    {
        "sub": "70944085-6f3d-50b2-8b28-c3951b6492cf",
        "account_type": CITIZEN,
        "personal_id": "048085001234",
        "name": "Nguyễn Văn An",
        "birthdate": datetime.date(1985, 3, 12),
        "gender": "male",
        "permanent": (20242, "12 Bạch Đằng"),
        "current": (20242, "12 Bạch Đằng"),
        "email": "nguyen.van.an@example.com",
        "phone_number": "+84900000001",
        "assurance_level": "2",
        "note": "Mức 2 — công dân, thường trú Phường Hải Châu",
    },
    {
        "sub": "4615ad96-d31e-54c0-977e-3d222a3f897a",
        "account_type": CITIZEN,
        "personal_id": "049192004567",
        "name": "Trần Thị Bích Ngọc",
        "birthdate": datetime.date(1992, 7, 25),
        "gender": "female",
        "permanent": (20209, "45 Điện Biên Phủ"),
        "current": (20209, "45 Điện Biên Phủ"),
        "email": "tran.bich.ngoc@example.com",
        "phone_number": "+84900000002",
        "assurance_level": "2",
        "note": "Mức 2 — sinh tại Quảng Nam (mã 049)",
    },
    {
        "sub": "c371a122-0e45-58f4-bfd2-ea9344eb4cde",
        "account_type": CITIZEN,
        "personal_id": "048203007890",
        "name": "Lê Hoàng Minh",
        "birthdate": datetime.date(2003, 11, 2),
        "gender": "male",
        "permanent": (20263, "88 Ngô Quyền"),
        "current": (20263, "88 Ngô Quyền"),
        "email": "le.hoang.minh@example.com",
        "phone_number": "+84900000003",
        "assurance_level": "1",
        "note": "Mức 1 — để thử dịch vụ yêu cầu mức 2",
    },
    {
        "sub": "38f7bb2c-a0bd-5170-8128-0021f49fd500",
        "account_type": CITIZEN,
        "personal_id": "048178002345",
        "name": "Phạm Thị Thu Hà",
        "birthdate": datetime.date(1978, 1, 30),
        "gender": "female",
        "permanent": (20285, "20 Lê Văn Hiến"),
        "current": (20285, "20 Lê Văn Hiến"),
        "email": "pham.thu.ha@example.com",
        "phone_number": "+84900000004",
        "assurance_level": "2",
        "note": "Mức 2",
    },
    {
        "sub": "9095c790-d8bc-5975-b441-c77b27f33b5f",
        "account_type": CITIZEN,
        "personal_id": "049065003456",
        "name": "Võ Đức Thắng",
        "birthdate": datetime.date(1965, 9, 9),
        "gender": "male",
        "permanent": (20200, "150 Nguyễn Lương Bằng"),
        "current": (20200, "150 Nguyễn Lương Bằng"),
        "email": "",
        "phone_number": "+84900000005",
        "assurance_level": "2",
        "note": "Mức 2 — không có e-mail",
    },
    {
        "sub": "8123ceeb-debf-5319-bba0-dc46dce98b6b",
        "account_type": CITIZEN,
        "personal_id": "048305006789",
        "name": "Huỳnh Ngọc Lan",
        "birthdate": datetime.date(2005, 4, 18),
        "gender": "female",
        "permanent": (20260, "5 Ông Ích Đường"),
        "current": (20257, "K12/3 Núi Thành"),
        "email": "huynh.ngoc.lan@example.com",
        "phone_number": "+84900000006",
        "assurance_level": "1",
        "note": "Mức 1 — nơi ở hiện tại khác nơi thường trú",
    },
    {
        "sub": "d9edf8ac-2a5e-5d7a-9b83-3c65fd8896c8",
        "account_type": CITIZEN,
        "personal_id": "046090001122",
        "name": "Đặng Quốc Bảo",
        "birthdate": datetime.date(1990, 12, 5),
        "gender": "male",
        "permanent": (20410, "10 Trần Phú"),
        "current": (20275, "27 Hồ Nghinh"),
        "email": "dang.quoc.bao@example.com",
        "phone_number": "+84900000007",
        "assurance_level": "2",
        "note": "Mức 2 — thường trú Phường Hội An, sinh tại Thừa Thiên Huế (mã 046)",
    },
    {
        "sub": "5362fc81-4a95-5311-a891-3945651b0f37",
        "account_type": BUSINESS,
        "personal_id": "048180005678",
        "tax_code": "0401234566",
        "name": "Công ty TNHH Du lịch Biển Xanh Đà Nẵng",
        "representative_name": "Nguyễn Thị Mai",
        "permanent": (20275, "99 Võ Nguyên Giáp"),
        "current": (20275, "99 Võ Nguyên Giáp"),
        "email": "lienhe.bienxanh@example.com",
        "phone_number": "+84900000101",
        "assurance_level": "2",
        "note": "Doanh nghiệp — công ty TNHH",
    },
    {
        "sub": "d9bc7d62-7baa-5ae9-90dc-43bc94ea1342",
        "account_type": BUSINESS,
        "personal_id": "048075009012",
        "tax_code": "0401987658",
        "name": "Công ty Cổ phần Phần mềm Sông Hàn",
        "representative_name": "Trần Văn Hùng",
        "permanent": (20242, "2 Quang Trung"),
        "current": (20242, "2 Quang Trung"),
        "email": "info.songhan@example.com",
        "phone_number": "+84900000102",
        "assurance_level": "2",
        "note": "Doanh nghiệp — công ty cổ phần",
    },
]


def add_identities(apps, schema_editor):
    SandboxIdentity = apps.get_model("sandbox_eid", "SandboxIdentity")
    for data in IDENTITIES:
        data = dict(data)
        permanent_ward, permanent_street = data.pop("permanent")
        current_ward, current_street = data.pop("current")
        SandboxIdentity.objects.update_or_create(
            sub=data.pop("sub"),
            defaults={
                **data,
                "permanent_ward_code": permanent_ward,
                "permanent_street": permanent_street,
                "current_ward_code": current_ward,
                "current_street": current_street,
            },
        )


def remove_identities(apps, schema_editor):
    SandboxIdentity = apps.get_model("sandbox_eid", "SandboxIdentity")
    SandboxIdentity.objects.filter(sub__in=[data["sub"] for data in IDENTITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sandbox_eid", "0001_initial")]

    operations = [migrations.RunPython(add_identities, remove_identities)]
