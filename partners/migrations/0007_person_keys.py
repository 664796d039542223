"""The person search of "Historique des demandes" by word beginnings, from an index of the
structure's requests at the organism (PostgreSQL): every beginning of every word of the folded
name, keyed by structure and organism, so a search reads only the matching requests' entries
(the trigram index read the structure's and the organism's whole posting lists first).

The function's cost tells the planner that computing the keys row by row is dear: it reads
them from the index rather than walking the history and computing them. The index is whole
(cancelled requests included, a few percent): the planner learns how many requests a key
finds from the statistics of an index expression, which it reads for whole indexes only."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION partners_person_keys(structure bigint, organism bigint, person text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
    SELECT coalesce(
        array_agg(DISTINCT structure || ':' || organism || ':' || left(word, n)), '{}'
    )
    FROM regexp_split_to_table(person, '[^a-z0-9]+') AS word,
         generate_series(1, length(word)) AS n
    WHERE word <> ''
$$
"""


def person_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS phist_person_keys ON partners_partnerrequest USING gin "
        "(partners_person_keys(structure_id, organism_id, person_search))"
    )


def drop_person_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS phist_person_keys")
    schema_editor.execute("DROP FUNCTION IF EXISTS partners_person_keys(bigint, bigint, text)")


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_history_lists")]

    operations = [migrations.RunPython(person_keys_index, drop_person_keys_index, elidable=False)]
