"""Reads the partner views share; every one is scoped to a structure and an organism."""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property

from casework.lists import (
    DIRECT_UP_TO,
    EXACT_UP_TO,
    Total,
    bigint,
    capped_count_sql,
    like_pattern,
    sql_rows,
    sql_total,
)
from casework.models import STATUS_RANKS
from partners.catalogue import Service, motif_ranks, service_ranks
from partners.conventions import Situation, State, situation_of
from partners.models import (
    Convention,
    PartnerRequest,
    PartnerRequestStatus,
    Structure,
    StructureMembership,
)
from portal.text import folded

# Where the chosen organism is kept for the session (its primary key).
SESSION_ORGANISM = "partner_organism"


@dataclass(frozen=True)
class PartnerSpace:
    """Who is working, for which structure, with which organism, in which situation."""

    user: object
    membership: StructureMembership
    situation: Situation

    @property
    def structure(self) -> Structure:
        return self.membership.structure

    @property
    def organism(self):
        return self.situation.organism

    @property
    def convention(self) -> Convention:
        return self.situation.convention


def membership_of(user) -> StructureMembership | None:
    """The partner account's tie to its structure, or None for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role not in ("technician", "partner_manager"):
        return None
    return (
        StructureMembership.objects.select_related("structure", "last_organism")
        .filter(user=user)
        .first()
    )


def space_for(request, membership: StructureMembership | None = None) -> PartnerSpace | None:
    """The space of the organism chosen in this session, if it may still be used."""
    membership = membership or membership_of(request.user)
    organism_id = request.session.get(SESSION_ORGANISM)
    if membership is None or organism_id is None:
        return None
    convention = (
        Convention.objects.select_related("organism", "counter")
        .filter(structure_id=membership.structure_id, organism_id=organism_id)
        .first()
    )
    if convention is None:
        return None
    situation = situation_of(convention)
    if situation.state in (State.UPCOMING, State.CLOSED):
        return None
    return PartnerSpace(user=request.user, membership=membership, situation=situation)


def partner_requests(space: PartnerSpace):
    """ "Historique des demandes": the structure's requests at the organism, cancelled ones
    left out (they stay in the admin)."""
    return PartnerRequest.objects.filter(
        structure_id=space.structure.pk, organism_id=space.organism.pk
    ).exclude(status=PartnerRequestStatus.CANCELLED)


def get_partner_request_or_404(space: PartnerSpace, number: str) -> PartnerRequest:
    """The request numbered `number` if it belongs to the space; 404 otherwise."""
    request = (
        partner_requests(space)
        .select_related("organism", "requester")
        .filter(number=number)
        .first()
    )
    if request is None:
        raise Http404
    return request


# -- "Historique des demandes" ---------------------------------------------------------------
# What a history card shows, and nothing more: the comment, the JSON answers and the answer can
# be long, and a page of 100 must cost what a page of 10 does (one query for the rows).
HISTORY_FIELDS = (
    "number", "service", "status", "created_at", "requester_name", "civility", "last_name",
    "first_name", "position",
)  # fmt: skip


@dataclass(frozen=True)
class HistoryFilters:
    """The criteria of the history's filter bar (all optional), and its sort."""

    status: str = ""
    service: int | None = None
    # (service, motif code): a motif belongs to one ODS; for ODS 5 it is a document asked for.
    motif: tuple[int, str] | None = None
    requester_id: int | None = None
    person: str = ""
    date_from: date | None = None
    date_to: date | None = None
    number: str = ""
    sort: str = "date"
    descending: bool = True

    @property
    def active(self) -> bool:
        """True when some criterion narrows the list (the sort does not)."""
        return any(
            (
                self.status,
                self.service,
                self.motif,
                self.requester_id,
                self.person,
                self.date_from,
                self.date_to,
                self.number,
            )
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# How long the cancelled requests' positions of a history stay in the cache (their key changes
# with every request filed or cancelled).
CANCELLED_SECONDS = 3600


# The sorts of the filter bar: the columns after (structure, organism) of the index that serves
# each (partners.models: phist_*), every one ending with `position`, the filing order.
SORT_KEYS = {
    "date": [],
    "number": ["number"],
    "status": ["status_rank"],
    "service": ["service_rank"],
    "motif": ["motif_rank"],
    "requester": ["requester_name"],
    "person": ["last_name", "first_name"],
    "status_date": ["status_changed_at"],
}


def cancelled_positions_key(structure_id: int, organism_id: int, filed: int, listed: int) -> str:
    """Where a history's cancelled positions are cached (`PartnerHistory._cancelled_positions`)."""
    return f"partners:cancelled:{structure_id}:{organism_id}:{filed}:{listed}"


# The sorts whose keys a request keeps from its filing on (its number, ODS, motif, requester's
# name and person never change; its status does): their deep pages start from a landmark.
LANDMARK_SORTS = ("number", "service", "motif", "requester", "person")
# A landmark every this many requests of such an order: a deep page reads at most this many
# index entries before its own, whatever its depth.
LANDMARK_STEP = 1000


def landmarks_key(structure_id: int, organism_id: int, filed: int, listed: int, sort: str) -> str:
    """Where the landmarks of a history's order are cached (`PartnerHistory._landmarks`)."""
    return f"partners:landmarks:{structure_id}:{organism_id}:{filed}:{listed}:{sort}"


def history_cache_keys(structure_id: int, organism_id: int, filed: int, listed: int) -> list:
    """Every key a history's pages read under these counts (the retention job, which
    renumbers a history, forgets those it lands on)."""
    return [
        cancelled_positions_key(structure_id, organism_id, filed, listed),
        *[landmarks_key(structure_id, organism_id, filed, listed, sort) for sort in LANDMARK_SORTS],
    ]


class PartnerHistory:
    """ "Historique des demandes" of a space: what `filters` keeps, in their order, read a
    page at a time.

    Every filter and sort reads an index of the structure's requests at the organism (see
    `PartnerRequest.Meta.indexes`), so a page costs what it shows: the default order's deep
    pages are found by arithmetic on the filing order (`position`: requests are numbered 1, 2,
    3... as they are filed; the cancelled ones, few, are counted where they sit), the other
    pages from their index alone (their positions first, then their rows); a search of the
    person alone, from the words of the people's names (`_by_words`). The total is stored (no
    filter), computed (a period), counted (a search of the person alone, whose every match is
    read from the words' index anyway), or counted up to `EXACT_UP_TO` (by the first page's
    own query) and estimated beyond.

    The queries are written out (`_where`, `_order` and the `_*_PAGE` statements): a page is
    one or two indexed reads of well under a millisecond, which the ORM took longer to build
    and compile than the database took to answer.
    """

    def __init__(self, space: PartnerSpace, filters: HistoryFilters):
        self.space = space
        self.filters = filters

    @cached_property
    def mine(self):
        """The space's requests, cancelled ones included."""
        space = self.space
        return PartnerRequest.objects.filter(
            structure_id=bigint(space.structure.pk), organism_id=bigint(space.organism.pk)
        )

    @cached_property
    def listed(self):
        return self.mine.exclude(status=PartnerRequestStatus.CANCELLED)

    # -- What is kept ---------------------------------------------------------------------------
    @cached_property
    def positions(self) -> tuple[int, int] | None:
        """The filing positions of the period searched (None without one)."""
        filters = self.filters
        if not (filters.date_from or filters.date_to):
            return None
        adapt = connection.ops.adapt_datetimefield_value
        start = _day_start(filters.date_from) if filters.date_from else None
        end = _day_start(filters.date_to + timedelta(days=1)) if filters.date_to else None
        # A bound not asked for is NULL: its side finds nothing, and is not read.
        params = {**self._space_params, "start": adapt(start), "end": adapt(end)}
        first, last = sql_rows(_PERIOD_POSITIONS, params)[0].values()
        low, high = 1, self._filed()
        if filters.date_from:
            low = first if first is not None else high + 1
        if filters.date_to:
            high = last if last is not None else 0
        return low, high

    def _filed(self) -> int:
        counter = getattr(self.space.convention, "counter", None)
        return counter.filed_requests if counter is not None else 0

    @cached_property
    def only_the_period(self) -> bool:
        """Nothing narrows the list but a period (or nothing at all)."""
        f = self.filters
        return not any((f.status, f.service, f.motif, f.requester_id, f.person, f.number))

    @cached_property
    def _space_params(self) -> dict:
        return {
            "structure": self.space.structure.pk,
            "organism": self.space.organism.pk,
            "cancelled": PartnerRequestStatus.CANCELLED.value,
        }

    @cached_property
    def _where(self) -> tuple[str, dict]:
        """The list's conditions (`{t}` standing for the table) and their parameters.

        The person is found by the beginnings of the words of their name, without case or
        accents ("jo" finds "Joséphine", "tutu jo" finds "TUTU Joséphine"), a number by any
        part of it. PostgreSQL reads both from indexes keyed by each request's own structure
        and organism (partners.migrations 0007 and 0008): the keys asked for are this space's,
        so they select its requests alone, and the conditions name no other on the space (one
        the planner would read the space's whole index for). Other databases compare the
        folded name and the number."""
        filters = self.filters
        params = dict(self._space_params)
        conditions = ["{t}.status <> %(cancelled)s"]
        words = self._words
        part = filters.number if len(filters.number) < 10 else ""
        if connection.vendor == "postgresql" and (words or len(part) >= 3):
            space = f"{self.space.structure.pk}:{self.space.organism.pk}"
            if words:
                conditions.append(
                    "partners_person_keys({t}.structure_id, {t}.organism_id, {t}.person_search)"
                    " @> CAST(%(person_keys)s AS TEXT[])"
                )
                params["person_keys"] = [f"{space}:{word}" for word in words]
            if len(part) >= 3:
                runs = sorted({part[i : i + 3] for i in range(len(part) - 2)})
                conditions.append(
                    "partners_number_keys({t}.structure_id, {t}.organism_id, {t}.number)"
                    " @> CAST(%(number_keys)s AS TEXT[])"
                )
                params["number_keys"] = [f"{space}:{run}" for run in runs]
        else:
            conditions[:0] = [_IN_SPACE]
            for i, word in enumerate(words):  # letters and digits only: no LIKE wildcard
                conditions.append(
                    f"({{t}}.person_search LIKE %(word{i})s"
                    + "".join(
                        f" OR {{t}}.person_search LIKE %(word{i}_{n})s"
                        for n in range(len(SEPARATORS))
                    )
                    + ")"
                )
                params[f"word{i}"] = f"{word}%"
                for n, separator in enumerate(SEPARATORS):
                    params[f"word{i}_{n}"] = f"%{separator}{word}%"
        if part:
            conditions.append("{t}.number LIKE %(number_part)s")
            params["number_part"] = f"%{part}%"
        if filters.status:
            conditions.append("{t}.status_rank = %(status_rank)s")
            params["status_rank"] = STATUS_RANKS[filters.status]
        if filters.service:
            conditions.append("{t}.service_rank = %(service_rank)s")
            params["service_rank"] = service_ranks()[int(filters.service)]
        if filters.motif:
            service, code = filters.motif
            if service == Service.DOCUMENT:
                # Every document asked for counts, not only the first (kept in `motif`).
                conditions.append(
                    "{t}.service = %(motif_service)s AND ({t}.motif = %(motif)s"
                    " OR UPPER(CAST({t}.documents AS TEXT)) LIKE UPPER(%(document)s) ESCAPE '\\')"
                )
                params.update(motif_service=service, motif=code, document=like_pattern(f'"{code}"'))
            else:
                conditions.append("{t}.motif_rank = %(motif_rank)s")
                params["motif_rank"] = motif_ranks().get((service, code), -1)
        if filters.requester_id:
            conditions.append("{t}.requester_id = %(requester)s")
            params["requester"] = filters.requester_id
        if self.positions is not None:
            conditions.append("{t}.position BETWEEN %(low)s AND %(high)s")
            params["low"], params["high"] = self.positions
        if len(filters.number) == 10:
            conditions.append("{t}.number = %(number)s")
            params["number"] = filters.number
        return " AND ".join(conditions), params

    @cached_property
    def _words(self) -> list[str]:
        """The words of the person searched, folded."""
        return [word for word in re.split(r"[^a-z0-9]+", folded(self.filters.person)) if word]

    @cached_property
    def _by_words(self) -> bool:
        """A search of the person alone (in a period or not), in filing order, on PostgreSQL:
        read from the words of the people's names (`partners_person_word`, migration 0015),
        whose index finds, sorts and counts the requests without reading them."""
        f = self.filters
        return (
            connection.vendor == "postgresql"
            and bool(self._words)
            and f.sort == "date"
            and not any((f.status, f.service, f.motif, f.requester_id, f.number))
        )

    @cached_property
    def _found_by_words(self) -> tuple[str, dict]:
        """The positions of the requests whose name has, for each word searched, a word
        beginning with it (the words are letters and digits: those beginning with "jo" sort
        from "jo" up to "jp"), and their parameters."""
        params = dict(self._space_params)
        period = ""
        if self.positions is not None:
            period = " AND w.position BETWEEN %(low)s AND %(high)s"
            params["low"], params["high"] = self.positions
        found = []
        for i, word in enumerate(self._words):
            params[f"word{i}"] = word
            params[f"beyond{i}"] = word[:-1] + chr(ord(word[-1]) + 1)
            found.append(_WORD_POSITIONS.format(i=i, period=period))
        if len(found) == 1:
            # A name may hold two words beginning with the one searched.
            return found[0].replace("SELECT", "SELECT DISTINCT", 1), params
        return " INTERSECT ".join(found), params

    def _rows_by_words(self, offset: int, limit: int) -> list[dict]:
        """A page of a person search (`_by_words`), and how many requests it finds (every
        position found is read to sort them: counting them costs nothing more)."""
        found, params = self._found_by_words
        sql = _WORDS_PAGE.format(
            found=found,
            columns=_COLUMNS.format(t="r"),
            direction="DESC" if self.filters.descending else "ASC",
        )
        rows = sql_rows(
            sql, {**params, "limit": limit, "offset": offset}, datetimes=("created_at",)
        )
        for row in rows:
            self._counted = row.pop("counted")
        return rows

    # The total of a person search (`_by_words`) counted with its page (None until then).
    _counted: int | None = None

    def _order(self, table: str, *, ascending: bool | None = None) -> list[str]:
        """What the list is ordered by (the filing order last), as SQL expressions."""
        filters = self.filters
        columns = [f"{table}.{column}" for column in SORT_KEYS[filters.sort]]
        if filters.person and filters.sort == "person":
            # The people found share the name searched: walking the names' index to them would
            # read every name before theirs. Sorted as found instead (from their keyed index).
            columns = [f"({column} || '')" for column in columns]
        return [*columns, f"{table}.position"]

    def _ordered(self, table: str) -> str:
        direction = "DESC" if self.filters.descending else "ASC"
        return ", ".join(f"{key} {direction}" for key in self._order(table))

    # -- The total ------------------------------------------------------------------------------
    def total(self) -> Total:
        return self._total

    @cached_property
    def _total(self) -> Total:
        """How many requests the history lists (the "N demandes")."""
        if self.only_the_period:
            if self.positions is None:
                counter = getattr(self.space.convention, "counter", None)
                return Total(counter.listed_requests if counter is not None else 0)
            low, high = self.positions
            return Total(max(high - low + 1 - self._cancelled_between(low, high), 0))
        if self._by_words:
            if self._counted is None:
                found, params = self._found_by_words
                self._counted = sql_rows(
                    f"SELECT COUNT(*) AS n FROM ({found}) found",  # noqa: S608
                    params,
                )[0]["n"]
            return Total(self._counted)
        where, params = self._where
        space = self.space
        return sql_total(
            f"SELECT 1 FROM partners_partnerrequest r WHERE {where.format(t='r')}",  # noqa: S608
            params,
            capped=self._capped,
            estimate_key=f"partner-history:{space.structure.pk}:{space.organism.pk}:{self.filters!r}",
        )

    def exact_count(self) -> int:
        """The total counted (when an estimate proved too high)."""
        where, params = self._where
        return sql_rows(
            f"SELECT COUNT(*) AS n FROM partners_partnerrequest r WHERE {where.format(t='r')}",  # noqa: S608
            params,
        )[0]["n"]

    # The filtered total counted up to EXACT_UP_TO by the first page's query (None until then).
    _capped: int | None = None

    def _cancelled_between(self, low: int, high: int) -> int:
        positions = self._cancelled_positions
        return bisect_right(positions, high) - bisect_left(positions, low)

    @cached_property
    def _cancelled_positions(self) -> list[int]:
        """The filing positions of the cancelled requests, in order. Kept in the cache under
        the counts of filed and listed requests: a request filed or cancelled changes the key
        (a cancelled request never comes back), so a stale list is never read; the retention
        job, which renumbers a history, forgets the key it lands on."""
        counter = getattr(self.space.convention, "counter", None)
        filed, listed = (counter.filed_requests, counter.listed_requests) if counter else (0, 0)
        space = self.space
        key = cancelled_positions_key(space.structure.pk, space.organism.pk, filed, listed)
        positions = cache.get(key)
        if positions is None:
            positions = list(
                self.mine.filter(status=PartnerRequestStatus.CANCELLED)
                .order_by("position")
                .values_list("position", flat=True)
            )
            cache.set(key, positions, CANCELLED_SECONDS)
        return positions

    # -- A page ---------------------------------------------------------------------------------
    def rows(self, offset: int, limit: int) -> list[dict]:
        """The requests `offset` to `offset + limit` of the list, as dicts of HISTORY_FIELDS."""
        filters = self.filters
        if self.only_the_period and filters.sort == "date":
            return self._rows_by_position(offset, limit)
        if self._by_words:
            return self._rows_by_words(offset, limit)
        if (
            offset >= DIRECT_UP_TO
            and not filters.active
            and filters.sort in LANDMARK_SORTS
            and self.total().count > LANDMARK_STEP
        ):
            return self._rows_from_landmark(offset, limit)
        where, params = self._where
        params = {**params, "limit": limit, "offset": offset, "capped": EXACT_UP_TO + 1}
        if offset == 0 and (filters.person or filters.number):
            return self._first_search_page(where, params)
        if offset == 0 and not self.only_the_period:
            # The first page of a filtered list: its total counted up to EXACT_UP_TO in the
            # same query (over the filter's index), for the "N demandes" should the page not
            # hold every request found.
            sql = _FIRST_PAGE.format(
                columns=_COLUMNS.format(t="r"),
                where=where.format(t="r"),
                counted=capped_count_sql("partners_partnerrequest", where.format(t="c")),
                order=self._ordered("r"),
            )
            rows = sql_rows(sql, params, datetimes=("created_at",))
            for row in rows:
                self._capped = row.pop("counted")
            return rows
        if offset < DIRECT_UP_TO:
            sql = _DIRECT_PAGE.format(
                columns=_COLUMNS.format(t="r"), where=where.format(t="r"), order=self._ordered("r")
            )
        else:
            sql = _KEYED_PAGE.format(
                columns=_COLUMNS.format(t="r"),
                keys=where.format(t="k"),
                keys_order=self._ordered("k"),
                order=self._ordered("r"),
            )
        return sql_rows(sql, params, datetimes=("created_at",))

    def _first_search_page(self, where: str, params: dict) -> list[dict]:
        """The first page of a search, and its total up to EXACT_UP_TO, from one reading of
        what it finds: a search reads every request it finds to sort them (its indexes hold no
        order), so its first EXACT_UP_TO + 1 are kept and counted (a window over them) and the
        page is the first of those, in the same query. A second query counting them would
        repeat the search."""
        direction = "DESC" if self.filters.descending else "ASC"
        keys = self._order("r")
        sql = _SEARCH_PAGE.format(
            columns=_COLUMNS.format(t="r"),
            found_columns=_COLUMNS.format(t="found"),
            keys="".join(f", {key} AS key_{i}" for i, key in enumerate(keys)),
            where=where.format(t="r"),
            order=self._ordered("r"),
            found_order=", ".join(f"found.key_{i} {direction}" for i in range(len(keys))),
        )
        rows = sql_rows(sql, params, datetimes=("created_at",))
        self._capped = rows[0]["counted"] if rows else 0
        for row in rows:
            del row["counted"]
        return rows

    def _rows_from_landmark(self, offset: int, limit: int) -> list[dict]:
        """A deep page of an order whose keys never change: read from the landmark before it
        (the keys of every LANDMARK_STEP-th request of the ascending order, `_landmarks`), so
        that at most LANDMARK_STEP index entries are skipped, not every one before the page.
        A descending page is the ascending rows at the other end, read backwards."""
        listed = self.total().count
        if offset >= listed:
            return []
        limit = min(limit, listed - offset)
        descending = self.filters.descending
        start = listed - offset - limit if descending else offset
        landmarks = self._landmarks
        index = min(start // LANDMARK_STEP, len(landmarks) - 1)
        landmark = landmarks[index]
        keys = ", ".join(self._order("k"))
        values = ", ".join(f"%(landmark_{i})s" for i in range(len(landmark)))
        sql = _KEYED_PAGE.format(
            columns=_COLUMNS.format(t="r"),
            # A row comparison from the landmark's keys: the order's index seeks to it.
            keys=f"{_IN_SPACE.format(t='k')} AND k.status <> %(cancelled)s"
            f" AND ({keys}) >= ({values})",
            keys_order=keys,
            order=", ".join(self._order("r")),
        )
        params = {
            **self._space_params,
            **{f"landmark_{i}": value for i, value in enumerate(landmark)},
            "limit": limit,
            "offset": start - index * LANDMARK_STEP,
        }
        rows = sql_rows(sql, params, datetimes=("created_at",))
        return rows[::-1] if descending else rows

    @cached_property
    def _landmarks(self) -> list[tuple]:
        """The sort keys (with the position) of the requests of rank 0, LANDMARK_STEP,
        2 x LANDMARK_STEP... of the ascending order, read in one pass over its index. Kept in
        the cache under the counts of filed and listed requests, as the cancelled positions
        are: the keys of these orders change only when a request is filed or cancelled."""
        counter = getattr(self.space.convention, "counter", None)
        filed, listed = (counter.filed_requests, counter.listed_requests) if counter else (0, 0)
        space, sort = self.space, self.filters.sort
        key = landmarks_key(space.structure.pk, space.organism.pk, filed, listed, sort)
        landmarks = cache.get(key)
        if landmarks is None:
            columns = [*SORT_KEYS[sort], "position"]
            ranked = (
                self.listed.annotate(
                    rank=Window(RowNumber(), order_by=[F(column).asc() for column in columns])
                )
                .annotate(landmark=(F("rank") - 1) % LANDMARK_STEP)
                .filter(landmark=0)
                .order_by("rank")
                .values_list(*columns)
            )
            landmarks = [tuple(row) for row in ranked]
            cache.set(key, landmarks, CANCELLED_SECONDS)
        return landmarks

    def _rows_by_position(self, offset: int, limit: int) -> list[dict]:
        """A page of the filing order: the listed request of a given rank is found from the
        cancelled requests' positions (`_cancelled_positions`), not by reading every request
        before it."""
        low, high = self.positions or (1, self._filed())
        listed = self.total().count
        if offset >= listed:
            return []
        limit = min(limit, listed - offset)
        descending = self.filters.descending
        params = {**self._space_params, "high": high, "limit": limit}
        if offset < DIRECT_UP_TO:
            # Near the top, the index is read in order: no count of the cancelled needed.
            params.update(low=low, offset=offset)
            sql = _RANGE_PAGE.format(
                columns=_COLUMNS.format(t="r"), direction="DESC" if descending else "ASC"
            )
            return sql_rows(sql, params, datetimes=("created_at",))
        # The page's ranks in filing order (1: the oldest listed of the range).
        first = listed - offset - limit + 1 if descending else offset + 1
        if first <= listed - first:
            start = self._position_from_low(first, low)
        else:
            start = self._position_from_high(listed - first + 1, high)
        params.update(low=start, offset=0)
        sql = _RANGE_PAGE.format(columns=_COLUMNS.format(t="r"), direction="ASC")
        rows = sql_rows(sql, params, datetimes=("created_at",))
        return rows[::-1] if descending else rows

    def _position_from_low(self, rank: int, low: int) -> int:
        """The position of the `rank`-th listed request from `low` up: its rank plus the
        cancelled requests up to it (each step adds those it had not counted yet)."""
        position = low - 1 + rank
        while True:
            shifted = low - 1 + rank + self._cancelled_between(low, position)
            if shifted == position:
                return position
            position = shifted

    def _position_from_high(self, rank: int, high: int) -> int:
        """The position of the `rank`-th listed request from `high` down."""
        position = high + 1 - rank
        while True:
            shifted = high + 1 - rank - self._cancelled_between(position, high)
            if shifted == position:
                return position
            position = shifted


# What separates the words of a name ("Jean-Marie", "N'DIAYE"): a word searched may follow one.
SEPARATORS = (" ", "-", "'")
# The history's statements. `{t}` stands for the table's alias in a list's conditions; the
# conditions themselves come from `PartnerHistory._where`, and hold parameters only.
_IN_SPACE = (
    "{t}.structure_id = CAST(%(structure)s AS BIGINT)"
    " AND {t}.organism_id = CAST(%(organism)s AS BIGINT)"
)
_COLUMNS = ", ".join(f"{{t}}.{field}" for field in HISTORY_FIELDS)
_PERIOD_POSITIONS = """
SELECT
    (
        SELECT p.position FROM partners_partnerrequest p
        WHERE p.structure_id = CAST(%(structure)s AS BIGINT)
            AND p.organism_id = CAST(%(organism)s AS BIGINT)
            AND p.created_at >= %(start)s
        ORDER BY p.created_at, p.position LIMIT 1
    ) AS first,
    (
        SELECT p.position FROM partners_partnerrequest p
        WHERE p.structure_id = CAST(%(structure)s AS BIGINT)
            AND p.organism_id = CAST(%(organism)s AS BIGINT)
            AND p.created_at < %(end)s
        ORDER BY p.created_at DESC, p.position DESC LIMIT 1
    ) AS last
"""
# The filing positions of the requests whose name has a word beginning with word {i}.
_WORD_POSITIONS = """
SELECT w.position FROM partners_person_word w
WHERE w.structure_id = CAST(%(structure)s AS BIGINT)
    AND w.organism_id = CAST(%(organism)s AS BIGINT)
    AND w.word >= %(word{i})s AND w.word < %(beyond{i})s{period}
"""
# A page of a person search and how many it finds: the positions found are read once.
_WORDS_PAGE = """
WITH found AS MATERIALIZED ({found})
SELECT {columns}, (SELECT COUNT(*) FROM found) AS counted
FROM partners_partnerrequest r
WHERE r.structure_id = CAST(%(structure)s AS BIGINT)
    AND r.organism_id = CAST(%(organism)s AS BIGINT)
    AND r.position IN (
        SELECT f.position FROM found f
        ORDER BY f.position {direction}
        LIMIT %(limit)s OFFSET %(offset)s
    )
ORDER BY r.position {direction}
"""
_FIRST_PAGE = """
SELECT {columns}, {counted} AS counted
FROM partners_partnerrequest r
WHERE {where}
ORDER BY {order}
LIMIT %(limit)s
"""
_SEARCH_PAGE = """
SELECT {found_columns}, COUNT(*) OVER () AS counted
FROM (
    SELECT {columns}{keys} FROM partners_partnerrequest r
    WHERE {where}
    ORDER BY {order}
    LIMIT %(capped)s
) found
ORDER BY {found_order}
LIMIT %(limit)s
"""
_DIRECT_PAGE = """
SELECT {columns} FROM partners_partnerrequest r
WHERE {where}
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""
# A deep page: its positions from the index alone, then its rows.
_KEYED_PAGE = """
SELECT {columns} FROM partners_partnerrequest r
WHERE r.structure_id = CAST(%(structure)s AS BIGINT)
    AND r.organism_id = CAST(%(organism)s AS BIGINT)
    AND r.position IN (
        SELECT k.position FROM partners_partnerrequest k
        WHERE {keys}
        ORDER BY {keys_order}
        LIMIT %(limit)s OFFSET %(offset)s
    )
ORDER BY {order}
"""
_RANGE_PAGE = """
SELECT {columns} FROM partners_partnerrequest r
WHERE r.structure_id = CAST(%(structure)s AS BIGINT)
    AND r.organism_id = CAST(%(organism)s AS BIGINT)
    AND r.status <> %(cancelled)s
    AND r.position BETWEEN %(low)s AND %(high)s
ORDER BY r.position {direction}
LIMIT %(limit)s OFFSET %(offset)s
"""


def partner_history(space: PartnerSpace, filters: HistoryFilters = HistoryFilters()):
    return PartnerHistory(space, filters)


# The requesters' list is on every history page: kept in the cache, dropped when a
# membership or a name changes (`partners.apps`), and at the latest after an hour.
REQUESTERS_SECONDS = 3600


def _requesters_key(structure_id: int) -> str:
    return f"partners:requesters:{structure_id}"


def structure_requesters(structure_id: int) -> list[tuple[int, str]]:
    """ "Demandeur": the structure's accounts (technicians and managers, active or not: their
    requests stay), as (pk, "NOM Prénom") by name."""
    from accounts.models import User

    key = _requesters_key(structure_id)
    requesters = cache.get(key)
    if requesters is None:
        people = (
            User.objects.filter(partner_membership__structure_id=structure_id)
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "last_name", "first_name", "username")
        )
        requesters = [
            (pk, f"{last.upper()} {first}".strip() or username)
            for pk, last, first, username in people
        ]
        cache.set(key, requesters, REQUESTERS_SECONDS)
    return requesters


def forget_structure_requesters(*structure_ids: int) -> None:
    cache.delete_many([_requesters_key(pk) for pk in structure_ids])
