"""The form builder's pages: every change is one small form posted to its own address, so the
builder works without JavaScript, and the page shown after each change carries the preview of
the form as it now is (phone and desktop) and the JSON Schema underneath."""

from __future__ import annotations

import json
from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from motcua.accounts.access import officer_required
from motcua.accounts.models import User
from motcua.catalog.models import ProcedureCase
from motcua.eforms.forms import EForm, finish_document, initial_from_document, merge_documents
from motcua.eforms.schema import UnsupportedSchema
from motcua.errors import DomainError

from . import access, design, services
from .forms import ConditionForm, FieldForm, RuleForm, StepForm, initial_for
from .kinds import HINTS, LABELS, ROW_KINDS, FieldKind, kind_of
from .models import FormDraft


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _open(request: HttpRequest, code: str, position: int) -> tuple[ProcedureCase, FormDraft]:
    case = access.case_for_designer(request.user, code, position)
    return case, services.draft_for(case, _user(request))


def _builder_url(case: ProcedureCase, anchor: str = "") -> str:
    url = reverse("formbuilder:builder", args=[case.procedure.code, case.position])
    return f"{url}#{anchor}" if anchor else url


@officer_required
def case_list(request: HttpRequest) -> HttpResponse:
    procedures = access.designable_procedures(request.user).prefetch_related("cases")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        procedures = procedures.filter(name__icontains=query) | procedures.filter(
            code__icontains=query
        )
    drafts = set(
        FormDraft.objects.filter(case__procedure__in=procedures).values_list("case_id", flat=True)
    )
    return render(
        request,
        "formbuilder/case_list.html",
        {"procedures": procedures.order_by("code")[:200], "drafts": drafts, "query": query},
    )


def _tree(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps with their fields (each followed by its own fields), as the page lists them."""
    nodes = list(design.children(schema))
    by_top: dict[str, list[design.Node]] = {}
    for node in nodes:
        by_top.setdefault(node.path.split(".")[0], []).append(node)
    return [
        {
            "index": index,
            "title": step["title"],
            "nodes": [
                {"node": node, "kind": LABELS[kind_of(node.schema)]}
                for key in step["properties"]
                for node in by_top.get(key, [])
            ],
        }
        for index, step in enumerate(design.steps(schema))
    ]


def _scopes(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The form and each of its groups, with their conditions and rules."""
    found: list[dict[str, Any]] = [{"path": "", "title": _("The whole form")}]
    found += [{"path": n.path, "title": n.title} for n in design.groups(schema)]
    for scope in found:
        titles = {n.key: n.title for n in design.siblings(schema, scope["path"])}
        scope["titles"] = titles
        scope["conditions"] = [
            {
                "view": view,
                "field": titles.get(view.field, view.field),
                "value": _value_label(schema, scope["path"], view.field, view.value),
                "shown": [titles.get(k, k) for k in view.shown],
                "required": [titles.get(k, k) for k in view.required],
            }
            for view in design.conditions(schema, scope["path"])
        ]
        scope["rules"] = [
            {
                "index": index,
                "left": titles.get(str(rule.get("left")), rule.get("left")),
                "op": rule.get("op"),
                "right": _("today")
                if rule.get("right") == "$today"
                else titles.get(str(rule.get("right")), rule.get("right")),
            }
            for index, rule in enumerate(design.rules(schema, scope["path"]))
        ]
    return found


def _value_label(schema: dict[str, Any], group: str, key: str, value: Any) -> str:
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    try:
        field = design.field_at(schema, f"{group}.{key}" if group else key)
    except design.DesignError:
        return str(value)
    labels = dict(zip(field.get("enum", []), field.get("x-enumNames", []), strict=False))
    return str(labels.get(value, value))


@officer_required
def builder(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    return _render_builder(request, case, draft)


def _render_builder(
    request: HttpRequest,
    case: ProcedureCase,
    draft: FormDraft,
    *,
    status: int = 200,
    problems: list[str] | None = None,
) -> HttpResponse:
    schema = draft.schema
    return render(
        request,
        "formbuilder/builder.html",
        {
            "case": case,
            "procedure": case.procedure,
            "draft": draft,
            "steps": _tree(schema),
            "scopes": _scopes(schema),
            "problems": services.problems(draft) if problems is None else problems,
            "schema_text": json.dumps(
                design.publishable(schema), ensure_ascii=False, indent=2, sort_keys=False
            ),
            "step_form": StepForm(),
            "changed_elsewhere": case.eform_schema != draft.base_schema,
        },
        status=status,
    )


# --- fields ----------------------------------------------------------------------------------


def _kind(request: HttpRequest) -> FieldKind | None:
    try:
        return FieldKind(request.GET.get("kind") or request.POST.get("kind") or "")
    except ValueError:
        return None


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int(raw or default)
    except ValueError:
        return default


@officer_required
def add_field(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    params = request.POST if request.method == "POST" else request.GET
    group = params.get("group", "")
    step = _int(params.get("step"))
    try:
        siblings = design.siblings(draft.schema, group)
        group_title = design.field_at(draft.schema, group).get("title", group) if group else ""
    except design.DesignError:
        raise Http404 from None
    kind = _kind(request)
    allowed = ROW_KINDS if group else list(FieldKind)
    if kind is None or kind not in allowed:
        return render(
            request,
            "formbuilder/choose_kind.html",
            {
                "case": case,
                "kinds": [(k, LABELS[k], HINTS.get(k, "")) for k in allowed],
                "group": group,
                "group_title": group_title,
                "step": step,
                "steps": design.steps(draft.schema),
            },
        )
    form = FieldForm(request.POST or None, kind=kind, siblings=siblings)
    if request.method == "POST" and form.is_valid():
        key = form.key_for(design.keys_in(draft.schema, group))
        try:
            services.change(
                draft,
                _user(request),
                design.add_field,
                group=group,
                key=key,
                field=form.to_schema(),
                required=form.cleaned_data["required"],
                step=step,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Field «%(title)s» added.") % {"title": form.cleaned_data["title"]}
            )
            return redirect(_builder_url(case, f"field-{group + '.' if group else ''}{key}"))
    return _field_page(
        request, case, form, kind, group=group, group_title=group_title, step=step, adding=True
    )


def _field_page(
    request: HttpRequest, case: ProcedureCase, form: FieldForm, kind: FieldKind, **more: Any
) -> HttpResponse:
    """The add or edit page of a field; a refused form is answered with a 400."""
    return render(
        request,
        "formbuilder/field_form.html",
        {"case": case, "form": form, "kind": kind, "kind_label": LABELS[kind], **more},
        status=400 if request.method == "POST" else 200,
    )


@officer_required
def edit_field(request: HttpRequest, code: str, position: int, path: str) -> HttpResponse:
    case, draft = _open(request, code, position)
    try:
        current = design.field_at(draft.schema, path)
    except design.DesignError:
        raise Http404 from None
    group, key = design.split_path(path)
    kind = kind_of(current)
    siblings = design.siblings(draft.schema, group)
    initial = initial_for(current, key=key, required=design.is_required(draft.schema, path))
    form = FieldForm(
        request.POST or None, kind=kind, siblings=siblings, editing=key, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change(
                draft,
                _user(request),
                design.update_field,
                path=path,
                field=form.to_schema(),
                required=form.cleaned_data["required"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Field «%(title)s» changed.") % {"title": form.cleaned_data["title"]}
            )
            return redirect(_builder_url(case, f"field-{path}"))
    return _field_page(request, case, form, kind, path=path, adding=False)


def _change_or_say(
    request: HttpRequest, case: ProcedureCase, draft: FormDraft, operation: Any, **arguments: Any
) -> HttpResponse:
    """Apply a one-click change; a refusal is shown on the builder page with a 400."""
    try:
        services.change(draft, _user(request), operation, **arguments)
    except DomainError as error:
        messages.error(request, str(error))
        draft.refresh_from_db()
        return _render_builder(request, case, draft, status=error.status)
    return redirect(_builder_url(case, request.POST.get("anchor", "")))


@require_POST
@officer_required
def remove_field(request: HttpRequest, code: str, position: int, path: str) -> HttpResponse:
    case, draft = _open(request, code, position)
    return _change_or_say(request, case, draft, design.remove_field, path=path)


@require_POST
@officer_required
def move_field(request: HttpRequest, code: str, position: int, path: str) -> HttpResponse:
    case, draft = _open(request, code, position)
    offset = -1 if request.POST.get("direction") == "up" else 1
    return _change_or_say(request, case, draft, design.move_field, path=path, offset=offset)


# --- steps -----------------------------------------------------------------------------------


@require_POST
@officer_required
def add_step(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new step a title."))
        return _render_builder(request, case, draft, status=400)
    return _change_or_say(request, case, draft, design.add_step, title=form.cleaned_data["title"])


@require_POST
@officer_required
def change_step(request: HttpRequest, code: str, position: int, index: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    action = request.POST.get("action", "")
    if action == "remove":
        return _change_or_say(request, case, draft, design.remove_step, index=index)
    if action in ("up", "down"):
        offset = -1 if action == "up" else 1
        return _change_or_say(request, case, draft, design.move_step, index=index, offset=offset)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the step a title."))
        return _render_builder(request, case, draft, status=400)
    return _change_or_say(
        request, case, draft, design.rename_step, index=index, title=form.cleaned_data["title"]
    )


# --- conditions and rules --------------------------------------------------------------------


def _group_fields(params: Any, draft: Any) -> tuple[str, Any]:
    """The group a condition or rule is written in (``?group=``) and its fields; 404 for a
    group the form does not have."""
    group = str(params.get("group", ""))
    try:
        return group, design.siblings(draft.schema, group)
    except design.DesignError:
        raise Http404 from None


@officer_required
def add_condition(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    params = request.POST if request.method == "POST" else request.GET
    group, siblings = _group_fields(params, draft)
    tested = next((n for n in siblings if n.key == params.get("field")), None)
    form = ConditionForm(
        request.POST if request.method == "POST" and tested else None,
        siblings=siblings,
        tested=tested,
        initial={"field": tested.key if tested else ""},
    )
    if request.method == "POST" and tested is not None and form.is_valid():
        try:
            services.change(
                draft,
                _user(request),
                design.add_condition,
                group=group,
                field=tested.key,
                value=form.value(),
                shown=form.cleaned_data["shown"],
                required=form.cleaned_data["required"],
                answered=form.answered,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Condition added."))
            return redirect(_builder_url(case, "conditions"))
    return render(
        request,
        "formbuilder/condition_form.html",
        {"case": case, "form": form, "group": group, "tested": tested},
        status=400 if request.method == "POST" and tested is not None else 200,
    )


@require_POST
@officer_required
def remove_condition(request: HttpRequest, code: str, position: int, index: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    group = request.POST.get("group", "")
    return _change_or_say(request, case, draft, design.remove_condition, group=group, index=index)


@officer_required
def add_rule(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    params = request.POST if request.method == "POST" else request.GET
    group, siblings = _group_fields(params, draft)
    form = RuleForm(request.POST or None, siblings=siblings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change(
                draft,
                _user(request),
                design.add_rule,
                group=group,
                left=data["left"],
                op=data["op"],
                right=data["right"],
                message={"vi": data["message_vi"], "en": data["message_en"]},
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rule added."))
            return redirect(_builder_url(case, "conditions"))
    return render(
        request,
        "formbuilder/rule_form.html",
        {"case": case, "form": form, "group": group},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@officer_required
def remove_rule(request: HttpRequest, code: str, position: int, index: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    group = request.POST.get("group", "")
    return _change_or_say(request, case, draft, design.remove_rule, group=group, index=index)


# --- preview, publish, discard ---------------------------------------------------------------


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@officer_required
def preview(request: HttpRequest, code: str, position: int) -> HttpResponse:
    """The form as a citizen will see it, step by step; answers are checked, never kept."""
    case, draft = _open(request, code, position)
    schema = design.publishable(draft.schema)
    session_key = f"formbuilder-preview-{draft.pk}"
    answers: dict[str, Any] = request.session.get(session_key, {})
    try:
        steps = EForm.steps(schema) if schema else []
    except (UnsupportedSchema, ValidationError) as error:
        return render(
            request,
            "formbuilder/preview.html",
            {"case": case, "broken": str(error), "steps": []},
            status=200,
        )
    step = min(max(_int(request.GET.get("step") or request.POST.get("step")), 0), len(steps))
    status = 200
    form = None
    checked = False
    if step < len(steps):
        if request.method == "POST":
            form = EForm(schema, data=request.POST, step=step, answers=answers)
            if form.rows_changed is None:
                if form.is_valid():
                    answers = finish_document(schema, merge_documents(answers, form.to_json()))
                    request.session[session_key] = answers
                    checked = True
                    if request.POST.get("action") == "next" and step + 1 < len(steps):
                        return redirect(
                            reverse("formbuilder:preview", args=[code, position])
                            + f"?step={step + 1}"
                        )
                else:
                    status = 400
        else:
            form = EForm(
                schema, initial=initial_from_document(schema, answers), step=step, answers=answers
            )
    return render(
        request,
        "formbuilder/preview.html",
        {
            "case": case,
            "form": form,
            "steps": steps,
            "step": step,
            "checked": checked,
            "preview_url": reverse("formbuilder:preview", args=[code, position]),
        },
        status=status,
    )


@require_POST
@officer_required
def publish(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    try:
        version = services.publish(draft, _user(request))
    except services.FormNotReady as error:
        messages.error(request, _("The form cannot be published yet; see what stands in the way."))
        return _render_builder(request, case, draft, status=400, problems=error.problems)
    except DomainError as error:
        messages.error(request, str(error))
        return _render_builder(request, case, draft, status=error.status)
    messages.success(
        request,
        _("Published as version %(number)d of the procedure. New dossiers use this form.")
        % {"number": version.number},
    )
    return redirect("formbuilder:cases")


@require_POST
@officer_required
def discard(request: HttpRequest, code: str, position: int) -> HttpResponse:
    _case, draft = _open(request, code, position)
    services.discard(draft)
    messages.success(request, _("The draft is discarded; the published form is unchanged."))
    return redirect("formbuilder:cases")


@officer_required
def schema_download(request: HttpRequest, code: str, position: int) -> HttpResponse:
    case, draft = _open(request, code, position)
    response = HttpResponse(
        json.dumps(design.publishable(draft.schema), ensure_ascii=False, indent=2),
        content_type="application/schema+json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{case.procedure.code}-{case.position}.schema.json"'
    )
    return response
