"""The grid figures: a history page measured over every sort, filter and page it offers, and
the worst case printed (`*_history_grid`).

Each case is a query string of the page; the cases and the bare page are requested in turn,
round after round, through gunicorn, so that all of them see the same machine load.
"""

import statistics

from bench.measure import format_line, ms, percentile
from bench.server import alternate_timings


def measure_grid(
    name: str, cookies: dict, page: str, bare: str, cases: dict[str, str], *, rounds: int
) -> tuple[str, list[tuple[str, float, float, float]]]:
    """(the printed line, [(case, p50_ms, p95_ms, ratio)] slowest first). A case is the query
    string of `page`, or a whole path when `page` is empty."""
    paths = {
        label: (f"{page}?{query}" if query else page) if page else query
        for label, query in cases.items()
    }
    samples = alternate_timings(cookies, [*paths.values(), bare], warm_up=3, requests=rounds)
    bare_p50 = ms(statistics.median(samples[bare]))
    results = []
    for label, path in paths.items():
        times = samples[path]
        p50 = ms(statistics.median(times))
        results.append((label, p50, ms(percentile(times, 95)), p50 / bare_p50))
    results.sort(key=lambda row: row[3], reverse=True)
    worst = results[0]
    worst_p95 = max(results, key=lambda row: row[2])
    line = format_line(
        name,
        cases=len(cases),
        worst=worst[0],
        worst_p50_ms=worst[1],
        worst_ratio=worst[3],
        worst_p95_ms=worst_p95[2],
        worst_p95_case=worst_p95[0],
        bare_p50_ms=bare_p50,
    )
    return line, results
