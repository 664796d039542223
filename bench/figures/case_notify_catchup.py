"""`case_notify_catchup`: the casework catch-up job's query over the whole journal, with
nothing to send.

    case_notify_catchup p50_ms=… p95_ms=… rows_scanned=… events=…

- the job (`casework.tasks.notify_pending_events`, every 2 minutes) asks
  `casework.notifications.pending_events()` for the events whose email was never sent; at the
  bench volume (1,000,000 member and 1,000,000 partner requests, about 5 million events, every
  email long sent) there is none;
- p50_ms / p95_ms: that query, run RUNS times in-process against PostgreSQL (target p50 < 20);
- rows_scanned: rows the plan read to answer it (EXPLAIN ANALYZE: the rows its scans returned
  and those their filters removed), which must not grow with the journal;
- events: the journal's rows;
- the plan's first line goes to stderr (bench/README.md quotes it): it reads the partial index
  `caseevent_unsent`, which holds only the emails still to send.
"""

import json
import time

from django.db import connection

from bench.data import log, partners_dataset
from bench.measure import format_line, ms, percentile
from casework.models import CaseEvent
from casework.notifications import pending_events

NAME = "case_notify_catchup"
RUNS = 200


def _scanned(plan: dict) -> int:
    """Rows the scans of a plan read: returned plus removed by their filters."""
    rows = 0
    if "Scan" in plan.get("Node Type", ""):
        rows += plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1)
        rows += plan.get("Rows Removed by Filter", 0) + plan.get("Rows Removed by Index Recheck", 0)
    for child in plan.get("Plans", []):
        rows += _scanned(child)
    return rows


def run() -> str:
    partners_dataset()
    list(pending_events())  # warm: the first connection, the content types
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        pending = list(pending_events())
        samples.append(ms(time.perf_counter() - started))
    if pending:
        log(f"{NAME}: {len(pending)} events were waiting for their email")
    sql, params = pending_events().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        cursor.execute(f"EXPLAIN {sql}", params)
        first_line = cursor.fetchone()[0]
    log(f"{NAME} plan: {first_line}")
    return format_line(
        NAME,
        p50_ms=percentile(samples, 50),
        p95_ms=percentile(samples, 95),
        rows_scanned=_scanned(plan[0]["Plan"]),
        events=CaseEvent.objects.count(),
    )
