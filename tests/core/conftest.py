import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Messages are asserted in English (the source strings).
    with translation.override("en"):
        yield
