""" "Télécharger mes données" (RGPD article 15): the ZIP of an account's data, built by a
Celery job (privacy.tasks) that the page follows. Called by the tasks; imports neither
services nor tasks.

The ZIP holds `donnees.json` (machine-readable: every part, field by field), `resume.html`
(the same, readable in a browser, with the fields' names in the person's language) and
`fichiers/` (the files of the member's requests and of the answers, while they are kept). A
member's export holds their account, member record, beneficiaries, contracts, reimbursements,
requests with their messages and files, sign-in history and remembered browsers; a partner's
holds their own account, structure, sign-in history and remembered browsers (never the
structure's requests)."""

import io
import json
import logging
import secrets
import zipfile
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Member, SignInRecord, TrustedBrowser, User
from casework.models import CaseMessage
from cover.models import Contract, Reimbursement
from documents.models import StoredFile
from partners.models import StructureMembership
from portal.storage import STORAGE_ERRORS
from privacy.models import DataExport
from requests_app.models import MemberRequest

logger = logging.getLogger(__name__)

# Fields never exported: secrets and what only the portal's machinery reads.
HIDDEN = {"password", "search_text", "status_rank", "position", "key_hash", "code_hash"}


@dataclass
class Part:
    key: str
    title: str
    rows: list[dict]
    labels: dict[str, str] = field(default_factory=dict)

    def readable(self) -> list[list[tuple[str, str, object]]]:
        """Each row as (key, label, value) triples, for the summary."""
        return [[(key, self.labels.get(key, key), value) for key, value in row.items()]
                for row in self.rows]  # fmt: skip


def _rows(queryset, *, exclude=()) -> tuple[list[dict], dict[str, str]]:
    """The rows of `queryset` as dicts of their concrete fields, and each field's label."""
    model = queryset.model
    fields = [
        f for f in model._meta.concrete_fields if f.name not in HIDDEN and f.name not in exclude
    ]
    rows = []
    for obj in queryset:
        row = {}
        for f in fields:
            value = getattr(obj, f.attname)
            if f.choices and value not in (None, ""):
                value = str(dict(f.flatchoices).get(value, value))
            elif isinstance(value, Model):
                value = value.pk
            elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
                # Dates, decimals, phone numbers, IP addresses: their usual written form.
                value = value.isoformat() if hasattr(value, "isoformat") else str(value)
            row[f.attname] = value
        rows.append(row)
    return rows, {f.attname: str(f.verbose_name) for f in fields}


def _part(key, title, queryset, *, exclude=()) -> Part:
    rows, labels = _rows(queryset, exclude=exclude)
    return Part(key, title, rows, labels)


def _file_name(stored: StoredFile) -> str:
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in stored.original_name)
    return f"fichiers/{stored.pk}-{safe}"


def _requests_part(member: Member, files: dict) -> Part:
    """The member's requests, each with its messages and the names of their files (the files
    themselves go under fichiers/)."""
    requests = list(MemberRequest.objects.filter(member=member).order_by("created_at", "pk"))
    rows, labels = _rows(
        MemberRequest.objects.filter(pk__in=[r.pk for r in requests]).order_by("created_at", "pk"),
        exclude=("member", "submitted_by", "assignee"),
    )
    messages = {}
    for message in (
        CaseMessage.objects.filter(
            case_type__app_label="requests_app",
            case_type__model="memberrequest",
            case_id__in=[r.pk for r in requests],
        )
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    ):
        messages.setdefault(message.case_id, []).append(message)
    attachments = {r.pk: list(r.attachments.all()) for r in requests}
    for row, request in zip(rows, requests, strict=True):
        row["files"] = [_file_entry(f, files) for f in attachments[request.pk]]
        row["messages"] = [
            {
                "from": str(message.get_side_display()),
                "sent_at": message.created_at,
                "read_at": message.read_at,
                "text": message.text,
                "files": [_file_entry(f, files) for f in message.attachments.all()],
            }
            for message in messages.get(request.pk, [])
        ]
    labels["files"] = _("Fichiers joints")
    labels["messages"] = _("Messages")
    return Part("requests", _("Demandes, messages et fichiers"), rows, labels)


def _file_entry(stored: StoredFile, files: dict) -> dict:
    kept = stored.is_available()
    if kept:
        files[_file_name(stored)] = stored
    return {
        "name": stored.original_name,
        "sent_at": stored.created_at,
        "in_zip": _file_name(stored) if kept else "",
    }


def _account_parts(user: User) -> list[Part]:
    return [
        _part(
            "account",
            _("Compte"),
            User.objects.filter(pk=user.pk),
            exclude=("is_superuser", "is_staff"),
        ),
    ]


def _security_parts(user: User) -> list[Part]:
    return [
        _part(
            "signin_history",
            _("Historique des connexions"),
            SignInRecord.objects.filter(user=user).order_by("at"),
            exclude=("user",),
        ),
        _part(
            "remembered_browsers",
            _("Navigateurs mémorisés"),
            TrustedBrowser.objects.filter(user=user).order_by("created_at"),
            exclude=("user",),
        ),
    ]


def export_parts(user: User, files: dict) -> list:
    """The parts of `user`'s export, as functions to call one after the other (the page shows
    how many are done). `files` collects the stored files to put in the ZIP."""
    member = Member.objects.filter(user=user).first() if user.is_member else None
    steps = [lambda: _account_parts(user)]
    if member is not None:
        steps += [
            lambda: [
                _part(
                    "member",
                    _("Fiche d'adhérent"),
                    Member.objects.filter(pk=member.pk),
                    exclude=("user",),
                )
            ],  # fmt: skip
            lambda: [
                _part(
                    "beneficiaries",
                    _("Bénéficiaires"),
                    member.beneficiaries.order_by("birth_date", "pk"),
                    exclude=("member",),
                )
            ],
            lambda: [
                _part(
                    "contracts",
                    _("Contrats"),
                    Contract.objects.filter(member=member).order_by("start_date", "pk"),
                    exclude=("member",),
                )
            ],
            lambda: [
                _part(
                    "reimbursements",
                    _("Remboursements"),
                    Reimbursement.objects.filter(member=member).order_by("care_date", "pk"),
                    exclude=("member",),
                )
            ],
            lambda: [_requests_part(member, files)],
        ]
    elif user.role in (User.Role.TECHNICIAN, User.Role.PARTNER_MANAGER):
        steps.append(
            lambda: [
                _part(
                    "structure",
                    _("Structure partenaire"),
                    StructureMembership.objects.filter(user=user),
                    exclude=("user",),
                )
            ]
        )
    steps.append(lambda: _security_parts(user))
    return steps


def data_export_build(*, export_id) -> bool:
    """Build the ZIP of a queued export, once: True if this call built it. The row says how
    many parts are done while it runs, then "ready" with the file, or "failed"."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state == DataExport.State.READY:
        return False
    user = export.user
    files: dict[str, StoredFile] = {}
    steps = export_parts(user, files)
    rows = DataExport.objects.filter(pk=export.pk)
    # Claimed: a job queued again by the catch-up while the first one runs does nothing.
    claimed = rows.filter(state=DataExport.State.QUEUED).update(
        state=DataExport.State.RUNNING, parts=len(steps), parts_done=0
    )
    if not claimed:
        return False
    try:
        # The labels of the readable summary in the person's language.
        with translation.override(export.language):
            parts = []
            for done, step in enumerate(steps, start=1):
                parts.extend(step())
                rows.update(parts_done=done)
            content = _zip(parts, files, user=user)
    except Exception:
        rows.update(state=DataExport.State.FAILED, finished_at=timezone.now())
        raise
    name = f"exports/{export.created_at:%Y/%m}/{secrets.token_hex(16)}.zip"
    export.file.save(name, ContentFile(content), save=False)
    rows.update(file=export.file.name, state=DataExport.State.READY, finished_at=timezone.now())
    return True


def _zip(parts: list[Part], files: dict, *, user: User) -> bytes:
    now = timezone.now()
    data = {
        "generated_at": now,
        "account": user.username,
        **{part.key: part.rows for part in parts},
    }
    summary = render_to_string(
        "privacy/export_summary.html", {"parts": parts, "generated_at": now, "user": user}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr("resume.html", summary)
        for name, stored in files.items():
            try:
                with stored.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except STORAGE_ERRORS:
                logger.warning("file %s of an export could not be read", stored.pk)
    return buffer.getvalue()
