"""Student copies (no outputs, no solutions, no teacher notes, made by the script and in sync
with the teacher copies); every exercise has a worked solution and every discussion question a
teacher note, in the teacher copies only; the class materials come before what they prepare
for; every figure has a caption in figures/README.md (the book's alt text)."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import ROOT

from presse.publish import figure_captions, is_teacher_only, student_copy, write_student_copies

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


def test_student_copy_drops_teacher_notes_as_well_as_solutions():
    nb = nbformat.v4.new_notebook()
    for tags in ([], ["solution"], ["teacher"], ["solution", "teacher"], ["parameters"]):
        cell = nbformat.v4.new_markdown_cell(f"cell {tags}")
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    kept = [c.source for c in student_copy(nb).cells[1:]]
    assert kept == ["cell []", "cell ['parameters']"]
    assert [is_teacher_only(c) for c in nb.cells] == [False, True, True, True, False]


def exercises(nb) -> dict[int, bool]:
    """``{exercise number: is a discussion question}`` from the notebook's Exercises list."""
    text = "".join(c.source for c in nb.cells if "## Exercises" in c.source)
    listed = text.split("## Exercises", 1)[1]
    return {int(n): bool(d) for n, d in re.findall(r"^(\d+)\. (Discussion:)?", listed, re.M)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_a_solution_and_every_discussion_a_teacher_note(path):
    nb = nbformat.read(path, as_version=4)
    listed = exercises(nb)
    assert len(listed) >= 3, "the Exercises list is numbered 1. 2. 3. …"
    teacher = [c for c in nb.cells if is_teacher_only(c)]
    solved = {int(n) for c in teacher if c.cell_type == "code"
              for n in re.findall(r"^# Exercise (\d+)\b", c.source)}
    noted = {int(n) for c in teacher if "teacher" in c.metadata.get("tags", [])
             for n in re.findall(r"^\*\*Teacher note, exercise (\d+)", c.source)}
    for number, discussion in listed.items():
        if discussion:
            assert number in noted, f"{path.name}: discussion {number} has no teacher note"
        else:
            assert number in solved, f"{path.name}: exercise {number} has no worked solution"
    first_teacher = nb.cells.index(teacher[0])
    assert all(is_teacher_only(c) for c in nb.cells[first_teacher:]), "solutions come last"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_write_only_to_the_scratch_folder(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and is_teacher_only(cell):
            writes = r"\.(write_text|write_bytes|to_csv|mkdir)\(|analyze_corpus\("
            if re.search(writes, cell.source):
                assert "scratch_dir" in cell.source, f"{path.name}: a solution writes elsewhere"
                assert 'globals().get("scratch_dir"' in cell.source, "define it when absent"


def test_committed_student_copies_hold_no_solution_and_no_teacher_note():
    for path in sorted((ROOT / "student").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert not any(is_teacher_only(c) for c in nb.cells), path.name
        text = "".join(c.source for c in nb.cells)
        assert "Teacher note" not in text and "Worked solutions" not in text, path.name
        assert not re.search(r"^# Exercise \d", text, re.M), path.name
        assert "## Exercises" in text


def test_the_article_is_shown_whole_in_01_before_it_is_cut_up():
    nb = nbformat.read(ROOT / "notebooks" / "01_article.ipynb", as_version=4)
    sources = [c.source for c in nb.cells]
    shown = next(i for i, s in enumerate(sources) if "article_html(" in s)
    cut = next(i for i, s in enumerate(sources) if "parse_article(" in s)
    assert shown < cut and not is_teacher_only(nb.cells[shown])
    assert any("text/html" in o.get("data", {}) for o in nb.cells[shown].outputs)


def test_students_label_five_sentences_in_03_before_any_score_is_shown():
    nb = nbformat.read(ROOT / "notebooks" / "03_sentiment.ipynb", as_version=4)
    code = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    labels = next(i for i, s in code if re.search(r"^my_labels = ", s, re.M))
    scores = ("english_trap(", "textblob_sentiment(", "score_units(", "score_tone_model(")
    first_score = next(i for i, s in code if any(f in s for f in scores))
    assert labels < first_score
    assert 'my_labels = ["", "", "", "", ""]' in nb.cells[labels].source  # runs headless
    compared = next(i for i, s in code if "compare_labels(" in s and "labels_summary(" in s)
    assert compared > first_score and not is_teacher_only(nb.cells[compared])
    printed = "".join(o.get("text", "") for o in nb.cells[compared].outputs)
    assert "No labels entered" in printed
