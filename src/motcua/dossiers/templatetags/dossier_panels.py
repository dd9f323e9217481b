"""``{% dossier_panel shown %}``: a registered panel's template, rendered with the page's
context and the panel's own on top (see ``dossiers.panels``)."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from ..panels import ShownPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_panel(context: Context, shown: ShownPanel) -> SafeString:
    assert context.template is not None
    panel_template = context.template.engine.get_template(shown.template)
    with context.push(**shown.context):
        rendered: SafeString = panel_template.render(context)
    return rendered
