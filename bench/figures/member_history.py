"""`member_history`: the history page ("Échanger avec nous", /demandes/) of a member with 10,000
requests, in a table of 1,000,000, against a bare member page served the same way.

    member_history p50_ms=… p95_ms=… queries_10=… queries_100=… bare_p50_ms=… ratio=…

- p50_ms, p95_ms: median and 95th percentile of REQUESTS sequential GETs of /demandes/ through
  gunicorn (keep-alive connection, session cookie of the member), in milliseconds;
- queries_10, queries_100: SQL queries to serve /demandes/?taille=10 and ?taille=100 (counted
  in-process); equal when the page has no query per row;
- bare_p50_ms: median of /bench/bare/, a member page with the same middleware, session, member
  lookup and base template but nothing of its own, timed in the same run (requests alternate);
- ratio: p50_ms / bare_p50_ms, what the history adds to any member page. Target: <= 1.5.
"""

import statistics

from accounts.models import User
from bench.data import requests_dataset
from bench.measure import count_queries, format_line, ms, percentile
from bench.server import alternate_timings, member_cookies

NAME = "member_history"
HISTORY = "/demandes/"
BARE = "/bench/bare/"
WARM_UP = 20
REQUESTS = 200


def run() -> str:
    data = requests_dataset()
    user = User.objects.get(pk=data.user_id)
    cookies = member_cookies(user)
    queries_10 = count_queries(cookies, f"{HISTORY}?taille=10")
    queries_100 = count_queries(cookies, f"{HISTORY}?taille=100")
    samples = alternate_timings(
        member_cookies(user), [HISTORY, BARE], warm_up=WARM_UP, requests=REQUESTS
    )
    p50 = ms(statistics.median(samples[HISTORY]))
    bare_p50 = ms(statistics.median(samples[BARE]))
    return format_line(
        NAME,
        p50_ms=p50,
        p95_ms=ms(percentile(samples[HISTORY], 95)),
        queries_10=queries_10,
        queries_100=queries_100,
        bare_p50_ms=bare_p50,
        ratio=p50 / bare_p50,
    )
