"""`member_history_grid`: the member's lists over the whole grid of what they offer, for the bench
member (10,000 requests among 1,000,000; about 2,000 reimbursement lines over 5 years among
5,000,000).

    member_history_grid cases=… worst=<case> worst_p50_ms=… worst_ratio=… worst_p95_ms=… …

The grid: "Échanger avec nous" (/demandes/) with each status, each kind, a search by word (with
and without accents) and by partial reference, three combinations, three page sizes, the first,
last and 5,000th (past the last) pages; "Ma messagerie" (/messagerie/) with a search and its
pages; "Historique des mails" with its first and last pages; "Mes remboursements" over the
default year, 5 years, one beneficiary, one type of care, both, and a page. Each case is timed
ROUNDS times through gunicorn, alternating with the bare member page; `worst` is the case of the
highest p50 / bare p50 ratio (target <= 1.5), `worst_p95_ms` the highest p95 (target < 100).
Every case's figures go to stderr, slowest first.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from bench.data import log
from bench.data_cover import cover_dataset
from bench.figures.member_history import BARE
from bench.grid import measure_grid
from bench.server import member_cookies
from requests_app.models import MemberRequest

NAME = "member_history_grid"
ROUNDS = 30


def cases(user) -> dict[str, str]:
    member = user.member
    mine = MemberRequest.objects.filter(member=member)
    reference = mine.order_by("created_at")[5000].reference
    count = mine.count()
    beneficiary = member.beneficiaries.order_by("pk").first()
    today = timezone.localdate()
    five_years = (today - timedelta(days=5 * 365)).strftime("%d/%m/%Y")
    grid = {
        "demandes": "/demandes/",
        "demandes statut=new": "/demandes/?statut=new",
        "demandes statut=in_progress": "/demandes/?statut=in_progress",
        "demandes statut=resolved": "/demandes/?statut=resolved",
        "demandes type=document": "/demandes/?type=document",
        "demandes type=change": "/demandes/?type=change",
        "demandes recherche=osteopathie": "/demandes/?recherche=osteopathie",
        "demandes recherche=Ostéopathie": "/demandes/?recherche=Ost%C3%A9opathie",
        "demandes recherche=reference": f"/demandes/?recherche={reference[:-2]}",
        "demandes statut+type": "/demandes/?statut=resolved&type=refund",
        "demandes statut+recherche": "/demandes/?statut=resolved&recherche=facture",
        "demandes type+recherche": "/demandes/?type=question&recherche=carte",
        "demandes taille=10": "/demandes/?taille=10",
        "demandes taille=50": "/demandes/?taille=50",
        "demandes taille=100": "/demandes/?taille=100",
        "demandes page=1": "/demandes/?page=1",
        "demandes last page": f"/demandes/?page={(count + 9) // 10}",
        "demandes page=5000": "/demandes/?page=5000",
        "messagerie": "/messagerie/",
        "messagerie recherche=remboursement": "/messagerie/?recherche=remboursement",
        "messagerie recherche=decompte": "/messagerie/?recherche=decompte",
        "messagerie last page": f"/messagerie/?page={(count + 9) // 10}",
        "mails": "/mes-documents/historique-des-mails/",
        "mails page=500": "/mes-documents/historique-des-mails/?page=500",
        "remboursements": "/remboursements/",
        "remboursements 5 ans": f"/remboursements/?du={five_years}",
        "remboursements beneficiaire": f"/remboursements/?du={five_years}"
        f"&beneficiaire={beneficiary.pk}",
        "remboursements soins": f"/remboursements/?du={five_years}&soins=pharmacy",
        "remboursements beneficiaire+soins": f"/remboursements/?du={five_years}"
        f"&beneficiaire={beneficiary.pk}&soins=dental",
        "remboursements page=5": f"/remboursements/?du={five_years}&page=5",
    }
    return grid


def run() -> str:
    data = cover_dataset()
    user = User.objects.get(pk=data.user_id)
    grid = cases(user)
    line, results = measure_grid(
        NAME,
        member_cookies(user),
        "",
        BARE,
        grid,
        rounds=ROUNDS,
    )
    for label, p50, p95, ratio in results:
        log(f"{NAME} {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, ratio {ratio:.2f}")
    return line
