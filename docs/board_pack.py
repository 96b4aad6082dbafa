"""Make the README's example board pack: the demo journey's pack for a meeting on 13 December
2018 (a day chosen for the example; the previous one 8 November 2018), in all three formats,
and its PDF pages as PNG images (``pdftoppm``, from Debian's poppler-utils).

The demo is loaded into a throwaway ledger, so nothing was known by the meeting day itself:
the pack is made as known at the moment after loading, which its cover names.

    python docs/board_pack.py [--output docs]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

MEETING, PREVIOUS = "2018-12-13", "2018-11-08"
STEM = f"board-pack-{MEETING}"


def ledger(database: str, *args: str) -> str:
    command = [sys.executable, "-m", "entrypoints", "--database", database, *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).parent)
    out = parser.parse_args().output
    with tempfile.TemporaryDirectory() as scratch:
        database = f"sqlite:///{scratch}/demo.db"
        print(ledger(database, "demo"))
        known_at = datetime.now(UTC).isoformat()
        for fmt in ("html", "pdf", "xlsx"):
            target = out / f"{STEM}.{fmt}"
            print(
                ledger(
                    database,
                    "pack",
                    "--meeting",
                    MEETING,
                    "--previous",
                    PREVIOUS,
                    "--known-at",
                    known_at,
                    "--format",
                    fmt,
                    "-o",
                    str(target),
                )
            )
        # As the board would have had it: nothing known by the end of the meeting day.
        print(ledger(database, "pack", "--meeting", MEETING, "-o", f"{scratch}/unknown.html"))
    for old in out.glob(f"{STEM}-page-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(out / f"{STEM}.pdf"), str(out / f"{STEM}-page")],
        check=True,
    )
    for png in sorted(out.glob(f"{STEM}-page-*.png")):
        print(f"wrote {png}")


if __name__ == "__main__":
    main()
