"""Keep the annotations of the copyrighted corpus within what its README allows.

    .venv/bin/python benchmarks/annotation_excerpts.py [--check]

The francophone news corpus may be quoted in the repository by offsets and at most eight words
per span. This rewrites, in every ``data/annotations/fnews_*.csv`` and
``tone_test_readings.csv``, each ``first_words`` cell to :func:`presse.evaluation.excerpt`
(eight words, an elision or a hyphen counting each part) and each ``speaker`` cell so that every
``|``-separated name keeps at most eight words and the whole cell fewer than twelve (a name and
a role side by side can repeat the article). Offsets, labels and notes are left as they are;
line endings are kept. With ``--check`` it changes nothing and exits 1 if a file would change.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from presse.evaluation import excerpt

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
MAX_CELL_WORDS = 11


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def short_speaker(cell: str) -> str:
    """Each alternative an excerpt; the longest ones cut further while the cell is too long."""
    parts = [excerpt(p) for p in cell.split("|")]
    while sum(words(p) for p in parts) > MAX_CELL_WORDS and len(parts) > 1:
        longest = max(range(1, len(parts)), key=lambda i: words(parts[i]))
        if words(parts[longest]) <= 1:
            break
        parts[longest] = excerpt(parts[longest], words(parts[longest]) - 1)
    return "|".join(parts)


def rewritten(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    columns = rows[0]
    for row in rows[1:]:
        for k, column in enumerate(columns):
            if column == "first_words":
                row[k] = excerpt(row[k])
            elif column == "speaker":
                row[k] = short_speaker(row[k])
    out = io.StringIO()
    ending = "\r\n" if "\r\n" in text else "\n"
    csv.writer(out, lineterminator=ending).writerows(rows)
    return out.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = sorted(ANNOTATIONS.glob("fnews_*.csv")) + [ANNOTATIONS / "tone_test_readings.csv"]
    stale = []
    for path in files:
        if not path.exists():
            continue
        with open(path, encoding="utf-8", newline="") as stream:  # keep CRLF where it is
            text = stream.read()
        new = rewritten(text)
        if new != text:
            stale.append(path.name)
            if not check:
                path.write_text(new, encoding="utf-8", newline="")
    print(("would change: " if check else "rewritten: ") + (", ".join(stale) or "none"))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
