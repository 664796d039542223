"""`locator_search`: "Localiser un professionnel de santé" (/professionnels-de-sante/) over a
directory of 50,000 professionals across France, against a bare member page served the same way.

    locator_search p50_ms=… p95_ms=… around_p50_ms=… around_p95_ms=… queries=… bare_p50_ms=… ratio=…

- p50_ms, p95_ms: median and 95th percentile of REQUESTS sequential GETs of the typical search,
  the dentists of a postcode (SEARCH: 33000 Bordeaux), nearest the commune's centre first, each
  with its tiers-payant mark, through gunicorn (keep-alive connection, session cookie of the
  bench member), in milliseconds;
- around_p50_ms, around_p95_ms: the same for "Autour de moi" (AROUND: a position in central
  Paris, the densest area: every dentist within 20 km, counted, ordered by distance, first page
  of 20);
- queries: SQL statements to serve SEARCH (counted in-process, as for member_history);
- bare_p50_ms: median of /bench/bare/ timed in the same run (the three pages alternate);
- ratio: p50_ms / bare_p50_ms, what the search adds to any member page. Target: p50 < 100 ms.

The directory is loaded once into the bench database (marker row `directory_50k` in
`bench_dataset`; BENCH_RELOAD=1 reloads it), by server-side SQL: the communes of
directory/data/communes.csv go into a temporary table with their cumulated population, and
`INSERT ... SELECT generate_series` draws 50,000 professionals, each in a commune picked in
proportion to its population (Paris gets about 1,500, a village rarely one), placed within about
1.5 km of its centre, with a realistic mix of specialties and 70 % practising tiers payant.
The member's requests data set (bench/data.py) provides the bench member.
"""

import csv
import os
import statistics
import time

from django.db import connection, transaction

from accounts.models import User
from bench.data import log, mark_loaded, mark_seconds, marker_of, requests_dataset
from bench.measure import count_queries, format_line, ms, percentile
from bench.server import alternate_timings, member_cookies
from directory.communes import DATA_FILE
from directory.models import Professional

NAME = "locator_search"
DATASET = "directory_50k"
VERSION = 1
PROFESSIONALS = 50_000
SEED = 0.2026
WARM_UP = 20
REQUESTS = 200
SEARCH = "/professionnels-de-sante/?specialite=dentist&code_postal=33000"
AROUND = "/professionnels-de-sante/?specialite=dentist&lat=48.85661&lon=2.35222"
BARE = "/bench/bare/"

# (specialty, share): roughly the French mix of practitioners.
SPECIALTIES = [
    ("general_practitioner", 0.20),
    ("nurse", 0.14),
    ("physiotherapist", 0.12),
    ("dentist", 0.10),
    ("pharmacist", 0.09),
    ("optician", 0.05),
    ("speech_therapist", 0.04),
    ("midwife", 0.03),
    ("podiatrist", 0.03),
    ("radiologist", 0.02),
    ("ophthalmologist", 0.02),
    ("gynecologist", 0.02),
    ("psychiatrist", 0.02),
    ("hearing_aid", 0.02),
    ("pediatrician", 0.02),
    ("dermatologist", 0.02),
    ("cardiologist", 0.02),
    ("laboratory", 0.02),
    ("orthodontist", 0.01),
    ("ent", 0.01),
]
LAST_NAMES = [
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
]  # fmt: skip
FIRST_NAMES = ["Marie", "Jean", "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Inès"]
STREETS = ["rue de la République", "avenue Jean-Jaurès", "place de la Mairie", "rue Gambetta"]

_loaded_here = False


def _array(values) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values, number_sql: str) -> str:
    return f"({_array(values)})[1 + mod({number_sql}, {len(values)})]"


def directory_dataset() -> None:
    """The 50,000 professionals, loaded first if the bench database does not hold them."""
    global _loaded_here
    marker = marker_of(DATASET)
    reload = os.environ.get("BENCH_RELOAD", "") not in ("", "0") and not _loaded_here
    if (
        marker
        and marker[0] == VERSION
        and not reload
        and Professional.objects.count() == PROFESSIONALS
    ):
        return
    log(f"loading {PROFESSIONALS:,} health professionals (once; a few seconds)")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _load(cursor)
        mark_loaded(cursor, DATASET, VERSION)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Professional._meta.db_table}")
    seconds = time.perf_counter() - started
    mark_seconds(DATASET, seconds)
    _loaded_here = True
    log(f"loaded the directory in {seconds:.1f} s")


def _communes() -> list[tuple]:
    """(insee, city, postcode, latitude, longitude, weight) of every commune with a centre;
    the cities with arrondissements through them."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    parents = {row["parent"] for row in rows if row["parent"]}
    names = {row["insee"]: row["name"] for row in rows}
    return [
        (
            row["insee"],
            names[row["parent"]] if row["parent"] else row["name"],
            row["postcodes"].split()[0],
            float(row["latitude"]),
            float(row["longitude"]),
            int(row["population"]) + 1,
        )
        for row in rows
        if row["latitude"] and row["postcodes"] and row["insee"] not in parents
    ]


def _load(cursor) -> None:
    table = Professional._meta.db_table
    cursor.execute("SET LOCAL synchronous_commit = off")
    cursor.execute(f"TRUNCATE {table} RESTART IDENTITY")
    cursor.execute("SELECT setseed(%s)", [SEED])
    communes = _communes()
    cursor.execute(
        "CREATE TEMP TABLE bench_commune (insee text, city text, postcode text, "
        "latitude float8, longitude float8, weight bigint) ON COMMIT DROP"
    )
    columns = list(zip(*communes, strict=True))
    cursor.execute(
        "INSERT INTO bench_commune SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], "
        "%s::float8[], %s::float8[], %s::bigint[])",
        [list(column) for column in columns],
    )
    # Cumulated population: a uniform draw in [0, total) falls in a commune in proportion to it.
    cursor.execute(
        "CREATE TEMP TABLE bench_commune_cum ON COMMIT DROP AS SELECT *, "
        "sum(weight) OVER (ORDER BY insee) - weight AS cum_from FROM bench_commune"
    )
    cursor.execute("CREATE INDEX ON bench_commune_cum (cum_from)")
    cursor.execute("ANALYZE bench_commune_cum")
    cursor.execute("SELECT sum(weight) FROM bench_commune")
    total = cursor.fetchone()[0]
    bounds, cumulated = [], 0.0
    for specialty, share in SPECIALTIES[:-1]:
        cumulated += share
        bounds.append(f"WHEN r_specialty < {cumulated:.4f} THEN '{specialty}'")
    specialty_sql = f"CASE {' '.join(bounds)} ELSE '{SPECIALTIES[-1][0]}' END"
    name_sql = (
        f"CASE WHEN specialty IN ('pharmacist', 'optician', 'laboratory', 'hearing_aid') "
        f"THEN initcap(replace(specialty, '_', ' ')) || ' ' || {_pick(LAST_NAMES, 'g * 7')} "
        f"ELSE 'Dr ' || {_pick(FIRST_NAMES, 'g * 3')} || ' ' || {_pick(LAST_NAMES, 'g')} "
        "|| ' ' || g END"
    )
    cursor.execute(
        f"INSERT INTO {table} (name, specialty, address, postcode, city, insee_code, latitude, "
        "longitude, phone, tiers_payant, identifier, active, updated_at) "
        f"SELECT {name_sql}, specialty, "
        f"(1 + mod(g, 150))::text || ' ' || {_pick(STREETS, 'g * 5')}, "
        "c.postcode, c.city, c.insee, "
        "c.latitude + (r_lat - 0.5) * 0.027, c.longitude + (r_lon - 0.5) * 0.038, "
        "'+33' || (1 + mod(g, 5))::text || lpad(mod(g::bigint * 7919, 100000000)::text, 8, '0'), "
        "r_tp < 0.7, '8' || lpad(g::text, 10, '0'), r_active < 0.98, now() "
        f"FROM (SELECT g, {specialty_sql} AS specialty, r_pick, r_lat, r_lon, r_tp, r_active "
        "FROM (SELECT g, random() AS r_specialty, random() AS r_pick, random() AS r_lat, "
        "random() AS r_lon, random() AS r_tp, random() AS r_active "
        f"FROM generate_series(1, {PROFESSIONALS}) AS g) AS drawn) AS d "
        "CROSS JOIN LATERAL (SELECT * FROM bench_commune_cum "
        f"WHERE cum_from <= floor(d.r_pick * {total})::bigint ORDER BY cum_from DESC LIMIT 1) AS c "
        "ORDER BY g"
    )


def run() -> str:
    data = requests_dataset()
    directory_dataset()
    user = User.objects.get(pk=data.user_id)
    cookies = member_cookies(user)
    queries = count_queries(cookies, SEARCH)
    samples = alternate_timings(
        member_cookies(user), [SEARCH, AROUND, BARE], warm_up=WARM_UP, requests=REQUESTS
    )
    p50 = ms(statistics.median(samples[SEARCH]))
    bare_p50 = ms(statistics.median(samples[BARE]))
    return format_line(
        NAME,
        p50_ms=p50,
        p95_ms=ms(percentile(samples[SEARCH], 95)),
        around_p50_ms=ms(statistics.median(samples[AROUND])),
        around_p95_ms=ms(percentile(samples[AROUND], 95)),
        queries=queries,
        bare_p50_ms=bare_p50,
        ratio=p50 / bare_p50,
    )
