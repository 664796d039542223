"""`partner_history`: "Historique des demandes" (/partenaires/historique/) of a structure with
100,000 requests at one organism, in a table of 1,000,000, against a bare partner page served the
same way.

    partner_history p50_ms=… p95_ms=… queries_10=… queries_100=… bare_p50_ms=… ratio=…

- p50_ms, p95_ms: median and 95th percentile of REQUESTS sequential GETs of the history (default
  page size, newest first) through gunicorn (keep-alive connection, session cookie of a
  technician of the structure with CPAM GIRONDE chosen), in milliseconds;
- queries_10, queries_100: SQL queries to serve the history with ?taille=10 and ?taille=100
  (counted in-process); equal when the page has no query per row;
- bare_p50_ms: median of /bench/partner-bare/, a partner page with the same middleware, session,
  membership, chosen organism and convention lookups and partner base template but nothing of
  its own, timed in the same run (requests alternate);
- ratio: p50_ms / bare_p50_ms, what the history adds to any partner page. Target: <= 1.5.
"""

import statistics
from importlib import import_module

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from bench.data import partners_dataset
from bench.measure import count_queries, format_line, ms, percentile
from bench.server import alternate_timings, member_cookies
from partners.selectors import SESSION_ORGANISM

NAME = "partner_history"
BARE = "/bench/partner-bare/"
WARM_UP = 20
REQUESTS = 200


def partner_cookies(user, organism_id: int) -> dict[str, str]:
    """A signed-in, second-factor-verified session of `user` with the organism chosen, as the
    organism list leaves it after "Valider"."""
    cookies = member_cookies(user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(session_key=cookies[settings.SESSION_COOKIE_NAME])
    session[SESSION_ORGANISM] = organism_id
    session.save()
    return cookies


def run() -> str:
    data = partners_dataset()
    user = User.objects.get(pk=data.technician_id)
    history = reverse("partners:history")
    cookies = partner_cookies(user, data.organism_id)
    queries_10 = count_queries(cookies, f"{history}?taille=10")
    queries_100 = count_queries(cookies, f"{history}?taille=100")
    samples = alternate_timings(
        partner_cookies(user, data.organism_id), [history, BARE], warm_up=WARM_UP, requests=REQUESTS
    )
    p50 = ms(statistics.median(samples[history]))
    bare_p50 = ms(statistics.median(samples[BARE]))
    return format_line(
        NAME,
        p50_ms=p50,
        p95_ms=ms(percentile(samples[history], 95)),
        queries_10=queries_10,
        queries_100=queries_100,
        bare_p50_ms=bare_p50,
        ratio=p50 / bare_p50,
    )
