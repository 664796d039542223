"""`member_home`: the home page (/) of a member with 5 years of reimbursements (about 2,000
lines, in a table of 5,000,000), with its 12-month "Focus remboursements" and last three
payments, against a bare member page served the same way.

    member_home p50_ms=… p95_ms=… queries=… bare_p50_ms=… ratio=…

- p50_ms, p95_ms: median and 95th percentile of REQUESTS sequential GETs of / through gunicorn
  (keep-alive connection, session cookie of the member), in milliseconds;
- queries: SQL queries to serve / (counted in-process, as member_history counts them);
- bare_p50_ms: median of /bench/bare/, a member page with the same middleware, session, member
  lookup and base template but nothing of its own, timed in the same run (requests alternate);
- ratio: p50_ms / bare_p50_ms, what the home page adds to any member page. Target: <= 1.5.
"""

import statistics

from accounts.models import User
from bench.data_cover import cover_dataset
from bench.measure import count_queries, format_line, ms, percentile
from bench.server import alternate_timings, member_cookies

NAME = "member_home"
HOME = "/"
BARE = "/bench/bare/"
WARM_UP = 20
REQUESTS = 200


def run() -> str:
    data = cover_dataset()
    user = User.objects.get(pk=data.user_id)
    cookies = member_cookies(user)
    queries = count_queries(cookies, HOME)
    samples = alternate_timings(
        member_cookies(user), [HOME, BARE], warm_up=WARM_UP, requests=REQUESTS
    )
    p50 = ms(statistics.median(samples[HOME]))
    bare_p50 = ms(statistics.median(samples[BARE]))
    return format_line(
        NAME,
        p50_ms=p50,
        p95_ms=ms(percentile(samples[HOME], 95)),
        queries=queries,
        bare_p50_ms=bare_p50,
        ratio=p50 / bare_p50,
    )
