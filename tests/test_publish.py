"""Student copies (no outputs, no solutions, made by the script and in sync with the teacher
copies); every figure has a caption in figures/README.md (the book's alt text)."""

from __future__ import annotations

import json

import nbformat
from conftest import ROOT

from presse.publish import figure_captions, student_copy, write_student_copies

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_notebook_has_worked_solutions_for_the_teacher():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
        assert any(c.cell_type == "code" for c in tagged), f"{path.name} has no solution cell"


def test_student_copy_has_no_outputs_and_no_solutions():
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    copy = student_copy(nb)
    assert all(not c.get("outputs") for c in copy.cells if c.cell_type == "code")
    assert all("solution" not in c.metadata.get("tags", []) for c in copy.cells)
    assert "Student copy" in copy.cells[0].source
    assert "## Exercises" in "".join(c.source for c in copy.cells)
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "original untouched"


def test_committed_student_copies_are_those_the_script_makes(tmp_path):
    write_student_copies(NOTEBOOKS, tmp_path)
    committed = sorted((ROOT / "student").glob("*.ipynb"))
    assert [p.name for p in committed] == [p.name for p in NOTEBOOKS], "run make student"
    for path in committed:
        made = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
        assert json.loads(path.read_text(encoding="utf-8")) == made, (
            f"student/{path.name} is stale or edited by hand: run make student"
        )


def test_figure_captions_are_read_from_the_figures_readme():
    captions = figure_captions(ROOT / "figures" / "README.md")
    for png in (ROOT / "figures").glob("*.png"):
        assert captions.get(png.name), f"{png.name} has no line in figures/README.md"
        assert captions.get(png.with_suffix(".svg").name)
