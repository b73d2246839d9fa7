"""Student copies of the notebooks.

``python -m presse.publish student --out student NB [NB ...]`` writes student copies: every output
removed, every cell for the teacher only (tagged ``solution``: worked solutions; or ``teacher``:
notes on the discussion questions) removed, a short note for students put first. ``make run``
refreshes them and a test checks that the committed ``student/`` folder equals what this makes.

The collection as a book to read without Jupyter is :mod:`presse.book` (``make html``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from presse.notebooks import strip_outputs

SOLUTION_TAG = "solution"
#: notes for the teacher on the discussion questions (also tagged ``solution``, so that every
#: reader of that tag, such as the students' edition of the book, leaves them out too)
TEACHER_TAG = "teacher"
#: cells with any of these tags are for the teacher only
TEACHER_ONLY_TAGS = (SOLUTION_TAG, TEACHER_TAG)
STUDENT_NOTE = (
    "> **Student copy.** Outputs, worked solutions and teacher notes are removed: run the cells "
    "in order (*Run → Run All Cells*) and answer the exercises at the end. The teacher copy, "
    "with outputs, is in `notebooks/`."
)


def is_teacher_only(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is for the teacher only (tagged ``solution`` or ``teacher``)."""
    return any(tag in TEACHER_ONLY_TAGS for tag in cell.get("metadata", {}).get("tags", []))


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without outputs and without the teacher's cells (worked solutions, teacher
    notes: :func:`is_teacher_only`), a note for students put first."""
    nb = strip_outputs(nbformat.from_dict(nb))
    nb.cells = [c for c in nb.cells if not is_teacher_only(c)]
    note = nbformat.v4.new_markdown_cell(STUDENT_NOTE)
    note["id"] = "student-note"
    note.metadata["tags"] = ["student-note"]
    nb.cells.insert(0, note)
    return nb


def write_student_copies(notebooks: list[Path], out: Path) -> list[Path]:
    """Write the student copy of each notebook to ``out/<same name>``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        target = out / Path(path).name
        nbformat.write(student_copy(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written


def figure_captions(readme: Path) -> dict[str, str]:
    """Captions from the table of ``figures/README.md``: ``{file name: what it shows}``."""
    captions = {}
    if not readme.exists():
        return captions
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            names = re.findall(r"`([^`]+)`", cells[0])
            stem = names[0].rsplit(".", 1)[0] if names else ""
            for name in names:  # `x.png` / `.svg`: the second name is x.svg
                captions[f"{stem}{name}" if name.startswith(".") else name] = cells[1]
    return captions


def main(argv: list[str] | None = None) -> int:
    """``student``; exit status 2 if a notebook is missing."""
    parser = argparse.ArgumentParser(prog="python -m presse.publish")
    parser.add_argument("what", choices=["student"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    written = write_student_copies(args.notebooks, args.out)
    print(f"{len(written)} student copies in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
