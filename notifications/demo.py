"""Demo notice preferences: Ahmed Ali wants notices by SMS only (KRR has only his mobile)."""

from accounts.models import User
from registers import demo_data

from .models import NoticePreference


def load() -> int:
    created = 0
    ahmed = User.objects.filter(national_id=demo_data.AHMED).first()
    if ahmed is not None:
        _preference, was_created = NoticePreference.objects.get_or_create(user=ahmed, defaults={"email": False, "sms": True})
        created += was_created
    return created
