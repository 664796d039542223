#!/bin/sh
# Container entrypoint. `web` (default): migrate, collect static files, then gunicorn.
# `worker`: a Celery worker. `beat`: the Celery scheduler of the periodic jobs.
# Anything else is run as a command (e.g. `python manage.py createsuperuser`).
set -eu
cd /app

case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    python manage.py collectstatic --noinput --verbosity 0
    exec gunicorn --config deploy/gunicorn.conf.py portal.wsgi:application
    ;;
  worker)
    exec celery -A portal worker --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_CONCURRENCY:-2}"
    ;;
  beat)
    exec celery -A portal beat --loglevel="${LOG_LEVEL:-INFO}" \
      --schedule="${GUICHET_VAR_DIR:-/var/lib/guichet}/celerybeat-schedule"
    ;;
  *)
    exec "$@"
    ;;
esac
