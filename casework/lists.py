"""The list kit: pages of a long list that cost what the page shows, not what comes before it.

- `page_of` numbers the pages from a total that may be stored, counted or estimated
  (`Total`), and reads a page's rows through `rows(offset, limit)` when the list gives one.
- `keyed_rows` reads a deep page from its index alone: the keys of the page (an index-only
  scan skips what comes before), and those rows, in one query.
- `total_of` counts exactly when the answer is small (a capped count), and otherwise asks
  PostgreSQL's planner for an estimate, which the page says is one ("environ"); the estimate
  of a query is kept ten minutes (it moves only with the table's statistics).
- `sql_rows` and `sql_total` do the same for a list read by statements written out: the
  histories' hot reads, where the ORM cost more building and compiling a query than the
  database answering it. Their statements take parameters only (`%(name)s`), on PostgreSQL and
  SQLite alike; what varies in their text (conditions, orders) comes from code, never from
  what was typed.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, connections
from django.db.models import BigIntegerField, IntegerField, Subquery, Value
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# Counted exactly up to this many rows (a capped count over an index: it costs what it counts);
# beyond, the planner's estimate, and the page says "environ".
EXACT_UP_TO = 300
# How long the planner's estimate of a query is kept: it changes only when the table's
# statistics do (ANALYZE), and the pages of one search all ask for it.
ESTIMATE_SECONDS = 600


@dataclass(frozen=True)
class Total:
    count: int
    exact: bool = True


class CountedPaginator(Paginator):
    """A paginator told its total (a `Total`, an int, or a function giving either) instead of
    running COUNT(*) over the rows' query."""

    def __init__(self, items, size, *, count):
        super().__init__(items, size)
        self._told_count = count

    @cached_property
    def total(self) -> Total:
        told = self._told_count
        if told is None:
            return Total(super().count)
        told = told() if callable(told) else told
        return told if isinstance(told, Total) else Total(told)

    @cached_property
    def count(self) -> int:
        return self.total.count

    @property
    def count_is_estimate(self) -> bool:
        return not self.total.exact


class _Rows:
    """What the paginator slices: rows read by `rows(offset, limit)`."""

    def __init__(self, rows):
        self.rows = rows

    def __getitem__(self, window: slice):
        return self.rows(window.start or 0, window.stop - (window.start or 0))


def page_of(
    request, items, size: int, *, count=None, rows=None, rows_first: bool = False
) -> tuple[Page, str]:
    """The page `?page=` asks for, within the pages there are (the total first, then that
    page's rows only), and a notice when the number asked for was not one of them.

    `items` is the list's query, counted when neither `count` nor `rows` is given, or when an
    estimated total proved too high (with `rows`, it may be a function counting the list).
    `count` is the total when known (an int, a `Total`, or a function called only if needed:
    not for a first page that holds the whole list); otherwise the rows are counted.
    `rows(offset, limit)`, when given, reads a page's rows (instead of slicing `items`).
    `rows_first`: the page asked for is read before `count` is called, for a list whose rows
    query counts its total too (the page is read again only when it was not one of them)."""
    asked = request.GET.get("page", "")
    try:
        number = int(asked) if asked else 1
    except ValueError:
        number = 0
    if rows and callable(count) and rows_first:
        offset = (max(number, 1) - 1) * size
        read_first = rows(offset, size)
        read = rows

        def rows(start, limit):
            # The paginator asks the last page for the rows up to the total only.
            if start == offset and limit <= size:
                return read_first[:limit]
            return read(start, limit)

    elif rows and callable(count) and number == 1:
        # The first page is read one row further: when that row is not there, the page holds
        # the whole list and no count is needed (a narrow search, the usual case).
        first = rows(0, size + 1)
        if len(first) <= size:
            count = Total(len(first))
        read = rows

        def rows(offset, limit):
            return first[:limit] if offset == 0 and limit <= len(first) else read(offset, limit)

    paginator = CountedPaginator(_Rows(rows) if rows else items, size, count=count)
    shown = min(max(number, 1), paginator.num_pages)
    notice = ""
    if asked and shown != number:
        notice = _("La page demandée n'existe pas : voici la page %(number)s.") % {"number": shown}
    page = paginator.page(shown)
    if rows:
        page.object_list = list(page.object_list)
        if not page.object_list and shown > 1 and paginator.count_is_estimate:
            # An estimate counted too many: the real last page, counted exactly.
            exact = items() if callable(items) else items.order_by().count()
            paginator = CountedPaginator(_Rows(rows), size, count=Total(exact))
            shown = paginator.num_pages
            notice = _("La page demandée n'existe pas : voici la page %(number)s.") % {
                "number": shown
            }
            page = paginator.page(shown)
            page.object_list = list(page.object_list)
    return page, notice


# Below this offset a page is read directly: the rows before it cost less than a second query.
DIRECT_UP_TO = 1000


def keyed_rows(queryset, key: str, offset: int, limit: int) -> list:
    """The rows `offset` to `offset + limit` of an ordered queryset. Deep pages are read in two
    steps of one query: their `key` values (from the index that orders the list, without
    reading the rows before them), then those rows, in the list's order."""
    if offset < DIRECT_UP_TO:
        return list(queryset[offset : offset + limit])
    keys = queryset.values_list(key, flat=True)[offset : offset + limit]
    return list(queryset.filter(**{f"{key}__in": keys}))


class _CountOf(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()


def capped_count(queryset) -> Subquery:
    """`queryset`'s rows counted up to EXACT_UP_TO + 1, as an expression: a list's first page
    reads it with its rows (`total_of(..., capped=)`), in the same query."""
    return _CountOf(queryset.order_by().values("pk")[: EXACT_UP_TO + 1])


def total_of(queryset, *, capped: int | None = None, estimate_key: str = "") -> Total:
    """How many rows `queryset` (or a function giving it) has: exactly when at most EXACT_UP_TO
    (a capped count, unless `capped` is that count, read already), else PostgreSQL's estimate
    (the page then says "environ"); other databases count.

    `estimate_key` names the list and everything that narrows it: the estimate is then kept
    under it, and the query is built and compiled only when the estimate is not kept."""
    query = queryset if callable(queryset) else lambda: queryset
    if capped is None:
        capped = query().order_by()[: EXACT_UP_TO + 1].count()
    if capped <= EXACT_UP_TO:
        return Total(capped)
    if estimate_key:
        key = "lists:estimate:" + hashlib.sha256(estimate_key.encode()).hexdigest()
        estimate = cache.get(key)
        if estimate is not None:
            return Total(max(estimate, capped), exact=False)
    queryset = query().order_by()
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return Total(queryset.count())
    return Total(
        max(_planner_estimate(queryset, connection, key=estimate_key), capped), exact=False
    )


def _planner_estimate(queryset, connection, *, key: str = "") -> int:
    """The rows PostgreSQL's planner expects `queryset` to return, kept ESTIMATE_SECONDS under
    `key` (hashed), or else under the query's text and parameters."""
    sql, params = queryset.values("pk").query.sql_with_params()
    return _explained_rows(connection, sql, params, key or repr((connection.alias, sql, params)))


def _explained_rows(connection, sql: str, params, key: str) -> int:
    key = "lists:estimate:" + hashlib.sha256(key.encode()).hexdigest()
    estimate = cache.get(key)
    if estimate is None:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        cache.set(key, estimate, ESTIMATE_SECONDS)
    return estimate


def sql_total(sql: str, params: dict, *, capped: int | None = None, estimate_key: str) -> Total:
    """`total_of` for a list written out: `sql` selects its rows (any column, no order)."""
    if capped is None:
        counted = f"SELECT COUNT(*) FROM ({sql} LIMIT {EXACT_UP_TO + 1}) capped"  # noqa: S608
        capped = _fetched_one(counted, params)
    if capped <= EXACT_UP_TO:
        return Total(capped)
    if connection.vendor != "postgresql":
        return Total(_fetched_one(f"SELECT COUNT(*) FROM ({sql}) listed", params))  # noqa: S608
    return Total(max(_explained_rows(connection, sql, params, estimate_key), capped), exact=False)


def _fetched_one(sql: str, params: dict):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def sql_rows(sql: str, params: dict, *, datetimes: tuple[str, ...] = ()) -> list[dict]:
    """The rows of a query written out (a list's hot read: the ORM would spend more compiling
    it than the database answering it), as dicts; the `datetimes` columns aware on every
    database (SQLite gives them naive, in UTC)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        for row in rows:
            for name in datetimes:
                if row[name] is not None and row[name].tzinfo is None:
                    row[name] = row[name].replace(tzinfo=datetime.UTC)
    return rows


def capped_count_sql(table: str, conditions: str) -> str:
    """The rows of `table` (alias `c`) that `conditions` keep, counted up to EXACT_UP_TO + 1
    (the parameter `capped`): the scalar subquery with which a page's statement reads its
    total."""
    return (
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} c WHERE {conditions}"  # noqa: S608
        " LIMIT %(capped)s) capped)"
    )


def like_pattern(text: str) -> str:
    """`text` anywhere, for `LIKE %s ESCAPE '\\'` in a query written out (its `%`, `_` and
    backslashes matched as themselves)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def bigint(value: int):
    """`value` typed as the database's bigint: a foreign key compared with it can be read from
    a GIN index (btree_gin has no cross-type operators, and a bare literal is an integer)."""
    return Cast(Value(value), BigIntegerField())
