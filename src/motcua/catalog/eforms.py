"""E-form definitions are JSON Schema documents (draft 2020-12), checked when saved: valid JSON
Schema, and within what the e-forms can show and check (``motcua.eforms.schema``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from motcua.eforms.schema import unsupported_problems


def eform_schema_errors(schema: Any) -> list[str]:
    """Why ``schema`` is not a usable e-form definition (empty list when it is)."""
    if not isinstance(schema, dict):
        return [_("The e-form must be a JSON object.")]
    if not schema:
        return []
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.path) or "(root)"
        return [
            _("The e-form is not valid JSON Schema at %(where)s: %(message)s")
            % {"where": where, "message": exc.message}
        ]
    errors = []
    if schema.get("type") != "object":
        errors.append(_('The e-form schema must describe an object ("type": "object").'))
    if not isinstance(schema.get("properties", {}), dict):
        errors.append(_("The e-form's properties must be an object."))
    if not errors:
        # what the form cannot show (or the server cannot check) is refused, path named
        errors.extend(
            _("The e-form cannot be shown as a form at %(problem)s") % {"problem": problem}
            for problem in unsupported_problems(schema)
        )
    return errors


def validate_eform_schema(value: Any) -> None:
    errors = eform_schema_errors(value)
    if errors:
        raise ValidationError(errors, code="invalid_eform")
