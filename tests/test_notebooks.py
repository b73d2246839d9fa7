"""Every notebook runs headless, in order, in a temporary copy of the project; what it writes
matches what is committed (so the committed outputs are those of the current code); notebooks
use the python3 kernel, relative paths and carry no run metadata."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, SHARED

from presse.notebooks import execute_notebook

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_numbered_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name.startswith("01_")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_clean_and_portable(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert set(nb["metadata"]) <= {"kernelspec", "language_info"}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert any(c["outputs"] for c in code), "committed notebooks carry their outputs"
    for cell in code:
        assert "execution" not in cell["metadata"]
        assert all(o["output_type"] != "error" for o in cell["outputs"])
        assert "/work/" not in "".join(cell["source"]) and "/home/" not in "".join(cell["source"])
    first = "".join(nb["cells"][0]["source"])
    assert "**Question.**" in first and "**Learning goals.**" in first
    assert "## Exercises" in "".join("".join(c["source"]) for c in nb["cells"])


#: notebooks whose outputs depend on ../shared (the Wikinews corpus), and the figures they make
NEEDS_SHARED = {"06_corpus.ipynb"}
SHARED_FIGURES = ("06_",)


@pytest.fixture(scope="module")
def executed_copy(tmp_path_factory):
    """Copy notebooks and data to a temporary project (with ../shared beside it when it exists,
    as in the real layout), without data/processed/, and run the collection as ``make run``
    does (``python -m presse.notebooks`` on every notebook, in order)."""
    from presse.notebooks import main

    base = tmp_path_factory.mktemp("nbrun")
    copy = base / "project"
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED, target_is_directory=True)
    shutil.copytree(ROOT / "notebooks", copy / "notebooks")
    shutil.copytree(ROOT / "data", copy / "data", ignore=shutil.ignore_patterns("processed"))
    assert main([str(p) for p in sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))]) == 0
    return copy


def test_notebooks_run_in_order_and_reproduce_the_committed_outputs(executed_copy):
    for committed in sorted((ROOT / "data" / "processed").glob("*.csv")):
        produced = executed_copy / "data" / "processed" / committed.name
        assert produced.exists(), f"{committed.name} is committed but make run does not write it"
        assert produced.read_bytes() == committed.read_bytes(), f"{committed.name} is stale"
    for produced in (executed_copy / "figures").glob("*"):
        if produced.name.startswith(SHARED_FIGURES) and not SHARED.is_dir():
            continue  # made without the corpus: a placeholder, not the committed figure
        committed = ROOT / "figures" / produced.name
        assert committed.exists(), f"figure {produced.name} is not committed"
        assert produced.read_bytes() == committed.read_bytes(), f"figure {produced.name} is stale"
    for path in NOTEBOOKS:
        if path.name in NEEDS_SHARED and not SHARED.is_dir():
            continue  # ran (without error) on an absent corpus; its committed outputs need it
        produced = json.loads((executed_copy / "notebooks" / path.name).read_text(encoding="utf-8"))
        committed = json.loads(path.read_text(encoding="utf-8"))
        assert produced == committed, f"{path.name}: committed outputs differ from a fresh run" + (
            first_difference(produced, committed)
        )


def first_difference(produced: dict, committed: dict) -> str:
    """Where two notebooks first differ: the cell number and both versions, shortened."""
    pairs = zip(produced["cells"], committed["cells"])
    for i, (new, old) in enumerate(pairs):
        if new != old:
            return f" (cell {i}: fresh {json.dumps(new)[:600]} / committed {json.dumps(old)[:600]})"
    return f" ({len(produced['cells'])} cells against {len(committed['cells'])}, or metadata)"


def test_raw_data_untouched_by_the_notebooks(executed_copy):
    for raw in (ROOT / "data" / "raw").iterdir():
        assert (executed_copy / "data" / "raw" / raw.name).read_bytes() == raw.read_bytes()


def test_parameters_are_those_the_notebook_defines():
    import nbformat

    from presse.notebooks import parameters_for

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("article_path = 'a.txt'\nhand_tone = 'x.csv'\nother = 1"),
        nbformat.v4.new_code_cell("print(article_path)"),
    ]
    nb.cells[1].metadata["tags"] = ["parameters"]
    chosen = parameters_for(nb, {"article_path": "/b.txt", "hand_*": None, "unknown": 3})
    assert chosen == {"article_path": "/b.txt", "hand_tone": None}


def test_papermill_runs_with_parameters_and_leaves_no_run_metadata(tmp_path):
    import nbformat


    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("name = 'default'"),
        nbformat.v4.new_code_cell("print(name)"),
    ]
    nb.cells[0].metadata["tags"] = ["parameters"]
    source = tmp_path / "nb.ipynb"
    nbformat.write(nb, source)
    execute_notebook(source, tmp_path / "out.ipynb", parameters={"name": "given"})
    done = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert [c["metadata"].get("tags") for c in done["cells"]] == [
        ["parameters"], ["injected-parameters"], None
    ]
    assert done["cells"][2]["outputs"][0]["text"] == ["given\n"]
    assert set(done["metadata"]) == {"kernelspec", "language_info"}
    assert all("papermill" not in c["metadata"] for c in done["cells"])
    execute_notebook(source)  # in place, no parameters: nothing injected, output 'default'
    again = json.loads(source.read_text(encoding="utf-8"))
    assert len(again["cells"]) == 2 and again["cells"][1]["outputs"][0]["text"] == ["default\n"]


def test_a_failing_cell_is_one_line_and_the_notebook_is_not_rewritten(tmp_path, capsys):
    import nbformat

    from presse.notebooks import main

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 / 0")]
    source = tmp_path / "bad.ipynb"
    nbformat.write(nb, source)
    before = source.read_bytes()
    assert main([str(source)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ZeroDivisionError" in err
    assert source.read_bytes() == before


def test_every_notebook_has_a_parameters_cell_naming_its_input_and_output():
    """Every notebook names its article, its analysis cache, its scratch folder and its figures
    folder (None: the scratch folder); every notebook but the corpus one its codebook."""
    import nbformat

    from presse.notebooks import parameters_cell_values

    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
        values = parameters_cell_values(nbformat.read(path, as_version=4))
        assert {"article_path", "cache_dir", "scratch_dir", "figures_dir"} <= set(values), path.name
        assert values["figures_dir"] is None and values["scratch_dir"].startswith("../runs/")
        assert values["cache_dir"].startswith("../runs/"), "the cache must be in an ignored folder"
        if path.name != "06_corpus.ipynb":
            assert values["codebook_path"] == "../data/codebook/themes.csv", path.name
        assert "processed_dir" not in values, f"{path.name}: notebooks write no table"


def test_a_bad_article_is_one_line_and_exit_status_2(tmp_path, capsys):
    from presse.notebooks import main

    missing = tmp_path / "absent.txt"
    assert main(["--article", str(missing), "--out", str(tmp_path / "run"), str(NOTEBOOKS[0])]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "absent.txt" in err
    assert not (tmp_path / "run").exists()


def test_relative_paths_are_kept_pointing_home_when_run_elsewhere(tmp_path):
    import nbformat

    from presse.notebooks import parameters_for

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("corpus_dir = '../shared/x'\nprocessed_dir = '../p'")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    chosen = parameters_for(nb, {"processed_dir": "/run/p"}, home=tmp_path / "notebooks")
    assert chosen == {
        "corpus_dir": str((tmp_path / "shared" / "x").resolve()),
        "processed_dir": "/run/p",
    }


def test_the_runner_prints_no_kernel_warnings(tmp_path):
    """The kernel talks over IPC and is shut down cleanly: nothing on stderr (no 'running over
    TCP without encryption', no 'KeyboardInterrupt caught in kernel')."""
    import subprocess
    import sys

    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(0.2)\nprint('done')")]
    source = tmp_path / "quiet.ipynb"
    nbformat.write(nb, source)
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "presse.notebooks", str(source)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0 and result.stderr == "", result.stderr
        assert result.stdout == f"executing {source}\n"
