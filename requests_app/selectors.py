"""Reads of member requests shared by views: always scoped to one member."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Member
from requests_app.models import MemberRequest, MemberRequestCounter, RequestAnswer


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
    "created_at", "updated_at",
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


def get_member_request_detail_or_404(member: Member, reference: str) -> MemberRequest:
    """The request as its detail page shows it: files, answers with their files, and the
    status timeline loaded up front. 404 for a reference that is not the member's."""
    request = (
        MemberRequest.objects.filter(member=member, reference=reference)
        .select_related("beneficiary", "member")
        .prefetch_related(
            "attachments",
            Prefetch(
                "answers",
                queryset=RequestAnswer.objects.prefetch_related("attachments").order_by(
                    "created_at", "id"
                ),
            ),
            "status_changes",
        )
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


def member_answers(member: Member) -> QuerySet[RequestAnswer]:
    """ "Historique des mails": every answer the member received, newest first."""
    return (
        RequestAnswer.objects.filter(request__member=member)
        .select_related("request", "request__beneficiary", "request__member")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def user_unread_answers_count(user) -> int:
    """How many answers a signed-in member has not opened yet (0 for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_member", False):
        return 0
    return RequestAnswer.objects.filter(member__user_id=user.pk, read_at__isnull=True).count()


def member_may_read_file(user, stored_file) -> bool:
    """A member reads the files of their own requests and of the answers they received."""
    member = getattr(user, "member", None) if getattr(user, "is_member", False) else None
    if member is None:
        return False
    return (
        stored_file.member_requests.filter(member=member).exists()
        or stored_file.request_answers.filter(request__member=member).exists()
    )
