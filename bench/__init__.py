"""`make bench`: performance figures measured on a PostgreSQL database loaded at production volume.

See bench/README.md. Nothing here is imported by the portal itself.
"""

DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guichet_bench"
