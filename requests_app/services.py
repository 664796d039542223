"""The writes of member requests that are theirs alone: sending one, writing on one.

Every status change (taking in charge, asking a complement, resolving, cancelling) goes
through `casework.services.case_move` with the moves `requests_app.cases` declares, so the
rules, the journal and the member's emails are written once for every kind of request.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Beneficiary, Member
from casework.models import CaseEvent, CaseStatus, Side
from casework.services import CaseError, case_files_attach, case_move, case_opened, files_check
from documents.models import StoredFile
from portal.sequences import sequence_next
from portal.text import folded
from requests_app.models import MemberRequest, MemberRequestCounter, RequestKind


def reference_for(year: int, number: int) -> str:
    """ "DEM-2026-000042": readable on the phone, sorted by time, unique per year."""
    return f"DEM-{year}-{number:06d}"


def request_search_text(*, reference: str, subject: str, topic_label: str, message: str) -> str:
    """What the member's searches read: the fields they search, folded, one per line (a word
    never spans two fields)."""
    return "\n".join(folded(value) for value in (reference, subject, topic_label, message))


def member_request_submit(
    *,
    member: Member,
    kind: str,
    by,
    beneficiary: Beneficiary | None = None,
    topic: str = "",
    topic_label: str = "",
    subject: str = "",
    message: str = "",
    amount: Decimal | None = None,
    details: Sequence[dict] = (),
    attachments: Iterable[StoredFile] = (),
    contact_form: bool = False,
    submission_token=None,
) -> MemberRequest:
    """Record a request sent by `by` (the member's account) and acknowledge it by email.

    With a `submission_token` (the form page's one-time token), a second submission of the same
    form returns the request the first one recorded and records nothing.

    Guarantees: the beneficiary is one of the member's; every file is a pending upload of `by`
    and is attached (kept as long as the member's requests are, MEMBER_FILE_RETENTION); the
    reference is unique and gapless per year even under concurrent submissions; the sending
    ("Nouveau") is the first event of the request's journal.
    """
    if kind not in RequestKind.values:
        raise ValueError(f"unknown request kind {kind!r}")
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise CaseError(_("Ce bénéficiaire ne figure pas sur votre contrat."))
    if submission_token is not None:
        earlier = MemberRequest.objects.filter(
            member=member, submission_token=submission_token
        ).first()
        if earlier is not None:
            return earlier
    now = timezone.now()
    try:
        return _member_request_record(
            member=member, kind=kind, by=by, beneficiary=beneficiary, topic=topic,
            topic_label=topic_label, subject=subject, message=message, amount=amount,
            details=details, attachments=attachments, contact_form=contact_form,
            submission_token=submission_token, now=now,
        )  # fmt: skip
    except IntegrityError:
        if submission_token is None:
            raise
        # The same form sent twice at the same moment: the other submission recorded it.
        return MemberRequest.objects.get(member=member, submission_token=submission_token)


def _member_request_record(
    *, member, kind, by, beneficiary, topic, topic_label, subject, message, amount, details,
    attachments, contact_form, submission_token, now,
) -> MemberRequest:  # fmt: skip
    with transaction.atomic():
        files = files_check(attachments, by)
        year = timezone.localtime(now).year
        number = sequence_next(f"member-request-{year}")
        MemberRequestCounter.objects.bulk_create(
            [MemberRequestCounter(member=member)], ignore_conflicts=True
        )
        counter = MemberRequestCounter.objects.filter(member=member)
        # The counter's row stays locked until the transaction ends: positions never repeat.
        counter.update(requests=F("requests") + 1)
        reference = reference_for(year, number)
        request = MemberRequest.objects.create(
            reference=reference,
            member=member,
            beneficiary=beneficiary,
            kind=kind,
            topic=topic,
            topic_label=topic_label,
            subject=subject,
            message=message,
            amount=amount,
            details=list(details),
            position=counter.values_list("requests", flat=True).get(),
            search_text=request_search_text(
                reference=reference, subject=subject, topic_label=topic_label, message=message
            ),
            contact_form=contact_form,
            submission_token=submission_token,
            submitted_by=by,
            created_at=now,
            status_changed_at=now,
        )
        case_opened(case=request, by=by)
        if files:
            request.attachments.add(*files)
            case_files_attach(request, files, side=Side.REQUESTER)
    return request


# Which move the member's message makes, by the request's status.
WRITE_MOVES = {CaseStatus.AWAITING: "reply", CaseStatus.RESOLVED: "reopen"}


def member_request_write(
    *,
    request: MemberRequest,
    by,
    text: str,
    attachments: Iterable[StoredFile] = (),
    token=None,
) -> CaseEvent:
    """The member writes on their request: the complement the managers asked for (the request
    goes back to "Pris en charge"), a message on an open request, or a message that re-opens
    one resolved less than 30 days ago. Within the form's file rules and 20 files per request.
    """
    return case_move(
        case=request,
        move=WRITE_MOVES.get(request.status, "write"),
        by=by,
        text=text,
        attachments=attachments,
        token=token,
    )
