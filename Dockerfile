# Guichet production image. One image, three roles (see docker-compose.yml and
# deploy/entrypoint.sh): `web` (migrate, collectstatic, gunicorn; static files served by
# whitenoise), `worker` (Celery worker) and `beat` (Celery scheduler of the periodic jobs).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    GUICHET_VAR_DIR=/var/lib/guichet \
    MEDIA_ROOT=/var/lib/guichet/uploads \
    STATIC_ROOT=/app/staticfiles

# libmagic1: file type detection of uploads (python-magic). curl: the container health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

# An unprivileged user owns only what the application writes: its var/ folder (uploads,
# beat schedule; a volume) and the collected static files.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/guichet guichet \
    && mkdir -p /var/lib/guichet/uploads /app/staticfiles \
    && chown -R guichet:guichet /var/lib/guichet /app/staticfiles
COPY . .
USER guichet
VOLUME ["/var/lib/guichet"]
EXPOSE 8000

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
