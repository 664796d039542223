"""Every filter, sort and page of "Historique des demandes" from an index: the filing order
(`position`, and the counter that gives the next), the ODS's, motif's and status's ranks, the
person concerned without case or accents, one index per filter and sort, and on PostgreSQL a
trigram index for the person and partial numbers."""

from django.conf import settings
import django.db.models.deletion
from django.db import migrations, models

from casework.migrating import BATCH
from portal.text import folded

STATUS_RANK_SQL = (
    "CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'awaiting' THEN 2 "
    "WHEN 'resolved' THEN 3 ELSE 4 END"
)


def fill(apps, schema_editor):
    from partners.catalogue import motif_ranks, service_ranks

    PartnerRequest = apps.get_model("partners", "PartnerRequest")
    ConventionCounter = apps.get_model("partners", "ConventionCounter")
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        # Checked as they come, so that no deferred check is left pending for the ALTER TABLEs
        # that follow in this migration's transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    table = PartnerRequest._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = ranked.rn FROM (SELECT id, row_number() OVER "
            "(PARTITION BY structure_id, organism_id ORDER BY created_at, id) AS rn "
            f"FROM {table}) AS ranked WHERE {table}.id = ranked.id"
        )
        cursor.execute(f"UPDATE {table} SET status_rank = {STATUS_RANK_SQL}")
    for service, rank in service_ranks().items():
        PartnerRequest.objects.using(db).filter(service=service).update(service_rank=rank)
    for (service, code), rank in motif_ranks().items():
        PartnerRequest.objects.using(db).filter(service=service, motif=code).update(
            motif_rank=rank
        )
    Convention = apps.get_model("partners", "Convention")
    for convention in Convention.objects.using(db).iterator():
        filed = PartnerRequest.objects.using(db).filter(
            structure_id=convention.structure_id, organism_id=convention.organism_id
        )
        ConventionCounter.objects.using(db).update_or_create(
            convention_id=convention.pk,
            defaults={
                "filed_requests": filed.count(),
                "listed_requests": filed.exclude(status="cancelled").count(),
            },
        )
    rows = (
        PartnerRequest.objects.using(db)
        .exclude(last_name="", first_name="")
        .order_by("pk")
        .only("pk", "last_name", "first_name")
    )
    batch = []
    for request in rows.iterator(chunk_size=BATCH):
        request.person_search = folded(f"{request.last_name} {request.first_name}")
        batch.append(request)
        if len(batch) >= BATCH:
            PartnerRequest.objects.using(db).bulk_update(batch, ["person_search"])
            batch = []
    if batch:
        PartnerRequest.objects.using(db).bulk_update(batch, ["person_search"])


def trigram_index(apps, schema_editor):
    """PostgreSQL: "Personne concernée" and a partial number read one structure's requests at
    one organism matching their trigrams (btree_gin puts both in the same index)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS phist_search ON partners_partnerrequest USING gin "
        "(structure_id, organism_id, person_search gin_trgm_ops, number gin_trgm_ops) "
        "WHERE NOT (status = 'cancelled')"
    )
    # A few structures file most requests to an organism: the planner learns how many of the
    # table a (structure, organism) pair holds, for its plans and for "environ N demandes".
    schema_editor.execute(
        "CREATE STATISTICS IF NOT EXISTS phist_pair (mcv, ndistinct) "
        "ON structure_id, organism_id FROM partners_partnerrequest"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS phist_search")
        schema_editor.execute("DROP STATISTICS IF EXISTS phist_pair")


def _listed(name, *keys):
    return migrations.AddIndex(
        model_name="partnerrequest",
        index=models.Index(
            condition=models.Q(("status", "cancelled"), _negated=True),
            fields=["structure", "organism", *keys, "position"],
            name=f"phist_{name}",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_convention_reminder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="conventioncounter",
            name="filed_requests",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="position",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="rang de dépôt"
            ),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="service_rank",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="motif_rank",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="person_search",
            field=models.CharField(blank=True, editable=False, max_length=60),
        ),
        migrations.AddField(
            model_name="partnerrequest",
            name="status_rank",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="partnerrequest",
            name="position",
            field=models.PositiveIntegerField(editable=False, verbose_name="rang de dépôt"),
        ),
        migrations.RemoveIndex(model_name="partnerrequest", name="partnerrequest_history"),
        _listed("status", "status_rank"),
        _listed("service", "service_rank"),
        _listed("motif", "motif_rank"),
        _listed("requester", "requester"),
        _listed("requester_name", "requester_name"),
        _listed("person", "last_name", "first_name"),
        _listed("status_date", "status_changed_at"),
        _listed("number", "number"),
        migrations.AddIndex(
            model_name="partnerrequest",
            index=models.Index(
                fields=["structure", "organism", "created_at", "position"], name="phist_created"
            ),
        ),
        migrations.AddIndex(
            model_name="partnerrequest",
            index=models.Index(
                condition=models.Q(("status", "cancelled")),
                fields=["structure", "organism", "position"],
                name="phist_cancelled",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnerrequest",
            constraint=models.UniqueConstraint(
                fields=("structure", "organism", "position"), name="phist_position"
            ),
        ),
        migrations.AlterField(
            model_name="partnerrequest",
            name="organism",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="partners.organism",
                verbose_name="organisme",
            ),
        ),
        migrations.AlterField(
            model_name="partnerrequest",
            name="structure",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="partners.structure",
                verbose_name="structure",
            ),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
