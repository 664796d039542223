"""`partner_history_grid`: "Historique des demandes" of the bench structure (100,000 requests at
CPAM GIRONDE, in a table of 1,000,000) over the whole grid of what the page offers.

    partner_history_grid cases=… worst=<case> worst_p50_ms=… worst_ratio=… worst_p95_ms=… …

The grid: every sort in both directions; each filter alone (status, ODS, motif, requester,
person with and without accents, a one-year date range, a partial number); three combinations;
three page sizes; the first, 5,000th and last pages. The person searched is the one of the
middle request, then the most common surname of the data set (as frequent as MARTIN in
France). Each case is timed ROUNDS times through gunicorn, alternating with the bare partner
page; `worst` is the case of the highest p50 / bare p50 ratio (target <= 1.5), `worst_p95_ms`
the highest p95 of any case (target < 100), named by `worst_p95_case`. Every case's figures go
to stderr, slowest first.
"""

from datetime import timedelta
from urllib.parse import quote_plus

from django.utils import timezone

from accounts.models import User
from bench.data import log, partners_dataset
from bench.figures.partner_history import BARE, partner_cookies
from bench.grid import measure_grid
from partners.models import PartnerRequest

NAME = "partner_history_grid"
HISTORY = "/partenaires/historique/"
ROUNDS = 30
# The most common surname of the data set (bench.data.FREQUENT_SURNAMES): the person search that
# finds the most requests.
MOST_COMMON = "martin"
SORTS = ["date", "numero", "statut", "ods", "motif", "demandeur", "personne", "date_statut"]


def cases(data) -> dict[str, str]:
    mine = PartnerRequest.objects.filter(
        structure_id=data.structure_id, organism_id=data.organism_id
    )
    sample = mine.exclude(last_name="").order_by("created_at")[50_000]
    requester = sample.requester_id
    today = timezone.localdate()
    year_ago = (today - timedelta(days=365)).strftime("%d/%m/%Y")
    count = mine.exclude(status="cancelled").count()
    last = (count + 9) // 10
    grid = {}
    for sort in SORTS:
        for order in ("desc", "asc"):
            grid[f"tri={sort}&ordre={order}"] = f"tri={sort}&ordre={order}"
    grid.update(
        {
            "statut=new": "statut=new",
            "statut=resolved": "statut=resolved",
            "ods=2": "ods=2",
            "motif=1-aide_financiere": "motif=1-aide_financiere",
            f"demandeur={requester}": f"demandeur={requester}",
            "personne=name": f"personne={quote_plus(sample.last_name)}",
            "personne=most common": f"personne={MOST_COMMON}",
            "personne=first+last": "personne="
            + quote_plus(f"{sample.last_name} {sample.first_name}"),
            "personne=unaccented": "personne=josephine",
            "du=one_year": f"du={year_ago}",
            "numero=partial": f"numero={sample.number[3:8]}",
            "statut+ods": "statut=resolved&ods=4",
            "ods+motif+du": f"ods=1&motif=1-aide_financiere&du={year_ago}",
            "personne+statut+tri=personne": f"personne={MOST_COMMON}&statut=resolved"
            "&tri=personne&ordre=asc",
            "taille=10": "taille=10",
            "taille=50": "taille=50",
            "taille=100": "taille=100",
            "page=1": "page=1",
            "page=5000": "page=5000",
            f"page={last} (last)": f"page={last}",
            "page=5000&tri=personne": "page=5000&tri=personne&ordre=asc",
        }
    )
    return grid


def run() -> str:
    data = partners_dataset()
    user = User.objects.get(pk=data.technician_id)
    line, results = measure_grid(
        NAME,
        partner_cookies(user, data.organism_id),
        HISTORY,
        BARE,
        cases(data),
        rounds=ROUNDS,
    )
    for label, p50, p95, ratio in results:
        log(f"{NAME} {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, ratio {ratio:.2f}")
    return line
