import pytest

from registers import demo_data
from registers.adapters import get_adapter
from registers.delivery import LocalSpool
from tests.factories import CitizenFactory


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker (tests/notifications/test_worker.py),
    also when REDIS_URL is set for the whole run."""
    from minside.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # The local providers' spool and the letters' PDFs go to directories of this test only.
    settings.LOCAL_PROVIDER_SPOOL_DIR = str(tmp_path / "spool")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def krr():
    """The configured (local) contact register, back to its demo people afterwards."""
    register = get_adapter("KRR_ADAPTER")
    register.reset()
    yield register
    register.reset()


@pytest.fixture
def sms_spool():
    return LocalSpool("sms")


@pytest.fixture
def mailbox_spool():
    return LocalSpool("digital_mailbox")


def demo_citizen(national_id: str, **kwargs):
    person = next(p for p in demo_data.PEOPLE if p["national_id"] == national_id)
    return CitizenFactory(national_id=national_id, first_name=person["first_name"], last_name=person["last_name"],
                          **kwargs)


@pytest.fixture
def kari(db):
    return demo_citizen(demo_data.KARI)


@pytest.fixture
def per(db):
    return demo_citizen(demo_data.PER)


@pytest.fixture
def reidun(db):
    return demo_citizen(demo_data.REIDUN)


@pytest.fixture
def lars(db):
    return demo_citizen(demo_data.LARS)


@pytest.fixture
def ahmed(db):
    return demo_citizen(demo_data.AHMED)
