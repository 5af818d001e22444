"""The load-balanced topology, as processes on this machine: HAProxy (Debian's) in front of two
gunicorn web nodes (docker/entrypoint.sh web), two Celery workers and one beat
(entrypoint.sh worker / beat), PostgreSQL, a private Redis and moto's S3 server (the files).

A citizen journey whose requests land on both nodes: Kari logs in through one node and goes on
through the other (sessions are in the cache and the database), uploads a document through
node 1 and downloads it through node 2 (the file is in S3), submits; a caseworker decides the
case; the decision letter is delivered. In the middle a worker is killed while it is sending a
notice (SIGKILL: no warm shutdown, no ack) and web node 1 is killed; the journey completes on
what is left, and every notification is delivered exactly once: each e-mail reached the SMTP
server once, each SMS reached the gateway once (a resend after the kill is recognised by its
client reference and not sent again), nothing is left unsent.

Run with `make topology` (CI runs it as its own step); it takes a few minutes."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.demo import STAFF_PASSWORD, staff_get_or_create
from applications import demo as applications_demo
from cases.models import Case
from correspondence.models import Letter
from kindergarten.demo import kindergartens_load
from notifications.models import Notification
from registers import demo_data
from registers.delivery import LocalSpool
from tests.realservices import free_port, subprocess_database_url, wait_for

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n%" + uuid.uuid4().hex.encode()
Status = Notification.Status
FINAL = {Status.SENT, Status.DELIVERED, Status.CANCELLED}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# docker/haproxy.cfg's policy (retries, health checks), with the two nodes named and a header to
# pick one; Docker's DNS (server-template) is not here.
HAPROXY_CFG = """
global
    maxconn 256
defaults
    mode http
    option redispatch
    retries 3
    retry-on conn-failure empty-response
    timeout connect 2s
    timeout client 60s
    timeout server 60s
frontend portal
    bind 127.0.0.1:{lb_port}
    default_backend web
backend web
    balance roundrobin
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    option httpchk
    http-check send meth GET uri /healthz/
    http-check expect status 200
    default-server inter 1s fall 2 rise 1 check
    # The test may ask for a node (the upload through one, the download through the other); a
    # node that is down is skipped like any other.
    use-server web1 if {{ req.hdr(x-topology-node) -m str web1 }}
    use-server web2 if {{ req.hdr(x-topology-node) -m str web2 }}
    http-response set-header X-Served-By %s
    server web1 127.0.0.1:{web1}
    server web2 127.0.0.1:{web2}
"""


class Process:
    """One process of the topology, in its own process group, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict, logs: Path):
        self.name, self.log = name, logs / f"{name}.log"
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=open(self.log, "ab"),  # noqa: SIM115
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self):
        """SIGKILL the whole group: the machine goes away, nothing is cleaned up."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


class SmtpServer:
    """aiosmtpd on a free port: every e-mail the workers send arrives here."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                outer.messages.append(envelope.content.decode("utf-8", "replace"))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def topology(tmp_path, private_redis, s3_server, settings):
    if not shutil.which("haproxy"):
        pytest.fail("The topology test needs HAProxy (Debian package haproxy)")
    logs = tmp_path / "logs"
    logs.mkdir()
    spool = tmp_path / "spool"
    media = tmp_path / "media-never-used"
    settings.LOCAL_PROVIDER_SPOOL_DIR = str(spool)
    bucket = s3_server.create_bucket(f"minside-topology-{uuid.uuid4().hex[:8]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_config(bucket)}
    smtp = SmtpServer()
    lb_port, web1, web2 = free_port(), free_port(), free_port()
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8",
        "DJANGO_ENV": "test", "PYTHON": sys.executable, "DATABASE_URL": subprocess_database_url(),
        "REDIS_URL": private_redis.url, "CELERY_TASK_ALWAYS_EAGER": "false", "WEB_NODES": "2",
        **s3_server.environment(bucket), "MEDIA_ROOT": str(media),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "SITE_URL": f"http://127.0.0.1:{lb_port}",
        "ALLOWED_HOSTS": "127.0.0.1", "LOCAL_PROVIDER_SPOOL_DIR": str(spool),
        # The notices' SMS takes 3 s at the gateway, so a worker can be killed while sending one.
        "LOCAL_SMS_LATENCY_SECONDS": "3",
        # A row left in `sending` by a dead worker is re-queued after 20 s (default 10 minutes).
        "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS": "20", "NOTIFICATIONS_REQUEUE_AFTER_SECONDS": "10",
        "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": "2", "CELERY_CONCURRENCY": "2",
    }
    entry = str(ROOT / "docker" / "entrypoint.sh")
    processes = {
        "web1": Process("web1", [entry, "web"], {**env, "PORT": str(web1)}, logs),
        "web2": Process("web2", [entry, "web"], {**env, "PORT": str(web2)}, logs),
        "worker1": Process("worker1", [entry, "worker", "-n", "worker1@%h", "--without-gossip", "--without-mingle"],
                           env, logs),
        "worker2": Process("worker2", [entry, "worker", "-n", "worker2@%h", "--without-gossip", "--without-mingle"],
                           env, logs),
        "beat": Process("beat", [entry, "beat"], env, logs),
    }
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(HAPROXY_CFG.format(lb_port=lb_port, web1=web1, web2=web2))
    processes["haproxy"] = Process("haproxy", ["haproxy", "-db", "-f", str(cfg)], env, logs)

    def both_nodes_up():
        try:
            return all(requests.get(f"http://127.0.0.1:{port}/healthz/", timeout=2).text == "ok" for port in (web1, web2))
        except requests.RequestException:
            return False

    try:
        wait_for(both_nodes_up, timeout=90, interval=0.5, what="both web nodes to answer /healthz/")
        wait_for(lambda: _served_by(f"http://127.0.0.1:{lb_port}") == {"web1", "web2"}, timeout=30, interval=0.5,
                 what="HAProxy to send requests to both nodes")
        yield {"url": f"http://127.0.0.1:{lb_port}", "env": env, "processes": processes, "smtp": smtp,
               "spool": spool, "media": media, "bucket": bucket, "s3": s3_server, "logs": logs}
    finally:
        for process in processes.values():
            process.stop()
        smtp.stop()
        for name, process in processes.items():
            print(f"\n--- {name} (last lines) ---\n{process.tail(15)}")


def _served_by(url: str) -> set[str]:
    try:
        return {requests.get(f"{url}/healthz/", timeout=2).headers.get("X-Served-By", "") for _ in range(4)}
    except requests.RequestException:
        return set()


class Browser:
    """A person's browser as requests sees it: cookies, the CSRF token, and which node answered."""

    def __init__(self, url: str):
        self.url, self.session, self.nodes = url, requests.Session(), []

    def _headers(self, node, extra=None):
        headers = {"X-CSRFToken": self.session.cookies.get("csrftoken", ""), "Referer": self.url + "/", **(extra or {})}
        if node:
            headers["X-Topology-Node"] = node
        return headers

    def get(self, path, node=None, **kwargs):
        response = self.session.get(self.url + path, headers=self._headers(node), timeout=60, **kwargs)
        self.nodes.append(response.headers.get("X-Served-By"))
        return response

    def post(self, path, data=None, node=None, files=None, json=None, **kwargs):
        if "csrftoken" not in self.session.cookies:
            self.get("/konto/logg-inn/")
        response = self.session.post(self.url + path, data=data, files=files, json=json,
                                     headers=self._headers(node), timeout=60, **kwargs)
        self.nodes.append(response.headers.get("X-Served-By"))
        return response


def _path(response) -> str:
    return re.sub(r"^https?://[^/]+", "", response.url)


def _start_date() -> datetime.date:
    """The first Monday of August next year (computed, never a fixed date)."""
    day = datetime.date(timezone.localdate().year + 1, 8, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _worker_sending(env, worker: str, notification_ids: set[str]) -> bool:
    """True when `worker` is running the delivery of one of `notification_ids` right now."""
    result = subprocess.run([sys.executable, "-m", "celery", "-A", "minside", "inspect", "active", "-d",
                             f"{worker}@{os.uname().nodename}", "--timeout", "2", "--json"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    return any(pk in result.stdout for pk in notification_ids)


def test_a_citizen_journey_across_two_nodes_survives_a_web_node_and_a_worker_being_killed(topology, tmp_path):
    url, env, processes = topology["url"], topology["env"], topology["processes"]
    accounts_demo.load()
    applications_demo.load()
    kindergartens_load()
    staff_get_or_create(email="barnehage@kommune.example", first_name="Berit", last_name="Barnehagesen",
                        department_codes=["barnehage"], superuser=False)

    kari = Browser(url)
    # Log in through one node, choose to act for herself through the other: one session.
    kari.get("/konto/test-idporten/", node="web1")
    response = kari.post("/konto/test-idporten/", {"national_id": demo_data.KARI}, node="web1")
    assert response.status_code == 200 and "/konto/velg-aktor/" in response.url, response.url
    response = kari.post("/konto/velg-aktor/", {"party": "self"}, node="web2")
    assert response.status_code == 200 and "Kari" in response.text

    # The application: a draft, the child and the place, alternating nodes.
    response = kari.post("/soknad/ny/kindergarten/", node="web1")
    step_url = _path(response)
    assert step_url.endswith("/steg/child/"), step_url
    child = re.search(r'name="child" value="([0-9a-f]+)"[^>]*>\s*<label[^>]*>\s*Emma', response.text) or \
        re.search(r'value="([0-9a-f]{24})"', response.text)
    response = kari.post(step_url, {"child": child.group(1), "action": "next"}, node="web2")
    assert _path(response).endswith("/steg/place/"), response.url
    wishes = re.findall(r'<option value="(\d+)"', response.text)
    response = kari.post(_path(response), {"start_date": _start_date().isoformat(), "wish_1": wishes[0],
                                           "wish_2": wishes[1], "attendance": "full_time", "action": "next"}, node="web1")
    priority_url = _path(response)
    assert priority_url.endswith("/steg/priority/"), response.url

    # Upload through node 1, download through node 2: the file is in S3, not on node 1's disk.
    response = kari.post(priority_url, {"grounds": ["disability"], "action": "upload:priority_documentation"},
                         files={"file-priority_documentation": ("legeerklaering.pdf", PDF, "application/pdf")},
                         node="web1")
    assert response.status_code == 200 and response.history[0].headers["X-Served-By"] == "web1"
    download = re.search(r'href="(/soknad/vedlegg/[0-9a-f-]+/)"', response.text).group(1)
    response = kari.get(download, node="web2")
    assert response.headers["X-Served-By"] == "web2"
    assert response.status_code == 200 and response.content == PDF
    assert 'filename="legeerklaering.pdf"' in response.headers["Content-Disposition"]
    response = kari.post(priority_url, {"grounds": ["disability"], "action": "next"}, node="web2")
    response = kari.post(_path(response), {"invoice_to": "applicant", "action": "next"}, node="web1")
    summary_url = _path(response)
    assert summary_url.endswith("/oppsummering/"), response.url

    # Submit; the notices of the receipt go out through the workers.
    response = kari.post(summary_url, node="web2")
    assert "/kvittering/" in response.url, response.text[:2000]
    case = Case.objects.get(applicant__national_id=demo_data.KARI)

    # A worker dies while it is sending one of those notices (the SMS gateway takes 3 s).
    def a_worker_is_sending():
        ids = {str(pk) for pk in Notification.objects.filter(status=Status.SENDING, channel="sms")
               .values_list("pk", flat=True)}
        for worker in ("worker1", "worker2"):
            if ids and _worker_sending(env, worker, ids):
                return worker
        return None

    victim = wait_for(a_worker_is_sending, timeout=90, interval=0.2, what="a worker sending an SMS notice")
    in_flight = set(Notification.objects.filter(status=Status.SENDING).values_list("pk", flat=True))
    processes[victim].kill()
    print(f"\nkilled {victim} while it was sending notification(s) {sorted(map(str, in_flight))}")

    # Web node 1 dies too; the next requests all go to node 2.
    processes["web1"].kill()
    print("killed web1")
    response = kari.get(f"/saker/{case.pk}/")
    assert response.status_code == 200 and response.headers["X-Served-By"] == "web2"
    response = kari.get(download)
    assert response.status_code == 200 and response.content == PDF

    # The caseworker decides, through what is left (the API; one operation per endpoint).
    berit = Browser(url)
    berit.get("/auth/login/")
    response = berit.post("/auth/login/", {"login": "barnehage@kommune.example", "password": STAFF_PASSWORD})
    assert response.status_code == 200 and "/auth/login/" not in response.url, response.url
    detail = berit.get(f"/api/v1/caseworker/cases/{case.pk}/").json()
    if detail["status"] == "received":
        response = berit.post(f"/api/v1/caseworker/cases/{case.pk}/transitions/",
                              json={"to_status": "under_review", "expected_version": detail["version"]})
        assert response.status_code == 200, response.text
        detail = berit.get(f"/api/v1/caseworker/cases/{case.pk}/").json()
    response = berit.post(f"/api/v1/caseworker/cases/{case.pk}/decision/", json={
        "outcome": "approved", "reasoning": "Barnet har rett til plass.", "legal_basis": "barnehageloven § 16",
        "expected_version": detail["version"]})
    assert response.status_code == 200, response.text

    # The decision letter: rendered by a worker into S3, read by Kari through node 2.
    letter = wait_for(lambda: Letter.objects.filter(case=case, kind="decision").exclude(pdf="").first(), timeout=120,
                      what="the decision letter's PDF")
    response = kari.get(f"/innboks/brev/{letter.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    s3 = topology["s3"].client()
    assert s3.head_object(Bucket=topology["bucket"], Key=letter.pdf.name)["ContentLength"] == len(response.content)

    # Every notice delivered, each exactly once, including the one the dead worker was sending.
    def all_delivered():
        # A reminder due in 7 days (an unread letter's) is scheduled, not pending: it waits.
        now = timezone.now()
        rows = [r for r in Notification.objects.filter(recipient__national_id=demo_data.KARI)
                if r.next_attempt_at is None or r.next_attempt_at <= now]
        return rows if rows and all(r.status in FINAL for r in rows) else None

    try:
        rows = wait_for(all_delivered, timeout=240, interval=1, what="every notification to be delivered")
    except AssertionError:
        print({str(r.pk): (r.template, r.channel, r.status, r.last_error) for r in
               Notification.objects.filter(recipient__national_id=demo_data.KARI)})
        raise
    sent = [r for r in rows if r.status in (Status.SENT, Status.DELIVERED)]
    emails = [r for r in sent if r.channel == "email"]
    sms = [r for r in sent if r.channel == "sms"]
    templates = {r.template for r in sent}
    assert "letter" in templates or "case_status_changed" in templates, templates  # the decision was announced
    spool_sms = LocalSpool("sms").accepted()
    offered = [call["outcome"] for call in LocalSpool("sms").calls() if call["ref"] in {str(pk) for pk in in_flight}]
    print(f"notifications: {len(rows)} rows, {len(emails)} e-mails, {len(sms)} SMS; "
          f"SMTP received {len(topology['smtp'].messages)}, the SMS gateway accepted {len(spool_sms)}; "
          f"in flight at the kill: {len(in_flight)} (offered to the gateway: {offered}); nodes that answered Kari: {sorted(set(kari.nodes) - {None})}")
    # Sent twice? Each SMS notification reached the gateway once, each e-mail the server once.
    assert sorted(item["ref"] for item in spool_sms) == sorted(str(r.pk) for r in sms)
    assert len(topology["smtp"].messages) == len(emails)
    # Lost? The notices in flight when the worker died were delivered after all.
    assert {r.pk for r in sent} >= in_flight
    # Reminders are rows with a due time, each scheduled once.
    reminders = Notification.objects.filter(recipient__national_id=demo_data.KARI, template="letter_reminder")
    assert all(r.next_attempt_at > timezone.now() + datetime.timedelta(days=6) and r.status == Status.CREATED for r in reminders)
    assert len({r.letter_id for r in reminders}) == reminders.count()
    # Both nodes served Kari; no file was written to a node's disk.
    assert {"web1", "web2"} <= set(kari.nodes)
    assert not topology["media"].exists() or not any(p.is_file() for p in topology["media"].rglob("*"))
    assert not processes[victim].alive() and not processes["web1"].alive()
    assert Letter.objects.filter(case=case).exclude(pdf="").count() >= 2  # receipt and decision, in S3
    digest = hashlib.sha256(PDF).hexdigest()
    assert any(hashlib.sha256(s3.get_object(Bucket=topology["bucket"], Key=o["Key"])["Body"].read()).hexdigest() == digest
               for o in s3.list_objects_v2(Bucket=topology["bucket"])["Contents"])
