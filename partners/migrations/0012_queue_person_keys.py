"""The managers' queue searches the person concerned by the beginnings of the words of their
name at the manager's organisms (PostgreSQL): every beginning of every word of the folded name,
keyed by organism, in a GIN index, so a search reads only the matching requests of those
organisms (the trigram index read every organism's matches first). Like
`partners_person_keys` (0007), without the structure."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION partners_queue_person_keys(organism bigint, person text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
    SELECT coalesce(array_agg(DISTINCT organism || ':' || left(word, n)), '{}')
    FROM regexp_split_to_table(person, '[^a-z0-9]+') AS word,
         generate_series(1, length(word)) AS n
    WHERE word <> ''
$$
"""


def queue_person_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS preq_person_keys ON partners_partnerrequest USING gin "
        "(partners_queue_person_keys(organism_id, person_search))"
    )
    schema_editor.execute("ANALYZE partners_partnerrequest")


def drop_queue_person_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS preq_person_keys")
    schema_editor.execute("DROP FUNCTION IF EXISTS partners_queue_person_keys(bigint, text)")


class Migration(migrations.Migration):
    dependencies = [("partners", "0011_queue_orders")]

    operations = [
        migrations.RunPython(
            queue_person_keys_index, drop_queue_person_keys_index, elidable=False
        )
    ]
