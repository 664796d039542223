"""Every filter, search and page of a member's lists from an index: the sending order
(`position`), the searched text without case or accents (`search_text`), the status's rank,
indexes by status and kind, and on PostgreSQL a trigram index of the searched text."""

import django.db.models.deletion
from django.db import migrations, models

from casework.migrating import BATCH
from portal.text import folded

STATUS_RANK_SQL = (
    "CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'awaiting' THEN 2 "
    "WHEN 'resolved' THEN 3 ELSE 4 END"
)


def fill(apps, schema_editor):
    MemberRequest = apps.get_model("requests_app", "MemberRequest")
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        # Checked as they come, so that no deferred check is left pending for the ALTER TABLEs
        # that follow in this migration's transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    table = MemberRequest._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = ranked.rn FROM (SELECT id, row_number() OVER "
            f"(PARTITION BY member_id ORDER BY created_at, id) AS rn FROM {table}) AS ranked "
            f"WHERE {table}.id = ranked.id"
        )
        cursor.execute(f"UPDATE {table} SET status_rank = {STATUS_RANK_SQL}")
    rows = MemberRequest.objects.using(db).order_by("pk").only(
        "pk", "reference", "subject", "topic_label", "message"
    )
    batch = []
    for request in rows.iterator(chunk_size=BATCH):
        request.search_text = "\n".join(
            folded(value)
            for value in (request.reference, request.subject, request.topic_label, request.message)
        )
        batch.append(request)
        if len(batch) >= BATCH:
            MemberRequest.objects.using(db).bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        MemberRequest.objects.using(db).bulk_update(batch, ["search_text"])


def trigram_index(apps, schema_editor):
    """PostgreSQL: the search reads one member's rows matching its trigrams (btree_gin puts the
    member in the same index)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS memberrequest_search ON requests_app_memberrequest "
        "USING gin (member_id, search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS memberrequest_search")


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0004_casework")]

    operations = [
        migrations.AddField(
            model_name="memberrequest",
            name="position",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="rang d'envoi"
            ),
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="memberrequest",
            name="status_rank",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="memberrequest",
            name="position",
            field=models.PositiveIntegerField(editable=False, verbose_name="rang d'envoi"),
        ),
        migrations.RemoveIndex(model_name="memberrequest", name="memberrequest_history"),
        migrations.AddIndex(
            model_name="memberrequest",
            index=models.Index(
                fields=["member", "status", "position"], name="memberrequest_status"
            ),
        ),
        migrations.AddIndex(
            model_name="memberrequest",
            index=models.Index(fields=["member", "kind", "position"], name="memberrequest_kind"),
        ),
        migrations.AddConstraint(
            model_name="memberrequest",
            constraint=models.UniqueConstraint(
                fields=("member", "position"), name="memberrequest_position"
            ),
        ),
        migrations.AlterField(
            model_name="memberrequest",
            name="member",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="accounts.member",
                verbose_name="adhérent",
            ),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
