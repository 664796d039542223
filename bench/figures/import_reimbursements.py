"""`import_reimbursements`: a 100,000-line reimbursement file loaded by `manage.py
import_reimbursements`, in-process, into the bench database.

    import_reimbursements lines=100000 seconds=… rejected=0 payments=… lines_per_s=… rerun_seconds=…

- lines: lines in the file, one reimbursed act each, spread over the bench member and the first
  MEMBERS - 1 other bench members (B0000001…), about a quarter of them for a beneficiary,
  grouped into payments of 1 to 4 acts (tiers payant for most pharmacy and hospital payments),
  with amounts shaped like each type of care's (bases, Sécurité sociale and insurer shares);
- seconds: wall time of the import command (reading, checking, loading, amounts recomputed),
  not of writing the file. Target: well under 60;
- rejected: lines the import refused (target 0: the file is valid), checked against the lines
  found in the table afterwards;
- payments: payments the import created;
- rerun_seconds: the same file imported again, where every line is recognised as already loaded
  and nothing is written.

The file is written to var/bench/import_reimbursements.csv. Every line, payment and
beneficiary reference this figure creates carries PREFIX: they are deleted (references blanked)
before the run, in case an earlier one was interrupted, and after it, so the bench database
does not grow. The bench loader gives beneficiaries no reference: the figure lends one to those
of the members it uses.
"""

import io
import random
import re
import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import CharField, F, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import Beneficiary, Member
from bench.data import BENCH_MEMBER_NUMBER, log, requests_dataset
from bench.measure import format_line
from cover.imports.reimbursements import COLUMNS
from cover.models import Payment, Reimbursement

NAME = "import_reimbursements"
LINES = 100_000
MEMBERS = 20_000
PREFIX = "BENCHIMP-"
SEED = 20250501
CENT = Decimal("0.01")

PHARMACIES = ["Pharmacie du Centre", "Pharmacie de la Gare", "Pharmacie des Chartrons"]
CLINICS = ["Clinique Saint-Augustin", "CHU de Bordeaux", "Polyclinique Bordeaux Nord"]
DOCTORS = ["Dr Jeanne LEROY", "Dr Paul MOREAU", "Dr Inès GARNIER", "Dr Hugo FAURE"]
CARE = [
    # care type, weight, acts
    ("pharmacy", 35, ["Médicaments remboursables", "Médicaments à 30 %", "Vaccin"]),
    ("consultation", 25, ["Consultation médecin généraliste", "Consultation spécialiste"]),
    ("lab", 10, ["Analyses de biologie médicale", "Radiographie", "Échographie"]),
    ("paramedical", 8, ["Séance de kinésithérapie", "Soins infirmiers", "Orthophonie"]),
    ("dental", 7, ["Détartrage", "Couronne céramique", "Soins conservateurs"]),
    ("optics", 5, ["Verres progressifs", "Monture", "Lentilles"]),
    ("hospital", 3, ["Forfait journalier", "Frais de séjour", "Chambre particulière"]),
    ("devices", 3, ["Semelles orthopédiques", "Attelle", "Tensiomètre"]),
    ("soft_medicine", 3, ["Séance d'ostéopathie", "Séance d'acupuncture"]),
    ("audio", 1, ["Aide auditive"]),
]


def run() -> str:
    requests_dataset()
    _clear()
    started = time.perf_counter()
    people = _people()
    path = settings.VAR_DIR / f"{NAME}.csv"
    payments = _write(path, people, f"{PREFIX}{int(time.time()):x}-")
    log(
        f"{NAME}: wrote {LINES:,} lines ({payments:,} payments, {len(people):,} members) in "
        f"{time.perf_counter() - started:.1f} s to {path}"
    )
    try:
        seconds, output = _import(path)
        rejected = int(re.search(r"rejetées : (\d+)", output).group(1))
        loaded = Reimbursement.objects.filter(external_id__startswith=PREFIX).count()
        created = Payment.objects.filter(number__startswith=PREFIX).count()
        if loaded != LINES - rejected:
            raise RuntimeError(f"{loaded} lines in the table, {LINES - rejected} expected")
        _check_amounts()
        rerun_seconds, rerun = _import(path)
        if f"déjà chargées : {loaded}," not in rerun:
            raise RuntimeError(f"the second run loaded something: {rerun}")
    finally:
        _clear()
    return format_line(
        NAME,
        lines=LINES,
        seconds=seconds,
        rejected=rejected,
        payments=created,
        lines_per_s=round(LINES / seconds),
        rerun_seconds=rerun_seconds,
    )


def _import(path) -> tuple[float, str]:
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_reimbursements", str(path), stdout=out)
    seconds = time.perf_counter() - started
    output = out.getvalue()
    summary = output.strip().splitlines()[-1]
    log(f"{NAME}: {seconds:.1f} s, {summary}")
    return seconds, output


def _check_amounts() -> None:
    """Each payment's amount is the sum of its lines' insurer shares."""
    wrong = (
        Payment.objects.filter(number__startswith=PREFIX)
        .annotate(total=Sum("lines__insurer_share"))
        .exclude(amount=F("total"))
        .count()
    )
    if wrong:
        raise RuntimeError(f"{wrong} payments whose amount is not the sum of their lines")


def _clear() -> None:
    """Delete what this figure created: lines, payments, beneficiary references; then vacuum
    those tables, so that the figures after this one find them as the loader left them (the
    steady state autovacuum keeps in production), not with 100,000 dead rows among the bench
    member's and their index-only reads sent back to the table."""
    with transaction.atomic():
        lines, _by_model = Reimbursement.objects.filter(external_id__startswith=PREFIX).delete()
        payments, _by_model = Payment.objects.filter(number__startswith=PREFIX).delete()
        Beneficiary.objects.filter(external_ref__startswith=PREFIX).update(external_ref="")
    if lines or payments:
        log(f"{NAME}: deleted {lines:,} lines and {payments:,} payments")
        with connection.cursor() as cursor:
            for model in (Reimbursement, Payment, Beneficiary):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _people() -> list[tuple[str, list[str]]]:
    """(member number, beneficiary refs) of the members the file names. Beneficiaries get a
    reference (PREFIX…) for the run when they have none: the bench loader gives them none."""
    numbers = [BENCH_MEMBER_NUMBER] + [f"B{n:07d}" for n in range(1, MEMBERS)]
    members = dict(
        Member.objects.filter(member_number__in=numbers).values_list("pk", "member_number")
    )
    Beneficiary.objects.filter(member_id__in=members, external_ref="").update(
        external_ref=Concat(Value(PREFIX), Cast("pk", CharField()))
    )
    refs: dict[int, list[str]] = {pk: [] for pk in members}
    for member_id, ref in Beneficiary.objects.filter(member_id__in=members).values_list(
        "member_id", "external_ref"
    ):
        refs[member_id].append(ref)
    return [(number, refs[pk]) for pk, number in members.items()]


def _money(value: float) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _amounts(rng: random.Random, care_type: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """real cost, base, Sécurité sociale share, insurer share: shaped like the care's."""
    if care_type == "consultation":
        base = _money(rng.choice([26.5, 30, 30, 30, 50]))
        real = base + _money(rng.choice([0, 0, 0, 10, 25]))
        ss = max(base * Decimal("0.70") - 2, Decimal(0)).quantize(CENT)
        insurer = min(real - ss, base * Decimal("1.5") - ss).quantize(CENT)
    elif care_type in ("pharmacy", "lab", "paramedical"):
        real = _money(rng.uniform(4, 150))
        base = real
        rate = {"pharmacy": "0.65", "lab": "0.60", "paramedical": "0.60"}[care_type]
        ss = (base * Decimal(rate)).quantize(CENT)
        insurer = real - ss
    elif care_type == "dental":
        base = _money(rng.uniform(25, 120))
        real = base + _money(rng.uniform(0, 700))
        ss = (base * Decimal("0.70")).quantize(CENT)
        insurer = min(real - ss, base * 3 - ss)
    elif care_type == "optics":
        base = _money(rng.uniform(0.05, 9))
        real = _money(rng.uniform(80, 600))
        ss = (base * Decimal("0.60")).quantize(CENT)
        insurer = min(real - ss, Decimal(250))
    elif care_type == "audio":
        base, real = Decimal(400), _money(rng.uniform(900, 1700))
        ss = Decimal(240)
        insurer = min(real - ss, Decimal(700))
    elif care_type == "hospital":
        real = _money(rng.uniform(20, 3000))
        base = real
        ss = (base * Decimal("0.80")).quantize(CENT)
        insurer = real - ss
    elif care_type == "devices":
        real = _money(rng.uniform(20, 300))
        base = (real * Decimal("0.8")).quantize(CENT)
        ss = (base * Decimal("0.60")).quantize(CENT)
        insurer = min(real - ss, base - ss)
    else:  # soft medicine: no Sécurité sociale base, a flat amount per session
        real = _money(rng.uniform(40, 75))
        base = ss = Decimal("0.00")
        insurer = min(real, _money(rng.choice([20, 25, 30, 40])))
    return real, base, ss, insurer


def _decimal(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _write(path, people, prefix: str) -> int:
    """Write the file; the number of payments in it."""
    rng = random.Random(SEED)
    care_types = [care for care, _weight, _acts in CARE]
    weights = [weight for _care, weight, _acts in CARE]
    acts = {care: names for care, _weight, names in CARE}
    today = timezone.localdate()
    header = ";".join(column.name for column in COLUMNS)
    written = payments = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        while written < LINES:
            payments += 1
            number, refs = rng.choice(people)
            paid = today - timedelta(days=rng.randint(1, 365))
            first_care = rng.choices(care_types, weights)[0]
            third_party = (
                first_care == "pharmacy" and rng.random() < 0.7
            ) or first_care == "hospital"
            payee_kind = "professionnel" if third_party else "adherent"
            payee_name = (
                rng.choice(CLINICS if first_care == "hospital" else PHARMACIES)
                if third_party
                else ""
            )
            for act_index in range(min(rng.randint(1, 4), LINES - written)):
                care = (
                    first_care
                    if third_party or act_index == 0
                    else rng.choices(care_types, weights)[0]
                )
                real, base, ss, insurer = _amounts(rng, care)
                ref = rng.choice(refs) if refs and rng.random() < 0.35 else ""
                written += 1
                handle.write(
                    ";".join(
                        [
                            f"{prefix}{written:06d}",
                            f"{prefix}P{payments:06d}",
                            paid.strftime("%d/%m/%Y"),
                            payee_kind,
                            payee_name,
                            number,
                            ref,
                            (paid - timedelta(days=rng.randint(2, 30))).strftime("%d/%m/%Y"),
                            care,
                            rng.choice(acts[care]),
                            "" if care == "pharmacy" else rng.choice(DOCTORS),
                            _decimal(real),
                            _decimal(base),
                            _decimal(ss),
                            _decimal(insurer),
                        ]
                    )
                    + "\n"
                )
    return payments
