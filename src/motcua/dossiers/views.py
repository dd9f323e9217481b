"""Dossier pages: filing (e-form steps, drafts, attachments), my dossiers, officer desk, lookup."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import access as accounts_access
from motcua.accounts.access import officer_required
from motcua.accounts.acting import acting_business
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.selectors import published_procedures
from motcua.eforms.forms import EForm, initial_from_document, merge_documents
from motcua.eforms.prefill import prefill
from motcua.eforms.validation import validate_document
from motcua.feedback import context as feedback_context
from motcua.payments.selectors import dossier_payments
from motcua.results.selectors import result_panel
from motcua.security import file_response

from . import access, coordination, documents, lifecycle, selectors, services
from .deadlines import send_apology
from .forms import ActionForm, LookupForm, UploadForm
from .lifecycle import Actor, Status, Transition
from .models import ApologyLetter, Attachment, Consultation, Dossier, DossierDraft
from .uploads import UploadRefused


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _schema(draft: DossierDraft) -> dict[str, Any]:
    schema: dict[str, Any] = draft.procedure.cases.all()[draft.case_position].eform_schema
    return schema


def _profile(user: User) -> dict[str, object]:
    return {
        "full_name": user.full_name,
        "date_of_birth": user.date_of_birth,
        "personal_id": user.personal_id or "",
        "phone": user.phone,
        "email": user.email,
        "address": user.current_street or user.permanent_street,
        "sex": user.sex,
    }


# --- filing ---------------------------------------------------------------------------------


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(published_procedures(), code=code)
    user = _user(request)
    cases = list(procedure.cases.all())
    try:
        case_position = int(request.POST.get("case", "0"))
    except ValueError:
        case_position = -1
    if not 0 <= case_position < len(cases):
        messages.error(request, _("This procedure has no such case."))
        return redirect("catalog:apply", code=code)
    schema = cases[case_position].eform_schema
    try:
        draft = services.start_draft(
            user=user,
            procedure=procedure,
            acting_for=acting_business(request),
            case_position=case_position,
            initial=prefill(schema, _profile(user)) if schema else {},
        )
    except services.DossierError as exc:
        messages.error(request, str(exc))
        return redirect("catalog:apply", code=code)
    return redirect("dossiers:draft", draft_id=draft.pk, step=0)


@login_required
@require_http_methods(["GET", "POST"])
def draft_step(request: HttpRequest, draft_id: int, step: int) -> HttpResponse:
    """One step of the e-form. Every valid step is saved at once; nothing typed is lost."""
    try:
        draft = services.draft_for(_user(request), draft_id)
    except services.NotAllowed:
        raise Http404 from None
    if Dossier.objects.filter(draft=draft).exists():
        return redirect("dossiers:detail", code=Dossier.objects.get(draft=draft).code)
    schema = _schema(draft)
    steps = EForm.steps(schema)
    if step >= len(steps):
        return redirect("dossiers:review", draft_id=draft.pk)
    status = 200
    if request.method == "POST":
        form = EForm(schema, data=request.POST, step=step)
        if form.is_valid():
            services.save_draft(
                draft=draft,
                user=_user(request),
                values=merge_documents(draft.data, form.to_json()),
                step=step,
            )
            if request.POST.get("action") == "save":
                messages.success(request, _("Your draft is saved. You can continue later."))
                return redirect("dossiers:draft", draft_id=draft.pk, step=step)
            return redirect("dossiers:draft", draft_id=draft.pk, step=step + 1)
        status = 400
    else:
        form = EForm(schema, initial=initial_from_document(schema, draft.data), step=step)
    return render(
        request,
        "dossiers/draft_step.html",
        {"draft": draft, "form": form, "steps": steps, "step": step, "step_count": len(steps)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Attachments and the final check; submitting twice files one dossier."""
    user = _user(request)
    try:
        draft = services.draft_for(user, draft_id)
    except services.NotAllowed:
        raise Http404 from None
    existing = Dossier.objects.filter(draft=draft).first()
    if existing is not None:
        return redirect("dossiers:detail", code=existing.code)
    schema = _schema(draft)
    case = draft.procedure.cases.all()[draft.case_position]
    upload_form = UploadForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                services.attach(
                    draft=draft,
                    user=user,
                    component_position=upload_form.cleaned_data["component"],
                    upload=upload_form.cleaned_data["file"],
                )
            except (UploadRefused, services.DossierError) as exc:
                problems.append(str(exc))
                status = 400
            else:
                return redirect("dossiers:review", draft_id=draft.pk)
        else:
            problems.extend(str(e) for errors in upload_form.errors.values() for e in errors)
            status = 400
    errors = validate_document(schema, draft.data) if schema else {}
    if request.method == "POST" and request.POST.get("action") == "submit":
        try:
            dossier = services.submit(draft=draft, user=user, form_errors=errors)
        except services.DossierError as exc:
            problems.append(str(exc))
            status = 400
        else:
            messages.success(request, _("Your dossier was submitted."))
            return redirect("dossiers:detail", code=dossier.code)
    attached = {a.component_position: a for a in draft.attachments.all()}
    components = [(i, c, attached.get(i)) for i, c in enumerate(case.components.all())]
    return render(
        request,
        "dossiers/review.html",
        {
            "draft": draft,
            "components": components,
            "errors": errors,
            "problems": problems,
            "step_count": len(EForm.steps(schema)) if schema else 0,
        },
        status=status,
    )


# --- my dossiers ----------------------------------------------------------------------------


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.dossiers_of(_user(request)), 20).get_page(request.GET.get("page"))
    drafts = DossierDraft.objects.filter(applicant=_user(request), dossier__isnull=True)
    return render(request, "dossiers/my_dossiers.html", {"page": page, "drafts": drafts[:10]})


def _visible(request: HttpRequest, code: str) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure", "receiving_agency", "applicant"), code=code
    )
    if not access.can_view(_user(request), dossier):
        raise Http404  # not 403: whether a code exists is not disclosed
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _visible(request, code)
    user = _user(request)
    roles = access.roles_for(user, dossier)
    status = 200
    problems: list[str] = []
    if request.method == "POST" and Actor.APPLICANT in roles:
        action = request.POST.get("action")
        try:
            if action == "upload" and dossier.status == Status.SUPPLEMENT_REQUESTED:
                upload = request.FILES.get("file")
                if upload is None:
                    raise services.DossierError(_("Choose a file."))
                services.attach_supplement(
                    dossier=dossier,
                    user=user,
                    component_position=int(request.POST.get("component", "0")),
                    upload=upload,
                )
            elif action in (Transition.SUPPLEMENT, Transition.WITHDRAW):
                services.act(
                    dossier=dossier,
                    user=user,
                    transition=action,
                    reason=request.POST.get("reason", ""),
                )
            else:
                raise services.NotAllowed(_("Unknown action."))
        except (services.DossierError, UploadRefused, ValueError) as exc:
            problems.append(str(exc))
            status = 400
        else:
            return redirect("dossiers:detail", code=dossier.code)
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "events": services.history(dossier),
            "attachments": dossier.attachments.all(),
            "is_applicant": Actor.APPLICANT in roles,
            "can_withdraw": Actor.APPLICANT in roles
            and dossier.status in lifecycle.RULES[Transition.WITHDRAW].sources,
            "problems": problems,
            "guided_to": services.guided_to(dossier),
            "components": dossier.rules.components,
            # The page's roles, not asked for again by each panel.
            **feedback_context.for_dossier(dossier, user, roles=roles),
            **dossier_payments(dossier, user, roles=roles),
            "result_panel": result_panel(dossier=dossier, user=user, roles=roles),
        },
        status=status,
    )


@login_required
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    dossier = _visible(request, code)
    item = get_object_or_404(Attachment, pk=attachment_id, dossier=dossier)
    # The type found in its bytes at upload, never its name; a download, never a page of ours.
    return file_response(
        item.file.open("rb"), filename=item.original_name, content_type=item.content_type
    )


@require_http_methods(["GET"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Public status by code and receipt secret: no sign-in, status only, no personal data."""
    form = LookupForm(request.GET or None)
    dossier = None
    status = 200
    if request.GET:
        if form.is_valid():
            dossier = selectors.public_status(
                form.cleaned_data["code"], form.cleaned_data["secret"]
            )
            if dossier is None:
                form.add_error(None, _("No dossier matches this code and lookup code."))
                status = 404
        else:
            status = 400
    return render(
        request, "dossiers/lookup.html", {"form": form, "dossier": dossier}, status=status
    )


# --- officers -------------------------------------------------------------------------------


@officer_required
def officer_worklist(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("list", "to_receive")
    if name not in selectors.WORKLISTS:
        name = "to_receive"
    sort = request.GET.get("sort", "due")
    page = Paginator(selectors.worklist(_user(request), name, sort=sort), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dossiers/officer_worklist.html",
        {"page": page, "current": name, "lists": selectors.WORKLISTS, "sort": sort},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def officer_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _visible(request, code)
    user = _user(request)
    roles = access.roles_for(user, dossier) - {Actor.APPLICANT}
    if not roles:
        raise Http404
    form = ActionForm(request.POST if "transition" in request.POST else None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "apology":
        letter = get_object_or_404(
            ApologyLetter, pk=request.POST.get("letter", "0"), dossier=dossier
        )
        try:
            send_apology(letter=letter, officer=user, reason=request.POST.get("reason", ""))
        except services.DossierError as exc:
            messages.error(request, str(exc))
            return redirect("dossiers:officer_dossier", code=dossier.code)
        messages.success(request, _("The apology letter was sent."))
        return redirect("dossiers:officer_dossier", code=dossier.code)
    if request.method == "POST" and request.POST.get("action") in ("consult", "answer"):
        try:
            if request.POST["action"] == "consult":
                agency = Agency.objects.current().filter(code=request.POST.get("agency")).first()
                if agency is None:
                    raise services.DossierError(_("Choose the coordinating agency."))
                try:
                    days = Decimal(request.POST.get("working_days", "").replace(",", "."))
                except ArithmeticError:
                    raise services.DossierError(
                        _("The time slice is more than 0 and at most 60 working days.")
                    ) from None
                if not days.is_finite():
                    raise services.DossierError(
                        _("The time slice is more than 0 and at most 60 working days.")
                    )
                coordination.request_part(
                    dossier=dossier,
                    officer=user,
                    agency=agency,
                    part=request.POST.get("part", ""),
                    working_days=days,
                )
            else:
                consultation = get_object_or_404(
                    Consultation, pk=request.POST.get("consultation", "0"), dossier=dossier
                )
                coordination.answer_part(
                    consultation=consultation,
                    officer=user,
                    answer=request.POST.get("answer", ""),
                )
        except services.DossierError as exc:
            messages.error(request, str(exc))
            return render(
                request,
                "dossiers/officer_dossier.html",
                _officer_context(dossier, user, roles, form),
                status=400,
            )
        messages.success(request, _("Done."))
        return redirect("dossiers:officer_dossier", code=dossier.code)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.act(
                    dossier=dossier,
                    user=user,
                    transition=form.cleaned_data["transition"],
                    reason=form.cleaned_data["reason"],
                    to_unit=form.cleaned_data["to_unit"],
                    apology=form.cleaned_data["apology"],
                )
            except services.DossierError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("Done."))
                return redirect("dossiers:officer_dossier", code=dossier.code)
        else:
            status = 400
    return render(
        request,
        "dossiers/officer_dossier.html",
        _officer_context(dossier, user, roles, form),
        status=status,
    )


def _officer_context(
    dossier: Dossier, user: User, roles: set[str], form: ActionForm
) -> dict[str, Any]:
    my_agencies = set(accounts_access.agency_ids(user))
    consultations = list(dossier.consultations.select_related("coordinating_agency"))
    return {
        "dossier": dossier,
        "events": services.history(dossier),
        "attachments": dossier.attachments.all(),
        "actions": [
            (name, Transition(name).label, lifecycle.RULES[name].reason_required)
            for name in lifecycle.allowed(dossier.status, roles)
        ],
        "form": form,
        "letters": dossier.apologies.filter(status="draft"),
        "is_late": dossier.is_late(),
        "guided_to": services.guided_to(dossier),
        "steps": list(dossier.steps.all()),
        **dossier_payments(dossier, user, roles=roles),
        "result_panel": result_panel(dossier=dossier, user=user, roles=roles),
        "consultations": consultations,
        "to_answer": [
            c for c in consultations if c.is_open and c.coordinating_agency_id in my_agencies
        ],
        "can_consult": dossier.status == Status.PROCESSING
        and bool(roles & {Actor.PROCESSOR, Actor.APPROVER}),
        "agencies": Agency.objects.current().order_by("name"),
    }


FORM_EVENTS = {
    "02": Transition.REQUEST_SUPPLEMENT,
    "03": Transition.REFUSE,
    "05": Transition.STOP,
}


@login_required
def document(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """The one-stop forms of a dossier as PDF: 01 receipt, 02, 03, 04, 05, 06 control sheet."""
    dossier = _visible(request, code)
    roles = access.roles_for(_user(request), dossier)
    pdf: bytes
    if form == "01":
        if dossier.accepted_at is None:
            raise Http404
        lookup = (
            reverse("dossiers:lookup")
            + "?"
            + urlencode({"code": dossier.code, "secret": dossier.lookup_secret})
        )
        pdf = documents.receipt_pdf(dossier, tracking_url=request.build_absolute_uri(lookup))
    elif form in FORM_EVENTS:
        event = dossier.events.filter(transition=FORM_EVENTS[form]).last()
        if event is None:
            raise Http404
        if form == "02":
            pdf = documents.supplement_request_pdf(dossier, missing=event.reason)
        elif form == "03":
            pdf = documents.refusal_pdf(dossier, reason=event.reason)
        else:
            pdf = documents.stop_pdf(dossier, reason=event.reason)
    elif form == "04":
        letter = dossier.apologies.filter(status="sent").first()  # the latest sent
        if letter is None:
            raise Http404
        pdf = documents.apology_pdf(dossier, reason=letter.reason, new_due=letter.proposed_due_at)
    elif form == "06" and roles - {Actor.APPLICANT}:
        pdf = documents.control_sheet_pdf(dossier)
    else:
        raise Http404
    name = f"{dossier.code}-mau-{form}.pdf"
    return file_response(pdf, filename=name, content_type="application/pdf")
