"""Fill empty msgstrs of the project catalogue from a JSON map {msgid: msgstr} (used when adding UI strings).

Usage: python scripts/po_fill.py translations.json — prints the msgids still untranslated.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "src/lanbai/locale/en/LC_MESSAGES/django.po"


def _unquote(block: str) -> str:
    return "".join(json.loads(part) for part in re.findall(r'"(?:\\.|[^"\\])*"', block))


def main(path: str) -> int:
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    text = PO.read_text(encoding="utf-8")
    out, missing = [], []
    for entry in text.split("\n\n"):
        fuzzy = "#, fuzzy" in entry and "Project-Id-Version" not in entry  # never the header
        if fuzzy:  # a guess by makemessages: drop the flag and the previous msgid, translate afresh
            entry = "\n".join(
                line.replace(", fuzzy", "") for line in entry.split("\n") if not line.startswith("#|")
            ).replace("\n#\n", "\n").replace("\n#, \n", "\n")
            entry = re.sub(r"\nmsgstr (?:\"(?:\\.|[^\"\\])*\"\n?)+$", '\nmsgstr ""', entry.rstrip())
        m = re.search(r'\nmsgid ((?:"(?:\\.|[^"\\])*"\n?)+)msgstr ""\s*$', "\n" + entry)
        if m and "msgid_plural" not in entry:
            msgid = _unquote(m.group(1))
            if msgid and msgid in table:
                entry = entry.rstrip()[: -len('msgstr ""')] + "msgstr " + json.dumps(table[msgid], ensure_ascii=False)
            elif msgid:
                missing.append(msgid)
        out.append(entry)
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid in missing:
        print(msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
