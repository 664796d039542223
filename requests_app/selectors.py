"""Reads of member requests shared by views: always scoped to one member."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Member
from casework.models import CaseMessage
from casework.selectors import party_received_messages, party_unread_count
from requests_app.models import MemberRequest, MemberRequestCounter


def member_requests(
    member: Member, *, status: str = "", kind: str = "", query: str = ""
) -> QuerySet[MemberRequest]:
    """The requests of a member and of their beneficiaries, newest first.

    Everything a list row shows comes in the same query (no query per row), so a page of 100
    costs what a page of 10 does.
    """
    requests = MemberRequest.objects.filter(member=member)
    if status:
        requests = requests.filter(status=status)
    if kind:
        requests = requests.filter(kind=kind)
    query = (query or "").strip()
    if query:
        requests = requests.filter(
            Q(reference__icontains=query)
            | Q(subject__icontains=query)
            | Q(topic_label__icontains=query)
            | Q(message__icontains=query)
        )
    # Only what a list row shows: the message and the JSON details can be long, and the member
    # is already known (the rows get it back from `with_member`).
    return (
        requests.select_related("beneficiary")
        .only(*LIST_FIELDS, "beneficiary__first_name", "beneficiary__last_name")
        .order_by("-created_at", "-id")
    )


LIST_FIELDS = (
    "reference", "member_id", "beneficiary_id", "kind", "topic_label", "status",
    "created_at", "status_changed_at",
)  # fmt: skip


def list_rows(requests, member: Member) -> list[dict]:
    """The rows of a page of `member_requests`, as plain values: what a list row shows, with
    `concerns` (the beneficiary or the member), and nothing more to build per row."""
    rows = list(requests.values(*LIST_FIELDS, "beneficiary__first_name", "beneficiary__last_name"))
    for row in rows:
        first, last = row.pop("beneficiary__first_name"), row.pop("beneficiary__last_name")
        row["concerns"] = f"{first} {last}" if row["beneficiary_id"] else member.full_name
    return rows


def get_member_request_or_404(member: Member, reference: str) -> MemberRequest:
    """The member's request with this reference; 404 for any other, so nothing leaks."""
    request = (
        MemberRequest.objects.filter(member=member, reference=reference)
        .select_related("beneficiary", "member")
        .first()
    )
    if request is None:
        raise Http404
    return request


def member_requests_count(member: Member) -> int:
    """How many requests `member_requests(member)` lists without filters (a stored count)."""
    return (
        MemberRequestCounter.objects.filter(member=member)
        .values_list("requests", flat=True)
        .first()
        or 0
    )


def member_answers(member: Member) -> QuerySet[CaseMessage]:
    """ "Historique des mails": every message the managers sent the member (answers and
    complements asked), newest first, with its request and files."""
    return party_received_messages(MemberRequest, member.pk).prefetch_related("attachments")


def with_requests(messages) -> list[CaseMessage]:
    """The messages of a page, each with `request` (its member request) loaded in one query."""
    messages = list(messages)
    requests = MemberRequest.objects.select_related("beneficiary", "member").in_bulk(
        {message.case_id for message in messages}
    )
    for message in messages:
        message.request = requests.get(message.case_id)
    return messages


def user_unread_answers_count(user) -> int:
    """How many messages of the managers a signed-in member has not opened yet (0 for anyone
    else)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_member", False):
        return 0
    # One query: the member is found inside it, by their account.
    return party_unread_count(
        MemberRequest, Member.objects.filter(user_id=user.pk).values("pk")[:1]
    )
