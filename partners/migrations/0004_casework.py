"""Partner requests move onto the casework core: their audit entries (status changes and
completions) become the journal's events, the organism's answer (text and received files) a
message, numbers untouched; then the old table and columns go."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from casework.migrating import (
    BATCH,
    bulk_insert,
    case_content_type,
    message_id_offset,
    reset_sequences,
)

ACTIONS = {"new": "submit", "in_progress": "take", "resolved": "resolve", "cancelled": "cancel"}
# Guide 001 emails the technician when the request is taken in charge and when it is resolved.
NOTIFICATIONS = {"in_progress": "taken", "resolved": "resolved"}


def to_casework(apps, schema_editor):
    db = schema_editor.connection.alias
    PartnerRequest = apps.get_model("partners", "PartnerRequest")
    PartnerRequestEvent = apps.get_model("partners", "PartnerRequestEvent")
    CaseEvent = apps.get_model("casework", "CaseEvent")
    CaseMessage = apps.get_model("casework", "CaseMessage")
    content_type = case_content_type(apps, db, "partners", "partnerrequest")
    offset = message_id_offset(apps, db)

    answered = (
        PartnerRequest.objects.using(db)
        .filter(models.Q(answer__gt="") | models.Q(answer_files__isnull=False))
        .distinct()
        .order_by("pk")
    )
    with_answer = set()

    def messages():
        for request in answered.iterator(chunk_size=BATCH):
            with_answer.add(request.pk)
            yield CaseMessage(
                id=offset + request.pk,
                case_type_id=content_type.pk,
                case_id=request.pk,
                party_id=request.structure_id,
                side="insurer",
                action="resolve",
                author_id=request.assignee_id,
                text=request.answer,
                created_at=request.resolved_at or request.status_changed_at,
            )

    bulk_insert(CaseMessage, messages(), db)
    links = PartnerRequest.answer_files.through.objects.using(db).order_by("pk")
    MessageFile = CaseMessage.attachments.through
    bulk_insert(
        MessageFile,
        (
            MessageFile(casemessage_id=offset + request_id, storedfile_id=file_id)
            for request_id, file_id in links.values_list("partnerrequest_id", "storedfile_id")
            .iterator(chunk_size=BATCH)
        ),
        db,
    )

    reasons = dict(
        PartnerRequest.objects.using(db)
        .filter(status="cancelled")
        .exclude(cancel_reason="")
        .values_list("pk", "cancel_reason")
    )

    def events():
        entries = PartnerRequestEvent.objects.using(db).order_by("request_id", "at", "pk")
        for entry in entries.iterator(chunk_size=BATCH):
            if entry.kind == "completed":
                yield CaseEvent(
                    case_type_id=content_type.pk,
                    case_id=entry.request_id,
                    action="complete",
                    from_status="new",
                    to_status="new",
                    data={
                        "previous_comment": entry.previous_comment,
                        "added_files": entry.added_files,
                    },
                    by_id=entry.by_id,
                    at=entry.at,
                )
                continue
            to = entry.to_status
            data = {"reason": reasons[entry.request_id]} if to == "cancelled" and (
                entry.request_id in reasons
            ) else {}
            answer = to == "resolved" and entry.request_id in with_answer
            yield CaseEvent(
                case_type_id=content_type.pk,
                case_id=entry.request_id,
                action=ACTIONS.get(to, to),
                from_status=entry.from_status,
                to_status=to,
                message_id=offset + entry.request_id if answer else None,
                data=data,
                by_id=entry.by_id,
                at=entry.at,
                notification=NOTIFICATIONS.get(to, ""),
                notified_at=entry.notified_at if to in NOTIFICATIONS else None,
            )

    bulk_insert(CaseEvent, events(), db)
    reset_sequences(schema_editor, CaseMessage)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_storedfile_attached_at"),
        ("partners", "0003_convention_counter"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="partnerrequest",
            name="awaiting_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="en attente depuis"),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="relancé le"),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="reply_pending_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="réponse reçue le"),
        ),
        migrations.AlterField(
            model_name="partnerrequest",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gestionnaire",
            ),
        ),
        migrations.AlterField(
            model_name="partnerrequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "Nouveau"),
                    ("in_progress", "Pris en charge"),
                    ("awaiting", "En attente de complément"),
                    ("resolved", "Résolu"),
                    ("cancelled", "Annulé"),
                ],
                default="new",
                max_length=20,
                verbose_name="statut",
            ),
        ),
        migrations.AddIndex(
            model_name="partnerrequest",
            index=models.Index(
                condition=models.Q(("status", "awaiting")),
                fields=["awaiting_since"],
                name="partnerrequest_awaiting",
            ),
        ),
        migrations.RunPython(to_casework, migrations.RunPython.noop),
        migrations.RemoveField(model_name="partnerrequest", name="answer"),
        migrations.RemoveField(model_name="partnerrequest", name="answer_files"),
        migrations.DeleteModel(name="PartnerRequestEvent"),
    ]
