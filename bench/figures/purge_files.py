"""`purge_files`: the file purge (`documents.tasks.purge_expired_files`, every 15 minutes) over
1,000,000 stored files.

    purge_files files=1000000 due=… p50_ms=… due_p50_ms=… rows_scanned=…

The data set (`files_1m`, loaded once, a few seconds): 1,000,000 `StoredFile` rows shaped like
years of use: 55 % files of members' requests and answers, kept (no expiry); 40 % partners'
files long purged (rows kept, marked deleted: pages say "Fichier expiré"); 5 % partners' files
still in their 15 days; a few hundred uploads never sent, not yet orphans; and DUE files past
their expiry (their content is absent: the storage forgives that).

- p50_ms: a whole purge run with nothing due (the steady state), median of RUNS runs; target
  < 20 ms, whatever the number of files ever stored;
- due_p50_ms: a run that finds and purges the DUE files (their rows are made due again before
  each run), median of RUNS runs: it grows with what is due, not with the table;
- rows_scanned: rows the two due-file queries read (EXPLAIN ANALYZE), with nothing due.
"""

import json
import os
import statistics
import time

from django.db import connection, transaction
from django.utils import timezone

from bench.data import log, mark_loaded, marker_of, requests_dataset
from bench.measure import format_line, ms
from documents.models import StoredFile
from documents.services import _due, stored_files_purge_expired

NAME = "purge_files"
DATASET = "files_1m"
VERSION = 2
FILES = 1_000_000
DUE = 140
RUNS = 30

_loaded_here = False


def files_dataset() -> None:
    global _loaded_here
    marker = marker_of(DATASET)
    reload = os.environ.get("BENCH_RELOAD", "") not in ("", "0") and not _loaded_here
    if marker and marker[0] == VERSION and not reload and StoredFile.objects.count() >= FILES:
        return
    log(f"loading {FILES:,} stored files (once; a few seconds)")
    started = time.perf_counter()
    table = StoredFile._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(f"DELETE FROM {table}")
        # g: 1..FILES, oldest first over 3 years.
        cursor.execute(
            f"INSERT INTO {table} (id, original_name, file, size, content_type, sha256, "
            "uploaded_by_id, created_at, attached_at, expires_at, deleted_at) "
            "SELECT md5(g::text)::uuid, 'piece-' || g || '.pdf', "
            "CASE WHEN kind = 'purged' THEN '' ELSE 'bench/' || g || '.pdf' END, "
            "120000, 'application/pdf', repeat('0', 64), NULL, at, "
            "CASE WHEN kind = 'pending' THEN NULL ELSE at END, "
            "CASE kind WHEN 'kept' THEN NULL WHEN 'pending' THEN at + interval '24 hours' "
            "ELSE at + interval '15 days' END, "
            "CASE WHEN kind = 'purged' THEN at + interval '15 days' END "
            "FROM (SELECT g, now() - interval '3 years' * (1 - g::float8 / %s) AS at, "
            "CASE WHEN g > %s - 300 THEN 'pending' WHEN g > %s - 13000 THEN 'partner' "
            "WHEN mod(g, 20) < 11 THEN 'kept' ELSE 'purged' END AS kind "
            "FROM generate_series(1, %s) AS g) AS files",
            [FILES, FILES, FILES, FILES],
        )
        mark_loaded(cursor, DATASET, VERSION)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
    _loaded_here = True
    log(f"loaded the stored files in {time.perf_counter() - started:.1f} s")


def _make_due(ids) -> None:
    StoredFile.objects.filter(pk__in=ids).update(
        deleted_at=None, file="bench/due.pdf", expires_at="2020-01-01T00:00:00Z"
    )


def _rows_scanned() -> int:
    rows = 0
    for query in _due(timezone.now()):
        sql, params = query.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
        rows += _scanned(plan[0]["Plan"])
    return rows


def _scanned(plan: dict) -> int:
    rows = 0
    if "Scan" in plan.get("Node Type", ""):
        rows += plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1)
        rows += plan.get("Rows Removed by Filter", 0)
    for child in plan.get("Plans", []):
        rows += _scanned(child)
    return rows


def run() -> str:
    requests_dataset()
    files_dataset()
    # The DUE files: some of the partners' purged ones, made due again before each run.
    due_ids = list(
        StoredFile.objects.filter(deleted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:DUE]
    )
    stored_files_purge_expired()  # whatever an earlier run left due
    idle, busy = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        counts = stored_files_purge_expired()
        idle.append(ms(time.perf_counter() - started))
        assert counts == {"expired": 0, "orphans": 0}, counts
        _make_due(due_ids)
        started = time.perf_counter()
        counts = stored_files_purge_expired()
        busy.append(ms(time.perf_counter() - started))
        assert counts["expired"] == DUE, counts
    return format_line(
        NAME,
        files=StoredFile.objects.count(),
        due=DUE,
        p50_ms=statistics.median(idle),
        due_p50_ms=statistics.median(busy),
        rows_scanned=_rows_scanned(),
    )
