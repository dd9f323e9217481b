"""Biểu mẫu điện tử: server-side e-forms built from a procedure case's JSON Schema.

Public API (import from the submodules):

- :class:`motcua.eforms.forms.EForm`, :func:`motcua.eforms.forms.to_json`,
  :func:`motcua.eforms.forms.initial_from_document`, :func:`motcua.eforms.forms.merge_documents`
- :func:`motcua.eforms.schema.form_steps`, :class:`motcua.eforms.schema.Step`,
  :class:`motcua.eforms.schema.UnsupportedSchema`, :func:`motcua.eforms.schema.unsupported_problems`
- :func:`motcua.eforms.validation.validate_document`
- :func:`motcua.eforms.prefill.prefill`
- :func:`motcua.eforms.conditions.verdict`, :func:`motcua.eforms.conditions.prune_hidden`
- :func:`motcua.eforms.rules.with_computed`, :func:`motcua.eforms.references.expand_references`
- :func:`motcua.eforms.display.answer_sections`, :func:`motcua.eforms.display.readable`

What a schema may say (repeating groups, conditions, alternatives, reference lists, rules and
computed values) is written in ``schema.py``'s docstring and in ``docs/eforms.md``.
- the template partials ``eforms/fields.html`` and ``eforms/error_summary.html``
"""
