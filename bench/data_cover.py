"""The cover data set of the bench (issue 5), loaded into PostgreSQL by server-side SQL.

`cover_dataset()` makes sure the bench database holds, once, on top of the requests data set
(`bench.data.requests_dataset()`, whose 100,000 members and beneficiaries it uses):

- about 5,000,000 reimbursement lines (`cover.Reimbursement`) over the last 5 years, 1 to 5
  lines per payment (about 1,670,000 `cover.Payment` rows, each paid the sum of its lines'
  insurer shares): 70 % of the payments to the member, 30 % in tiers payant to a professional
  (a pharmacy, a laboratory, a dental centre, an optician, an audioprosthetist, a clinic) with
  that professional's acts; half the lines for a beneficiary when the member has some;
- the bench member (`BENCH-000001`) about 2,000 of them (667 payments) spread over the 5 years
  up to today (and over the tables: payments are numbered in time order, every 2,498th is the
  bench member's), the other members the rest, a few busy ones (up to about 8,000 lines) and a long
  tail (member k gets ~1/sqrt(k) of them, as in the requests data set);
- the acts, amounts and rules of the demo (`cover.demo.ACTS`): consistent amounts (the two
  shares never exceed the real cost);
- a formule ("Santé Confort Bench", the demo's guarantees) and a contract for the bench member.

Then VACUUM ANALYZE of the two big tables. The load takes one transaction, is recorded as
`reimbursements_5m` in the `bench_dataset` table and is redone when VERSION changes, when
BENCH_RELOAD is set, or when the bench member has no reimbursement any more (reloading the
requests data set truncates the members, and with them these tables).
"""

import bisect
import itertools
import os
import time
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Beneficiary, Member
from bench.data import (
    _create_indexes,
    _drop_secondary_indexes,
    _log_slow_statement,
    _skip_foreign_key_checks,
    _sql_string,
    _Steps,
    insert_select,
    log,
    mark_loaded,
    mark_seconds,
    marker_of,
    requests_dataset,
)
from cover.demo import ACTS, CONFORT_GUARANTEES
from cover.models import (
    Contract,
    ContractKind,
    Guarantee,
    PayeeKind,
    Payment,
    Product,
    Reimbursement,
)

NAME = "reimbursements_5m"
VERSION = 2  # 2: payments in time order, the bench member's spread among them

TOTAL_LINES = 5_000_000
MAX_LINES_PER_PAYMENT = 5  # 1 to 5, 3 on average
BENCH_MEMBER_PAYMENTS = 667  # about 2,000 lines
OTHER_MEMBERS = 100_000
DAYS = 5 * 365
PAYMENTS = TOTAL_LINES // ((1 + MAX_LINES_PER_PAYMENT) // 2)
BENCH_EVERY = PAYMENTS // BENCH_MEMBER_PAYMENTS
THIRD_PARTY = 0.30  # share of the payments made to professionals (tiers payant)
FOR_BENEFICIARY = 0.5  # share of the lines of a member with beneficiaries that are theirs

# The professionals paid in tiers payant, by weight (the demo's names).
PROFESSIONALS = [
    ("Pharmacie du Centre", 60),
    ("Laboratoire BioAquitaine", 24),
    ("Centre dentaire Saint-Jean", 5),
    ("Optique du Cours", 5),
    ("Clinique des Lilas", 5),
    ("Audition Conseil", 1),
]
# The acts paid to the member, by weight.
MEMBER_ACTS = [
    ("gp", 30), ("paediatrician", 6), ("dermatologist", 8), ("xray", 5), ("physio", 15),
    ("nurse", 8), ("scaling", 5), ("filling", 6), ("lenses", 2), ("splint", 2), ("insoles", 3),
    ("osteopathy", 10),
]  # fmt: skip
PICK_SLOTS = 100

BENCH_PRODUCT_CODE = "BENCH-CONFORT"
BENCH_CONTRACT_NUMBER = "BENCH-CT-000001"

_loaded_here = False


@dataclass(frozen=True)
class CoverBenchData:
    member_id: int
    user_id: int
    lines: int
    member_lines: int
    loaded_now: bool


def cover_dataset() -> CoverBenchData:
    """The 5,000,000-line reimbursements data set, loaded first if the database lacks it."""
    global _loaded_here
    data = requests_dataset()
    marker = marker_of(NAME)
    reload = os.environ.get("BENCH_RELOAD", "") not in ("", "0") and not _loaded_here
    complete = (
        Reimbursement.objects.filter(member_id=data.member_id).exists()
        and Contract.objects.filter(number=BENCH_CONTRACT_NUMBER).exists()
    )
    loaded_now = False
    if not (marker and marker[0] == VERSION and complete and not reload):
        _load_once(data.member_id)
        _loaded_here = loaded_now = True
    return CoverBenchData(
        member_id=data.member_id,
        user_id=data.user_id,
        lines=Reimbursement.objects.count() if loaded_now else TOTAL_LINES,
        member_lines=Reimbursement.objects.filter(member_id=data.member_id).count(),
        loaded_now=loaded_now,
    )


def _load_once(bench_member_id: int) -> None:
    log(
        f"loading about {TOTAL_LINES:,} reimbursement lines ({PAYMENTS:,} payments) into "
        f"{connection.settings_dict['NAME']} (once; takes a few minutes)"
    )
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.execute_wrapper(_log_slow_statement),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL lock_timeout = '15s'")
        cursor.execute(
            f"TRUNCATE {Reimbursement._meta.db_table}, {Payment._meta.db_table} RESTART IDENTITY"
        )
        cursor.execute("SET LOCAL lock_timeout = 0")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SELECT setseed(0.5151)")
        _skip_foreign_key_checks(cursor)
        indexes = _drop_secondary_indexes(cursor, [Payment, Reimbursement])
        step = _Steps(cursor)
        step("bench contract", _load_contract, bench_member_id)
        step("members, acts", _load_draw_tables, bench_member_id)
        step("reimbursement lines", _load_lines)
        step("payments", _load_payments)
        step("cover indexes", _create_indexes, indexes)
        mark_loaded(cursor, NAME, VERSION)
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        for model in (Payment, Reimbursement):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    seconds = time.perf_counter() - started
    mark_seconds(NAME, seconds)
    log(f"loaded in {loaded:.1f} s, VACUUM ANALYZE {seconds - loaded:.1f} s")


def _load_contract(cursor, bench_member_id: int) -> None:
    """The bench member's formule and contract (their guarantees are the demo's)."""
    Contract.objects.filter(number=BENCH_CONTRACT_NUMBER).delete()
    Product.objects.filter(code=BENCH_PRODUCT_CODE).delete()
    product = Product.objects.create(
        code=BENCH_PRODUCT_CODE, name="Santé Confort Bench", level="Niveau 3"
    )
    Guarantee.objects.bulk_create(
        Guarantee(
            product=product,
            care_type=care_type,
            label=label,
            coverage=coverage,
            terms=terms,
            card_code=card_code,
            card_value=card_value,
            position=position,
        )
        for position, (care_type, label, coverage, terms, card_code, card_value) in enumerate(
            CONFORT_GUARANTEES
        )
    )
    today = timezone.localdate()
    Contract.objects.create(
        number=BENCH_CONTRACT_NUMBER,
        member_id=bench_member_id,
        product=product,
        kind=ContractKind.INDIVIDUAL,
        start_date=date(today.year - 6, 1, 1),
    )


def _load_draw_tables(cursor, bench_member_id: int) -> None:
    # k = 0 is the bench member, 1..OTHER_MEMBERS the others (the smaller k, the busier).
    cursor.execute(
        "CREATE TEMP TABLE cov_m ON COMMIT DROP AS "
        f"SELECT CASE WHEN m.id = {int(bench_member_id)} THEN 0 "
        "ELSE substr(m.member_number, 2)::int END AS k, m.id, "
        "m.first_name || ' ' || m.last_name AS name, "
        "(SELECT count(*) FROM "
        f"{Beneficiary._meta.db_table} b WHERE b.member_id = m.id)::int AS nb "
        f"FROM {Member._meta.db_table} m "
        f"WHERE m.id = {int(bench_member_id)} OR m.member_number ~ '^B[0-9]+$'"
    )
    cursor.execute("CREATE UNIQUE INDEX ON cov_m (k)")
    cursor.execute(
        "CREATE TEMP TABLE cov_b ON COMMIT DROP AS SELECT member_id, id, "
        "row_number() OVER (PARTITION BY member_id ORDER BY id) AS o "
        f"FROM {Beneficiary._meta.db_table}"
    )
    cursor.execute("CREATE UNIQUE INDEX ON cov_b (member_id, o)")
    # The acts, their amounts and rules (cover.demo.ACTS), and PICK_SLOTS weighted slots per
    # payee ('' for the member) to draw one by an equality join.
    cursor.execute(
        "CREATE TEMP TABLE cov_act (name text PRIMARY KEY, care_type text, act text, "
        "practitioner text, low numeric, high numeric, base numeric, ss_rate numeric, "
        "franchise numeric, rule text, rule_value numeric) ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO cov_act VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            (
                name,
                str(act.care_type),
                act.label,
                act.practitioner,
                act.low,
                act.high,
                act.base,
                act.ss_rate,
                act.franchise,
                act.rule[0],
                act.rule[1] if len(act.rule) > 1 else None,
            )
            for name, act in ACTS.items()
        ],
    )
    picks = _slots("", MEMBER_ACTS)
    for payee, _weight in PROFESSIONALS:
        acts = [(name, 1) for name, act in ACTS.items() if act.payee == payee]
        picks += _slots(payee, acts)
    cursor.execute("CREATE TEMP TABLE cov_pick (payee text, slot int, name text) ON COMMIT DROP")
    cursor.executemany("INSERT INTO cov_pick VALUES (%s, %s, %s)", picks)
    cursor.execute("CREATE UNIQUE INDEX ON cov_pick (payee, slot)")
    cursor.execute("CREATE TEMP TABLE cov_payee (slot int PRIMARY KEY, payee text) ON COMMIT DROP")
    cursor.executemany(
        "INSERT INTO cov_payee VALUES (%s, %s)",
        [(slot, payee) for payee, slot in _slots_of(PROFESSIONALS)],
    )
    # The payments in time order (g, their id, grows with the date, as in production); every
    # BENCH_EVERY-th is the bench member's, so that their lines are spread over the tables as
    # a real member's are; the others go to member k with a chance ~1/sqrt(k).
    cursor.execute(
        "CREATE TEMP TABLE cov_pay ON COMMIT DROP AS "
        "SELECT d.g, m.id AS member_id, m.name, m.nb, d.payment_date, d.n, "
        "coalesce(p.payee, '') AS payee FROM ("
        f"SELECT g, CASE WHEN mod(g, {BENCH_EVERY}) = 0 THEN 0 "
        f"ELSE 1 + least({OTHER_MEMBERS - 1}, floor({OTHER_MEMBERS} * power(r_k, 2)))::int "
        "END AS k, payment_date, n, payee_slot FROM ("
        "SELECT row_number() OVER (ORDER BY payment_date, g0) AS g, * FROM ("
        f"SELECT g0, current_date - floor(random() * {DAYS})::int AS payment_date, "
        f"1 + floor(random() * {MAX_LINES_PER_PAYMENT})::int AS n, "
        f"CASE WHEN random() < {THIRD_PARTY} THEN floor(random() * {PICK_SLOTS})::int END "
        "AS payee_slot, random() AS r_k "
        f"FROM generate_series(1, {PAYMENTS}) AS g0) AS drawn) AS ordered) AS d "
        "JOIN cov_m m ON m.k = d.k LEFT JOIN cov_payee p ON p.slot = d.payee_slot "
        "ORDER BY d.g"
    )
    for table in ("cov_m", "cov_b", "cov_act", "cov_pick", "cov_payee", "cov_pay"):
        cursor.execute(f"ANALYZE {table}")


def _slots_of(weighted: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """[(name, slot)] for slots 0..PICK_SLOTS-1, each name holding its weight's share."""
    total = sum(weight for _name, weight in weighted)
    bounds = list(itertools.accumulate(weight / total for _name, weight in weighted))
    last = len(weighted) - 1
    return [
        (weighted[min(last, bisect.bisect_right(bounds, (slot + 0.5) / PICK_SLOTS))][0], slot)
        for slot in range(PICK_SLOTS)
    ]


def _slots(payee: str, weighted: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
    return [(payee, slot, name) for name, slot in _slots_of(weighted)]


def _load_lines(cursor) -> None:
    """The lines, with the demo's arithmetic (cover.demo.amounts) in SQL."""
    drawn = (
        "SELECT p.g, p.member_id, p.nb, p.payment_date, p.payee, l, "
        "random() AS r_who, random() AS r_act, random() AS r_cost, random() AS r_day "
        "FROM cov_pay p CROSS JOIN LATERAL generate_series(1, p.n) AS l"
    )
    who = (
        f"CASE WHEN x.nb = 0 OR x.r_who < {1 - FOR_BENEFICIARY} THEN NULL "
        f"ELSE 1 + least(x.nb - 1, floor((x.r_who - {1 - FOR_BENEFICIARY}) "
        f"/ {FOR_BENEFICIARY} * x.nb)::int) END"
    )
    priced = (
        "SELECT x.g, x.l, x.member_id, b.id AS beneficiary_id, "
        "x.payment_date - (1 + floor(x.r_day * 20))::int AS care_date, "
        "a.care_type, a.act, a.practitioner, a.base AS act_base, a.ss_rate, a.franchise, "
        "a.rule, a.rule_value, round(a.low + (a.high - a.low) * x.r_cost::numeric, 2) AS real "
        f"FROM ({drawn}) AS x "
        f"JOIN cov_pick k ON k.payee = x.payee AND k.slot = floor(x.r_act * {PICK_SLOTS})::int "
        "JOIN cov_act a ON a.name = k.name "
        f"LEFT JOIN cov_b b ON b.member_id = x.member_id AND b.o = {who}"
    )
    based = (
        "SELECT y.*, CASE WHEN y.act_base IS NULL THEN y.real ELSE least(y.real, y.act_base) "
        f"END AS base FROM ({priced}) AS y"
    )
    shared = f"SELECT z.*, round(z.base * z.ss_rate, 2) AS ss_gross FROM ({based}) AS z"
    ss = "greatest(0, s.ss_gross - s.franchise)"
    insurer_raw = (
        "CASE s.rule WHEN 'br' THEN least(s.real, round(s.base * s.rule_value, 2)) - s.ss_gross "
        "WHEN 'fr' THEN s.real - s.ss_gross ELSE s.rule_value END"
    )
    insert_select(
        cursor,
        Reimbursement,
        {
            "external_id": "'BR' || lpad(s.g::text, 9, '0') || '-' || s.l",
            "payment_id": "s.g",
            "member_id": "s.member_id",
            "beneficiary_id": "s.beneficiary_id",
            "care_date": "s.care_date",
            "care_type": "s.care_type",
            "act": "s.act",
            "practitioner": "s.practitioner",
            "real_cost": "s.real",
            "ss_base": "s.base",
            "ss_share": ss,
            "insurer_share": f"greatest(0, least({insurer_raw}, s.real - {ss}))",
        },
        f"FROM ({shared}) AS s",
    )


def _load_payments(cursor) -> None:
    """Each payment pays the sum of its lines' insurer shares; g is its id."""
    insert_select(
        cursor,
        Payment,
        {
            "id": "p.g",
            "number": "'BP' || lpad(p.g::text, 9, '0')",
            "member_id": "p.member_id",
            "payment_date": "p.payment_date",
            "payee_kind": f"CASE WHEN p.payee = '' THEN {_sql_string(PayeeKind.MEMBER)} "
            f"ELSE {_sql_string(PayeeKind.PROFESSIONAL)} END",
            "payee_name": "CASE WHEN p.payee = '' THEN p.name ELSE p.payee END",
            "amount": "s.amount",
        },
        "FROM cov_pay p JOIN (SELECT payment_id, sum(insurer_share) AS amount "
        f"FROM {Reimbursement._meta.db_table} GROUP BY payment_id) AS s ON s.payment_id = p.g",
    )
    table = Payment._meta.db_table
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
    )
