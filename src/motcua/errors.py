"""Domain errors: what a service refuses, with the HTTP status the refusal is answered with.

Services raise them with a translated message (``str(exc)``) for the person. Views that
re-render a form catch ``DomainError`` to show the message next to what was typed; anything
else is answered in one place: the API's exception handler (``motcua.api``) and, for pages,
``DomainErrorMiddleware`` below. Each app derives its own family (``DossierError``,
``PaymentError`` …) from ``DomainError`` and its refusals from the general classes here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class DomainError(Exception):
    """A refused operation; ``str()`` is a translated message for the person."""

    status: int = 400


class NotAllowed(DomainError):
    """The person may not do this. Apps pin the status they have always answered with:
    400 where the refusal is explained on the page, 404 where even the object's existence
    must not be disclosed."""

    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The operation collides with what happened before (a draft already filed …)."""

    status = 409


class DomainErrorMiddleware:
    """Answers a ``DomainError`` that escaped a page's view with the error page, its status
    and its message, never a 500. (The API answers through its own exception handler.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "error.html",
            {"message": str(exception), "status": exception.status},
            status=exception.status,
        )
