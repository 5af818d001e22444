#!/bin/sh
# One entrypoint for every Min Side process. Used by the Dockerfile / docker-compose.yml and
# by CI's smoke test (.ci/run), so what CI starts is what municipal IT runs.
#   web     migrate, then gunicorn on $PORT (default 8000)
#   worker  Celery worker for all queues (or $CELERY_QUEUES)
#   beat    Celery beat (periodic tasks)
#   manage  any manage.py command: entrypoint.sh manage createsuperuser
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
role=${1:-web}
[ $# -gt 0 ] && shift
case "$role" in
  web)
    $PYTHON manage.py migrate --no-input
    exec $PYTHON -m gunicorn minside.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" \
      --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" "$@"
    ;;
  worker)
    exec $PYTHON -m celery -A minside worker --loglevel "${LOG_LEVEL:-INFO}" \
      --queues "${CELERY_QUEUES:-default,sending,pdf,casework,archive,periodic}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
    ;;
  beat)
    exec $PYTHON -m celery -A minside beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" "$@"
    ;;
  manage)
    exec $PYTHON manage.py "$@"
    ;;
  *)
    echo "usage: entrypoint.sh web|worker|beat|manage [args]" >&2
    exit 64
    ;;
esac
