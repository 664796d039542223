"""The exports of the managers' lists (the member and partner queues, the access journal) to CSV
and XLSX: the rows the changelist's current filters select, in its order, with the columns a
manager reads. Up to QUEUE_EXPORT_DIRECT_ROWS (5,000) rows the file is the page's answer;
above, a Celery job (`oversight.tasks.build_queue_export`) builds it here, writing its
progress to its row, and the file is kept QUEUE_EXPORT_HOURS. Called by the views and tasks;
imports neither services nor tasks."""

import csv
import io
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import connections, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.lifecycle import case_type_of
from casework.models import Side
from oversight.models import AccessEntry, QueueExport
from portal.exports import expired_exports_purge

# The progress written to the export's row every this many rows.
PROGRESS_EVERY = 5000
CHUNK = 5000


@dataclass(frozen=True)
class Column:
    header: object  # a lazy string
    fields: tuple[str, ...]
    value: Callable[[dict], object]


def _local(value):
    """A naive local datetime (XLSX cells have no time zone), or None. The zone is read once
    per export (`_zone`), not per cell."""
    if value is None:
        return None
    return value.astimezone(_zone()).replace(tzinfo=None, microsecond=0)


def _zone():
    return _ZONE[0] or timezone.get_current_timezone()


# The export's time zone, set while rows are written (`rows_of`).
_ZONE = [None]


def _name(first, last) -> str:
    return " ".join(part for part in (first, last) if part)


def _manager(prefix: str) -> Column:
    fields = (f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username")

    def value(row):
        return _name(row[fields[0]], row[fields[1]]) or row[fields[2]] or ""

    return Column(gettext_lazy("Gestionnaire"), fields, value)


def _status(model) -> Column:
    kind = case_type_of(model)
    labels = {s.value: kind.status_label(s.value, Side.INSURER) for s in kind.statuses}
    return Column(gettext_lazy("Statut"), ("status",), lambda row: labels.get(row["status"], ""))


def _field(header, name, convert=None) -> Column:
    if convert is None:
        return Column(header, (name,), lambda row: row[name] if row[name] is not None else "")
    return Column(header, (name,), lambda row: convert(row[name]))


def member_request_columns() -> list[Column]:
    from requests_app.models import MemberRequest, RequestKind

    kinds = {value: str(label) for value, label in RequestKind.choices}
    return [
        _field(gettext_lazy("Référence"), "reference"),
        _field(gettext_lazy("Envoyée le"), "created_at", _local),
        Column(gettext_lazy("Type"), ("kind",), lambda row: kinds.get(row["kind"], "")),
        _field(gettext_lazy("Motif"), "topic_label"),
        _field(gettext_lazy("Objet"), "subject"),
        _status(MemberRequest),
        _field(gettext_lazy("Numéro d'adhérent"), "member__member_number"),
        Column(
            gettext_lazy("Adhérent"),
            ("member__first_name", "member__last_name"),
            lambda row: _name(row["member__first_name"], row["member__last_name"]),
        ),
        Column(
            gettext_lazy("Concerne"),
            (
                "beneficiary__first_name",
                "beneficiary__last_name",
                "member__first_name",
                "member__last_name",
            ),
            lambda row: (
                _name(row["beneficiary__first_name"], row["beneficiary__last_name"])
                or _name(row["member__first_name"], row["member__last_name"])
            ),
        ),
        _manager("assignee"),
        _field(gettext_lazy("Résolue le"), "resolved_at", _local),
    ]


def partner_request_columns() -> list[Column]:
    from partners.catalogue import SERVICES, Service
    from partners.models import PartnerRequest

    services = {value: str(label) for value, label in Service.choices}
    # Translated once per export, not once per row.
    motifs = {
        (int(service), code): str(label)
        for service, info in SERVICES.items()
        for code, label in info.motifs.items()
    }

    def motif(row):
        codes = row["documents"] or ([row["motif"]] if row["motif"] else [])
        return ", ".join(motifs.get((row["service"], code), code) for code in codes)

    return [
        _field(gettext_lazy("Numéro"), "number"),
        _field(gettext_lazy("Déposée le"), "created_at", _local),
        _field(gettext_lazy("Organisme"), "organism__name"),
        _field(gettext_lazy("Structure"), "structure__name"),
        _field(gettext_lazy("Demandeur"), "requester_name"),
        Column(
            gettext_lazy("Offre de service"),
            ("service",),
            lambda row: services.get(row["service"], ""),
        ),
        Column(gettext_lazy("Motif"), ("service", "motif", "documents"), motif),
        Column(
            gettext_lazy("Personne concernée"),
            ("last_name", "first_name"),
            lambda row: _name(row["last_name"], row["first_name"]),
        ),
        _status(PartnerRequest),
        _manager("assignee"),
        _field(gettext_lazy("Résolue le"), "resolved_at", _local),
    ]


def journal_columns() -> list[Column]:
    kinds = {value: str(label) for value, label in AccessEntry.Kind.choices}
    return [
        _field(gettext_lazy("Le"), "at", _local),
        _manager("manager"),
        Column(gettext_lazy("Consultation"), ("kind",), lambda row: kinds.get(row["kind"], "")),
        _field(gettext_lazy("Numéro d'adhérent"), "member__member_number"),
        Column(
            gettext_lazy("Adhérent"),
            ("member__first_name", "member__last_name"),
            lambda row: _name(row["member__first_name"], row["member__last_name"]),
        ),
        _field(gettext_lazy("Organisme"), "organism__name"),
        _field(gettext_lazy("Objet consulté"), "target"),
        _field(gettext_lazy("Motif"), "reason"),
    ]


COLUMNS = {
    "requests_app.memberrequest": member_request_columns,
    "partners.partnerrequest": partner_request_columns,
    "oversight.accessentry": journal_columns,
}


def columns_for(model) -> list[Column]:
    return COLUMNS[model._meta.label_lower]()


# -- The rows: what the changelist selects ------------------------------------------------------
def changelist_queryset(model_admin, request):
    """The queryset the changelist shows for `request` (its filters, search and order), without
    the page's counts. Raises IncorrectLookupParameters on filters the changelist refuses."""
    request._oversight_export = True
    # The changelist computed its queryset (filters, search, order) when it was made.
    return model_admin.get_changelist_instance(request).queryset


def rows_of(queryset, columns: list[Column]) -> Iterator[list]:
    fields = list(dict.fromkeys(name for column in columns for name in column.fields))
    values = [column.value for column in columns]
    _ZONE[0] = timezone.get_current_timezone()
    try:
        with transaction.atomic(using=queryset.db):
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                # A server-side cursor is planned for its first 10 % by default (nested
                # loops, no sort); an export reads every row: plan for all of them.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            for row in queryset.values(*fields).iterator(chunk_size=CHUNK):
                yield [value(row) for value in values]
    finally:
        _ZONE[0] = None


def _csv_cell(value):
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value


def write_csv(out, columns, rows, *, on_row=None) -> int:
    """CSV as French spreadsheets open it: UTF-8 with a BOM, `;` between cells. Returns rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";")
    writer.writerow([str(column.header) for column in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
        count += 1
        if on_row is not None:
            on_row(count)
    text.flush()
    text.detach()
    return count


def write_xlsx(out, columns, rows, *, title: str, on_row=None) -> int:
    """An XLSX workbook written row by row (openpyxl's write-only mode). Returns rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append([str(column.header) for column in columns])
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
        if on_row is not None:
            on_row(count)
    workbook.save(out)
    return count


CONTENT_TYPES = {
    QueueExport.Format.CSV: "text/csv; charset=utf-8",
    QueueExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_write(out, *, model, queryset, format: str, on_row=None) -> int:
    columns = columns_for(model)
    rows = rows_of(queryset, columns)
    if format == QueueExport.Format.XLSX:
        title = str(model._meta.verbose_name_plural)
        return write_xlsx(out, columns, rows, title=title, on_row=on_row)
    return write_csv(out, columns, rows, on_row=on_row)


def export_filename(model, format: str, *, at=None) -> str:
    at = timezone.localtime(at or timezone.now())
    return f"{model._meta.model_name}-{at:%Y-%m-%d-%H%M}.{format}"


# -- The job --------------------------------------------------------------------------------------
def _replayed_request(export: QueueExport) -> HttpRequest:
    """The changelist's request as the manager sent it: their account and the filters."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(export.query)
    request.user = get_user_model().objects.get(pk=export.requested_by_id)
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    return request


def _model_admin(label: str):
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower == label:
            return model_admin
    raise LookupError(label)


def queue_export_build(*, export_id) -> bool:
    """Build the file of a queued export, once: True if this call built it. The row says how
    many rows are written while it runs, then "ready" with the file, or "failed"."""
    export = QueueExport.objects.filter(pk=export_id).first()
    if export is None or export.state != QueueExport.State.QUEUED:
        return False
    rows = QueueExport.objects.filter(pk=export.pk)
    # Claimed: a job queued again by the catch-up while the first one runs does nothing.
    if not rows.filter(state=QueueExport.State.QUEUED).update(
        state=QueueExport.State.RUNNING, rows_done=0
    ):
        return False
    try:
        model_admin = _model_admin(export.model)
        request = _replayed_request(export)
        queryset = changelist_queryset(model_admin, request)

        def progress(count):
            if count % PROGRESS_EVERY == 0:
                rows.update(rows_done=count)

        with tempfile.TemporaryFile() as out:
            written = export_write(
                out,
                model=model_admin.model,
                queryset=queryset,
                format=export.format,
                on_row=progress,
            )
            out.seek(0)
            name = f"exports/{export.created_at:%Y/%m}/{secrets.token_hex(16)}.{export.format}"
            export.file.save(name, File(out), save=False)
    except Exception:
        rows.update(state=QueueExport.State.FAILED, finished_at=timezone.now())
        raise
    rows.update(
        file=export.file.name,
        state=QueueExport.State.READY,
        rows_done=written,
        rows_total=written,
        finished_at=timezone.now(),
    )
    return True


def queue_exports_purge(*, now=None) -> int:
    """Delete the exports whose time is up, file and row. Returns how many."""
    return expired_exports_purge(QueueExport, now=now)


def export_status(export: QueueExport) -> str:
    State = QueueExport.State
    if export.state == State.READY:
        return _("L'export est prêt : %(count)d lignes.") % {"count": export.rows_done}
    if export.state == State.FAILED:
        return _("L'export n'a pas pu être préparé. Réessayez, ou filtrez davantage la liste.")
    if export.state == State.RUNNING:
        return _("Préparation de l'export : %(done)d lignes sur %(total)d.") % {
            "done": export.rows_done,
            "total": export.rows_total,
        }
    return _("L'export va être préparé dans un instant (%(total)d lignes).") % {
        "total": export.rows_total
    }
