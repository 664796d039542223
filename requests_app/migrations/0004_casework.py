"""Member requests move onto the casework core: their status changes become the journal's
events and their answers messages (with their files), numbers untouched; then the old tables
go. The files of members' requests and answers are kept as long as the space exists."""

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

ACTIONS = {"new": "submit", "in_progress": "take", "resolved": "resolve"}
NOTIFICATIONS = {"new": "received", "in_progress": "taken", "resolved": "resolved"}


def to_casework(apps, schema_editor):
    db = schema_editor.connection.alias
    RequestAnswer = apps.get_model("requests_app", "RequestAnswer")
    RequestStatusChange = apps.get_model("requests_app", "RequestStatusChange")
    CaseEvent = apps.get_model("casework", "CaseEvent")
    CaseMessage = apps.get_model("casework", "CaseMessage")
    StoredFile = apps.get_model("documents", "StoredFile")
    content_type = case_content_type(apps, db, "requests_app", "memberrequest")
    offset = message_id_offset(apps, db)

    answers = RequestAnswer.objects.using(db).order_by("pk")
    bulk_insert(
        CaseMessage,
        (
            CaseMessage(
                id=offset + answer.pk,
                case_type_id=content_type.pk,
                case_id=answer.request_id,
                party_id=answer.member_id,
                side="insurer",
                action="resolve",
                author_id=answer.author_id,
                text=answer.text,
                created_at=answer.created_at,
                read_at=answer.read_at,
            )
            for answer in answers.iterator(chunk_size=BATCH)
        ),
        db,
    )
    links = RequestAnswer.attachments.through.objects.using(db).order_by("pk")
    MessageFile = CaseMessage.attachments.through
    bulk_insert(
        MessageFile,
        (
            MessageFile(casemessage_id=offset + answer_id, storedfile_id=file_id)
            for answer_id, file_id in links.values_list("requestanswer_id", "storedfile_id")
            .iterator(chunk_size=BATCH)
        ),
        db,
    )

    def events():
        changes = RequestStatusChange.objects.using(db).order_by("request_id", "at", "pk")
        batch = []
        for change in changes.iterator(chunk_size=BATCH):
            batch.append(change)
            if len(batch) >= BATCH:
                yield from _events(batch)
                batch = []
        yield from _events(batch)

    def _events(changes):
        answer_of = dict(
            RequestAnswer.objects.using(db)
            .filter(request_id__in={c.request_id for c in changes})
            .order_by("-pk")
            .values_list("request_id", "pk")
        )
        for change in changes:
            answer = answer_of.get(change.request_id) if change.to_status == "resolved" else None
            yield CaseEvent(
                case_type_id=content_type.pk,
                case_id=change.request_id,
                action=ACTIONS.get(change.to_status, change.to_status),
                from_status=change.from_status,
                to_status=change.to_status,
                message_id=offset + answer if answer is not None else None,
                by_id=change.by_id,
                at=change.at,
                notification=NOTIFICATIONS.get(change.to_status, ""),
                notified_at=change.notified_at,
            )

    bulk_insert(CaseEvent, events(), db)
    reset_sequences(schema_editor, CaseMessage)

    if settings.MEMBER_FILE_RETENTION is None:
        # "L'intégralité des retours reçus" (guide 000): what is still there stays.
        kept = StoredFile.objects.using(db).filter(
            models.Q(member_requests__isnull=False) | models.Q(request_answers__isnull=False),
            attached_at__isnull=False,
            deleted_at__isnull=True,
        )
        StoredFile.objects.using(db).filter(pk__in=kept.values("pk")).update(expires_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_accountnotice"),
        ("casework", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_storedfile_attached_at"),
        ("requests_app", "0003_member_request_counter"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="memberrequest",
            old_name="updated_at",
            new_name="status_changed_at",
        ),
        migrations.AlterField(
            model_name="memberrequest",
            name="status_changed_at",
            field=models.DateTimeField(verbose_name="mise à jour le"),
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="awaiting_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="en attente depuis"),
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="cancel_reason",
            field=models.CharField(
                blank=True, max_length=40, verbose_name="motif de l'annulation"
            ),
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="contact_form",
            field=models.BooleanField(
                default=False, verbose_name="envoyée depuis la page Contact"
            ),
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="relancé le"),
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="reply_pending_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="réponse reçue le"),
        ),
        migrations.AlterField(
            model_name="memberrequest",
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
            model_name="memberrequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "Nouveau"),
                    ("in_progress", "Pris en charge"),
                    ("awaiting", "En attente de votre réponse"),
                    ("resolved", "Résolu"),
                    ("cancelled", "Annulé"),
                ],
                default="new",
                max_length=20,
                verbose_name="statut",
            ),
        ),
        migrations.AddIndex(
            model_name="memberrequest",
            index=models.Index(
                condition=models.Q(("status", "awaiting")),
                fields=["awaiting_since"],
                name="memberrequest_awaiting",
            ),
        ),
        migrations.RunPython(to_casework, migrations.RunPython.noop),
        migrations.DeleteModel(name="RequestAnswer"),
        migrations.DeleteModel(name="RequestStatusChange"),
    ]
