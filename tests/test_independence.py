"""Each notebook runs on its own, in any order, from a fresh copy; the collection holds up on
articles other than the G7 one (no empty tables, no ``nan`` in prose, no claim that only holds
for the G7 article); a theme codebook is a parameter of the command line, the notebook runner
and ``make run``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, SHARED

from presse.notebooks import execute_notebook

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDENT = sorted((ROOT / "student").glob("[0-9][0-9]_*.ipynb"))
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
SPORT_CODEBOOK = FIXTURES / "codebook_sport.csv"
FNEWS = SHARED / "corpora" / "francophone-news-2018" / "articles"
#: three articles of the francophone news corpus (two Quebec, one Belgian); read, never copied
CORPUS_ARTICLES = ("ca0011", "ca0015", "dh0079")

#: phrases that are true only of the G7 article: outside a cell that checks it is that article
#: (and outside the exercises and worked solutions, part of the class materials), they must not
#: appear in a notebook run on another article
G7_ONLY = (
    "Anandasangaree",
    "Magnus Brunner",
    "Maison-Blanche",
    "White House",
    "Canadian minister",
    "ministres du G7",
    "sentence 18",
    "G7 article",
    "with this article in view",
    "with it in view",
    "SHA-256 is checked",
)
NAN = re.compile(r"(?<![\w-])(nan|NaN)(?![\w-])")


def output_texts(output: dict) -> tuple[str, bool]:
    """The text of one output and whether it is prose (printed lines or a Markdown display)
    rather than a table's plain-text form."""
    if output["output_type"] == "stream":
        return "".join(output["text"]), True
    data = output.get("data", {})
    if "text/markdown" in data:
        return "".join(data["text/markdown"]), True
    return "".join(data.get("text/plain", "")), False


def prose_problems(path, g7_allowed: bool = False) -> list[str]:
    """What is wrong with the executed notebook at ``path``: a cell error or traceback, a bare
    ``Empty DataFrame``, ``nan`` in prose, a list with nothing after "mostly", and (unless
    ``g7_allowed``) a phrase of :data:`G7_ONLY` in its prose or outputs. Exercises and worked
    solutions (class materials) are not read for G7 phrases; solution cells are not read."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if "solution" in cell["metadata"].get("tags", []):
            continue
        materials = "## Exercises" in source
        where = f"{path.parent.name}/{path.name}, cell {i}"
        if cell["cell_type"] == "markdown" and not materials and not g7_allowed:
            problems += [f"{where}: markdown says {p!r}" for p in G7_ONLY if p in source]
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                problems.append(f"{where}: {output['ename']}: {output['evalue']}")
                continue
            text, is_prose = output_texts(output)
            if "Traceback (most recent call last)" in text:
                problems.append(f"{where}: a traceback")
            if "Empty DataFrame" in text or "Empty Series" in text:
                problems.append(f"{where}: an empty table instead of a sentence")
            if is_prose and NAN.search(text):
                problems.append(f"{where}: nan in prose: {text[:200]!r}")
            if is_prose and re.search(r"mostly\s*\.", text):
                problems.append(f"{where}: 'mostly' followed by nothing")
            if not g7_allowed:
                problems += [f"{where}: output says {p!r}" for p in G7_ONLY if p in text]
    return problems


def project_copy(base):
    """A fresh copy of what the notebooks need (notebooks, student copies, data without
    ``data/processed/``), without ``../shared`` beside it (notebook 06 then says the corpus is
    absent) and without figures, an analysis cache or a scratch folder."""
    copy = base / "project"
    shutil.copytree(ROOT / "notebooks", copy / "notebooks")
    shutil.copytree(ROOT / "student", copy / "student")
    shutil.copytree(ROOT / "data", copy / "data", ignore=shutil.ignore_patterns("processed"))
    return copy


def run_alone_in_reverse(copy, folder: str, executed) -> list[str]:
    """Execute every notebook of ``copy/folder``, last first, each in its own kernel with its
    own parameters, the analysis cache removed before each, so that each computes what it
    needs itself. Output: the problems found."""
    problems = []
    for path in sorted((copy / folder).glob("[0-9][0-9]_*.ipynb"), reverse=True):
        shutil.rmtree(copy / "runs" / "analysis", ignore_errors=True)
        target = executed / folder / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        execute_notebook(path, target)
        text = target.read_text(encoding="utf-8")
        computed = "Analysing g7_crime_organise_fr.txt (no up-to-date analysis in" in text
        if not computed:
            problems.append(f"{folder}/{path.name}: did not say it computed the analysis")
        problems += prose_problems(target, g7_allowed=True)
    return problems


def test_each_notebook_runs_alone_in_a_fresh_copy_in_reverse_order(tmp_path):
    """Every notebook of notebooks/ and of student/, last first, in a fresh copy (one for the
    teacher copies, one for the student copies, run side by side in two processes): each gets
    what it needs itself, writes no table and no committed figure, and reads well."""
    from concurrent.futures import ProcessPoolExecutor

    copies = {folder: project_copy(tmp_path / folder) for folder in ("notebooks", "student")}
    with ProcessPoolExecutor(2) as pool:
        found = [
            pool.submit(run_alone_in_reverse, copies[folder], folder, tmp_path / "executed")
            for folder in copies
        ]
        problems = [p for future in found for p in future.result()]
    assert not problems, "\n".join(problems)
    for copy in copies.values():
        assert not (copy / "data" / "processed").exists(), "a notebook wrote data/processed/"
        assert not (copy / "figures").exists(), "a notebook run by hand wrote figures/"
        assert any((copy / "runs" / "scratch" / "figures").glob("*.png"))
        for raw in (ROOT / "data" / "raw").iterdir():
            assert (copy / "data" / "raw" / raw.name).read_bytes() == raw.read_bytes()


def collection_articles() -> list:
    """The fixtures, and the corpus articles when ``../shared`` holds them."""
    corpus = [FNEWS / f"{n}.txt" for n in CORPUS_ARTICLES if (FNEWS / f"{n}.txt").exists()]
    return [*FIXTURE_ARTICLES, *corpus]


@pytest.fixture(scope="session")
def collection(tmp_path_factory):
    """``{article stem: (exit status, run folder, stderr)}``: notebooks 01-05 run on every
    article of :func:`collection_articles` (``python -m presse.notebooks --article … --out …``,
    two at a time), from a copy of the notebooks and data. Notebook 06 is left out: without the
    corpus beside the copy it only says the corpus is absent, which the test above reads."""
    from concurrent.futures import ThreadPoolExecutor

    base = tmp_path_factory.mktemp("collection")
    copies = base / "project" / "notebooks"
    shutil.copytree(ROOT / "notebooks", copies)
    shutil.copytree(
        ROOT / "data", base / "project" / "data", ignore=shutil.ignore_patterns("processed")
    )
    notebooks = [str(copies / p.name) for p in NOTEBOOKS if not p.name.startswith("06_")]

    def run(article):
        out = base / "runs" / article.stem
        command = [sys.executable, "-m", "presse.notebooks", "--article", str(article)]
        result = subprocess.run(
            [*command, "--out", str(out), *notebooks], capture_output=True, text=True, timeout=1800
        )
        return article.stem, (result.returncode, out, result.stderr)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, collection_articles()))


def corpus_article(name):
    path = FNEWS / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{FNEWS} is absent")
    return path


@pytest.mark.parametrize(
    "article",
    [*(("fixture", p.name) for p in FIXTURE_ARTICLES), *(("corpus", n) for n in CORPUS_ARTICLES)],
    ids=lambda a: a[1],
)
def test_the_collection_reads_well_on_another_article(collection, article):
    kind, name = article
    path = FIXTURES / "articles" / name if kind == "fixture" else corpus_article(name)
    committed = {p: p.read_bytes() for p in (ROOT / "data" / "processed").glob("*.csv")}
    status, out, stderr = collection[path.stem]
    assert status == 0, stderr[-2000:]
    problems = []
    for notebook in NOTEBOOKS[:-1]:
        problems += prose_problems(out / "notebooks" / notebook.name)
    assert not problems, "\n".join(problems)
    tables = out / "data" / "processed"
    sentences = pd.read_csv(tables / "sentences.csv", keep_default_na=False)
    assert len(sentences) >= 4 and "Anandasangaree" not in sentences.to_string()
    assert {f"{n}.csv" for n in ("sentences", "quotes", "speakers", "stances", "tokens")} <= {
        p.name for p in tables.iterdir()
    }
    assert any((out / "figures").glob("*.png"))
    assert committed == {p: p.read_bytes() for p in (ROOT / "data" / "processed").glob("*.csv")}


def test_a_fixture_without_quotes_says_so(collection):
    """An article with no quote: notebooks 02 and 05 say there is nothing, in a sentence."""
    out = collection["budget_commune"][1]
    speakers = (out / "notebooks" / "02_speakers.ipynb").read_text(encoding="utf-8")
    assert "No quote or indirect report found in this article" in speakers
    stances = (out / "notebooks" / "05_stances.ipynb").read_text(encoding="utf-8")
    assert "No speaker in this article: there are no positions to compare." in stances


def test_the_committed_run_has_no_empty_table_and_no_nan_in_prose():
    problems = []
    for path in NOTEBOOKS:
        problems += prose_problems(path, g7_allowed=True)
    assert not problems, "\n".join(problems)


# --- the codebook as a parameter -----------------------------------------------------------


def themes_of(folder) -> set[str]:
    sentences = pd.read_csv(folder / "sentences.csv", keep_default_na=False)
    return {t for cell in sentences["themes"] for t in cell.split(";") if t}


def test_cli_codebook_changes_which_themes_appear(tmp_path):
    from presse.cli import main

    article = FIXTURES / "articles" / "club_football.txt"
    assert main(["analyze", str(article), "--out", str(tmp_path / "default")]) == 0
    sport = ["--codebook", str(SPORT_CODEBOOK)]
    assert main(["analyze", str(article), "--out", str(tmp_path / "sport"), *sport]) == 0
    assert themes_of(tmp_path / "sport") == {"football", "club_governance"}
    assert not themes_of(tmp_path / "default") & {"football", "club_governance"}
    stances = pd.read_csv(tmp_path / "sport" / "stances.csv", keep_default_na=False)
    assert set(stances["theme_id"]) <= {"football", "club_governance"} and len(stances)


def test_corpus_mode_takes_a_codebook_and_reruns_when_it_changes(tmp_path):
    """A folder analysed with ``--codebook``: every article's themes come from it; the same
    folder analysed again with the project's codebook is analysed again, not skipped."""
    from presse.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(FIXTURES / "articles" / "club_football.txt", folder)
    out = tmp_path / "out"
    sport = ["--codebook", str(SPORT_CODEBOOK)]
    assert main(["analyze", str(folder), "--out", str(out), "--jobs", "1", "--quiet", *sport]) == 0
    assert themes_of(out / "club_football") == {"football", "club_governance"}
    combined = pd.read_csv(out / "corpus_stances.csv", keep_default_na=False)
    assert set(combined["theme_id"]) <= {"football", "club_governance"} and len(combined)
    assert main(["analyze", str(folder), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    assert not themes_of(out / "club_football") & {"football", "club_governance"}


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "no such codebook file"),
        ("theme_id,label_en\nx,y\n", "missing columns"),
        ((FIXTURES / "codebook_bad_kind.csv").read_text(encoding="utf-8"), "kind 'sport'"),
        ("theme_id,label_fr,label_en,kind,definition,cues,not_with\n", "has no theme"),
    ],
)
def test_a_bad_codebook_is_one_line_exit_2_nothing_written(tmp_path, content, expected):
    codebook = tmp_path / "themes.csv"
    if content is not None:
        codebook.write_text(content, encoding="utf-8")
    article = FIXTURES / "articles" / "budget_commune.txt"
    out = tmp_path / "out"
    for command in (
        [sys.executable, "-m", "presse", "analyze", str(article), "--out", str(out)],
        [sys.executable, "-m", "presse", "analyze", str(article.parent), "--out", str(out)],
        [
            sys.executable,
            "-m",
            "presse.notebooks",
            "--article",
            str(article),
            "--out",
            str(out),
            str(NOTEBOOKS[0]),
        ],
    ):
        result = subprocess.run(
            [*command, "--codebook", str(codebook)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0] and "Traceback" not in result.stderr
        assert not out.exists()


def test_make_run_codebook_reaches_the_notebooks(tmp_path):
    """``make run ARTICLE=… CODEBOOK=…`` end to end (notebook 04 only, to keep it short): the
    run's tables and notebook use the given codebook; the committed outputs are untouched."""
    copy = tmp_path / "notebooks"
    copy.mkdir()
    shutil.copy(ROOT / "notebooks" / "04_themes.ipynb", copy)
    article = FIXTURES / "articles" / "club_football.txt"
    committed = {p: p.read_bytes() for p in (ROOT / "data" / "processed").glob("*.csv")}
    run = ROOT / "runs" / "club_football-codebook_sport"
    shutil.rmtree(run, ignore_errors=True)
    try:
        result = subprocess.run(
            [
                "make",
                "-s",
                "run",
                f"ARTICLE={article}",
                f"CODEBOOK={SPORT_CODEBOOK}",
                f"NOTEBOOKS={copy / '04_themes.ipynb'}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert themes_of(run / "data" / "processed") == {"football", "club_governance"}
        notebook = (run / "notebooks" / "04_themes.ipynb").read_text(encoding="utf-8")
        assert "2 themes in codebook_sport.csv" in notebook and "club governance" in notebook
        assert not prose_problems(run / "notebooks" / "04_themes.ipynb")
    finally:
        shutil.rmtree(run, ignore_errors=True)
    assert committed == {p: p.read_bytes() for p in (ROOT / "data" / "processed").glob("*.csv")}


# --- the analysis cache ----------------------------------------------------------------------


def test_the_analysis_is_cached_and_recomputed_when_stale(tmp_path):
    from presse.analysis import article_analysis

    article = tmp_path / "article.txt"
    shutil.copy(FIXTURES / "articles" / "budget_commune.txt", article)
    lines = []
    first = article_analysis(article, cache_dir=tmp_path / "cache", report=lines.append)
    assert len(lines) == 1
    assert lines[0].startswith("Analysing article.txt (no up-to-date analysis in")
    again = article_analysis(article, cache_dir=tmp_path / "cache", report=lines.append)
    assert len(lines) == 1, "an up-to-date analysis is read, not recomputed"
    for name, table in first.items():
        pd.testing.assert_frame_equal(table, again[name])
    (folder,) = (tmp_path / "cache").iterdir()
    (folder / "sentences.csv").write_text("damaged\n", encoding="utf-8")
    article_analysis(article, cache_dir=tmp_path / "cache", report=lines.append)
    assert len(lines) == 2, "a damaged cache is recomputed"
    sport = article_analysis(article, SPORT_CODEBOOK, tmp_path / "cache", report=lines.append)
    assert len(lines) == 3 and len(list((tmp_path / "cache").iterdir())) == 2
    assert len(sport["sentences"]) == len(first["sentences"])
    article.write_text(article.read_text(encoding="utf-8") + "Une phrase de plus.\n", "utf-8")
    longer = article_analysis(article, cache_dir=tmp_path / "cache", report=lines.append)
    assert len(lines) == 4 and len(longer["sentences"]) == len(first["sentences"]) + 1
