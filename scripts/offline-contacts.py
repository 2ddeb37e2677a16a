"""Write the bot's offline contacts (bot/actions/offline_contacts.txt) from the
seed content, so the text the bot gives when the api is down comes from the
service records, uncertain numbers with their caveat and note.

Run by `make train`; tests/pathways/test_contacts.py fails when the file
differs from what the seed gives, so a content change cannot leave it stale.

    .venv/bin/python scripts/offline-contacts.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.content.seed_files import load_seed  # noqa: E402
from pathways.contacts import offline_contacts_text  # noqa: E402

TARGET = ROOT / "bot" / "actions" / "offline_contacts.txt"


def main(argv: list[str]) -> int:
    text = offline_contacts_text(load_seed(version=1))
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET} is out of date: run scripts/offline-contacts.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
