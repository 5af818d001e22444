#!/bin/sh
# One entrypoint for every Min Side process. Used by the Dockerfile / docker-compose.yml and
# by CI's smoke test (.ci/run), so what CI starts is what municipal IT runs.
#   migrate  the release step: database migrations, once per deploy (compose's `migrate`
#            service; web, worker and beat wait for it). Web never migrates: several replicas
#            starting at once would race.
#   web      gunicorn on $PORT (default 8000), $WEB_CONCURRENCY workers
#   worker   Celery worker for all queues (or $CELERY_QUEUES)
#   beat     Celery beat (periodic tasks). Any number may run: the schedule and a lock live in
#            Redis (celery-redbeat), so work is sent once; the others wait as standbys.
#   config   the whole effective configuration, secrets masked, and what production refuses
#   manage   any manage.py command: entrypoint.sh manage createsuperuser
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
role=${1:-web}
[ $# -gt 0 ] && shift
case "$role" in
  migrate)
    exec $PYTHON manage.py migrate --no-input "$@"
    ;;
  web)
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
    exec $PYTHON -m celery -A minside beat --loglevel "${LOG_LEVEL:-INFO}" "$@"
    ;;
  config)
    exec $PYTHON -m minside.show_config "$@"
    ;;
  manage)
    exec $PYTHON manage.py "$@"
    ;;
  *)
    echo "usage: entrypoint.sh migrate|web|worker|beat|config|manage [args]" >&2
    exit 64
    ;;
esac
