"""Writes of the support pages: a question to the virtual advisor, a message from "Contact".

The contact form does not keep its own messages: it sends a request of kind "Messagerie
sécurisée" through `member_request_submit`, so the message is in the member's messaging and
history, the managers answer it from their usual queue, and the answer reaches the member's
personal mailbox (the "answered" email) and the messaging, as every request's answer does.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Member
from documents.models import StoredFile
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit
from support.models import FaqEntry
from support.selectors import advisor_answer

# The advisor's conversation, in the session: [{"q": question, "e": entry id or None}, ...].
ADVISOR_SESSION_KEY = "support_advisor"
ADVISOR_KEPT = 10


@dataclass(frozen=True)
class Exchange:
    """One question to the virtual advisor and the FAQ entry that answers it (None: none)."""

    question: str
    entry: FaqEntry | None


def advisor_ask(*, session, question: str) -> Exchange:
    """Answer `question` from the FAQ and add the exchange to the session's conversation
    (the last `ADVISOR_KEPT` are kept). Asking the same question twice in a row (a page
    reloaded) does not repeat it."""
    question = " ".join(question.split())
    entry = advisor_answer(question)
    kept = list(session.get(ADVISOR_SESSION_KEY, []))
    record = {"q": question, "e": entry.pk if entry else None}
    if not kept or kept[-1] != record:
        kept.append(record)
    session[ADVISOR_SESSION_KEY] = kept[-ADVISOR_KEPT:]
    return Exchange(question, entry)


def advisor_forget(*, session) -> None:
    """ "Effacer la conversation"."""
    session.pop(ADVISOR_SESSION_KEY, None)


def advisor_last_unanswered(session) -> str:
    """The last question of the conversation the advisor found no answer to ("" if none): what
    "Écrire à nos conseillers" brings to the message form."""
    for exchange in reversed(advisor_conversation(session)):
        if exchange.entry is None:
            return exchange.question[:1000]
    return ""


def advisor_conversation(session) -> list[Exchange]:
    """The conversation kept in `session`, oldest first; an entry since unpublished or
    deleted reads as "no answer"."""
    kept = [r for r in session.get(ADVISOR_SESSION_KEY, []) if isinstance(r, dict)]
    ids = {r.get("e") for r in kept if r.get("e")}
    entries = FaqEntry.objects.filter(pk__in=ids, published=True).in_bulk() if ids else {}
    return [Exchange(str(r.get("q", "")), entries.get(r.get("e"))) for r in kept]


def contact_message_send(
    *,
    member: Member,
    by,
    topic: str,
    topic_label: str,
    message: str,
    attachments: Iterable[StoredFile] = (),
) -> MemberRequest:
    """Send the member's email from "Contact" as a secure-messaging request.

    Guarantees those of `member_request_submit`: a reference, the "Nouveau" status in the
    journal, the acknowledgement email queued on commit, the files attached; marked as sent
    from the contact page, so that the managers' answer may reach the member's mailbox too.
    """
    files = list(attachments)
    with override("fr"):
        # The message itself is shown apart, from `MemberRequest.message`.
        details = [{"label": _("Objet"), "value": topic_label}]
        if files:
            details.append(
                {"label": _("Documents"), "value": ", ".join(f.original_name for f in files)}
            )
        subject = _("Contact : %(topic)s") % {"topic": topic_label}
    return member_request_submit(
        member=member,
        kind=RequestKind.MESSAGE,
        by=by,
        topic=topic,
        topic_label=topic_label,
        subject=subject,
        message=message,
        details=details,
        attachments=files,
        contact_form=True,
    )
