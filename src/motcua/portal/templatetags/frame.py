"""The fixed parts of every page's frame, rendered once per process.

The site's menu and footer change only with the language, with whether someone is signed in and
with whether they are staff (who see the administrators' links);
rendering their links and labels on every request cost about a third of a cached page's time.
Whatever belongs to one request (the CSRF token, the page's own address, messages) stays in
``base.html``. With ``DEBUG`` on nothing is kept, so edited templates show at once.
"""

from __future__ import annotations

import threading
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_lock = threading.Lock()
_parts: dict[tuple[str, str, bool, bool], SafeString] = {}


@register.simple_tag(takes_context=True)
def frame_part(context: template.Context, template_name: str) -> SafeString:
    """``template_name`` rendered with only ``signed_in``, ``is_staff`` and ``LANGUAGE_CODE`` to
    go on (the request is not given: whatever else it shows would be kept for everyone)."""
    user: Any = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    is_staff = bool(signed_in and user.is_staff)
    key = (template_name, get_language(), signed_in, is_staff)
    found = _parts.get(key)
    if found is None:
        found = render_to_string(
            template_name,
            {"signed_in": signed_in, "is_staff": is_staff, "LANGUAGE_CODE": key[1]},
        )
        if not settings.DEBUG:
            with _lock:
                _parts[key] = found
    return found
