"""Reads of member requests shared by views: always scoped to one member."""

from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.functional import cached_property

from accounts.models import Member
from casework.lifecycle import case_type_of
from casework.lists import (
    EXACT_UP_TO,
    Total,
    capped_count_sql,
    like_pattern,
    sql_rows,
    sql_total,
)
from casework.models import CaseMessage, Side
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
    the last page costs what the first does. Filtered, a page's positions come from the
    filter's index alone (deep pages included). Everything a row shows comes in one query,
    written out (built by the ORM, it cost about twice as much), with the total: the stored
    count, or the filter's requests counted up to EXACT_UP_TO + 1.
    """

    def __init__(self, member: Member, *, status: str = "", kind: str = "", query: str = ""):
        self.member = member
        self.filters = {"status": status, "kind": kind}
        conditions = ["{t}.member_id = CAST(%(member)s AS BIGINT)"]
        self.params = {"member": member.pk}
        for name in ("status", "kind"):
            if self.filters[name]:
                conditions.append(f"{{t}}.{name} = %({name})s")
                self.params[name] = self.filters[name]
        self.query = folded(query)
        if self.query:
            conditions.append("{t}.search_text LIKE %(search)s ESCAPE '\\'")
            self.params["search"] = like_pattern(self.query)
        self.conditions = " AND ".join(conditions)
        self.filtered = bool(status or kind or self.query)

    def total(self) -> Total:
        return self._total

    @cached_property
    def _total(self) -> Total:
        if self.filtered:
            return sql_total(
                self._listed_sql,
                self.params,
                capped=self._counted,
                estimate_key=f"member-history:{self.member.pk}:{self.filters!r}:{self.query}",
            )
        if self._counted is not None:
            return Total(self._counted)
        return Total(member_requests_count(self.member))

    @property
    def _listed_sql(self) -> str:
        where = self.conditions.format(t="r")
        return f"SELECT 1 FROM requests_app_memberrequest r WHERE {where}"  # noqa: S608

    def exact_count(self) -> int:
        """The total counted (when an estimate proved too high)."""
        counted = f"SELECT COUNT(*) AS n FROM ({self._listed_sql}) listed"  # noqa: S608
        return sql_rows(counted, self.params)[0]["n"]

    # The total as a page's query read it: the filtered requests counted up to EXACT_UP_TO,
    # or the stored count (None until a page was read).
    _counted: int | None = None

    def rows(self, offset: int, limit: int) -> list[dict]:
        columns = _ROW_COLUMNS
        if self.filtered:
            sql = _FILTERED_PAGE.format(
                columns=columns,
                keys=self.conditions.format(t="k"),
                counted=capped_count_sql(
                    "requests_app_memberrequest", self.conditions.format(t="c")
                ),
            )
            params = {**self.params, "capped": EXACT_UP_TO + 1, "limit": limit, "offset": offset}
        else:
            sql = _POSITIONS_PAGE.format(columns=columns)
            params = {"member": self.member.pk, "offset": offset, "limit": limit}
        rows = self._concerned(sql_rows(sql, params, datetimes=_DATETIMES))
        for row in rows[:1]:
            self._counted = row["counted"]
        return rows

    def _concerned(self, rows: list[dict]) -> list[dict]:
        """Each row says who the request concerns: the beneficiary, or the member."""
        for row in rows:
            name = row.pop("beneficiary_name")
            row["concerns"] = name if row["beneficiary_id"] else self.member.full_name
        return rows


# What a row of the lists shows (request_rows), and who it concerns: the beneficiary's name
# is looked up row by row (at most a page of them, by primary key), not joined, so that no
# estimate of the page's size can turn it into a hash of every beneficiary (seen: 60 ms).
_ROW_COLUMNS = """
    r.reference, r.member_id, r.beneficiary_id, r.kind, r.topic_label, r.status,
    r.created_at, r.status_changed_at, r.position,
    (
        SELECT b.first_name || ' ' || b.last_name FROM accounts_beneficiary b
        WHERE b.id = r.beneficiary_id
    ) AS beneficiary_name
"""
_DATETIMES = ("created_at", "status_changed_at")
# Unfiltered, the page's positions follow from the stored count, read in the same query.
_POSITIONS_PAGE = """
SELECT {columns}, n.requests AS counted
FROM requests_app_memberrequestcounter n
JOIN requests_app_memberrequest r
    ON r.member_id = n.member_id
    AND r.position BETWEEN n.requests - %(offset)s - %(limit)s + 1 AND n.requests - %(offset)s
WHERE n.member_id = %(member)s
ORDER BY r.position DESC
"""
_FILTERED_PAGE = """
SELECT {columns}, {counted} AS counted
FROM requests_app_memberrequest r
WHERE r.member_id = CAST(%(member)s AS BIGINT) AND r.position IN (
    SELECT k.position FROM requests_app_memberrequest k
    WHERE {keys}
    ORDER BY k.position DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
ORDER BY r.position DESC
"""


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


# A page of "Historique des mails", in one query written out: each message with what the page
# shows of its request (which the ORM cannot join: a message names its case by type and id)
# and whether it carries files, and the member's messages counted up to EXACT_UP_TO + 1. The
# page's keys come from the `casemessage_received` index alone, deep pages included. Built by
# the ORM, the same read took three times as long, mostly in Python compiling it.
_ANSWERS_PAGE = """
SELECT m.*,
    r.reference AS request_reference,
    r.kind AS request_kind,
    b.first_name AS request_beneficiary_first_name,
    b.last_name AS request_beneficiary_last_name,
    EXISTS (
        SELECT 1 FROM casework_casemessage_attachments f WHERE f.casemessage_id = m.id
    ) AS has_files,
    {counted} AS capped_total
FROM casework_casemessage m
LEFT JOIN requests_app_memberrequest r ON r.id = m.case_id
LEFT JOIN accounts_beneficiary b ON b.id = r.beneficiary_id
WHERE m.id IN (
    SELECT k.id FROM casework_casemessage k
    WHERE k.case_type_id = %(type)s AND k.party_id = %(member)s AND k.side = %(side)s
    ORDER BY k.created_at DESC, k.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
ORDER BY m.created_at DESC, m.id DESC
"""
_ANSWERS_COUNTED = capped_count_sql(
    "casework_casemessage",
    "c.case_type_id = %(type)s AND c.party_id = %(member)s AND c.side = %(side)s",
)


def answers_page(member: Member, offset: int, limit: int) -> list[CaseMessage]:
    """The messages `offset` to `offset + limit` of `member_answers(member)`, each with what
    its card shows of its request (`request_reference`, `request_kind`,
    `request_beneficiary_first_name` and `_last_name`, None for a request gone), whether it
    carries files (`has_files`: `with_files` then reads them), and `capped_total`: the
    member's messages counted up to EXACT_UP_TO + 1 (for `total_of`)."""
    params = {
        "type": case_type_of(MemberRequest).content_type().pk,
        "member": member.pk,
        "side": Side.INSURER.value,
        "capped": EXACT_UP_TO + 1,
        "limit": limit,
        "offset": offset,
    }
    return list(CaseMessage.objects.raw(_ANSWERS_PAGE.format(counted=_ANSWERS_COUNTED), params))


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
