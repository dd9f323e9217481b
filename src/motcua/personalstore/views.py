"""Pages of the personal data store: the owner's documents, downloads, share links, the "who
used my data" log; reuse while filing; the officer's reads through a dossier and digitisation.
Thin: a form, one service or selector, a template (ADR 0008)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.access import officer_required
from motcua.accounts.acting import acting_business
from motcua.accounts.models import User
from motcua.catalog.rules import ComponentRule
from motcua.dossiers import access as dossier_access
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Attachment, Dossier, DossierDraft
from motcua.dossiers.selectors import draft_case
from motcua.errors import DomainError
from motcua.security import file_response

from . import access, reduction, selectors, services
from .access import Owner
from .errors import LinkGone, NotAllowed
from .forms import ShareForm, UseForm, VerifyForm
from .models import FetchOutcome, Purpose, Reuse, ShareLink, StoredDocument


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _owner(request: HttpRequest) -> Owner:
    try:
        return access.owner_for(request.user, acting_business(request))
    except NotAllowed:
        raise Http404 from None


def _document(owner: Owner, pk: int) -> StoredDocument:
    document = selectors.document(owner, pk)
    if document is None:
        raise Http404  # not 403: whose document it is is not disclosed
    return document


def _download(document: StoredDocument) -> FileResponse:
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
    name = f"{document.document_type}-{document.number or document.pk}"
    return file_response(
        document.file.open("rb"),
        filename=name + extension.get(document.content_type, ""),
        content_type=document.content_type,
    )


# --- the owner ------------------------------------------------------------------------------


@login_required
@require_GET
def my_store(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    page = Paginator(selectors.documents(owner), 20).get_page(request.GET.get("page"))
    return render(request, "personalstore/my_store.html", {"owner": owner, "page": page})


def _detail(
    request: HttpRequest, owner: Owner, document: StoredDocument, form: ShareForm, status: int
) -> HttpResponse:
    links = list(selectors.share_links(document))
    return render(
        request,
        "personalstore/document.html",
        {
            "owner": owner,
            "document": document,
            "links": links,
            "share_form": form,
            "link_urls": {
                link.pk: request.build_absolute_uri(
                    reverse("personalstore:shared", args=[link.token])
                )
                for link in links
            },
        },
        status=status,
    )


@login_required
@require_GET
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    document = _document(owner, pk)
    services.log_read(document, reader=_user(request), purpose=Purpose.OWNER)
    return _detail(request, owner, document, ShareForm(), 200)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    owner = _owner(request)
    document = _document(owner, pk)
    services.log_read(document, reader=_user(request), purpose=Purpose.OWNER)
    return _download(document)


@login_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    document = _document(owner, pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.share(
                owner=owner,
                document=document,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The link is ready: copy it below and send it."))
            return redirect("personalstore:document", pk=document.pk)
    return _detail(request, owner, document, form, 400)


@login_required
@require_POST
def withdraw_share(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    owner = _owner(request)
    document = _document(owner, pk)
    link = get_object_or_404(ShareLink, pk=link_id, document=document)
    services.withdraw_share(owner=owner, link=link)
    messages.success(request, _("The link was withdrawn: it no longer opens the document."))
    return redirect("personalstore:document", pk=document.pk)


@login_required
@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    document = _document(owner, pk)
    hidden = request.POST.get("hidden", "1") != "0"
    services.hide(owner=owner, document=document, hidden=hidden)
    messages.success(
        request,
        _("The document is hidden: it will not be offered in your dossiers.")
        if hidden
        else _("The document is offered in your dossiers again."),
    )
    return redirect("personalstore:document", pk=document.pk)


@login_required
@require_GET
def usage(request: HttpRequest) -> HttpResponse:
    """Who used my data: every read of the owner's documents."""
    owner = _owner(request)
    page = Paginator(selectors.reads(owner), 50).get_page(request.GET.get("page"))
    return render(request, "personalstore/usage.html", {"owner": owner, "page": page})


# --- share links (anyone holding one) -------------------------------------------------------


def _shared_link(request: HttpRequest, token: str) -> ShareLink | HttpResponse:
    try:
        return services.open_share(token)
    except LinkGone as exc:
        return render(
            request, "personalstore/link_gone.html", {"message": str(exc)}, status=exc.status
        )
    except NotAllowed:
        raise Http404 from None


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    found = _shared_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    response = render(
        request, "personalstore/shared.html", {"link": found, "document": found.document}
    )
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return response


@require_GET
def shared_download(request: HttpRequest, token: str) -> HttpResponseBase:
    found = _shared_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    services.log_read(
        found.document,
        reader=request.user if isinstance(request.user, User) else None,
        purpose=Purpose.SHARE_LINK,
        share_link=found,
    )
    return _download(found.document)


# --- reuse while filing ---------------------------------------------------------------------


def _draft(request: HttpRequest, draft_id: int) -> DossierDraft:
    try:
        return dossier_services.draft_for(_user(request), draft_id)
    except DomainError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def reuse(request: HttpRequest, draft_id: int, position: int) -> HttpResponse:
    """Preview the documents the store holds for one component, and use one of them."""
    draft = _draft(request, draft_id)
    components = list(draft_case(draft).components.all())
    if not 0 <= position < len(components):
        raise Http404
    component = components[position]
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = UseForm(request.POST)
        owner = services.owner_of_draft(draft)
        document = (
            owner.documents().filter(pk=form.cleaned_data["document"]).first()
            if form.is_valid()
            else None
        )
        if document is None:
            problems.append(_("Choose one of the documents below."))
        else:
            try:
                services.use_in_draft(
                    user=_user(request),
                    draft=draft,
                    component_position=position,
                    document=document,
                )
            except DomainError as exc:
                problems.append(str(exc))
            else:
                messages.success(
                    request,
                    _("“%(name)s” will be taken from your data store: no upload needed.")
                    % {"name": component.name},
                )
                return redirect("dossiers:review", draft_id=draft.pk)
        status = 400
    rules = [
        ComponentRule(name=c.name, mandatory=c.mandatory, document_type=c.document_type)
        for c in components
    ]
    offer = selectors.offers_for(draft, rules).get(position)
    for document in offer.candidates if offer else []:
        services.log_read(document, reader=_user(request), purpose=Purpose.PREVIEW)
    return render(
        request,
        "personalstore/reuse.html",
        {
            "draft": draft,
            "component": component,
            "position": position,
            "offer": offer,
            "problems": problems,
        },
        status=status,
    )


@login_required
@require_POST
def stop_reuse(request: HttpRequest, draft_id: int, position: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    services.stop_using(user=_user(request), draft=draft, component_position=position)
    messages.success(request, _("The document from your store is no longer used."))
    return redirect("dossiers:review", draft_id=draft.pk)


# --- officers -------------------------------------------------------------------------------


@login_required  # the service asks dossiers.access (officer roles need the second factor)
@require_GET
def officer_read(request: HttpRequest, code: str, reuse_id: int) -> FileResponse:
    """A reused document, only through its dossier while open to this officer; logged."""
    found = (
        Reuse.objects.select_related("dossier", "document")
        .filter(pk=reuse_id, dossier__code=code)
        .first()
    )
    if found is None:
        raise Http404
    try:
        document = services.officer_reads(officer=_user(request), reuse=found)
    except NotAllowed:
        raise Http404 from None
    return _download(document)


@officer_required
@require_POST
def officer_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Số hóa: the officer marks an attachment verified against the original."""
    dossier = get_object_or_404(Dossier, code=code)
    if not dossier_access.roles_for(request.user, dossier) & services.VERIFYING_ROLES:
        raise Http404
    form = VerifyForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        attachment = Attachment.objects.filter(
            pk=form.cleaned_data["attachment"], dossier=dossier
        ).first()
        if attachment is None:
            raise Http404
        try:
            services.verify_attachment(
                officer=_user(request),
                attachment=attachment,
                document_type=form.cleaned_data["document_type"],
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except NotAllowed:
            raise Http404 from None
        except DomainError as exc:
            problems.append(str(exc))
        else:
            messages.success(
                request,
                _("“%(name)s” is verified and now in the applicant's data store.")
                % {"name": attachment.component_name},
            )
            return redirect("dossiers:officer_dossier", code=dossier.code)
    return render(
        request,
        "personalstore/verify_refused.html",
        {"dossier": dossier, "form": form, "problems": problems},
        status=400,
    )


@login_required  # the service asks dossiers.access (officer roles need the second factor)
@require_POST
def officer_fetch(request: HttpRequest, code: str, position: int) -> HttpResponse:
    """One click: the component the agency fetches is asked of its national database."""
    dossier = get_object_or_404(Dossier, code=code)
    try:
        fetch = services.fetch_for_dossier(
            officer=_user(request), dossier=dossier, component_position=position
        )
    except NotAllowed:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:officer_dossier", code=dossier.code)
    if fetch.outcome == FetchOutcome.FETCHED:
        messages.success(
            request,
            _("Fetched from %(database)s and given to the dossier.")
            % {"database": fetch.connector},
        )
    else:
        messages.error(
            request,
            _("Not fetched: %(why)s. Ask the applicant for the document (below).")
            % {"why": fetch.reason},
        )
    return redirect("dossiers:officer_dossier", code=dossier.code)


# --- measured reduction (administrators) ----------------------------------------------------


@staff_member_required
@require_GET
def reduction_page(request: HttpRequest) -> HttpResponse:
    month = reduction.parse_month(request.GET.get("month"))
    if month is None:
        return render(
            request,
            "personalstore/reduction.html",
            {
                "error": _("Write the month as YYYY-MM, e.g. 2026-12."),
                "asked": request.GET["month"],
            },
            status=400,
        )
    rows = reduction.reduction(month)
    return render(
        request,
        "personalstore/reduction.html",
        {
            "rows": rows,
            "total": reduction.totals(rows, month),
            "month": f"{month:%Y-%m}",
            "asked": f"{month:%Y-%m}",
        },
    )
