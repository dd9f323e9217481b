"""The help page: the city's help desk, questions and answers, how to file step by step."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import help_topics


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    contacts = {
        "hotline": settings.MOTCUA_HELP_HOTLINE,
        "phone": settings.MOTCUA_HELP_PHONE,
        "email": settings.MOTCUA_HELP_EMAIL,
        "address": settings.MOTCUA_HELP_ADDRESS,
        "hours": settings.MOTCUA_HELP_HOURS,
    }
    return render(
        request,
        "helpdesk/help.html",
        {
            "contacts": contacts,
            "topics": help_topics(),
            "national_portal": settings.MOTCUA_NATIONAL_PORTAL_URL,
        },
    )
