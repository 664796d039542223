"""gunicorn settings for the `web` container; each can be overridden by an environment variable."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Uploads are capped by the application; this only bounds a slow client's headers.
limit_request_field_size = 8190
# Behind a TLS proxy that sets X-Forwarded-Proto (HTTPS=1 trusts it in Django).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
# The path without its query string, and no referer (which carries the previous page's): what a
# member types in a search, a position or a question never lands in the access log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# A worker restarted now and then keeps a slow leak from growing.
max_requests = 1000
max_requests_jitter = 100
