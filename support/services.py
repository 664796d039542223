"""Writes of the support pages: a question to the virtual advisor, a message from "Contact".

The contact form does not keep its own messages: it sends a request of kind "Messagerie
sécurisée" through `member_request_submit`, so the message is in the member's messaging and
history, the managers answer it from their usual queue, and the answer reaches the member's
personal mailbox (the "answered" email) and the messaging, as every request's answer does.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Member
from documents.models import StoredFile
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit
from support import matching
from support.models import FaqEntry, UnansweredQuestion
from support.selectors import advisor_reply

# The advisor's conversation, in the session:
# [{"q": question, "e": entry id or None, "c": [two entry ids it asks to choose from]}, ...].
ADVISOR_SESSION_KEY = "support_advisor"
ADVISOR_KEPT = 10


@dataclass(frozen=True)
class Exchange:
    """One question to the virtual advisor and the FAQ entry that answers it (None: none), or
    the two entries it asks the member to choose between."""

    question: str
    entry: FaqEntry | None
    choices: tuple[FaqEntry, ...] = ()


def _remember(session, record: dict) -> None:
    kept = list(session.get(ADVISOR_SESSION_KEY, []))
    if not kept or kept[-1] != record:
        kept.append(record)
    session[ADVISOR_SESSION_KEY] = kept[-ADVISOR_KEPT:]


def advisor_ask(*, session, question: str) -> Exchange:
    """Answer `question` from the FAQ and add the exchange to the session's conversation
    (the last `ADVISOR_KEPT` are kept). Asking the same question twice in a row (a page
    reloaded) does not repeat it. A question without an answer is counted for the managers
    (`unanswered_question_record`)."""
    question = " ".join(question.split())
    reply = advisor_reply(question)
    record = {
        "q": question,
        "e": reply.entry.pk if reply.entry else None,
        "c": [entry.pk for entry in reply.choices],
    }
    repeated = bool(session.get(ADVISOR_SESSION_KEY)) and session[ADVISOR_SESSION_KEY][-1] == record
    _remember(session, record)
    if not reply.found and not repeated:
        unanswered_question_record(question=question)
    return Exchange(question, reply.entry, reply.choices)


def advisor_choose(*, session, entry_id) -> Exchange | None:
    """The member picked one of the two entries the advisor offered: answer with it. Only an
    entry offered in the conversation may be picked (None otherwise)."""
    offered = {
        pk
        for record in session.get(ADVISOR_SESSION_KEY, [])
        if isinstance(record, dict)
        for pk in record.get("c") or []
    }
    try:
        entry_id = int(entry_id)
    except (TypeError, ValueError):
        return None
    if entry_id not in offered:
        return None
    entry = FaqEntry.objects.filter(pk=entry_id, published=True).first()
    if entry is None:
        return None
    _remember(session, {"q": entry.question, "e": entry.pk, "c": []})
    return Exchange(entry.question, entry)


# Long numbers (a social security or phone number, an IBAN) and email addresses are masked
# before a question is kept: managers need the words, not who typed them.
_PERSONAL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|(?:\d[\s.-]?){5,}")


def unanswered_question_record(*, question: str) -> UnansweredQuestion | None:
    """Count `question` among those the advisor could not answer: one row per question as the
    advisor reads it (its meaningful words, in any order), its last wording kept with long
    numbers and email addresses masked, never who asked. A question with no meaningful word is
    not kept."""
    words = matching.query_terms(question)
    if not words:
        return None
    key = " ".join(sorted(words))[:255]
    text = _PERSONAL.sub("…", question)[:500]
    row, created = UnansweredQuestion.objects.get_or_create(key=key, defaults={"text": text})
    if not created:
        UnansweredQuestion.objects.filter(pk=row.pk).update(count=F("count") + 1, text=text)
        row.refresh_from_db()
    return row


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
    ids |= {pk for r in kept for pk in (r.get("c") or [])}
    entries = FaqEntry.objects.filter(pk__in=ids, published=True).in_bulk() if ids else {}
    exchanges = []
    for r in kept:
        choices = tuple(entries[pk] for pk in (r.get("c") or []) if pk in entries)
        exchanges.append(
            Exchange(
                str(r.get("q", "")),
                entries.get(r.get("e")),
                choices if len(choices) > 1 else (),
            )
        )
    return exchanges


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
