"""Sessions end after ``SESSION_COOKIE_AGE`` idle seconds, renewed at most once a minute.

Django's ``SESSION_SAVE_EVERY_REQUEST`` renews the expiry by writing the session row on every
request of a signed-in person: a database write (and a transaction) for each page read. Here a
session in use is written only when its last renewal is ``RENEW_AFTER_SECONDS`` old, so a
session ends between ``SESSION_COOKIE_AGE - RENEW_AFTER_SECONDS`` and ``SESSION_COOKIE_AGE``
seconds after its last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

RENEW_AFTER_SECONDS = 60
RENEWED_AT_KEY = "_motcua_renewed_at"


class SessionRenewalMiddleware:
    """Renews the expiry of a session that is in use, at most once per ``RENEW_AFTER_SECONDS``.

    Placed after Django's ``SessionMiddleware``, so that a renewal marked here is saved there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response  # a request that never used its session does not renew it
        now = int(time.time())
        if session.modified or now - int(session.get(RENEWED_AT_KEY, 0)) >= RENEW_AFTER_SECONDS:
            session[RENEWED_AT_KEY] = now  # saved, with a new expiry, by SessionMiddleware
        return response
