"""Against a real Celery worker (its own process, PostgreSQL, a private Redis): the life of a
case is archived exactly once, although the archive is down when the case starts and comes
back while the worker is retrying."""

import time
from collections import Counter

import pytest

from archive.models import ArchiveMessage, ArchiveRecord
from registers.archive import LocalArchive, archive_control
from tests.realservices import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_archives_a_whole_case_once_through_an_outage(settings, private_redis, use_broker,
                                                                    celery_worker_factory, case_life):
    use_broker(private_redis.url)
    archive_control(mode="down")
    worker = celery_worker_factory(broker_url=private_redis.url, queues="archive", name="archive-test", env={
        "LOCAL_PROVIDER_SPOOL_DIR": settings.LOCAL_PROVIDER_SPOOL_DIR, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ARCHIVE_INTERNAL_NOTES": "true", "ARCHIVE_RETRY_BASE_SECONDS": "1", "ARCHIVE_RETRY_MAX_SECONDS": "2",
    })
    started = time.monotonic()
    case = case_life()  # every event enqueues after its commit

    def the_worker_met_the_outage():
        return ArchiveMessage.objects.filter(status=ArchiveMessage.Status.RETRY).exists()
    wait_for(the_worker_met_the_outage, timeout=60, interval=0.2)
    archive_control()  # the archive is back: the worker's own retries (countdowns) carry on

    def all_archived():
        return not ArchiveMessage.objects.exclude(status=ArchiveMessage.Status.ARCHIVED).exists()
    wait_for(all_archived, timeout=240, interval=0.5)
    elapsed = time.monotonic() - started
    worker.stop()

    records = LocalArchive().records()
    keys = Counter(tuple(r["external_key"]) for r in records)
    assert len(records) == ArchiveRecord.objects.filter(case=case).count() == 9
    assert all(n == 1 for n in keys.values())
    assert all(r["writes"] == 1 for r in records if r["kind"] == "journalpost")
    print(f"\nReal worker: 1 case file + 8 registry entries ({ArchiveMessage.objects.count()} messages, "
          f"{sum(m.attempts for m in ArchiveMessage.objects.all())} attempts) archived once in {elapsed:.1f} s "
          "including the outage")
