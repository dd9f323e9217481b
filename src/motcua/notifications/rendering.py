"""Writing a message from its template: a bare, plain-text engine and the template's version.

The engine knows Django's built-in tags and filters only (no project tags, no file loaders)
and renders without HTML escaping: e-mails and SMS are plain text. The context callers pass
is plain strings, so a template can show values but call nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from .models import MessageTemplate, MessageTemplateVersion

TEMPLATE_ENGINE = Engine(autoescape=False, debug=False)


def check_template_syntax(source: str, *, field: str | None = None) -> None:
    """Refuse a template the engine cannot read (the admin shows the error beside it)."""
    try:
        TEMPLATE_ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        error = ValidationError(_("This template cannot be read: %(error)s"), params={"error": exc})
        raise (ValidationError({field: error}) if field else error) from exc


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    version: MessageTemplateVersion


def render(event: str, channel: str, context: Mapping[str, str]) -> RenderedMessage | None:
    """The message for ``event`` on ``channel`` from the active template's latest version;
    None when there is no active template (the event is then not told on that channel)."""
    template = MessageTemplate.objects.filter(event=event, channel=channel, active=True).first()
    if template is None:
        return None
    version = template.current_version
    if version is None:
        return None
    values = Context(dict(context), autoescape=False)
    subject = TEMPLATE_ENGINE.from_string(version.subject).render(values)
    body = TEMPLATE_ENGINE.from_string(version.body).render(values)
    # One line for a subject; the body keeps its lines but not blank ones at the ends.
    return RenderedMessage(
        subject=" ".join(subject.split())[:255], body=body.strip(), version=version
    )
