"""The bench data set, loaded into PostgreSQL by server-side SQL (`INSERT ... SELECT`).

`requests_dataset()` makes sure the bench database holds, once:

- one bench member ("bench-member", 3 beneficiaries) with 10,000 requests;
- 100,000 other members (each with an account, 0 to 3 beneficiaries) sharing 990,000 requests,
  a few heavy users and a long tail (member k of the tail gets ~1/sqrt(k) of them);
- 20 insurer managers who take and resolve requests;
- requests spread over the last 3 years: a realistic mix of kinds, topics, beneficiaries,
  amounts and statuses (old requests are mostly resolved, recent ones mostly new), gapless
  references per year ("DEM-2025-000042", in time order) and the matching `portal.Sequence`
  counters, the journal of status changes (casework `CaseEvent`), one manager answer per
  resolved request (casework `CaseMessage`, most of them read) and each member's request counter
  (MemberRequestCounter);
- the partner space (issue 4): 100 organisms (3-digit codes, "CPAM GIRONDE" is 331), 2,000
  partner structures with their conventions, ~6,000 technicians and a partner manager per
  structure, and 1,000,000 partner requests over the last 3 years, 100,000 of them filed by the
  bench structure ("CCAS de Bordeaux") to CPAM GIRONDE, numbered YY + code + sequence in time
  order per organism and year, with the matching `partner-<code>-<year>` counters, the
  conventions' counters (`ConventionCounter`), the journal (`CaseEvent`) and the organism's
  answers (`CaseMessage`); plus
  an organism without requests (999) for the concurrent submissions of `partner_submit`;

then VACUUM ANALYZE, the steady state autovacuum would reach in production. Loading happens in
one transaction and is recorded in the `bench_dataset` table: a re-run finds it and loads
nothing. Bump `VERSION` whenever the recipe changes: the next run reloads.

Columns the recipe does not name (fields added later by other features) get their model default,
NULL, or '' for a blank text field, so new migrations do not break the loader.
"""

import os
import sys
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, models, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from accounts.models import Beneficiary, CodeDevice, Member, User
from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage
from partners.catalogue import (
    CANCEL_REASONS,
    SAISINE,
    SERVICES,
    Service,
    motif_ranks,
    service_ranks,
)
from partners.models import (
    Convention,
    ConventionCounter,
    Organism,
    OrganismService,
    PartnerRequest,
    Structure,
    StructureMembership,
)
from portal.models import Sequence
from requests_app.models import MemberRequest, MemberRequestCounter

NAME = "requests_1m"
# 2: the partner space; 3: the casework journal and messages; 4: the lists' positions, ranks
# and searched text
VERSION = 5  # 5: the people of partner requests named at French frequencies
STATUS_RANK_SQL = (
    "CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'awaiting' THEN 2 "
    "WHEN 'resolved' THEN 3 ELSE 4 END"
)

TOTAL_REQUESTS = 1_000_000
BENCH_MEMBER_REQUESTS = 10_000
OTHER_MEMBERS = 100_000
MANAGERS = 20
DAYS = 3 * 365
SEED = 0.4242

BENCH_USERNAME = "bench-member"
BENCH_MEMBER_NUMBER = "BENCH-000001"

# (kind, weight): what members send most.
KINDS = [
    ("document", 0.28),
    ("refund", 0.20),
    ("question", 0.15),
    ("message", 0.15),
    ("soft_medicine", 0.08),
    ("quote", 0.07),
    ("change", 0.07),
]
# kind -> [(topic, topic_label, subject)]; the subject is what members type in the free forms.
TOPICS = {
    "document": [
        ("invoice", "Facture", ""),
        ("proof", "Justificatif", ""),
        ("certificate", "Attestation", ""),
        ("other", "Autre document", ""),
    ],
    "refund": [
        ("current_care", "Soins courants", ""),
        ("optical", "Optique", ""),
        ("dental", "Dentaire", ""),
        ("hospital", "Hospitalisation", ""),
    ],
    "question": [
        ("reimbursement", "Mes remboursements", "Remboursement non reçu"),
        ("contribution", "Mes cotisations", "Échéancier des cotisations"),
        ("contract", "Mon contrat et mes garanties", "Prise en charge d'une cure"),
        ("card", "Ma carte de tiers payant", "Carte de tiers payant perdue"),
    ],
    "message": [
        ("", "", "Question sur mon dernier décompte"),
        ("", "", "Changement de banque"),
        ("", "", "Demande de rappel"),
        ("", "", "Suivi de ma demande"),
    ],
    "soft_medicine": [
        ("osteopathy", "Ostéopathie", ""),
        ("chiropractic", "Chiropraxie", ""),
        ("acupuncture", "Acupuncture", ""),
        ("dietetics", "Diététique", ""),
    ],
    "quote": [
        ("optical", "Optique", ""),
        ("dental", "Dentaire", ""),
        ("hearing", "Audioprothèse", ""),
        ("hospital", "Hospitalisation", ""),
    ],
    "change": [
        ("address", "Changement d'adresse", ""),
        ("bank", "Changement de coordonnées bancaires", ""),
        ("beneficiary_add", "Ajout d'un bénéficiaire", ""),
        ("situation", "Changement de situation familiale", ""),
    ],
}
AMOUNT_KINDS = ("refund", "soft_medicine", "quote")
FIRST_NAMES = [
    "Marie", "Jean", "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Gabriel",
    "Inès", "Arthur", "Sarah", "Jules", "Emma", "Nathan", "Zoé", "Paul", "Alice", "Tom",
]  # fmt: skip
LAST_NAMES = [
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
]  # fmt: skip
# The people concerned by partner requests carry names as frequent as in France: the most
# common surnames with their share of the population (INSEE, births 1891-1990: MARTIN 0.39 %,
# BERNARD 0.18 %...), then a long tail of rarer ones (built from syllables, ~0.014 % each), and
# first names spread over a longer list, accented ones included.
FREQUENT_SURNAMES = [
    ("MARTIN", 235), ("BERNARD", 106), ("THOMAS", 99), ("PETIT", 95), ("ROBERT", 94),
    ("RICHARD", 93), ("DURAND", 88), ("DUBOIS", 86), ("MOREAU", 84), ("LAURENT", 83),
    ("SIMON", 82), ("MICHEL", 80), ("LEFEBVRE", 79), ("LEROY", 73), ("ROUX", 67), ("DAVID", 66),
    ("BERTRAND", 66), ("MOREL", 65), ("FOURNIER", 64), ("GIRARD", 63), ("BONNET", 60),
    ("DUPONT", 60), ("LAMBERT", 59), ("FONTAINE", 58), ("ROUSSEAU", 57), ("VINCENT", 56),
]  # fmt: skip
SURNAME_POPULATION = 60_000  # thousands: the counts above are out of it
SURNAME_SYLLABLES = (
    ["BA", "BE", "BO", "CA", "CHA", "DE", "DU", "FA", "GA", "GI", "LA", "LE", "LO", "MA", "ME",
     "MO", "NO", "PA", "PE", "RA", "RO", "SA", "TA", "VA"],
    ["BL", "CH", "D", "G", "L", "LL", "M", "N", "R", "RR", "S", "SS", "T", "V", "Z", "RN", "RT",
     "RD", "ND", "NT", "ST", "LD", "GN", "CQ"],
    ["IN", "ET", "AUD", "IER", "ARD", "OT", "EAU", "ON", "AS", "Y", "EL", "OUX"],
)  # fmt: skip
PERSON_FIRST_NAMES = [
    "Marie", "Jean", "Pierre", "Michel", "André", "Philippe", "Nathalie", "Isabelle", "Sylvie",
    "Catherine", "Françoise", "Christine", "Monique", "Valérie", "Sandrine", "Stéphane",
    "Frédéric", "Sébastien", "Nicolas", "Christophe", "Laurent", "Patrick", "Thierry", "Éric",
    "David", "Julien", "Céline", "Aurélie", "Émilie", "Julie", "Camille", "Léa", "Manon",
    "Chloé", "Inès", "Zoé", "Hugo", "Lucas", "Louis", "Gabriel", "Arthur", "Jules", "Nathan",
    "Thomas", "Hélène", "Joséphine", "Thérèse", "Gérard", "René", "Jérôme", "Noémie", "Anaïs",
    "Élodie", "Mélanie", "Amélie", "Brigitte", "Josiane", "Danièle", "Agnès", "Cécile", "Mathéo",
    "Noé", "Maëlys", "Yasmine", "Mohamed", "Fatima", "Karima", "Rachid", "Ana", "João",
]  # fmt: skip
CITIES = [("33000", "Bordeaux"), ("64000", "Pau"), ("69003", "Lyon"), ("75011", "Paris"),
          ("13005", "Marseille"), ("31000", "Toulouse"), ("44000", "Nantes")]  # fmt: skip
MESSAGE = (
    "Bonjour, je vous transmets les éléments demandés concernant ma demande. Vous trouverez en "
    "pièce jointe les justificatifs correspondants. Je reste à votre disposition pour tout "
    "complément d'information. Pourriez-vous me confirmer la bonne réception de ce message et "
    "m'indiquer le délai de traitement habituel ? Je vous remercie par avance. Bien cordialement."
)
ANSWER = (
    "Bonjour, nous avons bien reçu votre demande et l'avons traitée. Le remboursement "
    "correspondant apparaîtra sur votre prochain décompte. Cordialement, votre gestionnaire."
)

MARKER_TABLE = "bench_dataset"
# True once this process has loaded the data set (BENCH_RELOAD reloads once per run).
_loaded_here = False


@dataclass(frozen=True)
class BenchData:
    """What the figures need to know about the loaded data."""

    member_id: int
    user_id: int
    requests: int
    member_requests: int
    loaded_now: bool
    load_seconds: float


def log(message: str) -> None:
    """Progress goes to stderr: stdout carries only the figures' lines."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


# -- Which data sets the database holds (one marker row each) ----------------------------------
def marker_of(name: str) -> tuple[int, float] | None:
    """(version, load seconds) of the data set `name` as last loaded, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name text PRIMARY KEY, "
            "version integer NOT NULL, loaded_at timestamptz NOT NULL, "
            "seconds double precision NOT NULL)"
        )
        cursor.execute(f"SELECT version, seconds FROM {MARKER_TABLE} WHERE name = %s", [name])
        return cursor.fetchone()


def mark_loaded(cursor, name: str, version: int) -> None:
    """Record, inside the load's transaction, that `name` now holds `version`."""
    cursor.execute(
        f"INSERT INTO {MARKER_TABLE} (name, version, loaded_at, seconds) "
        "VALUES (%s, %s, now(), 0) ON CONFLICT (name) DO UPDATE SET "
        "version = EXCLUDED.version, loaded_at = EXCLUDED.loaded_at",
        [name, version],
    )


def mark_seconds(name: str, seconds: float) -> None:
    """Record how long loading `name` took (VACUUM ANALYZE included)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MARKER_TABLE} SET seconds = %s WHERE name = %s", [seconds, name])


def requests_dataset() -> BenchData:
    """The 1,000,000-request data set, loaded first if the database does not hold it yet."""
    global _loaded_here
    marker = marker_of(NAME)
    bench_user = User.objects.filter(username=BENCH_USERNAME).first()
    reload = os.environ.get("BENCH_RELOAD", "") not in ("", "0") and not _loaded_here
    complete = bench_user is not None and _partners_present()
    if marker and marker[0] == VERSION and complete and not reload:
        return _describe(bench_user, loaded_now=False, seconds=marker[1])
    if marker is None:
        _refuse_foreign_data()
    log(
        f"loading {TOTAL_REQUESTS:,} requests, {OTHER_MEMBERS:,} members, "
        f"{PARTNER_REQUESTS:,} partner requests into "
        f"{connection.settings_dict['NAME']} (once; takes two to three minutes)"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(_log_slow_statement):
        _load()
        with connection.cursor() as cursor:
            mark_loaded(cursor, NAME, VERSION)
    loaded = time.perf_counter() - started
    _vacuum_analyze()
    seconds = time.perf_counter() - started
    mark_seconds(NAME, seconds)
    log(f"loaded in {loaded:.1f} s, VACUUM ANALYZE {seconds - loaded:.1f} s")
    bench_user = User.objects.get(username=BENCH_USERNAME)
    _loaded_here = True
    return _describe(bench_user, loaded_now=True, seconds=seconds)


def _describe(user: User, *, loaded_now: bool, seconds: float) -> BenchData:
    member = Member.objects.get(user=user)
    return BenchData(
        member_id=member.pk,
        user_id=user.pk,
        requests=TOTAL_REQUESTS,
        member_requests=BENCH_MEMBER_REQUESTS,
        loaded_now=loaded_now,
        load_seconds=seconds,
    )


def _refuse_foreign_data() -> None:
    """Loading empties the tables: never do it to a database the bench did not fill."""
    if User.objects.exists() or Member.objects.exists() or Organism.objects.exists():
        raise ImproperlyConfigured(
            f"The database {connection.settings_dict['NAME']!r} already holds accounts the bench "
            "did not load. Point BENCH_DATABASE_URL at a database of its own (the loader empties "
            "the tables it fills)."
        )


BULK_MODELS = (
    User,
    Member,
    Beneficiary,
    MemberRequest,
    CaseEvent,
    CaseMessage,
    PartnerRequest,
)


def _tables() -> list[str]:
    return [
        model._meta.db_table
        for model in (
            CaseMessage.attachments.through,
            CaseEvent,
            CaseMessage,
            PartnerRequest.attachments.through,
            PartnerRequest,
            StructureMembership,
            ConventionCounter,
            Convention,
            OrganismService,
            Organism.managers.through,
            Organism,
            Structure,
            MemberRequestCounter,
            MemberRequest,
            Beneficiary,
            CodeDevice,
            Member,
            User,
            Sequence,
            Session,
        )
    ]


def _load() -> None:
    with connection.cursor() as cursor:
        # Fail fast instead of waiting behind another session that holds a table.
        cursor.execute("SET LOCAL lock_timeout = '15s'")
        cursor.execute(f"TRUNCATE {', '.join(_tables())} RESTART IDENTITY CASCADE")
        cursor.execute("SET LOCAL lock_timeout = 0")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL jit = off")
        # The searched texts are folded as the services fold them (portal.text.folded).
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("SELECT setseed(%s)", [SEED])
        _skip_foreign_key_checks(cursor)
        indexes = _drop_secondary_indexes(cursor)
    now = timezone.now()
    bench_user = User.objects.create(
        username=BENCH_USERNAME,
        email="bench-member@bench.invalid",
        first_name="Bench",
        last_name="MEMBRE",
        role=User.Role.MEMBER,
        password="!bench",  # unusable: the bench signs in by session
    )
    bench_member = Member.objects.create(
        member_number=BENCH_MEMBER_NUMBER,
        civility="MME",
        last_name="MEMBRE",
        first_name="Bench",
        birth_date="1980-05-17",
        email=bench_user.email,
        address_line1="12 rue des Lilas",
        postcode="33000",
        city="Bordeaux",
        user=bench_user,
        activated_at=now - timedelta(days=DAYS + 30),
    )
    User.objects.bulk_create(
        User(
            username=f"bench-manager-{number:02d}",
            email=f"bench-manager-{number:02d}@bench.invalid",
            first_name="Gestionnaire",
            last_name=f"N{number:02d}",
            role=User.Role.INSURER_MANAGER,
            is_staff=True,
            password="!bench",
        )
        for number in range(1, MANAGERS + 1)
    )
    with connection.cursor() as cursor:
        step = _Steps(cursor)
        step("users and members", _load_members, bench_member.pk)
        step("beneficiaries", _load_beneficiaries)
        step("requests", _load_requests)
        step("status changes, answers, sequences", _load_follow_up)
        step("member request counters", _load_member_counters)
        step("partner organisms, structures, technicians", _load_partner_space)
        step("partner requests", _load_partner_requests)
        step("partner audit trail, sequences", _load_partner_follow_up)
        step("indexes", _create_indexes, indexes)


def _skip_foreign_key_checks(cursor) -> None:
    """The recipe is consistent by construction: checking 6 million foreign keys one by one at
    commit would take minutes. Needs a superuser (the default postgres role); otherwise the
    checks run, slowly."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        log("  not a superuser: foreign keys are checked row by row (slower)")


def _drop_secondary_indexes(cursor, models=None) -> list[str]:
    """Drop the indexes of the bulk-loaded tables (`models`, BULK_MODELS by default) that back
    no constraint (primary keys and unique constraints stay); returns their definitions, to
    build them again once filled."""
    tables = [model._meta.db_table for model in (models or BULK_MODELS)]
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [tables],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def _create_indexes(cursor, definitions: list[str]) -> None:
    for definition in definitions:
        cursor.execute(definition)


def _log_slow_statement(execute, sql, params, many, context):
    """With BENCH_VERBOSE=1, name every loader statement slower than a second."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        seconds = time.perf_counter() - started
        if seconds > 1 and os.environ.get("BENCH_VERBOSE", "") not in ("", "0"):
            log(f"    {seconds:.1f} s  {' '.join(sql.split())[:110]}")


class _Steps:
    def __init__(self, cursor):
        self.cursor = cursor

    def __call__(self, label, function, *args):
        started = time.perf_counter()
        function(self.cursor, *args)
        log(f"  {label}: {time.perf_counter() - started:.1f} s")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_array(values) -> str:
    return f"ARRAY[{', '.join(_sql_string(value) for value in values)}]"


def _pick(values, number_sql: str) -> str:
    """SQL choosing one of `values` by an integer expression (cycled)."""
    return f"({_sql_array(values)})[1 + mod({number_sql}, {len(values)})]"


def _surname(u_sql: str) -> str:
    """SQL: a surname drawn from the uniform `u_sql` (0 to 1) at French frequencies."""
    whens, bound = [], 0.0
    for name, thousands in FREQUENT_SURNAMES:
        bound += thousands / SURNAME_POPULATION
        whens.append(f"WHEN {u_sql} < {bound:.6f} THEN {_sql_string(name)}")
    first, middle, last = SURNAME_SYLLABLES
    names = len(first) * len(middle) * len(last)
    tail = f"floor(({u_sql} - {bound:.6f}) / {1 - bound:.6f} * {names})::int"
    built = (
        f"{_pick(first, tail)} || {_pick(middle, f'{tail} / {len(first)}')} || "
        f"{_pick(last, f'{tail} / {len(first) * len(middle)}')}"
    )
    return f"CASE {' '.join(whens)} ELSE {built} END"


def _first_name(u_sql: str) -> str:
    """SQL: a first name drawn from the uniform `u_sql` (0 to 1), independent of the surname
    drawn from the same number."""
    return _pick(PERSON_FIRST_NAMES, f"floor({u_sql} * 7919 * {len(PERSON_FIRST_NAMES)})::int")


def insert_select(cursor, model, columns: dict[str, str], tail: str) -> int:
    """`INSERT INTO <model table> (...) SELECT <columns' SQL> <tail>`, every other column filled
    with its model default (or NULL, or '' for a blank text field). Returns the row count. The
    primary key is left to the database unless named (a one-to-one primary key).

    The SQL given must not hold a `%` (the defaults are passed as parameters).
    """
    names, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in columns:
            continue
        if field.column in columns:
            expression = columns[field.column]
        elif getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            continue
        elif field.has_default():
            expression = "%s"
            params.append(field.get_db_prep_save(field.get_default(), connection))
        elif field.null:
            expression = "NULL"
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = "now()"
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            expression = "''"
        else:
            raise ImproperlyConfigured(
                f"bench/data.py does not know how to fill {model.__name__}.{field.name}: "
                "give it a value in the loader."
            )
        names.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    unknown = set(columns) - {field.column for field in model._meta.concrete_fields}
    if unknown:
        raise ImproperlyConfigured(f"{model.__name__} has no column {sorted(unknown)}")
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) "
        f"SELECT {', '.join(expressions)} {tail}"
    )
    if "%" in sql.replace("%s", ""):
        raise ValueError("write mod() instead of % in bench SQL")
    cursor.execute(sql, params)
    return cursor.rowcount


def _load_members(cursor, bench_member_id: int) -> None:
    number = "lpad(n::text, 6, '0')"
    insert_select(
        cursor,
        User,
        {
            "password": "'!bench'",
            "username": f"'bench-m' || {number}",
            "first_name": _pick(FIRST_NAMES, "n * 7"),
            "last_name": _pick(LAST_NAMES, "n * 13"),
            "email": f"'bench-m' || {number} || '@bench.invalid'",
            "is_superuser": "false",
            "is_staff": "false",
            "is_active": "true",
            "date_joined": f"now() - interval '{DAYS + 400} days' * random()",
            "role": "'member'",
        },
        f"FROM generate_series(1, {OTHER_MEMBERS}) AS n",
    )
    insert_select(
        cursor,
        Member,
        {
            "member_number": "'B' || lpad(n::text, 7, '0')",
            "civility": "CASE WHEN mod(n, 2) = 0 THEN 'MME' ELSE 'M' END",
            "last_name": "u.last_name",
            "first_name": "u.first_name",
            "birth_date": "date '1940-01-01' + (random() * 25000)::int",
            "email": "u.email",
            "mobile_phone": "'+336' || lpad(mod(n * 7919, 100000000)::text, 8, '0')",
            "address_line1": "(1 + mod(n, 120))::text || ' rue de la République'",
            "postcode": _pick([postcode for postcode, _city in CITIES], "n"),
            "city": _pick([city for _postcode, city in CITIES], "n"),
            "user_id": "u.id",
            "activated_at": "u.date_joined",
            "created_at": "u.date_joined - interval '30 days'",
        },
        f"FROM generate_series(1, {OTHER_MEMBERS}) AS n "
        f"JOIN {User._meta.db_table} u ON u.username = 'bench-m' || lpad(n::text, 6, '0') "
        "ORDER BY n",
    )
    # k = 0 is the bench member, 1..OTHER_MEMBERS the others (the smaller k, the busier).
    cursor.execute(
        "CREATE TEMP TABLE bench_m ON COMMIT DROP AS "
        f"SELECT CASE WHEN m.id = {int(bench_member_id)} THEN 0 "
        "ELSE substr(m.member_number, 2)::int END AS k, m.id, m.user_id "
        f"FROM {Member._meta.db_table} m"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_m (k)")
    cursor.execute("ANALYZE bench_m")


def _load_beneficiaries(cursor) -> None:
    insert_select(
        cursor,
        Beneficiary,
        {
            "member_id": "m.id",
            "civility": "CASE WHEN mod(m.k + o, 2) = 0 THEN 'MME' ELSE 'M' END",
            "last_name": _pick(LAST_NAMES, "m.k * 13"),
            "first_name": _pick(FIRST_NAMES, "m.k * 7 + o * 3"),
            "birth_date": "date '1960-01-01' + (random() * 22000)::int",
            "relationship": "CASE WHEN o = 1 THEN 'spouse' ELSE 'child' END",
        },
        "FROM bench_m m CROSS JOIN LATERAL "
        "generate_series(1, CASE WHEN m.k = 0 THEN 3 ELSE mod(m.k, 4) END) AS o "
        "ORDER BY m.k, o",
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_b ON COMMIT DROP AS SELECT member_id, id, "
        "row_number() OVER (PARTITION BY member_id ORDER BY id) AS o "
        f"FROM {Beneficiary._meta.db_table}"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_b (member_id, o)")
    cursor.execute("ANALYZE bench_b")


def _load_requests(cursor) -> None:
    cursor.execute(
        "CREATE TEMP TABLE bench_topic (kind text, i int, topic text, label text, subject text) "
        "ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO bench_topic VALUES (%s, %s, %s, %s, %s)",
        [
            (kind, index, *topic)
            for kind, topics in TOPICS.items()
            for index, topic in enumerate(topics)
        ],
    )
    cursor.execute("ANALYZE bench_topic")
    bounds, total = [], 0.0
    for kind, weight in KINDS:
        total += weight
        bounds.append(f"WHEN r_kind < {total:.4f} THEN '{kind}'")
    kind_sql = f"CASE {' '.join(bounds[:-1])} ELSE '{KINDS[-1][0]}' END"
    topics_per_kind = {len(topics) for topics in TOPICS.values()}
    assert len(topics_per_kind) == 1
    # Stage 1: who, when, what, with the random draws the next stage turns into values.
    cursor.execute(
        "CREATE TEMP TABLE bench_raw ON COMMIT DROP AS "
        "SELECT g, "
        f"CASE WHEN g <= {BENCH_MEMBER_REQUESTS} THEN 0 "
        f"ELSE 1 + least({OTHER_MEMBERS - 1}, floor({OTHER_MEMBERS} * power(random(), 2)))::int "
        "END AS k, "
        f"now() - interval '{DAYS} days' * random() AS created_at, "
        f"{kind_sql} AS kind, "
        f"floor(random() * {topics_per_kind.pop()})::int AS topic_i, "
        "random() AS r_status, random() AS r_benef, 1 + floor(random() * 3)::int AS benef_o, "
        "random() AS r_take, random() AS r_resolve, random() AS r_len, random() AS r_amount, "
        f"1 + floor(random() * {MANAGERS})::int AS manager_o "
        f"FROM (SELECT g, random() AS r_kind FROM generate_series(1, {TOTAL_REQUESTS}) g) s"
    )
    cursor.execute("ANALYZE bench_raw")
    cursor.execute(
        "CREATE TEMP TABLE bench_manager ON COMMIT DROP AS "
        "SELECT row_number() OVER (ORDER BY id) AS o, id "
        f"FROM {User._meta.db_table} WHERE role = 'insurer_manager'"
    )
    cursor.execute("ANALYZE bench_manager")
    age = "(now() - r.created_at)"
    status = (
        f"CASE WHEN {age} > interval '30 days' THEN "
        "  CASE WHEN r.r_status < 0.94 THEN 'resolved' WHEN r.r_status < 0.99 THEN 'in_progress' "
        "  ELSE 'new' END "
        f"WHEN {age} > interval '7 days' THEN "
        "  CASE WHEN r.r_status < 0.6 THEN 'resolved' WHEN r.r_status < 0.85 THEN 'in_progress' "
        "  ELSE 'new' END "
        "ELSE CASE WHEN r.r_status < 0.2 THEN 'resolved' WHEN r.r_status < 0.5 THEN 'in_progress' "
        "  ELSE 'new' END END"
    )
    # Taken within 2 days (never later than half the age), resolved within 10 days after.
    taken = f"(r.created_at + least(interval '2 days' * r.r_take, {age} * 0.5))"
    # Stage 2: every value of the row, references numbered per year in time order. The window
    # leaves the rows in time order: inserted as they are, ids grow with time as in production
    # (and no sort of the wide rows is needed).
    year = f"extract(year FROM r.created_at AT TIME ZONE '{settings.TIME_ZONE}')::int"
    cursor.execute(
        "CREATE TEMP TABLE bench_req ON COMMIT DROP AS "
        "SELECT *, row_number() OVER (PARTITION BY year ORDER BY created_at, g) AS number "
        "FROM ("
        "SELECT r.g, m.id AS member_id, m.user_id, b.id AS beneficiary_id, r.kind, t.topic, "
        "t.label, t.subject, r.created_at, r.r_len, r.r_amount, "
        f"{year} AS year, {status} AS status, {taken} AS taken_at, "
        f"{taken} + least(interval '10 days' * r.r_resolve, (now() - {taken}) * 0.9) "
        "AS resolved_at, mg.id AS manager_id "
        "FROM bench_raw r JOIN bench_m m ON m.k = r.k "
        "JOIN bench_topic t ON t.kind = r.kind AND t.i = r.topic_i "
        "JOIN bench_manager mg ON mg.o = r.manager_o "
        "LEFT JOIN bench_b b ON r.r_benef < 0.4 AND b.member_id = m.id AND b.o = r.benef_o"
        ") AS joined"
    )
    amount = (
        f"CASE WHEN kind IN ({', '.join(repr(kind) for kind in AMOUNT_KINDS)}) "
        "THEN round((15 + power(r_amount, 3) * 1500)::numeric, 2) END"
    )
    reference = "'DEM-' || year || '-' || lpad(number::text, 6, '0')"
    message = f"left({_sql_string(MESSAGE)}, 40 + floor(r_len * {len(MESSAGE) - 40})::int)"
    insert_select(
        cursor,
        MemberRequest,
        {
            "reference": reference,
            "member_id": "member_id",
            # Sending order: the history's order (what member_request_submit numbers).
            "position": "row_number() OVER (PARTITION BY member_id ORDER BY created_at, "
            "year, number)",
            # What member_request_submit stores: folded reference, object, motif, message.
            "search_text": f"lower(unaccent(concat_ws(E'\\n', {reference}, subject, label, "
            f"{message})))",
            "beneficiary_id": "beneficiary_id",
            "kind": "kind",
            "topic": "topic",
            "topic_label": "label",
            "subject": "subject",
            "message": message,
            "amount": amount,
            "details": "jsonb_build_array("
            "jsonb_build_object('label', 'Motif', 'value', label), "
            "jsonb_build_object('label', 'Date', 'value', "
            f"to_char(created_at AT TIME ZONE '{settings.TIME_ZONE}', 'DD/MM/YYYY')))",
            "status": "status",
            "status_rank": STATUS_RANK_SQL,
            "assignee_id": "CASE WHEN status <> 'new' THEN manager_id END",
            "submitted_by_id": "user_id",
            "created_at": "created_at",
            "status_changed_at": "CASE status WHEN 'new' THEN created_at "
            "WHEN 'in_progress' THEN taken_at ELSE resolved_at END",
            "resolved_at": "CASE WHEN status = 'resolved' THEN resolved_at END",
        },
        "FROM bench_req",
    )
    insert_select(
        cursor,
        Sequence,
        {"name": "'member-request-' || year", "value": "count(*)"},
        "FROM bench_req GROUP BY year",
    )


def _load_follow_up(cursor) -> None:
    """The journal of each member request (sent, taken, resolved; every email long sent) and
    the answer of each resolved one, as the casework core records them."""
    table = MemberRequest._meta.db_table
    case_type = case_type_of(MemberRequest).content_type().pk
    taken = (
        "CASE r.status WHEN 'in_progress' THEN r.status_changed_at "
        "ELSE r.created_at + (r.resolved_at - r.created_at) * 0.2 END"
    )
    insert_select(
        cursor,
        CaseMessage,
        {
            "case_type_id": str(case_type),
            "case_id": "id",
            "party_id": "member_id",
            "side": "'insurer'",
            "action": "'resolve'",
            "author_id": "assignee_id",
            "text": _sql_string(ANSWER),
            "created_at": "resolved_at",
            # Read within 3 days, except some of the last fortnight's.
            "read_at": "CASE WHEN random() < CASE WHEN resolved_at < now() - interval '14 days' "
            "THEN 0.98 ELSE 0.5 END "
            "THEN least(now(), resolved_at + interval '3 days' * random()) END",
        },
        f"FROM {table} WHERE status = 'resolved' ORDER BY id",
    )
    insert_select(
        cursor,
        CaseEvent,
        {
            "case_type_id": str(case_type),
            "case_id": "r.id",
            "action": "e.action",
            "from_status": "e.step_from",
            "to_status": "e.step_to",
            "message_id": "e.message_id",
            "by_id": "e.by_id",
            "at": "e.at",
            "notification": "e.notification",
            "notified_at": "e.at",
        },
        # One pass over the requests, their steps in order.
        f"FROM {table} r LEFT JOIN {CaseMessage._meta.db_table} m "
        f"ON m.case_type_id = {case_type} AND m.case_id = r.id CROSS JOIN LATERAL (VALUES "
        "(1, 'submit', '', 'new', r.submitted_by_id, r.created_at, 'received', NULL::bigint), "
        f"(2, 'take', 'new', 'in_progress', r.assignee_id, {taken}, 'taken', NULL), "
        "(3, 'resolve', 'in_progress', 'resolved', r.assignee_id, r.resolved_at, 'resolved', m.id)"
        ") AS e(step, action, step_from, step_to, by_id, at, notification, message_id) "
        "WHERE e.step = 1 OR (e.step = 2 AND r.status <> 'new') "
        "OR (e.step = 3 AND r.status = 'resolved') ORDER BY r.id, e.step",
    )


def _load_member_counters(cursor) -> None:
    """The history's count of each member's requests, kept by `member_request_submit`."""
    insert_select(
        cursor,
        MemberRequestCounter,
        {"member_id": "member_id", "requests": "count(*)"},
        f"FROM {MemberRequest._meta.db_table} GROUP BY member_id",
    )


def _vacuum_analyze() -> None:
    """Outside the load's transaction (VACUUM cannot run inside one)."""
    with connection.cursor() as cursor:
        # With the table the partner requests' triggers fill (partners.migrations 0015): its
        # index is read alone only once its pages are known to be visible to all.
        for table in [*_tables(), "partners_person_word"]:
            cursor.execute(f"VACUUM ANALYZE {table}")


# -- The partner space (issue 4) -----------------------------------------------------------------
PARTNER_REQUESTS = 1_000_000
BENCH_PARTNER_REQUESTS = 100_000
ORGANISMS = 100
STRUCTURES = 2_000
BENCH_ORGANISM_CODE = "331"
BENCH_ORGANISM_NAME = "CPAM GIRONDE"
BENCH_STRUCTURE_NAME = "CCAS de Bordeaux"
BENCH_TECHNICIAN = "bench-t0001-1"
# `partner_submit` files into this organism, which the loader leaves without requests; the first
# SUBMIT_STRUCTURES structures have a convention with it.
SUBMIT_ORGANISM_CODE = "999"
SUBMIT_ORGANISM_NAME = "CPAM BENCH DÉPÔTS"
SUBMIT_STRUCTURES = 50

# (service, weight): what partners file most.
PARTNER_SERVICES = [
    (Service.CASE_STUDY, 0.30),
    (Service.DIFFICULTY, 0.25),
    (Service.DOCUMENT, 0.20),
    (Service.APPOINTMENT, 0.15),
    (Service.CONTACT, 0.10),
]
STRUCTURE_KINDS = ["CCAS de", "Association d'aide de", "Mission locale de", "Centre social de",
                   "Maison France Services de", "Point Conseil Budget de"]  # fmt: skip
BIRTH_PLACES = ["33", "64", "75", "69", "13", "40", "47", "24", "PORTUGAL", "MAROC", "ALGÉRIE"]
PARTNER_COMMENT = (
    "Bonjour, je vous sollicite pour la personne que j'accompagne : sa situation nécessite une "
    "étude rapide de ses droits. Elle a transmis les justificatifs demandés il y a plusieurs "
    "semaines sans réponse. Les pièces jointes reprennent les éléments de son dossier. Merci de "
    "me tenir informée de la suite donnée et de me préciser les démarches restant à faire."
)
PARTNER_ANSWER = (
    "Bonjour, le dossier a été étudié : les droits de l'assuré sont ouverts et l'attestation est "
    "disponible dans son compte. Nous restons à votre disposition. Cordialement, votre organisme."
)


@dataclass(frozen=True)
class PartnerBenchData:
    """What the partner figures need to know about the loaded partner space."""

    technician_id: int  # of the bench structure, with CPAM GIRONDE last chosen
    structure_id: int
    organism_id: int  # CPAM GIRONDE, 331
    structure_requests: int  # the bench structure's requests at CPAM GIRONDE
    requests: int  # in the whole table
    submit_organism_id: int
    submit_technician_ids: tuple[int, ...]  # one per structure with a convention with it


def partners_dataset() -> PartnerBenchData:
    """The partner space of the data set, loaded first if the database does not hold it yet."""
    requests_dataset()
    technician = User.objects.get(username=BENCH_TECHNICIAN)
    submit = Organism.objects.get(code=SUBMIT_ORGANISM_CODE)
    submitters = (
        User.objects.filter(
            role=User.Role.TECHNICIAN,
            partner_membership__structure__conventions__organism=submit,
            username__endswith="-1",
        )
        .order_by("username")
        .values_list("pk", flat=True)
    )
    return PartnerBenchData(
        technician_id=technician.pk,
        structure_id=technician.partner_membership.structure_id,
        organism_id=Organism.objects.get(code=BENCH_ORGANISM_CODE).pk,
        structure_requests=BENCH_PARTNER_REQUESTS,
        requests=PARTNER_REQUESTS,
        submit_organism_id=submit.pk,
        submit_technician_ids=tuple(submitters),
    )


def _partners_present() -> bool:
    return (
        User.objects.filter(username=BENCH_TECHNICIAN).exists()
        and Organism.objects.filter(code=SUBMIT_ORGANISM_CODE).exists()
    )


def _technicians_of(s_sql: str) -> str:
    """How many technicians structure number `s` has: 5 for the bench structure, 1 to 5."""
    return f"CASE WHEN {s_sql} = 1 THEN 5 ELSE 1 + mod({s_sql} * 7, 5) END"


def _load_partner_space(cursor) -> None:
    # Organisms 1..ORGANISMS have codes 300.. (number 32 is CPAM GIRONDE, 331); the last one is
    # the submission organism.
    code = (
        f"CASE WHEN n > {ORGANISMS} THEN {_sql_string(SUBMIT_ORGANISM_CODE)} "
        "ELSE (299 + n)::text END"
    )
    insert_select(
        cursor,
        Organism,
        {
            "code": code,
            "name": f"CASE WHEN n > {ORGANISMS} THEN {_sql_string(SUBMIT_ORGANISM_NAME)} "
            f"WHEN 299 + n = {int(BENCH_ORGANISM_CODE)} THEN {_sql_string(BENCH_ORGANISM_NAME)} "
            "ELSE 'CPAM BENCH ' || (299 + n)::text END",
        },
        f"FROM generate_series(1, {ORGANISMS + 1}) AS n ORDER BY n",
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_o ON COMMIT DROP AS "
        "SELECT row_number() OVER (ORDER BY id) AS n, id, code "
        f"FROM {Organism._meta.db_table}"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_o (n)")
    insert_select(
        cursor,
        OrganismService,
        {"organism_id": "o.id", "service": "v", "motifs": "'[]'::jsonb"},
        f"FROM bench_o o CROSS JOIN generate_series(1, {len(Service.values)}) AS v ORDER BY o.n, v",
    )
    # Each organism's requests are handled by one of the 20 insurer managers.
    cursor.execute(
        "CREATE TEMP TABLE bench_im ON COMMIT DROP AS "
        "SELECT row_number() OVER (ORDER BY id) AS o, id "
        f"FROM {User._meta.db_table} WHERE username LIKE 'bench-manager-__'"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_im (o)")
    insert_select(
        cursor,
        Organism.managers.through,
        {"organism_id": "o.id", "user_id": "m.id"},
        f"FROM bench_o o JOIN bench_im m ON m.o = 1 + mod(o.n, {MANAGERS})",
    )
    cities = [city for _postcode, city in CITIES]
    insert_select(
        cursor,
        Structure,
        {
            "name": f"CASE WHEN s = 1 THEN {_sql_string(BENCH_STRUCTURE_NAME)} ELSE "
            f"{_pick(STRUCTURE_KINDS, 's')} || ' ' || {_pick(cities, 's * 5')} "
            "|| ' n°' || lpad(s::text, 4, '0') END",
            "created_at": f"now() - interval '{DAYS + 200} days'",
        },
        f"FROM generate_series(1, {STRUCTURES}) AS s ORDER BY s",
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_s ON COMMIT DROP AS "
        f"SELECT s, id, {_technicians_of('s')} AS technicians FROM ("
        f"SELECT row_number() OVER (ORDER BY id) AS s, id FROM {Structure._meta.db_table}) AS x"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_s (s)")
    # Conventions: the bench structure with CPAM GIRONDE and two others, every other structure
    # with 1 to 3 organisms; the first SUBMIT_STRUCTURES ones also with the submission organism.
    # All active (started before the oldest request, ending in 200 days or more).
    cursor.execute(
        "CREATE TEMP TABLE bench_conv ON COMMIT DROP AS "
        "SELECT s, i, 1 + mod(CASE WHEN s = 1 THEN 31 ELSE s * 37 END + i * 11, "
        f"{ORGANISMS}) AS n "
        f"FROM generate_series(1, {STRUCTURES}) AS s "
        "CROSS JOIN LATERAL generate_series(0, CASE WHEN s = 1 THEN 2 ELSE mod(s, 3) END) AS i "
        f"UNION ALL SELECT s, 9, {ORGANISMS + 1} FROM generate_series(1, {SUBMIT_STRUCTURES}) s"
    )
    insert_select(
        cursor,
        Convention,
        {
            "structure_id": "bs.id",
            "organism_id": "o.id",
            "start_date": "current_date - (1200 + mod(c.s * 13, 300))",
            "end_date": "current_date + (200 + mod(c.s * 7 + c.i, 900))",
            "technician_cap": "5",
        },
        "FROM bench_conv c JOIN bench_s bs ON bs.s = c.s JOIN bench_o o ON o.n = c.n "
        "ORDER BY c.s, c.i",
    )
    # Technicians (the bench structure has 5) and one partner manager per structure.
    cursor.execute(
        "CREATE TEMP TABLE bench_tu ON COMMIT DROP AS "
        "SELECT s, t, 'bench-t' || lpad(s::text, 4, '0') || '-' || t AS username, "
        "'technician' AS role FROM bench_s CROSS JOIN LATERAL generate_series(1, technicians) t "
        "UNION ALL SELECT s, 0, 'bench-pm' || lpad(s::text, 4, '0'), 'partner_manager' "
        "FROM bench_s"
    )
    insert_select(
        cursor,
        User,
        {
            "password": "'!bench'",
            "username": "username",
            "first_name": _pick(FIRST_NAMES, "s * 3 + t * 7"),
            "last_name": _pick(LAST_NAMES, "s * 5 + t * 11"),
            "email": "username || '@bench.invalid'",
            "is_superuser": "false",
            "is_staff": "false",
            "is_active": "true",
            "date_joined": f"now() - interval '{DAYS + 100} days'",
            "role": "role",
        },
        "FROM bench_tu ORDER BY s, t",
    )
    first_organism = f"1 + mod(CASE WHEN bs.s = 1 THEN 31 ELSE bs.s * 37 END, {ORGANISMS})"
    insert_select(
        cursor,
        StructureMembership,
        {
            "user_id": "u.id",
            "structure_id": "bs.id",
            "last_organism_id": "CASE WHEN tu.t > 0 THEN o.id END",
        },
        f"FROM bench_tu tu JOIN {User._meta.db_table} u ON u.username = tu.username "
        f"JOIN bench_s bs ON bs.s = tu.s JOIN bench_o o ON o.n = {first_organism}",
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_t ON COMMIT DROP AS "
        "SELECT tu.s, tu.t, u.id, u.last_name || ' ' || u.first_name AS name "
        f"FROM bench_tu tu JOIN {User._meta.db_table} u ON u.username = tu.username "
        "WHERE tu.t > 0"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_t (s, t)")
    for table in ("bench_o", "bench_im", "bench_s", "bench_t"):
        cursor.execute(f"ANALYZE {table}")


def _load_partner_requests(cursor) -> None:
    # Conventions ranked: 0 is the bench structure at CPAM GIRONDE, the others shuffled (so the
    # busiest structures are spread over the organisms); rank r gets ~1/sqrt(r) of the rest.
    cursor.execute(
        "CREATE TEMP TABLE bench_pc ON COMMIT DROP AS "
        "SELECT CASE WHEN c.s = 1 AND c.i = 0 THEN 0 ELSE row_number() OVER ("
        "  ORDER BY (c.s = 1 AND c.i = 0) DESC, md5(c.s || '-' || c.n)) - 1 END AS c, "
        "c.s, bs.id AS structure_id, bs.technicians, o.n, o.id AS organism_id, o.code "
        "FROM bench_conv c JOIN bench_s bs ON bs.s = c.s JOIN bench_o o ON o.n = c.n "
        f"WHERE c.n <= {ORGANISMS}"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_pc (c)")
    cursor.execute("ANALYZE bench_pc")
    cursor.execute("SELECT count(*) - 1 FROM bench_pc")
    others = cursor.fetchone()[0]
    cursor.execute(
        "CREATE TEMP TABLE bench_motif (service int, i int, code text, rank int) ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO bench_motif VALUES (%s, %s, %s, %s)",
        [
            (int(service), index, code, motif_ranks()[(int(service), code)])
            for service, info in SERVICES.items()
            for index, code in enumerate(info.motifs)
        ],
    )
    cursor.execute("ANALYZE bench_motif")
    bounds, total = [], 0.0
    for service, weight in PARTNER_SERVICES:
        total += weight
        bounds.append(f"WHEN r_service < {total:.4f} THEN {int(service)}")
    service_sql = f"CASE {' '.join(bounds[:-1])} ELSE {int(PARTNER_SERVICES[-1][0])} END"
    motif_counts = " ".join(
        f"WHEN {int(service)} THEN {len(info.motifs)}" for service, info in SERVICES.items()
    )
    # Stage 1: which convention, when, what, and the draws stage 2 turns into values. g is the
    # time order (request g arrives in the g-th slot of the 3 years); every 10th request is the
    # bench structure's at CPAM GIRONDE.
    share = PARTNER_REQUESTS // BENCH_PARTNER_REQUESTS
    cursor.execute(
        "CREATE TEMP TABLE bench_praw ON COMMIT DROP AS "
        "SELECT g, c, created_at, service, "
        f"floor(r_motif * CASE service {motif_counts} END)::int AS motif_i, "
        "r_status, r_tech, r_take, r_resolve, r_len, r_person, r_extra FROM ("
        "SELECT g, "
        f"CASE WHEN mod(g, {share}) = 0 THEN 0 "
        f"ELSE 1 + least({others - 1}, floor({others} * power(random(), 2)))::int END AS c, "
        f"now() - interval '{DAYS} days' * ({PARTNER_REQUESTS} - g + random()) "
        f"/ {PARTNER_REQUESTS} AS created_at, {service_sql} AS service, "
        "random() AS r_motif, random() AS r_status, random() AS r_tech, random() AS r_take, "
        "random() AS r_resolve, random() AS r_len, random() AS r_person, random() AS r_extra "
        f"FROM (SELECT g, random() AS r_service FROM generate_series(1, {PARTNER_REQUESTS}) g) s"
        ") AS drawn"
    )
    cursor.execute("ANALYZE bench_praw")
    age = "(now() - r.created_at)"
    status = (
        f"CASE WHEN {age} > interval '30 days' THEN "
        "  CASE WHEN r.r_status < 0.92 THEN 'resolved' WHEN r.r_status < 0.95 THEN 'cancelled' "
        "  WHEN r.r_status < 0.99 THEN 'in_progress' ELSE 'new' END "
        f"WHEN {age} > interval '7 days' THEN "
        "  CASE WHEN r.r_status < 0.55 THEN 'resolved' WHEN r.r_status < 0.58 THEN 'cancelled' "
        "  WHEN r.r_status < 0.83 THEN 'in_progress' ELSE 'new' END "
        "ELSE CASE WHEN r.r_status < 0.15 THEN 'resolved' WHEN r.r_status < 0.17 THEN "
        "  'cancelled' WHEN r.r_status < 0.47 THEN 'in_progress' ELSE 'new' END END"
    )
    # Taken within 3 days, resolved within 15 days after (never later than now); cancelled by
    # the technician within a day.
    taken = f"(r.created_at + least(interval '3 days' * r.r_take, {age} * 0.4))"
    year = f"extract(year FROM r.created_at AT TIME ZONE '{settings.TIME_ZONE}')::int"
    # The sequence of each request in its organism and year, in time order; the rows written
    # back in time order (the draws are narrow: both sorts stay in memory).
    cursor.execute(
        "CREATE TEMP TABLE bench_preq ON COMMIT DROP AS "
        "SELECT *, row_number() OVER (PARTITION BY code, year ORDER BY g) AS seq FROM ("
        "SELECT r.*, c.s, c.n, c.technicians, c.structure_id, c.organism_id, c.code, "
        f"{year} AS year FROM bench_praw r JOIN bench_pc c ON c.c = r.c) AS placed ORDER BY g"
    )
    cursor.execute("SELECT max(seq) FROM bench_preq")
    highest = cursor.fetchone()[0]
    if highest > 99_999:
        raise ImproperlyConfigured(f"an organism-year got {highest} partner requests (> 99999)")
    cursor.execute("ANALYZE bench_preq")
    # Stage 2: every value of the row. No ORDER BY: the scan of bench_preq gives the rows in
    # time order and the hash joins on the small tables keep it, so ids grow with time, as in
    # production, without sorting the wide rows.
    joined = (
        "SELECT r.*, t.id AS requester_id, t.name AS requester_name, m.code AS motif, "
        "m.rank AS motif_rank, "
        f"im.id AS manager_id, {status} AS status, {taken} AS taken_at, "
        f"{taken} + least(interval '15 days' * r.r_resolve, (now() - {taken}) * 0.9) "
        "AS resolved_at, "
        f"r.created_at + least(interval '1 day' * r.r_take, {age} * 0.5) AS cancelled_at "
        "FROM bench_preq r "
        "JOIN bench_t t ON t.s = r.s AND t.t = 1 + floor(r.r_tech * r.technicians)::int "
        "JOIN bench_motif m ON m.service = r.service AND m.i = r.motif_i "
        f"JOIN bench_im im ON im.o = 1 + mod(r.n, {MANAGERS})"
    )
    person = f"service <> {int(Service.CONTACT)}"
    reasons = "CASE WHEN r_extra < 0.5 THEN 'droits' ELSE 'renoncement' END"
    insert_select(
        cursor,
        PartnerRequest,
        {
            "number": "lpad(mod(year, 100)::text, 2, '0') || code || lpad(seq::text, 5, '0')",
            "organism_id": "organism_id",
            "structure_id": "structure_id",
            "requester_id": "requester_id",
            "requester_name": "requester_name",
            # Filing order: the history's date order (what partner_request_submit numbers).
            "position": "row_number() OVER (PARTITION BY structure_id, organism_id "
            "ORDER BY created_at, seq)",
            "service": "service",
            "service_rank": "CASE service "
            + " ".join(f"WHEN {service} THEN {rank}" for service, rank in service_ranks().items())
            + " END",
            "motif": "motif",
            "motif_rank": "motif_rank",
            "documents": f"CASE WHEN service = {int(Service.DOCUMENT)} THEN "
            "CASE WHEN r_extra < 0.75 THEN jsonb_build_array(motif) ELSE jsonb_build_array("
            "motif, CASE motif WHEN 'prevention' THEN 'attestation_droits' ELSE 'prevention' "
            "END) END ELSE '[]'::jsonb END",
            "appointment_modes": f"CASE WHEN service = {int(Service.CONTACT)} THEN "
            """CASE WHEN r_extra < 0.5 THEN '["distance"]'::jsonb """
            """WHEN r_extra < 0.8 THEN '["physique"]'::jsonb """
            """ELSE '["distance", "physique"]'::jsonb END ELSE '[]'::jsonb END""",
            "civility": f"CASE WHEN {person} THEN "
            "CASE WHEN r_person < 0.55 THEN 'MME' ELSE 'M' END ELSE '' END",
            "last_name": f"CASE WHEN {person} THEN {_surname('r_person')} ELSE '' END",
            "first_name": f"CASE WHEN {person} THEN {_first_name('r_person')} ELSE '' END",
            # What partner_request_submit stores: portal.text.folded("NOM Prénom").
            "person_search": f"CASE WHEN {person} THEN lower(unaccent("
            f"{_surname('r_person')} || ' ' || {_first_name('r_person')})) ELSE '' END",
            "birth_date": f"CASE WHEN {person} THEN "
            "date '1935-01-01' + floor(r_person * 28000)::int END",
            "birth_place": f"CASE WHEN {person} THEN "
            f"{_pick(BIRTH_PLACES, 'floor(r_extra * 1000)::int')} ELSE '' END",
            "phone": f"CASE WHEN {person} THEN "
            "'0' || (6 + mod(g, 2))::text || lpad(mod(g::bigint * 7919, 100000000)::text, 8, '0') "
            "ELSE '' END",
            "comment": f"left({_sql_string(PARTNER_COMMENT)}, "
            f"30 + floor(r_len * {len(PARTNER_COMMENT) - 30})::int)",
            "saisine": f"CASE WHEN motif = {_sql_string(SAISINE)} THEN jsonb_build_object("
            f"'consent', true, 'reasons', jsonb_build_array({reasons}), "
            "'care', CASE WHEN r_extra < 0.5 THEN '[]'::jsonb ELSE "
            """'["consultation", "pharmacie"]'::jsonb END, """
            "'duration', CASE WHEN r_extra < 0.5 THEN '' ELSE '3_mois_1_an' END, "
            """'causes', CASE WHEN r_extra < 0.5 THEN '[]'::jsonb ELSE '["reste_a_charge"]'"""
            "::jsonb END) ELSE '{}'::jsonb END",
            "status": "status",
            "status_rank": STATUS_RANK_SQL,
            "status_changed_at": "CASE status WHEN 'new' THEN created_at "
            "WHEN 'in_progress' THEN taken_at WHEN 'resolved' THEN resolved_at "
            "ELSE cancelled_at END",
            "created_at": "created_at",
            "assignee_id": "CASE WHEN status IN ('in_progress', 'resolved') THEN manager_id END",
            "resolved_at": "CASE WHEN status = 'resolved' THEN resolved_at END",
            "cancel_reason": "CASE WHEN status = 'cancelled' THEN "
            f"{_pick(list(CANCEL_REASONS), 'g')} ELSE '' END",
        },
        f"FROM ({joined}) AS joined",
    )
    insert_select(
        cursor,
        Sequence,
        {"name": "'partner-' || code || '-' || year", "value": "max(seq)"},
        "FROM bench_preq GROUP BY code, year",
    )
    # The history's "N demandes", kept by the services: every request not cancelled.
    insert_select(
        cursor,
        ConventionCounter,
        {
            "convention_id": "c.id",
            "listed_requests": "coalesce(listed.n, 0)",
            "filed_requests": "coalesce(listed.filed, 0)",
        },
        f"FROM {Convention._meta.db_table} c LEFT JOIN ("
        "SELECT structure_id, organism_id, count(*) FILTER (WHERE status <> 'cancelled') AS n, "
        f"count(*) AS filed FROM {PartnerRequest._meta.db_table} "
        "GROUP BY structure_id, organism_id) AS listed "
        "ON listed.structure_id = c.structure_id AND listed.organism_id = c.organism_id",
    )


def _load_partner_follow_up(cursor) -> None:
    """The journal of each partner request (filed, taken, resolved or cancelled; the
    technician's emails long sent) and the organism's answer of each resolved one."""
    table = PartnerRequest._meta.db_table
    case_type = case_type_of(PartnerRequest).content_type().pk
    taken = (
        "CASE p.status WHEN 'in_progress' THEN p.status_changed_at "
        "ELSE p.created_at + (p.resolved_at - p.created_at) * 0.2 END"
    )
    insert_select(
        cursor,
        CaseMessage,
        {
            "case_type_id": str(case_type),
            "case_id": "id",
            "party_id": "structure_id",
            "side": "'insurer'",
            "action": "'resolve'",
            "author_id": "assignee_id",
            "text": _sql_string(PARTNER_ANSWER),
            "created_at": "resolved_at",
            "read_at": "CASE WHEN random() < 0.9 THEN least(now(), resolved_at + interval "
            "'2 days' * random()) END",
        },
        f"FROM {table} WHERE status = 'resolved' ORDER BY id",
    )
    insert_select(
        cursor,
        CaseEvent,
        {
            "case_type_id": str(case_type),
            "case_id": "p.id",
            "action": "e.action",
            "from_status": "e.step_from",
            "to_status": "e.step_to",
            "message_id": "e.message_id",
            "data": "e.data",
            "by_id": "e.by_id",
            "at": "e.at",
            "notification": "e.notification",
            "notified_at": "CASE WHEN e.notification <> '' THEN e.at END",
        },
        # One pass over the requests, their steps in order.
        f"FROM {table} p LEFT JOIN {CaseMessage._meta.db_table} m "
        f"ON m.case_type_id = {case_type} AND m.case_id = p.id CROSS JOIN LATERAL (VALUES "
        "(1, 'submit', '', 'new', p.requester_id, p.created_at, '', NULL::bigint, "
        "'{}'::jsonb), "
        f"(2, 'take', 'new', 'in_progress', p.assignee_id, {taken}, 'taken', NULL, '{{}}'), "
        "(3, 'resolve', 'in_progress', 'resolved', p.assignee_id, p.resolved_at, 'resolved', "
        "m.id, '{}'), "
        "(4, 'cancel', 'new', 'cancelled', p.requester_id, p.status_changed_at, '', NULL, "
        "jsonb_build_object('reason', p.cancel_reason))"
        ") AS e(step, action, step_from, step_to, by_id, at, notification, message_id, data) "
        "WHERE e.step = 1 OR (e.step = 2 AND p.status IN ('in_progress', 'resolved')) "
        "OR (e.step = 3 AND p.status = 'resolved') OR (e.step = 4 AND p.status = 'cancelled') "
        "ORDER BY p.id, e.step",
    )
