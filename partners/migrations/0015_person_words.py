"""The words of the people's names, one row per word of each listed request, in an index
ordered by word then filing position (PostgreSQL): what "Historique des demandes" reads for a
search of the person alone.

The GIN index of 0007 finds the requests whose name has a word beginning with the one searched,
but holds no order: a common first name ("josephine", about 1 % of a structure's requests) made
the first page read every request found from the table (about a thousand pages) to sort them
by position. The words' index answers the same search from the index alone (a few pages),
sorted and counted there; the page then reads its own ten rows only.

The table is kept by triggers on the requests, whatever writes them (the portal, the retention
job's renumbering, a bulk load): per statement, the words of the rows that left (deleted,
cancelled, renamed, moved) go, and those of the rows that came (filed, renamed, moved) are
added. A cancelled request has no words (the history does not list it). The table has no
Django model: nothing but these triggers writes it and the history's search reads it. Other
databases search the folded names (`PartnerHistory._where`) and have no such table."""

from django.db import migrations

TABLE = """
CREATE TABLE IF NOT EXISTS partners_person_word (
    structure_id bigint NOT NULL,
    organism_id bigint NOT NULL,
    word text COLLATE "C" NOT NULL,
    position integer NOT NULL
)
"""
# Byte order ("C"): the words beginning with "jo" are those from "jo" up to "jp" (excluded).
INDEX = """
CREATE INDEX IF NOT EXISTS partners_person_word_key
ON partners_person_word (structure_id, organism_id, word, position)
"""
# The structure decides the organisms: without this the planner multiplies the two.
STATISTICS = """
CREATE STATISTICS IF NOT EXISTS partners_person_word_space (dependencies)
ON structure_id, organism_id FROM partners_person_word
"""
WORDS = r"regexp_split_to_table({row}.person_search, '[^a-z0-9]+') AS w(word)"
# The trigger's transition tables: `came` (inserted, or updated: new rows), `gone` (deleted, or
# updated: old rows). An update moves the words of the rows whose words or place changed only.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION partners_person_words_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM partners_person_word k
        USING gone g CROSS JOIN LATERAL {WORDS.format(row="g")}
        WHERE k.structure_id = g.structure_id AND k.organism_id = g.organism_id
            AND k.word = w.word AND k.position = g.position;
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM partners_person_word k
        USING gone g JOIN came c ON c.id = g.id CROSS JOIN LATERAL {WORDS.format(row="g")}
        WHERE (g.structure_id, g.organism_id, g.position, g.person_search, g.status = 'cancelled')
                IS DISTINCT FROM
                (c.structure_id, c.organism_id, c.position, c.person_search, c.status = 'cancelled')
            AND k.structure_id = g.structure_id AND k.organism_id = g.organism_id
            AND k.word = w.word AND k.position = g.position;
        INSERT INTO partners_person_word (structure_id, organism_id, word, position)
        SELECT DISTINCT c.structure_id, c.organism_id, w.word, c.position
        FROM came c JOIN gone g ON g.id = c.id CROSS JOIN LATERAL {WORDS.format(row="c")}
        WHERE (g.structure_id, g.organism_id, g.position, g.person_search, g.status = 'cancelled')
                IS DISTINCT FROM
                (c.structure_id, c.organism_id, c.position, c.person_search, c.status = 'cancelled')
            AND c.status <> 'cancelled' AND w.word <> '';
    ELSE
        INSERT INTO partners_person_word (structure_id, organism_id, word, position)
        SELECT DISTINCT c.structure_id, c.organism_id, w.word, c.position
        FROM came c CROSS JOIN LATERAL {WORDS.format(row="c")}
        WHERE c.status <> 'cancelled' AND w.word <> '';
    END IF;
    RETURN NULL;
END
$$
"""
TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION partners_person_words_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE partners_person_word;
    RETURN NULL;
END
$$
"""
TRIGGERS = [
    "CREATE TRIGGER partners_person_words_insert AFTER INSERT ON partners_partnerrequest"
    " REFERENCING NEW TABLE AS came"
    " FOR EACH STATEMENT EXECUTE FUNCTION partners_person_words_sync()",
    "CREATE TRIGGER partners_person_words_update AFTER UPDATE ON partners_partnerrequest"
    " REFERENCING OLD TABLE AS gone NEW TABLE AS came"
    " FOR EACH STATEMENT EXECUTE FUNCTION partners_person_words_sync()",
    "CREATE TRIGGER partners_person_words_delete AFTER DELETE ON partners_partnerrequest"
    " REFERENCING OLD TABLE AS gone"
    " FOR EACH STATEMENT EXECUTE FUNCTION partners_person_words_sync()",
    "CREATE TRIGGER partners_person_words_truncate AFTER TRUNCATE ON partners_partnerrequest"
    " FOR EACH STATEMENT EXECUTE FUNCTION partners_person_words_truncate()",
]
FILL = f"""
INSERT INTO partners_person_word (structure_id, organism_id, word, position)
SELECT DISTINCT r.structure_id, r.organism_id, w.word, r.position
FROM partners_partnerrequest r CROSS JOIN LATERAL {WORDS.format(row="r")}
WHERE r.status <> 'cancelled' AND w.word <> ''
"""


def person_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (TABLE, INDEX, STATISTICS, FUNCTION, TRUNCATE_FUNCTION, *TRIGGERS, FILL):
        schema_editor.execute(statement)
    schema_editor.execute("ANALYZE partners_person_word")


def drop_person_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for trigger in ("insert", "update", "delete", "truncate"):
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS partners_person_words_{trigger} ON partners_partnerrequest"
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS partners_person_words_sync()")
    schema_editor.execute("DROP FUNCTION IF EXISTS partners_person_words_truncate()")
    schema_editor.execute("DROP TABLE IF EXISTS partners_person_word")


class Migration(migrations.Migration):
    dependencies = [("partners", "0014_historicalorganism_public_site_url")]

    operations = [migrations.RunPython(person_words, drop_person_words, elidable=False)]
