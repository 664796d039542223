"""Small helpers shared by the figures: percentiles, query counts, the printed line."""

import statistics

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def percentile(samples: list[float], percent: int) -> float:
    """The `percent`-th percentile (linear interpolation between the closest ranks)."""
    if not samples:
        raise ValueError("no samples")
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def ms(seconds: float) -> float:
    return seconds * 1000


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def format_line(name: str, **values) -> str:
    """`NAME key=value ...`: one line per figure, floats with 2 decimals."""
    parts = [name, *(f"{key}={format_value(value)}" for key, value in values.items())]
    return " ".join(parts)


def count_queries(cookies: dict[str, str], path: str) -> int:
    """SQL queries run to serve `path` in-process (django.test.Client), after one warm-up GET
    (so one-time work such as the first connection does not count)."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr")
    for name, value in cookies.items():
        client.cookies[name] = value
    warm_up = client.get(path)
    if warm_up.status_code != 200:
        raise RuntimeError(f"GET {path} answered {warm_up.status_code} in-process")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code} in-process")
    return len(captured.captured_queries)
