"""What a case's pages do for its requester, whatever the case type: the message form of the
move open now (a reply, a message), the thread, read on opening, and "Annuler la demande".

The apps' views call `requester_page` / `requester_cancel` and render their own template with
what they give.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect

from accounts.form_resume import form_resume_take
from casework.forms import CaseMessageForm
from casework.models import Case, Side
from casework.selectors import ThreadItem, case_thread, sent_with_token
from casework.services import CaseError, case_can, case_messages_read, case_move, case_refusal


@dataclass
class RequesterPage:
    form: CaseMessageForm | None
    # A redirect once the message was recorded: the view returns it as it is.
    response: HttpResponse | None = None
    thread: list[ThreadItem] = field(default_factory=list)
    # The other side's messages this visit opened for the first time ("Nouveau").
    unread_ids: set[int] = field(default_factory=set)


def _top_of(url: str) -> str:
    """`url` opened at the top of its main content, where the confirmation is shown: without a
    fragment of its own, the browser would keep the one the form was posted from ("Répondre"
    leads to #repondre) and come back on the emptied form, the confirmation far above."""
    return f"{url}#main"


def requester_page(
    request, case: Case, *, move: str, form_factory, sent_message: str, sent_url: str
) -> RequesterPage:
    """The requester's side of a case page.

    GET: a blank form when `move` is open to the case (`form_factory(data, files)` builds it;
    filled again when it was sent after the session ended), and the other side's messages
    marked read. POST: the message recorded through
    `case_move` (then a redirect to `sent_url` with `sent_message`); or the form again with
    why not (the case moved on meanwhile, a rule refused it), nothing typed lost. The same form
    posted again answers as the first time did.
    """
    may = case_can(case, move)
    if request.method == "POST":
        form = form_factory(request.POST, request.FILES)
        if sent_with_token(case, request.POST.get("token")):
            messages.success(request, sent_message)
            return RequesterPage(form=None, response=redirect(_top_of(sent_url)))
        if not may:
            form.is_valid()
            form.add_error(None, case_refusal(case, move))
        elif form.is_valid():
            try:
                case_move(
                    case=case,
                    move=move,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    attachments=form.attachments,
                    token=form.cleaned_data.get("token"),
                )
            except CaseError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, sent_message)
                return RequesterPage(form=None, response=redirect(_top_of(sent_url)))
        return RequesterPage(form=form, thread=case_thread(case, side=Side.REQUESTER))
    opened = case_messages_read(case=case, side=Side.REQUESTER, by=request.user)
    form = None
    if may:
        # A message sent after the session ended comes back as it was, files and token
        # included (accounts.form_resume), to send again: never twice, the token sees to it.
        kept = form_resume_take(request)
        form = form_factory(kept, None)
        if kept is not None:
            form.is_valid()
            form._errors = ErrorDict()
    return RequesterPage(
        form=form,
        thread=case_thread(case, side=Side.REQUESTER),
        unread_ids={message.pk for message in opened},
    )


@dataclass
class CancelPage:
    form: object | None
    # A redirect (cancelled, or not cancellable when the page was asked for): returned as is.
    response: HttpResponse | None = None
    # Whether the cancel is still open to the case (the form is then shown with its button).
    allowed: bool = True


def requester_cancel(
    request,
    case: Case,
    *,
    form_factory,
    allowed: Callable[[], bool],
    refusal: Callable[[], str],
    done_message: str,
    done_url: str,
    back_url: str,
) -> CancelPage:
    """ "Annuler la demande": the form with its reasons (`form_factory(data)`), the cancel
    recorded through `case_move`, then a redirect to `done_url` with `done_message`.

    Not cancellable (`allowed()` false, `refusal()` says why): asked for, the page goes back to
    `back_url` with why; posted (the case moved on while the form was open), nothing is written
    and the form comes back with why, the reason chosen kept."""
    may = allowed()
    if request.method != "POST":
        if not may:
            messages.error(request, refusal())
            return CancelPage(form=None, response=redirect(back_url), allowed=False)
        return CancelPage(form=form_factory(None))
    form = form_factory(request.POST)
    if not may:
        form.is_valid()
        form.add_error(None, refusal())
    elif form.is_valid():
        try:
            case_move(case=case, move="cancel", by=request.user, reason=form.cleaned_data["reason"])
        except CaseError as refused:
            form.add_error(None, refused.message)
            case.refresh_from_db(fields=["status"])
            may = allowed()
        else:
            messages.success(request, done_message)
            return CancelPage(form=None, response=redirect(done_url))
    return CancelPage(form=form, allowed=may)
