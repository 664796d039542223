"""`export_queue`: a manager exports their whole partner queue: the insurer manager of CPAM
GIRONDE, whose organisms hold about 147,000 of the 1,000,000 partner requests (the bench
structure's 100,000 among them). Above 5,000 rows the export is built by the background job;
this figure runs that job in-process, as the worker would, for XLSX then CSV.

    export_queue rows=… seconds=… format=xlsx cpu_seconds=… csv_seconds=… bytes=…

- rows: rows written (the changelist's selection for that manager with "Toutes, même résolues ou
  annulées" chosen: every request of the organisms they manage);
- seconds: the job's wall time for the XLSX file (openpyxl, write-only), from claiming its row
  to the file saved. Target: **< 60** for 100,000 rows;
- cpu_seconds: the CPU time of this process during the XLSX job (the job's own work, whatever
  else the machine runs; PostgreSQL's share is not in it);
- csv_seconds: the same job for CSV.
"""

import time
from datetime import timedelta

from django.utils import timezone

from bench.data import requests_dataset
from bench.measure import format_line
from oversight.exports import queue_export_build
from oversight.models import QueueExport
from partners.models import Organism, PartnerRequest

NAME = "export_queue"


def _build(manager, format: str) -> tuple[float, float, int, int]:
    now = timezone.now()
    export = QueueExport.objects.create(
        requested_by=manager,
        model=PartnerRequest._meta.label_lower,
        # Every status: the queue's default view is the open requests only.
        query="status__exact=all",
        format=format,
        rows_total=0,
        created_at=now,
        expires_at=now + timedelta(hours=1),
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    if not queue_export_build(export_id=export.pk):
        raise RuntimeError("the export job built nothing")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    export.refresh_from_db()
    size = export.file.size
    export.file.delete(save=False)
    export.delete()
    return seconds, cpu_seconds, export.rows_done, size


def run() -> str:
    requests_dataset()
    organism = Organism.objects.get(code="331")
    manager = organism.managers.order_by("pk").first()
    if manager is None:
        raise RuntimeError("CPAM GIRONDE has no manager in the bench data")
    seconds, cpu_seconds, rows, size = _build(manager, QueueExport.Format.XLSX)
    csv_seconds, _cpu, csv_rows, _size = _build(manager, QueueExport.Format.CSV)
    if csv_rows != rows:
        raise RuntimeError(f"XLSX wrote {rows} rows, CSV {csv_rows}")
    return format_line(
        NAME,
        rows=rows,
        seconds=seconds,
        format="xlsx",
        cpu_seconds=cpu_seconds,
        csv_seconds=csv_seconds,
        bytes=size,
    )
