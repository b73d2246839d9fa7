"""Copies of the collection for students and for reading without Jupyter.

``python -m presse.publish student --out student NB [NB ...]`` writes student copies: every output
removed, every cell tagged ``solution`` removed, a short note for students put first. ``make run``
refreshes them and a test checks that the committed ``student/`` folder equals what this makes.

``python -m presse.publish site --out site NB [NB ...]`` renders the executed notebooks to HTML
(figures embedded), copies ``figures/`` (PNG, SVG, the annotated article) and writes
``site/index.html`` linking all of them; the pages open from the disk, no server needed.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat

from presse.notebooks import strip_outputs

SOLUTION_TAG = "solution"
STUDENT_NOTE = (
    "> **Student copy.** Outputs and worked solutions are removed: run the cells in order "
    "(*Run → Run All Cells*) and answer the exercises at the end. The teacher copy, with "
    "outputs, is in `notebooks/`."
)


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without outputs and without cells tagged ``solution``, a note put first."""
    nb = strip_outputs(nbformat.from_dict(nb))
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.metadata.get("tags", [])]
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


def notebook_summary(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """``(title, question)`` from the first cell: its ``#`` heading and its **Question.** line."""
    first = nb.cells[0].source if nb.cells else ""
    title = next((line[2:].strip() for line in first.splitlines() if line.startswith("# ")), "")
    match = re.search(r"\*\*Question\.\*\*\s*(.+?)(?:\n\s*\n|$)", first, flags=re.S)
    question = " ".join(match.group(1).split()) if match else ""
    return title, question


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


def build_site(notebooks: list[Path], figures: Path, out: Path) -> Path:
    """Render ``notebooks`` (executed) and ``figures`` into ``out``; return ``out/index.html``."""
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    (out / "notebooks").mkdir(exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    items = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        target = out / "notebooks" / (Path(path).stem + ".html")
        target.write_text(body, encoding="utf-8")
        title, question = notebook_summary(nb)
        items.append(
            f'<li><a href="notebooks/{target.name}">{html.escape(title or path.stem)}</a>'
            f"<br><span>{html.escape(question)}</span></li>"
        )
    figure_items = []
    if figures.is_dir():
        shutil.copytree(figures, out / "figures", dirs_exist_ok=True)
        captions = figure_captions(figures / "README.md")
        for path in sorted(figures.iterdir()):
            if path.suffix.lower() in (".png", ".html"):
                caption = captions.get(path.name, "")
                svg = path.with_suffix(".svg")
                extra = f' (<a href="figures/{svg.name}">SVG</a>)' if svg.exists() else ""
                figure_items.append(
                    f'<li><a href="figures/{path.name}">{html.escape(path.name)}</a>{extra}'
                    f"<br><span>{html.escape(caption)}</span></li>"
                )
    index = out / "index.html"
    index.write_text(
        INDEX.format(notebooks="\n".join(items), figures="\n".join(figure_items)),
        encoding="utf-8",
    )
    return index


INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A French news article, read closely: the notebooks</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }}
li {{ margin-bottom: 0.8rem; }} span {{ color: #555; font-size: 0.95em; }}
</style>
</head>
<body>
<h1>A French news article, read closely</h1>
<p>The notebooks of the collection, executed, in reading order, and the figures they make.
These pages open from the disk; rerun everything with <code>make run</code>.</p>
<h2>Notebooks</h2>
<ol>
{notebooks}
</ol>
<h2>Figures</h2>
<ul>
{figures}
</ul>
</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    """``student`` or ``site``; exit status 2 if a notebook is missing."""
    parser = argparse.ArgumentParser(prog="python -m presse.publish")
    parser.add_argument("what", choices=["student", "site"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--figures", type=Path, default=Path("figures"))
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.what == "student":
        written = write_student_copies(args.notebooks, args.out)
        print(f"{len(written)} student copies in {args.out}/")
    else:
        index = build_site(args.notebooks, args.figures, args.out)
        print(f"site written: open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
