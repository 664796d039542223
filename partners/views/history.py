""" "Historique des demandes" (guide 001, chapter VI): the list with its filter bar, the detail
of a request, "Compléter la demande" and "Annuler la demande"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

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
from partners.forms_followup import CancelForm, CompleteForm, HistoryFilterForm
from partners.models import PartnerRequestStatus
from partners.selectors import (
    get_partner_request_or_404,
    partner_history,
    partner_history_count,
    structure_requesters,
)
from partners.services import (
    PartnerRequestError,
    partner_request_cancel,
    partner_request_complete,
    partner_request_is_editable,
)


class _CountedPaginator(Paginator):
    """A paginator whose total comes from `count` (a selector's, cheaper than COUNT(*) of the
    rows' query)."""

    def __init__(self, rows, size, *, count):
        super().__init__(rows, size)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def _page(request, rows, size, count):
    """The page asked for in `?page=`, within the pages there are (the total, then that page's
    rows only), and a notice when the number asked for was not one of them."""
    paginator = _CountedPaginator(rows, size, count=count)
    asked = request.GET.get("page", "")
    try:
        number = int(asked) if asked else 1
    except ValueError:
        number = 0
    shown = min(max(number, 1), paginator.num_pages)
    notice = ""
    if asked and shown != number:
        notice = _("La page demandée n'existe pas : voici la page %(number)s.") % {"number": shown}
    return paginator.page(shown), notice


@partner_required
def history(request, space):
    """All the structure's requests at the selected organism, newest first unless sorted."""
    form = HistoryFilterForm(request.GET, requesters=structure_requesters(space.structure.pk))
    form.is_valid()
    filters = form.filters
    page, notice = _page(
        request,
        partner_history(space, filters),
        form.page_size,
        count=lambda: partner_history_count(space, filters),
    )
    page.object_list = list(page.object_list)
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


@partner_required
def detail(request, space, number):
    """The guide's four blocks: the request, what was entered, the answer (once resolved), the
    files sent (names only) and received (downloadable 15 days)."""
    shown = get_partner_request_or_404(space, number)
    info = SERVICES[Service(shown.service)]
    return render(
        request,
        "partners/detail.html",
        {
            "space": space,
            "shown": shown,
            "info": info,
            "motif_rows": _motif_rows(shown),
            "resolved": shown.status == PartnerRequestStatus.RESOLVED,
            "sent_files": list(shown.attachments.order_by("created_at", "original_name")),
            "received_files": list(shown.answer_files.order_by("created_at", "original_name")),
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
        "files_sent": shown.attachments.count(),
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
            except PartnerRequestError as error:
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
    allowed = _actions_allowed(space, shown)
    if not allowed and request.method != "POST":
        messages.error(request, _refusal(space, shown))
        return redirect("partners:detail", number=shown.number)
    if request.method == "POST":
        form = CancelForm(request.POST)
        if not allowed:
            form.is_valid()
            form.add_error(None, _refusal(space, shown))
        elif form.is_valid():
            try:
                partner_request_cancel(
                    request=shown, by=request.user, reason=form.cleaned_data["reason"]
                )
            except PartnerRequestError as error:
                form.add_error(None, error.message)
                shown.refresh_from_db(fields=["status"])
                allowed = partner_request_is_editable(shown)
            else:
                messages.success(
                    request,
                    _(
                        "La demande a été automatiquement supprimée de la liste des demandes "
                        "affichées dans l'historique des demandes."
                    ),
                )
                return redirect("partners:history")
    else:
        form = CancelForm()
    return render(
        request,
        "partners/cancel.html",
        {"space": space, "shown": shown, "form": form, "allowed": allowed},
    )
