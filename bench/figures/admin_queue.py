"""`admin_queue`: the managers' queues in the admin (/gestion/) at 1,000,000 requests each.

    admin_queue kind=member p50_ms=… p95_ms=… queries=… worst=<probe> worst_p50_ms=… …
    admin_queue kind=partner p50_ms=… p95_ms=… queries=… worst=<probe> worst_p50_ms=… …

The member queue is read by an insurer manager allowed to work it (every member request);
the partner queue by the manager of CPAM GIRONDE (the five organisms they manage, about
50,000 requests). Probes: the default page (open requests, oldest first), each filter alone
(every status, "Réponse reçue", all, each age bucket, past the target delay, mine, unassigned,
a request type, an ODS and an organism for partners), searches (a name without its accents, a
name and first name, a member number or a number by its beginning, a reference by its
beginning), sorts, page 2 and the last page. Each probe is timed ROUNDS times through
gunicorn, the probes in turn. `p50_ms`/`p95_ms` are the default page's, `queries` the SQL
statements it runs (in-process), `worst` the probe of the highest p50 (target < 150 ms).
Every probe's figures go to stderr, slowest first.
"""

import re
import statistics
from urllib.parse import quote_plus

from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import Member, User
from bench.data import log, partners_dataset
from bench.measure import count_queries, format_line, ms, percentile
from bench.server import alternate_timings, member_cookies
from partners.models import Organism, PartnerRequest
from requests_app.models import MemberRequest

NAME = "admin_queue"
ROUNDS = 20
MEMBER_QUEUE = "/gestion/requests_app/memberrequest/"
PARTNER_QUEUE = "/gestion/partners/partnerrequest/"


def _member_manager() -> User:
    user = User.objects.get(username="bench-manager-01")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="requests_app",
            codename__in=["view_memberrequest", "change_memberrequest"],
        )
    )
    return User.objects.get(pk=user.pk)  # permissions cache reset


def _last_page(cookies: dict, queue: str) -> int:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr")
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get(queue)
    if response.status_code != 200:
        raise RuntimeError(f"GET {queue} answered {response.status_code} in-process")
    pages = [int(n) for n in re.findall(r'href="\?p=(\d+)"', response.content.decode())]
    return max(pages, default=1)


def _common_filters() -> dict[str, str]:
    return {
        "status=new": "status__exact=new",
        "status=in_progress": "status__exact=in_progress",
        "status=awaiting": "status__exact=awaiting",
        "status=resolved": "status__exact=resolved",
        "status=reply": "status__exact=reply",
        "status=all": "status__exact=all",
        "age=lt2": "age=lt2",
        "age=2to7": "age=2to7",
        "age=gt7": "age=gt7",
        "retard=1": "retard=1",
        "assignee=me": "assignee=me",
        "assignee=none": "assignee=none",
        "sort=reference": "o=1",
        "sort=reference desc": "o=-1",
        "sort=age": "o=4",
        "sort=status": "o=5",
        "page=2": "p=2",
    }


def member_probes(cookies: dict) -> dict[str, str]:
    sample = MemberRequest.objects.order_by("-created_at")[5000]
    member = Member.objects.get(pk=sample.member_id)
    probes = {
        "default": "",
        **_common_filters(),
        "kind=document": "kind__exact=document",
        "search=name": "q=" + quote_plus("dubois"),
        "search=name first name": "q=" + quote_plus("DUBOIS Léa"),
        "search=unaccented": "q=" + quote_plus("lea dubois"),
        "search=member number": "q=" + quote_plus(member.member_number[:-1]),
        "search=reference prefix": "q=" + quote_plus(sample.reference[:-2]),
        "status=resolved&page=2": "status__exact=resolved&p=2",
    }
    last = _last_page(cookies, MEMBER_QUEUE)
    probes[f"page={last} (last)"] = f"p={last}"
    return probes


def partner_probes(cookies: dict, organism: Organism) -> dict[str, str]:
    sample = PartnerRequest.objects.filter(organism=organism).exclude(last_name="")
    sample = sample.order_by("-created_at")[500]
    probes = {
        "default": "",
        **_common_filters(),
        "service=2": "service__exact=2",
        f"organism={organism.code}": f"organism__id__exact={organism.pk}",
        "search=name": "q=" + quote_plus(sample.last_name),
        "search=name first name": "q=" + quote_plus(f"{sample.last_name} {sample.first_name}"),
        "search=unaccented": "q=josephine",
        "search=number prefix": "q=" + sample.number[:7],
        "status=resolved&page=2": "status__exact=resolved&p=2",
    }
    last = _last_page(cookies, PARTNER_QUEUE)
    probes[f"page={last} (last)"] = f"p={last}"
    return probes


def measure(kind: str, cookies: dict, queue: str, probes: dict[str, str]) -> str:
    paths = {label: f"{queue}?{query}" if query else queue for label, query in probes.items()}
    queries = count_queries(cookies, queue)
    samples = alternate_timings(cookies, list(paths.values()), warm_up=2, requests=ROUNDS)
    results = []
    for label, path in paths.items():
        times = samples[path]
        results.append((label, ms(statistics.median(times)), ms(percentile(times, 95))))
    results.sort(key=lambda row: row[1], reverse=True)
    for label, p50, p95 in results:
        log(f"{NAME} {kind} {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    default = samples[queue]
    return format_line(
        NAME,
        kind=kind,
        p50_ms=ms(statistics.median(default)),
        p95_ms=ms(percentile(default, 95)),
        queries=queries,
        probes=len(probes),
        worst=results[0][0].replace(" ", "_"),
        worst_p50_ms=results[0][1],
    )


def run() -> str:
    data = partners_dataset()
    member_manager = _member_manager()
    cookies = member_cookies(member_manager)
    lines = [measure("member", cookies, MEMBER_QUEUE, member_probes(cookies))]
    organism = Organism.objects.get(pk=data.organism_id)
    partner_manager = organism.managers.order_by("pk").first()
    cookies = member_cookies(partner_manager)
    lines.append(measure("partner", cookies, PARTNER_QUEUE, partner_probes(cookies, organism)))
    return "\n".join(lines)
