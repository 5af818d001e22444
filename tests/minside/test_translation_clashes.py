"""Django merges the apps' catalogues into one per language: when two apps translate the same
msgid (in the same context) differently, only one wording wins (the app listed first in
INSTALLED_APPS), so the other app's pages silently show a wording it did not choose. This test
fails on such a clash; fix it by agreeing on one wording in both catalogues, or, when the
meanings really differ, by a context (`pgettext("…", "Edit")`,
`{% translate "Edit" context "…" %}`), which makes them different messages.

Run as a script to list the clashes: `.venv/bin/python tests/minside/test_translation_clashes.py`."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LANGUAGES = ("nb", "nn")
_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def po_entries(path: Path) -> dict[tuple, tuple]:
    """(msgctxt, msgid, msgid_plural) → the msgstr(s) of a .po file; the header, obsolete (#~)
    and fuzzy entries and untranslated ones are left out (Django does not use them)."""
    entries: dict[tuple, tuple] = {}
    entry: dict = {}
    key = None

    def flush():
        if entry.get("msgid") and not entry.get("fuzzy"):
            strings = tuple(value for name, value in sorted(entry.items()) if name.startswith("msgstr"))
            if any(strings):
                entries[(entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))] = strings

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#") or not line:
            if not line:
                flush()
                entry, key = {}, None
        elif match := _LINE.match(line):
            if match.group(1) in ("msgctxt", "msgid") and "msgid" in entry:  # no blank line between
                flush()
                entry = {}
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
    flush()
    return entries


def catalogues(language: str, root: Path = BASE_DIR) -> list[Path]:
    found = [*root.glob(f"*/locale/{language}/LC_MESSAGES/django.po"),
             *root.glob(f"locale/{language}/LC_MESSAGES/django.po")]
    return sorted(p for p in found if not {".venv", "node_modules"} & set(p.relative_to(root).parts))


def clashes(paths: list[Path], root: Path = BASE_DIR) -> dict[tuple, dict[str, tuple]]:
    """Messages translated differently by two or more catalogues: key → {catalogue: msgstr}."""
    seen: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for path in paths:
        owner = path.relative_to(root).parts[0]  # the app ("locale": the project's LOCALE_PATHS)
        for key, strings in po_entries(path).items():
            seen[key][owner] = strings
    return {key: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1}


def describe(found: dict) -> str:
    return "\n".join(
        f"  {'[' + ctx + '] ' if ctx else ''}{msgid!r}: "
        + ", ".join(f"{app} {' / '.join(strings)!r}" for app, strings in sorted(by_app.items()))
        for (ctx, msgid, _plural), by_app in sorted(found.items(), key=lambda item: str(item[0])))


def test_no_two_catalogues_translate_the_same_message_differently():
    problems = []
    for language in LANGUAGES:
        paths = catalogues(language)
        assert len(paths) >= 5, f"expected the apps' {language} catalogues, found {paths}"
        if found := clashes(paths):
            problems.append(f"{language}:\n{describe(found)}")
    assert not problems, (
        "These messages are translated differently by different apps; Django shows one wording "
        "everywhere. Agree on one, or give them a context (pgettext / translate … context):\n"
        + "\n".join(problems))


def _write_po(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")
    return path


def test_the_check_finds_a_clash_and_accepts_contexts_fuzzy_and_agreement(tmp_path):
    one = _write_po(tmp_path / "one/locale/nb/LC_MESSAGES/django.po", (
        'msgid "Edit"\nmsgstr "Endre"\n\n'
        'msgctxt "verb on a draft"\nmsgid "Open"\nmsgstr "Åpne"\n\n'
        'msgid "Save"\nmsgstr "Lagre"\n\n'
        '#, fuzzy\nmsgid "Back"\nmsgstr "Tilbakeee"\n\n'
        'msgid "One file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "Én fil"\nmsgstr[1] "%(n)s filer"\n'))
    two = _write_po(tmp_path / "two/locale/nb/LC_MESSAGES/django.po", (
        'msgid ""\n"Edit"\nmsgstr "Rediger"\n\n'  # a wrapped msgid is the same message
        'msgctxt "state of a case"\nmsgid "Open"\nmsgstr "Åpen"\n\n'
        'msgid "Save"\nmsgstr "Lagre"\n\n'
        'msgid "Back"\nmsgstr "Tilbake"\n\n'
        'msgid "One file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "Én fil"\nmsgstr[1] "%(n)s vedlegg"\n'))

    assert catalogues("nb", root=tmp_path) == [one, two]
    found = clashes([one, two], root=tmp_path)

    assert found == {
        (None, "Edit", None): {"one": ("Endre",), "two": ("Rediger",)},
        (None, "One file", "%(n)s files"): {"one": ("Én fil", "%(n)s filer"), "two": ("Én fil", "%(n)s vedlegg")},
    }
    assert "'Edit': one 'Endre', two 'Rediger'" in describe(found)


if __name__ == "__main__":
    for language in LANGUAGES:
        print(f"{language}:\n{describe(clashes(catalogues(language))) or '  no clashes'}")
