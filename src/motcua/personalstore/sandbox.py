"""SANDBOX stand-in of the national databases: answers demo records over HTTP + JSON, checking
and giving X-Road-style signed headers (``connectors.xroad``). Not real data: every record says
so. Served at ``/sandbox/csdl-quoc-gia/`` only while ``MOTCUA_SANDBOX_ENABLED`` is on."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .connectors import xroad
from .connectors.base import sandbox_key

SANDBOX = "SANDBOX – dữ liệu mẫu, không phải dữ liệu thật"


def _person(personal_id: str) -> dict[str, Any]:
    day = int(personal_id[-2:]) % 28 + 1 if personal_id[-2:].isdigit() else 1
    return {"full_name": "NGUYỄN VĂN MẪU", "date_of_birth": f"1990-01-{day:02d}", "sandbox": True}


def _record(database: str, service: str, asked: dict[str, str]) -> dict[str, Any] | None:
    personal_id, tax_code = asked.get("personal_id", ""), asked.get("tax_code", "")
    if database == "population" and len(personal_id) == 12 and personal_id.isdigit():
        records = {
            "congdan": ("Căn cước", "Cục Cảnh sát quản lý hành chính về trật tự xã hội"),
            "cutru": ("Giấy xác nhận thông tin về cư trú", "Công an phường"),
            "honnhan": ("Thông tin tình trạng hôn nhân", "Cơ sở dữ liệu hộ tịch điện tử"),
        }
        if service not in records:
            return None
        title, issuer = records[service]
        return {
            "title": title,
            "issuer": f"{issuer} ({SANDBOX})",
            "number": personal_id,
            "issued_on": "2021-05-01",
            "expires_on": "2036-05-01" if service == "congdan" else None,
            "data": {**_person(personal_id), "personal_id": personal_id},
        }
    if database == "business-registry" and service == "doanhnghiep" and tax_code.isdigit():
        return {
            "title": "Giấy chứng nhận đăng ký doanh nghiệp",
            "issuer": f"Phòng Đăng ký kinh doanh ({SANDBOX})",
            "number": tax_code,
            "issued_on": "2019-03-15",
            "expires_on": None,
            "data": {"tax_code": tax_code, "name": "CÔNG TY MẪU", "sandbox": True},
        }
    if database == "social-insurance" and service in ("sobhxh", "thebhyt") and personal_id:
        return {
            "title": "Sổ bảo hiểm xã hội" if service == "sobhxh" else "Thẻ bảo hiểm y tế",
            "issuer": f"Bảo hiểm xã hội Việt Nam ({SANDBOX})",
            "number": f"48{personal_id[-8:]}",
            "issued_on": "2024-01-01",
            "expires_on": None if service == "sobhxh" else "2026-12-31",
            "data": {**_person(personal_id), "personal_id": personal_id},
        }
    return None


@require_GET
def health(request: HttpRequest, database: str) -> HttpResponse:
    if not settings.MOTCUA_SANDBOX_ENABLED:
        raise Http404
    return JsonResponse({"status": "ok", "database": database, "sandbox": True})


@csrf_exempt
@require_POST
def answer(request: HttpRequest, database: str, service: str) -> HttpResponse:
    if not settings.MOTCUA_SANDBOX_ENABLED:
        raise Http404
    headers = {k: v for k, v in request.headers.items()}
    try:
        xroad.verify(
            key=sandbox_key(), method="POST", path=request.path, headers=headers, body=request.body
        )
    except xroad.BadSignature as exc:
        return JsonResponse({"error": f"refused: {exc}"}, status=401)
    if not request.headers.get("X-Road-Service", "").endswith(f"/{service}/v1"):
        return JsonResponse({"error": "X-Road-Service does not name this service"}, status=400)
    try:
        asked = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    if not isinstance(asked, dict):
        return JsonResponse({"error": "the body is not an object"}, status=400)
    record = _record(database, service, {k: str(v) for k, v in asked.items()})
    if record is None:
        return JsonResponse({"error": "no such record", "sandbox": True}, status=404)
    record["sandbox"] = True
    record["answered_at"] = datetime.datetime.now(datetime.UTC).isoformat()
    body = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    echoed = {
        name: request.headers.get(name, "")
        for name in (
            "X-Road-Client",
            "X-Road-Service",
            "X-Road-Id",
            "X-Road-UserId",
            "X-Road-Issue",
        )
    }
    signed = xroad.sign(
        key_id="sandbox",
        key=sandbox_key(),
        method="POST",
        path=request.path,
        headers=echoed,
        body=body,
    )
    response = HttpResponse(body, content_type="application/json")
    for name, value in signed.items():
        response[name] = value
    return response
