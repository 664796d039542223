#!/bin/sh
# Container entrypoint. `web` (default): migrate, collect static files, then gunicorn.
# `worker`: a Celery worker on the queues of CELERY_QUEUES (all of them by default).
# `beat`: the Celery scheduler of the periodic jobs (one runs at a time: a lock in Redis).
# Anything else is run as a command (e.g. `python manage.py createsuperuser`).
set -eu
cd /app

# A replica of a scaled-out deployment shares no disk with the others: files must be on object
# storage (README, "Scale-out").
if [ "${REQUIRE_STORAGE_URL:-0}" = 1 ] && [ -z "${STORAGE_URL:-}" ]; then
  echo "This replica needs STORAGE_URL (s3://… or s3+http://…): uploads cannot stay on one host." >&2
  exit 64
fi

case "${1:-web}" in
  web)
    if [ "${MIGRATE:-1}" = 1 ]; then
      python manage.py migrate --noinput
      python manage.py storage_bucket
    fi
    python manage.py collectstatic --noinput --verbosity 0
    exec gunicorn --config deploy/gunicorn.conf.py portal.wsgi:application
    ;;
  worker)
    exec celery -A portal worker --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_CONCURRENCY:-2}" \
      --queues="${CELERY_QUEUES:-default,emails,files,exports,pdfs}"
    ;;
  beat)
    exec celery -A portal beat --loglevel="${LOG_LEVEL:-INFO}" \
      --schedule="${GUICHET_VAR_DIR:-/var/lib/guichet}/celerybeat-schedule"
    ;;
  *)
    exec "$@"
    ;;
esac
