"""The book: the executed notebooks, the figures and the documentation as a Sphinx site.

``python -m presse.book --out site`` builds the reader's and teacher's edition (worked solutions
included); ``python -m presse.book --student --out site-student`` the students' edition (every
cell tagged ``solution`` removed, outputs kept). Both are built with Sphinx, myst-nb and the
sphinx-book-theme (navigation, search) from the committed outputs: nothing is executed, nothing
is loaded from the network, and the pages open from the disk (``site/index.html``).

:func:`stage` copies what the book shows into a source folder: ``book/conf.py``,
``book/_static``, the front page, the notebooks (each figure given the caption of
``figures/README.md`` as its alt text), a figures gallery, the annotated article, and
``docs/*.md``; :func:`build` runs Sphinx on it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from presse.publish import SOLUTION_TAG, figure_captions

ROOT = Path(__file__).resolve().parents[2]
FIGURE_CALL = re.compile(r"save_figure\(\s*\w+\s*,\s*[\"']([\w-]+)[\"']")
STUDENT_NOTE = (
    "This is the **students' edition**: the worked solutions at the end of each notebook are "
    "left out."
)
TEACHER_NOTE = (
    "This is the **reader's and teacher's edition**: each notebook ends with worked solutions "
    "to some of its exercises. The students' edition leaves them out "
    "(`make html-student`)."
)


def book_notebook(nb: nbformat.NotebookNode, captions: dict[str, str], student: bool):
    """The notebook as the book shows it (a copy; outputs kept).

    Each code cell that saves a figure (``save_figure(fig, "NAME", …)``) gets the caption of
    ``NAME.png`` as the alt text of its image output; with ``student``, the cells tagged
    ``solution`` are removed. Input: a notebook and ``{file name: caption}``."""
    nb = nbformat.from_dict(nb)
    if student:
        nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        names = FIGURE_CALL.findall(cell.source)
        alt = " / ".join(captions.get(f"{name}.png", name) for name in names)
        if alt:
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
    return nb


def annotated_fragment(page: str) -> str:
    """The ``<div class="presse-annotated">`` of the annotated article's HTML page."""
    start = page.index('<div class="presse-annotated"')
    return page[start : page.rindex("</div>") + len("</div>")]


def gallery_markdown(figures: Path, captions: dict[str, str]) -> str:
    """The figures page: every PNG of ``figures`` with its caption (also its alt text), a link
    to the SVG, and the annotated article."""
    lines = [
        "# Figures",
        "",
        "Every figure the notebooks make (`make run` writes them to `figures/` as PNG and SVG,",
        "with no date or version stamp). Colours come from the Okabe–Ito colour-blind-safe",
        "palette.",
        "",
    ]
    for png in sorted(figures.glob("*.png")):
        caption = captions.get(png.name, png.stem.replace("_", " "))
        notebook = png.name[:2]
        svg = png.with_suffix(".svg")
        link = f" ({{download}}`SVG <figures/{svg.name}>`)" if svg.exists() else ""
        lines += [
            f"## {png.stem}",
            "",
            f":::{{figure}} figures/{png.name}",
            f":alt: {caption}",
            ":class: gallery",
            "",
            f"{caption[:1].upper()}{caption[1:]}. Made by notebook {notebook}{link}.",
            ":::",
            "",
        ]
    return "\n".join(lines)


def article_markdown(page: str) -> str:
    """The annotated article's page: the view itself, with its own styles."""
    return "\n".join(
        [
            "# The article, annotated",
            "",
            "Each sentence shaded by its speaker, underlined by its tone (dashed where the tone is",
            "weak), followed by its themes; hover a sentence for the rule that gave its speaker",
            "and the words behind its tone. Made by notebook 05 (`figures/article_annotated.html`,",
            "{download}`open it alone <figures/article_annotated.html>`).",
            "",
            "```{raw} html",
            annotated_fragment(page),
            "```",
            "",
        ]
    )


def stage(root: Path, src: Path, student: bool = False) -> Path:
    """Copy what the book shows from the project ``root`` into ``src`` (created); return it."""
    root, src = Path(root), Path(src)
    book, figures = root / "book", root / "figures"
    src.mkdir(parents=True, exist_ok=True)
    shutil.copy(book / "conf.py", src / "conf.py")
    shutil.copytree(book / "_static", src / "_static", dirs_exist_ok=True)
    note = STUDENT_NOTE if student else TEACHER_NOTE
    front = (book / "index.md").read_text(encoding="utf-8").format(edition_note=note)
    (src / "index.md").write_text(front, encoding="utf-8")
    captions = figure_captions(figures / "README.md")
    (src / "notebooks").mkdir(exist_ok=True)
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = book_notebook(nbformat.read(path, as_version=4), captions, student)
        nbformat.write(nb, src / "notebooks" / path.name)
    (src / "figures").mkdir(exist_ok=True)
    for path in sorted(figures.glob("*.png")) + sorted(figures.glob("*.svg")):
        shutil.copy(path, src / "figures" / path.name)
    (src / "figures.md").write_text(gallery_markdown(figures, captions), encoding="utf-8")
    annotated = figures / "article_annotated.html"
    page = annotated.read_text(encoding="utf-8")
    (src / "article.md").write_text(article_markdown(page), encoding="utf-8")
    shutil.copy(annotated, src / "figures" / annotated.name)
    (src / "docs").mkdir(exist_ok=True)
    for path in sorted((root / "docs").glob("*.md")):
        shutil.copy(path, src / "docs" / path.name)
    return src


def build(root: Path, out: Path, student: bool = False, quiet: bool = True) -> Path:
    """Stage the book and build it with Sphinx into ``out``; return ``out/index.html``.

    Everything is built in a temporary folder and copied into ``out`` only when Sphinx succeeds;
    raises RuntimeError with Sphinx's last lines if it fails (``out`` is then left alone)."""
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="presse-book-") as tmp:
        src = stage(root, Path(tmp) / "src", student=student)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-j", "1"]
        command += ["-q"] if quiet else []
        command += ["-t", "student"] if student else []
        # myst-nb writes its image files beside the output folder: build inside tmp, then copy
        html = Path(tmp) / "html"
        command += ["-d", str(Path(tmp) / "doctrees"), str(src), str(html)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode == 0:
            shutil.copytree(html, out, dirs_exist_ok=True)
    if result.returncode != 0:
        last = "; ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
        raise RuntimeError(f"the book did not build: {last}")
    if result.stderr.strip():
        print(result.stderr.strip(), file=sys.stderr)
    return out / "index.html"


def main(argv: list[str] | None = None) -> int:
    """``python -m presse.book [--student] --out DIR``; exit status 1 if Sphinx fails."""
    parser = argparse.ArgumentParser(prog="python -m presse.book")
    parser.add_argument("--out", type=Path, required=True, help="folder for the HTML pages")
    parser.add_argument(
        "--student", action="store_true", help="the students' edition: no worked solutions"
    )
    args = parser.parse_args(argv)
    try:
        index = build(ROOT, args.out, student=args.student)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    edition = "students'" if args.student else "reader's and teacher's"
    print(f"the {edition} book: open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
