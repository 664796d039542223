"""A part of a request number searched in "Historique des demandes" from an index of the three
digits runs of every number, keyed by structure and organism (PostgreSQL), as the person is
(0007): the trigram index it replaces read the structure's and the organism's whole posting
lists before the number's. The number's runs narrow the requests to a few, which the query
then checks for the part typed."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION partners_number_keys(structure bigint, organism bigint, number text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
    SELECT coalesce(
        array_agg(DISTINCT structure || ':' || organism || ':' || substr(number, n, 3)), '{}'
    )
    FROM generate_series(1, length(number) - 2) AS n
$$
"""

TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS phist_search ON partners_partnerrequest USING gin "
    "(structure_id, organism_id, person_search gin_trgm_ops, number gin_trgm_ops) "
    "WHERE NOT (status = 'cancelled')"
)


def number_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS phist_number_keys ON partners_partnerrequest USING gin "
        "(partners_number_keys(structure_id, organism_id, number))"
    )
    # The person and the number both have their keyed index now.
    schema_editor.execute("DROP INDEX IF EXISTS phist_search")


def drop_number_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGRAM_INDEX)
    schema_editor.execute("DROP INDEX IF EXISTS phist_number_keys")
    schema_editor.execute("DROP FUNCTION IF EXISTS partners_number_keys(bigint, bigint, text)")


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_person_keys")]

    operations = [migrations.RunPython(number_keys_index, drop_number_keys_index, elidable=False)]
