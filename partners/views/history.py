""" "Historique des demandes" (guide 001, chapter VI): the list with its filter bar, the detail
of a request, "Compléter la demande" and "Annuler la demande"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.forms import CaseMessageForm
from casework.lists import page_of
from casework.models import CaseStatus, Side
from casework.selectors import awaited_message, case_files
from casework.services import CaseError, requester_files_count
from casework.views import requester_cancel, requester_page
from documents.rules import PARTNER_REQUEST
from partners.catalogue import (
    APPOINTMENT_MODES,
    CONSENT_TEXT,
    RENUNCIATION_CAUSES,
    RENUNCIATION_DURATIONS,
    SAISINE,
    SERVICES,
    SUPPORT_REASONS,
    UNPERFORMED_CARE,
    Service,
    motif_label,
)
from partners.decorators import partner_required
from partners.forms_followup import (
    CancelForm,
    CompleteForm,
    HistoryFilterForm,
    partner_files_worded,
)
from partners.selectors import (
    get_partner_request_or_404,
    partner_history,
    structure_requesters,
)
from partners.services import partner_request_complete, partner_request_is_editable


@partner_required
def history(request, space):
    """All the structure's requests at the selected organism, newest first unless sorted."""
    form = HistoryFilterForm(request.GET, requesters=structure_requesters(space.structure.pk))
    form.is_valid()
    filters = form.filters
    listed = partner_history(space, filters)
    page, notice = page_of(
        request,
        listed.exact_count,
        form.page_size,
        count=listed.total,
        rows=listed.rows,
    )
    return render(
        request,
        "partners/history.html",
        {
            "space": space,
            "form": form,
            "page": page,
            "page_notice": notice,
            "filtered": filters.active,
        },
    )


# -- Detail ------------------------------------------------------------------------------------
def _motif_rows(shown) -> list[tuple[str, list[str]]]:
    """ "Motif" and what goes with it: the documents asked (ODS 5), the appointment modes
    (ODS 1), the answers of the "Saisine" form (ODS 2), with the catalogue's labels."""
    service = Service(shown.service)
    if service == Service.DOCUMENT:
        codes = shown.documents or [shown.motif]
        return [(_("Motif"), [motif_label(service, code) for code in codes])]
    rows = [(_("Motif"), [motif_label(service, shown.motif)])]
    if service == Service.CONTACT and shown.appointment_modes:
        modes = [str(APPOINTMENT_MODES.get(code, code)) for code in shown.appointment_modes]
        rows.append((_("Modalités de rendez-vous"), modes))
    if service == Service.DIFFICULTY and shown.motif == SAISINE and shown.saisine:
        saisine = shown.saisine

        def labels(catalogue, key):
            codes = saisine.get(key) or []
            if isinstance(codes, str):  # the duration is one answer
                codes = [codes]
            return [str(catalogue.get(code, code)) for code in codes]

        if saisine.get("consent"):
            rows.append((_("Consentement de l'assuré"), [str(CONSENT_TEXT)]))
        for label, catalogue, key in (
            (_("Accompagnement santé sollicité dans le cadre de"), SUPPORT_REASONS, "reasons"),
            (_("Quels soins ne sont pas réalisés ?"), UNPERFORMED_CARE, "care"),
            (_("Depuis quand dure le renoncement ?"), RENUNCIATION_DURATIONS, "duration"),
            (_("Quelles en sont les causes ?"), RENUNCIATION_CAUSES, "causes"),
        ):
            if values := labels(catalogue, key):
                rows.append((label, values))
    return rows


def _actions_allowed(space, shown) -> bool:
    """ "Compléter" and "Annuler" are offered while "Nouveau" and while filing is allowed."""
    return partner_request_is_editable(shown) and space.situation.may_file


def _refusal(space, shown) -> str:
    if not partner_request_is_editable(shown):
        return _(
            "La demande %(number)s est « %(status)s » : elle ne peut plus être complétée "
            "ni annulée."
        ) % {"number": shown.number, "status": shown.get_status_display()}
    return _(
        "Le conventionnement avec cet organisme ne permet plus de compléter ni d'annuler "
        "une demande."
    )


def _reply_form(request, shown, data=None, files=None) -> CaseMessageForm:
    """The partner's answer to a complement asked: a comment and files within the request's 8
    (none for the ODS that take no file)."""
    takes_files = SERVICES[Service(shown.service)].has_files
    form = CaseMessageForm(
        data,
        files,
        user=request.user,
        rules=PARTNER_REQUEST,
        room=PARTNER_REQUEST.max_files - requester_files_count(shown) if takes_files else 0,
        limit=PARTNER_REQUEST.max_files if takes_files else None,
        label=_("Votre complément"),
        required_message=_("Saisissez votre complément."),
        files_label=_("Pièces jointes"),
    )
    if "files" in form.fields:
        partner_files_worded(form.fields["files"], form.room)
    return form


@partner_required
def detail(request, space, number):
    """The guide's four blocks: the request, what was entered, the answer (once resolved), the
    files sent (names only) and received (downloadable 15 days, the day shown); above them,
    while the organism waits for a complement, what it asked and the form to answer; below,
    the exchanges with the organism. Opening it marks the organism's messages read."""
    shown = get_partner_request_or_404(space, number)
    info = SERVICES[Service(shown.service)]
    # A complement asked is answered even once the convention ended: it is no new request.
    page = requester_page(
        request,
        shown,
        move="reply",
        form_factory=lambda data, files: _reply_form(request, shown, data, files),
        sent_message=_("Votre complément a bien été envoyé à l'organisme."),
        sent_url=reverse("partners:detail", args=[shown.number]),
    )
    if page.response is not None:
        return page.response
    thread = page.thread
    answer = next(
        (item.message for item in reversed(thread) if item.event.action == "resolve"), None
    )
    return render(
        request,
        "partners/detail.html",
        {
            "space": space,
            "shown": shown,
            "info": info,
            "motif_rows": _motif_rows(shown),
            "resolved": shown.status == CaseStatus.RESOLVED,
            "answer": answer,
            "awaited": awaited_message(shown),
            "thread": thread,
            "unread_ids": page.unread_ids,
            "form": page.form,
            "sent_files": [
                *shown.attachments.order_by("created_at", "original_name"),
                *case_files(shown, side=Side.REQUESTER),
            ],
            "received_files": case_files(shown, side=Side.INSURER),
            "actions": _actions_allowed(space, shown),
        },
    )


# -- Compléter, Annuler --------------------------------------------------------------------------
@partner_required
def complete(request, space, number):
    """ "Compléter la demande": the comment completed and more files, within 8 in all."""
    shown = get_partner_request_or_404(space, number)
    allowed = _actions_allowed(space, shown)
    if not allowed and request.method != "POST":
        messages.error(request, _refusal(space, shown))
        return redirect("partners:detail", number=shown.number)
    form_kwargs = {
        "user": request.user,
        "service": shown.service,
        "files_sent": requester_files_count(shown),
    }
    if request.method == "POST":
        form = CompleteForm(request.POST, request.FILES, **form_kwargs)
        if not allowed:
            # Taken in charge (or the convention ended) while the form was open: nothing is
            # written, and what was typed stays on the page.
            form.is_valid()
            form.add_error(None, _refusal(space, shown))
        elif form.is_valid():
            try:
                partner_request_complete(
                    request=shown,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    attachments=form.attachments,
                )
            except CaseError as error:
                form.add_error(None, error.message)
                shown.refresh_from_db(fields=["status"])
                allowed = partner_request_is_editable(shown)
            else:
                messages.success(request, _("La demande a bien été prise en compte."))
                return redirect("partners:detail", number=shown.number)
    else:
        form = CompleteForm(initial={"comment": shown.comment}, **form_kwargs)
    return render(
        request,
        "partners/complete.html",
        {"space": space, "shown": shown, "form": form, "allowed": allowed},
    )


@partner_required
def cancel(request, space, number):
    """ "Annuler la demande": a motif and the confirmation; the request leaves the history."""
    shown = get_partner_request_or_404(space, number)
    page = requester_cancel(
        request,
        shown,
        form_factory=CancelForm,
        allowed=lambda: _actions_allowed(space, shown),
        refusal=lambda: _refusal(space, shown),
        done_message=_(
            "La demande a été automatiquement supprimée de la liste des demandes "
            "affichées dans l'historique des demandes."
        ),
        done_url=reverse("partners:history"),
        back_url=reverse("partners:detail", args=[shown.number]),
    )
    if page.response:
        return page.response
    return render(
        request,
        "partners/cancel.html",
        {"space": space, "shown": shown, "form": page.form, "allowed": page.allowed},
    )
