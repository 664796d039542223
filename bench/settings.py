"""The portal's settings, pointed at the bench database, with the bench-only URLs added.

The database comes from BENCH_DATABASE_URL (never DATABASE_URL: the loader empties tables, so the
bench must not be pointed at a real database by an environment meant for something else).
"""

import os
from pathlib import Path

from bench import DEFAULT_BENCH_DATABASE_URL

_BASE_DIR = Path(__file__).resolve().parent.parent

os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)
os.environ.pop("DATABASE_URL_FILE", None)
os.environ.setdefault("GUICHET_VAR_DIR", str(_BASE_DIR / "var" / "bench"))
os.environ.setdefault("STATIC_ROOT", str(_BASE_DIR / "var" / "bench" / "staticfiles"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DEBUG"] = "0"

from portal.settings import *  # noqa: E402, F403
from portal.settings import BASE_DIR, TEMPLATES  # noqa: E402

DEBUG = False
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
