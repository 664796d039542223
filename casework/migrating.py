"""Helpers for the data migrations that moved each app's audit entries and answers into the
casework tables (requests_app 0004, partners 0004). They take historical models, so they keep
working whatever the models become.
"""

from django.core.management.color import no_style
from django.db.models import Max

BATCH = 2000


def case_content_type(apps, db: str, app_label: str, model: str):
    """The content type of a case model, created if the migrations run on an empty database
    (content types are otherwise created after the migrations)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.using(db).get_or_create(
        app_label=app_label, model=model
    )
    return content_type


def message_id_offset(apps, db: str) -> int:
    """Migrated messages take `offset + their old row's id`, so that their files' links can be
    copied by arithmetic: the offset is past every message already there."""
    CaseMessage = apps.get_model("casework", "CaseMessage")
    return CaseMessage.objects.using(db).aggregate(top=Max("id"))["top"] or 0


def bulk_insert(model, rows, db: str) -> int:
    """Insert the unsaved instances `rows` yields, a batch at a time."""
    batch, count = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.using(db).bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.using(db).bulk_create(batch)
        count += len(batch)
    return count


def reset_sequences(schema_editor, *models) -> None:
    """After rows were inserted with their ids, the next id must come after them (PostgreSQL's
    sequences do not follow; SQLite's AUTOINCREMENT does)."""
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
        schema_editor.execute(sql)
