"""Adapters for starting the portal under production settings in CI (`make check-deploy`, the
entrypoint smoke test in .ci/run, tests/test_settings_guards.py), where no national register or
delivery provider can be reached.

They are what a real integration is when its service does not answer: every call raises the
error the portal already handles (the register is unavailable, delivery is retried). They never
answer with demo data, so the production guard (minside/guards.py, which refuses the Local*
implementations) is satisfied honestly. They live in tests/, which the container image does not
use for anything; a municipality sets its real integrations' adapter classes.
"""

from __future__ import annotations

from registers.archive import ArchiveUnavailable
from registers.delivery import TransientDeliveryError
from registers.population import RegisterUnavailable


class _Unreachable:
    service = "the service"

    def _fail(self, *args, **kwargs):
        raise RegisterUnavailable(f"{self.service} does not answer (no integration reachable from CI)")


class UnreachablePopulationRegister(_Unreachable):
    service = "The population register"
    person = _Unreachable._fail
    children_of = _Unreachable._fail


class UnreachableContactRegister(_Unreachable):
    service = "KRR"
    lookup = _Unreachable._fail


class UnreachablePropertyRegister(_Unreachable):
    service = "The property register"
    lookup = _Unreachable._fail


class _UnreachableChannel:
    service = "the provider"

    def _fail(self, *args, **kwargs):
        raise TransientDeliveryError(f"{self.service} does not answer (no integration reachable from CI)")


class UnreachableSmsGateway(_UnreachableChannel):
    service = "The SMS gateway"
    send = _UnreachableChannel._fail


class UnreachableDigitalMailbox(_UnreachableChannel):
    service = "The digital mailbox"
    send = _UnreachableChannel._fail


class UnreachablePrintService(_UnreachableChannel):
    service = "The print service"
    submit_batch = _UnreachableChannel._fail


class UnreachableArchive:
    """The Noark 5 archive (KS Fiks Arkiv) that does not answer: messages wait in the outbox."""

    def send(self, message):
        raise ArchiveUnavailable("The archive does not answer (no integration reachable from CI)")

    def replies(self, *, limit: int = 100):
        raise ArchiveUnavailable("The archive does not answer (no integration reachable from CI)")

    def acknowledge(self, reply_id: str):
        raise ArchiveUnavailable("The archive does not answer (no integration reachable from CI)")


# The environment that points every adapter at the classes above.
ENVIRONMENT = {
    "POPULATION_REGISTER_ADAPTER": "tests.unreachable_adapters.UnreachablePopulationRegister",
    "KRR_ADAPTER": "tests.unreachable_adapters.UnreachableContactRegister",
    "PROPERTY_REGISTER_ADAPTER": "tests.unreachable_adapters.UnreachablePropertyRegister",
    "SMS_GATEWAY_ADAPTER": "tests.unreachable_adapters.UnreachableSmsGateway",
    "DIGITAL_MAILBOX_ADAPTER": "tests.unreachable_adapters.UnreachableDigitalMailbox",
    "PRINT_SERVICE_ADAPTER": "tests.unreachable_adapters.UnreachablePrintService",
    "ARCHIVE_ADAPTER": "tests.unreachable_adapters.UnreachableArchive",
}
