"""Following requests: "Échanger avec nous" (history), the detail with its conversation,
cancelling, "Ma messagerie", "Mes documents" and its "Historique des mails"."""

from django.shortcuts import render
from django.urls import path, re_path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import member_required
from casework.forms import CancelForm, CaseMessageForm
from casework.lifecycle import case_type_of
from casework.lists import page_of, total_of
from casework.models import CaseMessage, CaseStatus
from casework.selectors import awaited_message
from casework.services import (
    case_can,
    case_messages_mark_read,
    case_refusal,
    requester_files_count,
)
from casework.views import requester_cancel, requester_page
from requests_app.forms.history import RequestFilterForm, RequestSearchForm
from requests_app.forms.message import FOLLOW_UP
from requests_app.selectors import (
    MemberHistory,
    answers_page,
    get_member_request_or_404,
    member_answers,
    with_files,
)
from requests_app.services import WRITE_MOVES

ANSWERS_PAGE_SIZE = 10


def _request_list(request, member, form_class, template):
    form = form_class(request.GET)
    form.is_valid()
    listed = MemberHistory(member, **form.filters)
    page, notice = page_of(
        request,
        listed.exact_count,
        form.page_size,
        count=listed.total,
        rows=listed.rows,
        rows_first=True,
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "page_notice": notice,
            "filtered": listed.filtered,
            "member": member,
        },
    )


@member_required
def history(request, member):
    """ "Échanger avec nous": the requests of the member and of their beneficiaries."""
    return _request_list(request, member, RequestFilterForm, "requests_app/history.html")


@member_required
def mailbox(request, member):
    """ "Ma messagerie": every request sent from the space, searchable by subject and text."""
    return _request_list(request, member, RequestSearchForm, "requests_app/mailbox.html")


# -- A request and its conversation ----------------------------------------------------------------
WRITE_TEXTS = {
    "reply": (gettext_lazy("Votre réponse"), gettext_lazy("Envoyer ma réponse")),
    "write": (gettext_lazy("Votre message"), gettext_lazy("Envoyer le message")),
    "reopen": (gettext_lazy("Votre message"), gettext_lazy("Envoyer et rouvrir la demande")),
}


def _write_form(request, shown, data=None, files=None) -> CaseMessageForm:
    kind = case_type_of(shown)
    label, _button = WRITE_TEXTS[WRITE_MOVES.get(shown.status, "write")]
    return CaseMessageForm(
        data,
        files,
        user=request.user,
        rules=kind.file_rules(shown),
        room=kind.max_requester_files - requester_files_count(shown),
        limit=kind.max_requester_files,
        label=label,
        required_message=_("Écrivez votre message."),
    )


def _answer(shown, thread):
    """The managers' answer of a resolved request, shown first on its page."""
    if shown.status != CaseStatus.RESOLVED:
        return None
    return next((item.message for item in reversed(thread) if item.event.action == "resolve"), None)


def _new_request_link(shown) -> str:
    """ "Écrire un message" about the old request: category "Autre", object "Suite à une demande
    déjà envoyée" and a text citing its reference, all of which the member may change."""
    text = _("Suite à la demande %(reference)s") % {"reference": shown.reference}
    query = {"topic": "other", "subject": FOLLOW_UP, "message": text}
    return f"{reverse('requests_app:message')}?{urlencode(query)}"


@member_required
def detail(request, member, reference):
    """Everything sent, the whole conversation with the managers, and what the member may do
    now: answer the complement asked, add a message, write again within 30 days of the answer
    (the request re-opens), or cancel while "Nouveau". Opening it marks the managers'
    messages read."""
    shown = get_member_request_or_404(member, reference)
    write_move = WRITE_MOVES.get(shown.status, "write")
    page = requester_page(
        request,
        shown,
        move=write_move,
        form_factory=lambda data, files: _write_form(request, shown, data, files),
        sent_message=_("Votre message a bien été envoyé."),
        sent_url=reverse("requests_app:detail", args=[reference]),
    )
    if page.response is not None:
        return page.response
    return render(
        request,
        "requests_app/detail.html",
        {
            "shown": shown,
            "thread": page.thread,
            "answer": _answer(shown, page.thread),
            "unread_ids": page.unread_ids,
            "awaited": awaited_message(shown),
            "form": page.form,
            "write_move": write_move,
            "write_button": WRITE_TEXTS[write_move][1],
            "may_cancel": case_can(shown, "cancel"),
            "closed_for_good": shown.status == CaseStatus.RESOLVED and page.form is None,
            "new_request_link": _new_request_link(shown),
        },
    )


@member_required
def cancel(request, member, reference):
    """ "Annuler la demande", while "Nouveau", with a reason; it stays in the history as
    "Annulé"."""
    shown = get_member_request_or_404(member, reference)
    reasons = case_type_of(shown).cancel_reasons
    detail_url = reverse("requests_app:detail", args=[reference])
    page = requester_cancel(
        request,
        shown,
        form_factory=lambda data: CancelForm(data, reasons=reasons),
        allowed=lambda: case_can(shown, "cancel"),
        refusal=lambda: case_refusal(shown, "cancel"),
        done_message=_("Votre demande %(reference)s est annulée.") % {"reference": reference},
        done_url=detail_url,
        back_url=detail_url,
    )
    if page.response:
        return page.response
    return render(request, "requests_app/cancel.html", {"shown": shown, "form": page.form})


@member_required
def documents(request, member):
    """ "Mes documents": the tabs of the member's documents."""
    return render(request, "requests_app/documents_home.html")


@member_required
def answers(request, member):
    """ "Historique des mails": every message received from the managers, newest first, in
    full; what the page shows is read."""
    received = member_answers(member)
    capped = []

    def rows(offset, limit):
        # The page's messages count the member's up to EXACT_UP_TO in the same query.
        shown = answers_page(member, offset, limit)
        capped[:] = [message.capped_total for message in shown[:1]]
        return shown

    page, notice = page_of(
        request,
        received,
        ANSWERS_PAGE_SIZE,
        count=lambda: total_of(
            received,
            capped=capped[0] if capped else None,
            estimate_key=f"member-answers:{member.pk}",
        ),
        rows=rows,
        rows_first=True,
    )
    shown = with_files(page.object_list)
    unread = [message.pk for message in shown if message.read_at is None]
    opened = (
        case_messages_mark_read(messages=CaseMessage.objects.filter(pk__in=unread), by=request.user)
        if unread
        else []
    )
    page.object_list = shown
    return render(
        request,
        "requests_app/answers.html",
        {
            "page": page,
            "page_notice": notice,
            "unread_ids": {m.pk for m in opened},
            "member": member,
        },
    )


REFERENCE = r"(?P<reference>DEM-\d{4}-\d{6,})"

urlpatterns = [
    path("demandes/", history, name="history"),
    # Only what looks like a reference, so the forms' own addresses under /demandes/ never
    # land here whatever the order of the patterns.
    re_path(rf"^demandes/{REFERENCE}/$", detail, name="detail"),
    re_path(rf"^demandes/{REFERENCE}/annuler/$", cancel, name="cancel"),
    path("messagerie/", mailbox, name="mailbox"),
    path("mes-documents/", documents, name="documents"),
    path("mes-documents/historique-des-mails/", answers, name="answers"),
]
