"""Every UI string ships in both catalogs; the Vietnamese one is complete."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def extracted_ids(tmp_path) -> set[str]:
    """Extract the strings from the code as it is now (a stale messages.pot cannot hide new ones)."""
    pot = tmp_path / "now.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "translations/babel.cfg",
                    "-k", "lazy_gettext", "-k", "_l", "-o", str(pot), "--no-location", "app", "tenants", "workers"],
                   cwd=TRANSLATIONS.parent, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_catalogs_hold_every_string_in_the_code(tmp_path):
    ids = extracted_ids(tmp_path)
    assert len(ids) > 50
    for locale in ("vi", "en"):
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(locale) if m.id}
        assert ids <= have, f"{locale} is missing {sorted(ids - have)[:5]}"


def test_vietnamese_is_complete_and_keeps_placeholders():
    for message in catalog("vi"):
        if not message.id:
            continue
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert text, f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid
