"""Reads of member requests shared by views: always scoped to one member."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils.functional import cached_property

from accounts.models import Member
from casework.lists import Total, bigint, capped_count, keyed_rows, total_of
from casework.models import CaseMessage
from casework.selectors import party_received_messages, party_unread_count
from portal.text import folded
from requests_app.models import MemberRequest, MemberRequestCounter


class MemberHistory:
    """The requests of a member and of their beneficiaries, newest first ("Échanger avec nous",
    "Ma messagerie"), read a page at a time.

    Every filter reads an index of the member's requests: by status, by kind, and for the
    search (reference, object, motif, message, without case or accents: `search_text`) a
    trigram index on PostgreSQL. Unfiltered, a page is the requests of a range of `position`s
    (requests are numbered 1, 2, 3... as the member sends them) and the total is stored, so
    the last page costs what the first does. Everything a row shows comes in one query.
    """

    def __init__(self, member: Member, *, status: str = "", kind: str = "", query: str = ""):
        self.member = member
        requests = MemberRequest.objects.filter(member_id=bigint(member.pk))
        if status:
            requests = requests.filter(status=status)
        if kind:
            requests = requests.filter(kind=kind)
        self.query = folded(query)
        if self.query:
            requests = requests.filter(search_text__contains=self.query)
        self.filtered = bool(status or kind or self.query)
        self.queryset = requests.order_by("-position")

    def total(self) -> Total:
        return self._total

    @cached_property
    def _total(self) -> Total:
        if self.filtered:
            return total_of(self.queryset, capped=self._capped)
        return Total(member_requests_count(self.member))

    # The filtered total counted up to EXACT_UP_TO by the first page's query (None until then).
    _capped: int | None = None

    def rows(self, offset: int, limit: int) -> list[dict]:
        if self.filtered and offset == 0 and not self.query:
            # Its total counted in the same query (over the filter's index), should the page
            # not hold every request. Not for a search: its count would repeat the search,
            # which often finds a page or less (then no count is needed at all).
            rows = self._values(self.queryset, total=capped_count(self.queryset))[:limit]
            for row in rows:
                self._capped = row.pop("total")
            return rows
        if self.filtered:
            return keyed_rows(self._values(self.queryset), "position", offset, limit)
        last = self.total().count - offset
        requests = self.queryset.filter(position__range=(last - limit + 1, last))
        return list(self._values(requests))

    def _values(self, requests, **annotations):
        """Only what a list row shows, with `concerns` (the beneficiary or the member)."""
        return _Concerned(
            requests.values(
                *LIST_FIELDS, "beneficiary__first_name", "beneficiary__last_name", **annotations
            ),
            self.member,
        )


class _Concerned:
    """A values query whose rows say who the request concerns (and nothing else to build per
    row); filtered and sliced like the query it wraps."""

    def __init__(self, values, member):
        self.values, self.member = values, member

    def filter(self, **conditions):
        return _Concerned(self.values.filter(**conditions), self.member)

    def order_by(self, *keys):
        return _Concerned(self.values.order_by(*keys), self.member)

    def values_list(self, *fields, **options):
        return self.values.values_list(*fields, **options)

    def __getitem__(self, window: slice):
        return list(_Concerned(self.values[window], self.member))

    def __iter__(self):
        for row in self.values:
            first, last = row.pop("beneficiary__first_name"), row.pop("beneficiary__last_name")
            row["concerns"] = f"{first} {last}" if row["beneficiary_id"] else self.member.full_name
            yield row


LIST_FIELDS = (
    "reference", "member_id", "beneficiary_id", "kind", "topic_label", "status",
    "created_at", "status_changed_at", "position",
)  # fmt: skip


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
    complements asked), newest first."""
    return party_received_messages(MemberRequest, member.pk)


def answers_shown(answers: QuerySet[CaseMessage]) -> QuerySet[CaseMessage]:
    """`answers` with what their page shows of each one's request (`request_reference`,
    `request_kind`, `request_beneficiary_first_name` and `_last_name`) and whether it carries
    files (`has_files`), read in the same query (`with_files` then reads the files of those
    that do)."""
    request = MemberRequest.objects.filter(pk=OuterRef("case_id"))
    files = CaseMessage.attachments.through.objects.filter(casemessage_id=OuterRef("pk"))
    return answers.annotate(
        request_reference=Subquery(request.values("reference")),
        request_kind=Subquery(request.values("kind")),
        request_beneficiary_first_name=Subquery(request.values("beneficiary__first_name")),
        request_beneficiary_last_name=Subquery(request.values("beneficiary__last_name")),
        has_files=Exists(files),
    )


def with_files(messages) -> list[CaseMessage]:
    """The messages of a page, the files of those that carry some read in one query."""
    messages = list(messages)
    prefetch_related_objects([m for m in messages if m.has_files], "attachments")
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
