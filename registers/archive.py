"""Archive adapter: the municipality's Noark 5 archive, reached through KS Fiks Arkiv.

The real route is a Fiks IO account: we send a message (`arkivmelding.xml` plus the document
files, an ASiC-E container in production) of type
`no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett` (create one case file or one registry
entry) or `...oppdater` (update one), with our client message id (`klientMeldingId`, idempotent
retries). The archive answers each message asynchronously, on our account, with replies that
carry the message id they answer (`svar-til`):

    ...opprett.mottatt      the message is valid and taken (no payload)
    ...opprett.kvittering   archived: `arkivmelding-kvittering.xml` with the archive's system id,
                            case number (saksaar/sakssekvensnummer) or registry entry number
                            (journalaar/journalsekvensnummer/journalpostnummer)
    ...oppdater.mottatt / ...oppdater.kvittering   the same for an update (no payload)
    no.ks.fiks.arkiv.v1.feilmelding.ugyldigforespoersel   invalid: schema or business rule, with the reason
    no.ks.fiks.arkiv.v1.feilmelding.serverfeil            the archive failed internally (try again)
    no.ks.fiks.arkiv.v1.feilmelding.ikkefunnet            the object referred to does not exist

Every record carries our external key (`referanseEksternNoekkel`: fagsystem + noekkel): a create
for a key the archive already has updates that record and answers `Eksisterende`, so a resend
after a timeout never makes a second record. Replies must be acknowledged; an unacknowledged
reply is delivered again (as Fiks IO does).

Sources: KS, "Fiks arkiv" protocol page (developers.fiks.ks.no, fiksprotokoll/arkiv) and the
specification repository ks-no/fiks-arkiv-specification, Schema/V1 (message types in
`meldingstyper/meldingstyper.json`; message shapes in the `no.ks.fiks.arkiv.v1.*.xsd` files).
The structural rules we validate with are our own, written from that specification
(registers/archive_schemas/README.md); ARCHIVE_FIKS_SCHEMA_DIR switches to KS's own files.

`LocalArchive` behaves like a real archive behind Fiks IO and keeps its state under
LOCAL_PROVIDER_SPOOL_DIR/archive (shared by every process, so a Celery worker and a test see
the same archive): it validates each message, numbers case files per year (saksaar/
sakssekvensnummer) and registry entries (journalaar/journalsekvensnummer, journalpostnummer
within the case file), keeps the documents with their checksums, and answers. Its `control.json`
(`archive_control()`) makes it behave like a real one on a bad day, across processes:
  {"mode": "down"}                  refuses connections (send and replies raise ArchiveUnavailable)
  {"mode": "timeout"}               takes the message but the call times out (the sender cannot know)
  {"mode": "slow", "delay": 30}     takes messages; its receipts arrive `delay` seconds later
  {"known_units": ["Barnehage"]}    rejects a case file whose administrativEnhet it does not know
Choose the adapter with ARCHIVE_ADAPTER.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

from .adapters import get_adapter

PREFIX = "no.ks.fiks.arkiv.v1"
OPPRETT = f"{PREFIX}.arkivering.arkivmelding.opprett"
OPPDATER = f"{PREFIX}.arkivering.arkivmelding.oppdater"
MOTTATT = {OPPRETT: f"{OPPRETT}.mottatt", OPPDATER: f"{OPPDATER}.mottatt"}
KVITTERING = {OPPRETT: f"{OPPRETT}.kvittering", OPPDATER: f"{OPPDATER}.kvittering"}
UGYLDIG = f"{PREFIX}.feilmelding.ugyldigforespoersel"
SERVERFEIL = f"{PREFIX}.feilmelding.serverfeil"
IKKEFUNNET = f"{PREFIX}.feilmelding.ikkefunnet"
# meldingstyper.json lists the error replies with a typo ("no.ks.fik."); accept both spellings.
ERROR_TYPES = {UGYLDIG, SERVERFEIL, IKKEFUNNET}

NS_OPPRETT = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
NS_OPPDATER = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/oppdater/v1"
NS_KVITTERING = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1"
NS_MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
NS_FEIL = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/{kind}/v1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"

SCHEMA_FILES = {  # root element's namespace -> (our rules, KS's file name)
    NS_OPPRETT: ("fiks-arkiv-v1-arkivmelding-opprett.xsd", "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"),
    NS_OPPDATER: ("fiks-arkiv-v1-arkivmelding-oppdater.xsd", "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.oppdater.xsd"),
    NS_KVITTERING: ("fiks-arkiv-v1-arkivmelding-opprett-kvittering.xsd",
                    "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd"),
}
OUR_SCHEMAS = Path(__file__).resolve().parent / "archive_schemas"


def normalise_message_type(message_type: str) -> str:
    return message_type.replace("no.ks.fik.arkiv.", "no.ks.fiks.arkiv.", 1)


class ArchiveUnavailable(Exception):
    """The archive (or Fiks IO) did not answer: refused, or timed out. After a timeout the
    message may or may not have arrived: send it again (the external key makes it safe)."""


@dataclass(frozen=True)
class OutgoingMessage:
    message_id: str  # our klientMeldingId: the same id twice is one message
    message_type: str  # OPPRETT or OPPDATER
    payload: bytes  # arkivmelding.xml
    files: dict[str, bytes] = field(default_factory=dict)  # referanseDokumentfil -> content


@dataclass(frozen=True)
class ArchiveReply:
    reply_id: str
    message_type: str
    in_reply_to: str  # svar-til: the message id it answers
    payload: bytes = b""

    @property
    def is_error(self) -> bool:
        return normalise_message_type(self.message_type) in ERROR_TYPES


class Archive(Protocol):
    def send(self, message: OutgoingMessage) -> None:
        """Hand one message to the archive. Raises ArchiveUnavailable when it does not answer."""

    def replies(self, *, limit: int = 100) -> list[ArchiveReply]:
        """Replies waiting for us (each delivered again until acknowledged)."""

    def acknowledge(self, reply_id: str) -> None:
        """We have handled this reply: it is not delivered again."""


@cache
def _schema(namespace: str, schema_dir: str):
    from lxml import etree

    ours, theirs = SCHEMA_FILES[namespace]
    path = Path(schema_dir) / theirs if schema_dir else OUR_SCHEMAS / ours
    return etree.XMLSchema(etree.parse(str(path)))


def validate_message(payload: bytes):
    """Parse and validate an arkivmelding (create, update or receipt). Returns the parsed root;
    raises ValueError with the first problem, as the archive's ugyldigforespoersel says it."""
    from lxml import etree

    try:
        root = etree.fromstring(payload, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise ValueError(f"Not well-formed XML: {error}")
    namespace = etree.QName(root).namespace
    if namespace not in SCHEMA_FILES:
        raise ValueError(f"Unknown message namespace {namespace!r}")
    schema = _schema(namespace, getattr(settings, "ARCHIVE_FIKS_SCHEMA_DIR", ""))
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise ValueError(f"Line {error.line}: {error.message}")
    return root


# --- The local archive ---------------------------------------------------------------------------

CONTROL_FILE = "control.json"


def archive_root() -> Path:
    path = Path(settings.LOCAL_PROVIDER_SPOOL_DIR) / "archive"
    path.mkdir(parents=True, exist_ok=True)
    return path


def archive_control(**control) -> dict:
    """Set how the local archive behaves (see the module docstring); no arguments: back to
    normal. Returns the control in force. Every process reads it at each call."""
    path = archive_root() / CONTROL_FILE
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(control))
    tmp.replace(path)
    return control


def _read_control() -> dict:
    path = archive_root() / CONTROL_FILE
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _key_name(fagsystem: str, noekkel: str) -> str:
    return hashlib.sha256(f"{fagsystem}\x00{noekkel}".encode()).hexdigest()[:40]


def _text(element, path: str) -> str:
    found = element.find(path, namespaces={"a": NS_OPPRETT, "u": NS_OPPDATER, "m": NS_MDK})
    return (found.text or "").strip() if found is not None else ""


class LocalArchive:
    """A Noark 5 archive behind Fiks IO, on the local file system (see the module docstring)."""

    provider = "archive"

    @property
    def root(self) -> Path:
        return archive_root()

    @contextlib.contextmanager
    def _locked(self):
        # One archive, many processes: numbering and storing happen under one lock.
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _dir(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _log(self, message_id: str, outcome: str) -> None:
        line = json.dumps({"message_id": message_id, "outcome": outcome, "at": time.time()}) + "\n"
        fd = os.open(self.root / "calls.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    # --- the Fiks IO side ------------------------------------------------------------------
    def send(self, message: OutgoingMessage) -> None:
        control = _read_control()
        mode = control.get("mode", "")
        if mode == "down":
            self._log(message.message_id, "refused")
            raise ArchiveUnavailable("Connection refused: the archive does not answer")
        seen = self._dir("messages") / f"{hashlib.sha256(message.message_id.encode()).hexdigest()[:40]}.done"
        with self._locked():
            if seen.exists():
                # Fiks IO hands one klientMeldingId over once: a retry of the same message is
                # answered by the replies already given.
                self._log(message.message_id, "duplicate message id")
            else:
                self._process(message, control)
                seen.write_text(message.message_type)
        if mode == "timeout":
            self._log(message.message_id, "timeout")
            raise ArchiveUnavailable("Timed out waiting for the archive (the message may have arrived)")

    def replies(self, *, limit: int = 100) -> list[ArchiveReply]:
        if _read_control().get("mode") == "down":
            raise ArchiveUnavailable("Connection refused: the archive does not answer")
        now = time.time()
        found = []
        for path in sorted(self._dir("replies").glob("*.json")):
            record = json.loads(path.read_text())
            if record["available_at"] > now:
                continue
            # Claimed by renaming (atomic): two consumers never handle one reply at once. A
            # claimed reply not acknowledged within REDELIVER_AFTER comes back.
            claimed = path.with_suffix(f".claimed-{int(now)}")
            try:
                path.rename(claimed)
            except FileNotFoundError:
                continue
            found.append(ArchiveReply(reply_id=record["reply_id"], message_type=record["type"],
                                      in_reply_to=record["svar_til"], payload=base64.b64decode(record["payload"])))
            if len(found) >= limit:
                break
        self._redeliver_unacknowledged(now)
        return found

    REDELIVER_AFTER = 300

    def _redeliver_unacknowledged(self, now: float) -> None:
        for path in self._dir("replies").glob("*.claimed-*"):
            claimed_at = int(path.suffix.rsplit("-", 1)[1])
            if now - claimed_at > self.REDELIVER_AFTER:
                with contextlib.suppress(FileNotFoundError):
                    path.rename(path.with_suffix(".json"))

    def acknowledge(self, reply_id: str) -> None:
        for path in self._dir("replies").glob(f"*{reply_id}.*"):
            path.unlink(missing_ok=True)

    def _reply(self, *, message_type: str, svar_til: str, payload: bytes = b"", delay: float = 0.0) -> None:
        reply_id = uuid.uuid4().hex
        # Named by time, so replies come in the order they were given.
        name = f"{time.time_ns():020d}-{reply_id}.json"
        tmp = self._dir("replies") / f".{name}.tmp"
        tmp.write_text(json.dumps({"reply_id": reply_id, "type": message_type, "svar_til": svar_til,
                                   "payload": base64.b64encode(payload).decode(), "available_at": time.time() + delay}))
        tmp.rename(self._dir("replies") / name)

    def _error(self, kind: str, message_type: str, svar_til: str, reason: str) -> None:
        from lxml import etree

        ns = NS_FEIL.format(kind=kind)
        root = etree.Element(f"{{{ns}}}{kind}", nsmap={None: ns})
        etree.SubElement(root, f"{{{ns}}}feilId").text = uuid.uuid4().hex
        etree.SubElement(root, f"{{{ns}}}feilmelding").text = reason
        self._reply(message_type=message_type, svar_til=svar_til, payload=etree.tostring(root, encoding="utf-8"))
        self._log(svar_til, f"{kind}: {reason}")

    # --- the archive side ------------------------------------------------------------------
    def _process(self, message: OutgoingMessage, control: dict) -> None:
        try:
            root = validate_message(message.payload)
        except ValueError as error:
            return self._error("ugyldigforespoersel", UGYLDIG, message.message_id, str(error))
        delay = float(control.get("delay", 0)) if control.get("mode") == "slow" else 0.0
        try:
            if message.message_type == OPPRETT:
                answer = self._create(root, message, control)
            elif message.message_type == OPPDATER:
                answer = self._update(root, control)
            else:
                return self._error("ugyldigforespoersel", UGYLDIG, message.message_id,
                                   f"Unknown message type {message.message_type}")
        except _Rejected as rejected:
            return self._error(rejected.kind, rejected.message_type, message.message_id, rejected.reason)
        self._reply(message_type=MOTTATT[message.message_type], svar_til=message.message_id)
        self._reply(message_type=KVITTERING[message.message_type], svar_til=message.message_id, payload=answer,
                    delay=delay)
        self._log(message.message_id, "archived")

    def _records(self) -> Path:
        return self._dir("records")

    def _load(self, name: str) -> dict | None:
        path = self._records() / f"{name}.json"
        return json.loads(path.read_text()) if path.exists() else None

    def _save(self, name: str, record: dict) -> None:
        path = self._records() / f"{name}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False))
        tmp.replace(path)

    def _next(self, counter: str) -> int:
        path = self.root / "counters.json"
        counters = json.loads(path.read_text()) if path.exists() else {}
        counters[counter] = counters.get(counter, 0) + 1
        path.write_text(json.dumps(counters))
        return counters[counter]

    def _create(self, root, message: OutgoingMessage, control: dict) -> bytes:
        if int(_text(root, "a:antallFiler") or 0) != len(message.files):
            raise _Rejected(f"antallFiler is {_text(root, 'a:antallFiler')}, the message carries {len(message.files)} files")
        folder = root.find(f"{{{NS_OPPRETT}}}mappe")
        if folder is not None:
            return self._create_folder(folder, control)
        return self._create_entry(root.find(f"{{{NS_OPPRETT}}}registrering"), message)

    def _create_folder(self, folder, control: dict) -> bytes:
        key = (_text(folder, "a:referanseEksternNoekkel/m:fagsystem"), _text(folder, "a:referanseEksternNoekkel/m:noekkel"))
        unit = _text(folder, "a:administrativEnhet")
        known = control.get("known_units")
        if known is not None and unit not in known:
            raise _Rejected(f"Unknown administrativEnhet {unit!r}: the archive has no such unit")
        name = _key_name(*key)
        today = datetime.date.today()
        record = self._load(name)
        existing = record is not None
        if not existing:
            year = today.year
            record = {"kind": "saksmappe", "systemID": str(uuid.uuid4()), "saksaar": year,
                      "sakssekvensnummer": self._next(f"sak-{year}"), "saksdato": today.isoformat(),
                      "external_key": list(key), "journalposter": 0}
        record.update({"tittel": _text(folder, "a:tittel"), "offentligTittel": _text(folder, "a:offentligTittel"),
                       "administrativEnhet": unit, "saksansvarlig": _text(folder, "a:saksansvarlig"),
                       "saksstatus": _text(folder, "a:saksstatus/m:kode"),
                       "skjerming": _text(folder, "a:skjerming/a:skjermingshjemmel"),
                       "writes": record.get("writes", 0) + 1})
        self._save(name, record)
        return _folder_receipt(record, existing=existing)

    def _find_folder(self, reference) -> tuple[str, dict] | None:
        system_id = _text(reference, "m:systemID")
        if system_id:
            for path in self._records().glob("*.json"):
                record = json.loads(path.read_text())
                if record.get("systemID") == system_id and record["kind"] == "saksmappe":
                    return path.stem, record
            return None
        name = _key_name(_text(reference, "m:referanseEksternNoekkel/m:fagsystem"),
                         _text(reference, "m:referanseEksternNoekkel/m:noekkel"))
        record = self._load(name)
        return (name, record) if record and record["kind"] == "saksmappe" else None

    def _create_entry(self, entry, message: OutgoingMessage) -> bytes:
        parent = entry.find(f"{{{NS_OPPRETT}}}referanseForelderMappe")
        if parent is None:
            raise _Rejected("A registry entry from Min Side must belong to a case file (referanseForelderMappe)")
        found = self._find_folder(parent)
        if found is None:
            raise _Rejected("The case file referred to (referanseForelderMappe) does not exist",
                            kind="ikkefunnet", message_type=IKKEFUNNET)
        folder_name, folder = found
        documents = []
        for number, description in enumerate(entry.findall(f"{{{NS_OPPRETT}}}dokumentbeskrivelse"), start=1):
            objects = []
            for obj in description.findall(f"{{{NS_OPPRETT}}}dokumentobjekt"):
                ref = _text(obj, "a:referanseDokumentfil")
                content = message.files.get(ref)
                if content is None:
                    raise _Rejected(f"referanseDokumentfil {ref!r} is not in the message")
                checksum = _text(obj, "a:sjekksum")
                if checksum and hashlib.sha256(content).hexdigest() != checksum.lower():
                    raise _Rejected(f"The checksum of {ref!r} does not match its content")
                if _text(obj, "a:variantformat/m:kode") == "A" and not content.startswith(b"%PDF"):
                    raise _Rejected(f"{ref!r} is said to be the archival format (A) but is not a PDF")
                objects.append({"file": ref, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
                                "variant": _text(obj, "a:variantformat/m:kode"), "format": _text(obj, "a:format/m:kode"),
                                "content": content})
            documents.append({"systemID": str(uuid.uuid4()), "dokumentnummer": int(_text(description, "a:dokumentnummer") or number),
                              "tittel": _text(description, "a:tittel"),
                              "tilknyttetRegistreringSom": _text(description, "a:tilknyttetRegistreringSom/m:kode"),
                              "objects": objects})
        key = (_text(entry, "a:referanseEksternNoekkel/m:fagsystem"), _text(entry, "a:referanseEksternNoekkel/m:noekkel"))
        name = _key_name(*key)
        record = self._load(name)
        existing = record is not None
        today = datetime.date.today()
        if not existing:
            folder["journalposter"] += 1
            self._save(folder_name, folder)
            record = {"kind": "journalpost", "systemID": str(uuid.uuid4()), "folder": folder["systemID"],
                      "journalaar": today.year, "journalsekvensnummer": self._next(f"journal-{today.year}"),
                      "journalpostnummer": folder["journalposter"], "journaldato": today.isoformat(),
                      "external_key": list(key)}
        stored_documents = []
        for document in documents:
            files = []
            for obj in document.pop("objects"):
                path = self._dir(f"documents/{record['systemID']}") / obj["file"]
                path.write_bytes(obj.pop("content"))
                files.append(obj)
            stored_documents.append({**document, "objects": files})
        record.update({"tittel": _text(entry, "a:tittel"), "offentligTittel": _text(entry, "a:offentligTittel"),
                       "journalposttype": _text(entry, "a:journalposttype/m:kode"),
                       "journalstatus": _text(entry, "a:journalstatus/m:kode") or "J",
                       "skjerming": _text(entry, "a:skjerming/a:skjermingshjemmel"),
                       "korrespondanseparter": [_text(p, "a:korrespondansepartNavn")
                                                for p in entry.findall(f"{{{NS_OPPRETT}}}korrespondansepart")],
                       "documents": stored_documents, "writes": record.get("writes", 0) + 1})
        self._save(name, record)
        return _entry_receipt(record, existing=existing)

    def _update(self, root, control: dict) -> bytes:
        for update in root.findall(f"{{{NS_OPPDATER}}}mappeOppdateringer"):
            found = self._find_folder(update.find(f"{{{NS_OPPDATER}}}referanseTilMappe"))
            if found is None:
                raise _Rejected("The case file to update does not exist", kind="ikkefunnet", message_type=IKKEFUNNET)
            name, record = found
            for field_name, path in (("tittel", "u:tittel"), ("offentligTittel", "u:offentligTittel"),
                                     ("saksansvarlig", "u:saksansvarlig"), ("administrativEnhet", "u:administrativEnhet"),
                                     ("saksstatus", "u:saksstatus/m:kode"), ("avsluttetDato", "u:avsluttetDato")):
                value = _text(update, path)
                if value:
                    record[field_name] = value
            record["writes"] = record.get("writes", 0) + 1
            self._save(name, record)
        return b""  # oppdater.kvittering has no payload (meldingstyper.json)

    # --- what the archive holds (for tests, benchmarks and the operator) -------------------------
    def records(self) -> list[dict]:
        return [json.loads(p.read_text()) for p in sorted(self._records().glob("*.json"))]

    def calls(self) -> list[dict]:
        log = self.root / "calls.log"
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()] if log.exists() else []


class _Rejected(Exception):
    def __init__(self, reason: str, *, kind: str = "ugyldigforespoersel", message_type: str = UGYLDIG):
        super().__init__(reason)
        self.reason, self.kind, self.message_type = reason, kind, message_type


def _code(parent, name: str, code: str, namespace: str):
    from lxml import etree

    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    etree.SubElement(element, f"{{{NS_MDK}}}kode").text = code
    return element


def _key(parent, external_key: list[str], namespace: str) -> None:
    from lxml import etree

    element = etree.SubElement(parent, f"{{{namespace}}}referanseEksternNoekkel")
    etree.SubElement(element, f"{{{NS_MDK}}}fagsystem").text = external_key[0]
    etree.SubElement(element, f"{{{NS_MDK}}}noekkel").text = external_key[1]


def _folder_receipt(record: dict, *, existing: bool) -> bytes:
    from lxml import etree

    ns = NS_KVITTERING
    root = etree.Element(f"{{{ns}}}arkivmeldingKvittering", nsmap={None: ns, "n5mdk": NS_MDK, "xsi": NS_XSI})
    folder = etree.SubElement(root, f"{{{ns}}}mappeKvittering", {f"{{{NS_XSI}}}type": "saksmappeKvittering"})
    etree.SubElement(folder, f"{{{ns}}}systemID").text = record["systemID"]
    etree.SubElement(folder, f"{{{ns}}}mappeID").text = f"{record['saksaar']}/{record['sakssekvensnummer']}"
    _key(folder, record["external_key"], ns)
    etree.SubElement(folder, f"{{{ns}}}opprettetEllerEksisterende").text = "Eksisterende" if existing else "Opprettet"
    etree.SubElement(folder, f"{{{ns}}}saksaar").text = str(record["saksaar"])
    etree.SubElement(folder, f"{{{ns}}}sakssekvensnummer").text = str(record["sakssekvensnummer"])
    etree.SubElement(folder, f"{{{ns}}}saksdato").text = record["saksdato"]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _entry_receipt(record: dict, *, existing: bool) -> bytes:
    from lxml import etree

    ns = NS_KVITTERING
    root = etree.Element(f"{{{ns}}}arkivmeldingKvittering", nsmap={None: ns, "n5mdk": NS_MDK, "xsi": NS_XSI})
    entry = etree.SubElement(root, f"{{{ns}}}registreringKvittering", {f"{{{NS_XSI}}}type": "journalpostKvittering"})
    etree.SubElement(entry, f"{{{ns}}}systemID").text = record["systemID"]
    for document in record["documents"]:
        described = etree.SubElement(entry, f"{{{ns}}}dokumentbeskrivelseKvittering")
        etree.SubElement(described, f"{{{ns}}}systemID").text = document["systemID"]
        etree.SubElement(described, f"{{{ns}}}dokumentnummer").text = str(document["dokumentnummer"])
    _key(entry, record["external_key"], ns)
    etree.SubElement(entry, f"{{{ns}}}opprettetEllerEksisterende").text = "Eksisterende" if existing else "Opprettet"
    etree.SubElement(entry, f"{{{ns}}}journalaar").text = str(record["journalaar"])
    etree.SubElement(entry, f"{{{ns}}}journalsekvensnummer").text = str(record["journalsekvensnummer"])
    etree.SubElement(entry, f"{{{ns}}}journalpostnummer").text = str(record["journalpostnummer"])
    _code(entry, "journalposttype", record["journalposttype"], ns)
    _code(entry, "journalstatus", record["journalstatus"], ns)
    etree.SubElement(entry, f"{{{ns}}}journaldato").text = record["journaldato"]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def archive() -> Archive:
    return get_adapter("ARCHIVE_ADAPTER")
