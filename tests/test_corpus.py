"""Corpus mode: a folder of articles in, one sub-folder per article and combined tables out;
bad files reported in one line each while the rest is done; up-to-date articles skipped; the
same work on a Dask cluster."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ARTICLE, ROOT

from presse.corpus import (
    ARTICLE_TABLES,
    analyze_corpus,
    combine_tables,
    find_articles,
    is_up_to_date,
    pipeline_fingerprint,
)

FIXTURES = ROOT / "tests" / "fixtures" / "quotes"


@pytest.fixture()
def corpus(tmp_path):
    """Three good articles, one binary file and one empty file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / "g7.txt")
    shutil.copy(FIXTURES / "sante_ministre.txt", folder / "sante.txt")
    shutil.copy(FIXTURES / "meteo_sans_citation.txt", folder / "meteo.txt")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "vide.txt").write_text("", encoding="utf-8")
    (folder / "notes.md").write_text("ignored: not a .txt", encoding="utf-8")
    return folder


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "presse", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_folder_mode_reports_bad_files_and_does_the_rest(corpus, tmp_path):
    out = tmp_path / "out"
    result = run_cli("analyze", corpus, "--out", out, "--jobs", "2")
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and any("image.txt" in e for e in errors)
    assert any("vide.txt" in e for e in errors)
    assert "2 failed: image, vide" in result.stderr
    assert "Traceback" not in result.stderr
    for stem in ("g7", "sante", "meteo"):
        assert all((out / stem / f"{t}.csv").is_file() for t in ARTICLE_TABLES)
    assert not (out / "image").exists() or not any((out / "image").iterdir())
    status = pd.read_csv(out / "corpus_articles.csv", keep_default_na=False)
    assert list(status["article"]) == ["g7", "image", "meteo", "sante", "vide"]
    assert list(status["status"]) == ["ok", "failed", "ok", "ok", "failed"]
    sentences = pd.read_csv(out / "corpus_sentences.csv")
    assert list(sentences.columns[:2]) == ["article", "sentence_id"]
    assert sentences.groupby("article").size().to_dict() == {
        stem: len(pd.read_csv(out / stem / "sentences.csv")) for stem in ("g7", "meteo", "sante")
    }
    speakers = pd.read_csv(out / "corpus_speakers.csv")
    assert set(speakers["article"]) <= {"g7", "sante", "meteo"} and "g7" in set(speakers["article"])
    assert "meteo" not in set(speakers["article"]), "an article with no quotes has no speaker"
    assert not list(out.rglob("*.tmp"))


def test_corpus_tables_equal_the_single_article_ones(corpus, tmp_path):
    out = tmp_path / "out"  # the learned tone reading is always on for a single article
    paths = [p for p in find_articles(corpus) if p.stem == "g7"]
    analyze_corpus(paths, out, jobs=1, progress=False, report=lambda line: None, tone_model=True)
    single = tmp_path / "single"
    assert run_cli("analyze", corpus / "g7.txt", "--out", single).returncode == 0
    for table in ARTICLE_TABLES:
        assert (out / "g7" / f"{table}.csv").read_bytes() == (single / f"{table}.csv").read_bytes()


def test_up_to_date_articles_are_skipped_and_changed_ones_redone(corpus, tmp_path):
    out = tmp_path / "out"
    for bad in ("image.txt", "vide.txt"):
        (corpus / bad).unlink()
    paths = find_articles(corpus)
    analyze_corpus(paths, out, jobs=1, progress=False)
    fingerprint = pipeline_fingerprint()
    assert all(is_up_to_date(p, out / p.stem, fingerprint) for p in paths)
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/sentences.csv")}
    (corpus / "meteo.txt").write_text("Il pleut à Lyon.\nLe soleil reviendra lundi.\n", "utf-8")
    assert not is_up_to_date(corpus / "meteo.txt", out / "meteo", fingerprint)
    assert not is_up_to_date(corpus / "g7.txt", out / "g7", "another pipeline")
    status = analyze_corpus(paths, out, jobs=1, progress=False)
    after = {p: p.stat().st_mtime_ns for p in out.glob("*/sentences.csv")}
    assert after[out / "g7" / "sentences.csv"] == before[out / "g7" / "sentences.csv"]
    assert after[out / "meteo" / "sentences.csv"] != before[out / "meteo" / "sentences.csv"]
    assert status.set_index("article").loc["meteo", "n_sentences"] == 2


def test_combined_tables_keep_the_first_articles_columns(tmp_path):
    for name, rows in {"a": [[1, "x"]], "b": [[2, "y"], [3, "z"]]}.items():
        (tmp_path / name).mkdir()
        for table in ("sentences", "speakers", "quotes", "stances"):
            pd.DataFrame(rows, columns=["id", "text"]).to_csv(tmp_path / name / f"{table}.csv")
    combine_tables(tmp_path, ["a", "b"])
    combined = pd.read_csv(tmp_path / "corpus_sentences.csv")
    assert list(combined["article"]) == ["a", "b", "b"] and list(combined["text"]) == list("xyz")


def test_missing_folder_is_one_line_and_exit_2(tmp_path):
    result = run_cli("analyze", tmp_path / "absent", "--out", tmp_path / "out")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_corpus_mode_runs_on_a_local_dask_cluster(corpus, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from presse.corpus import analyze_on_dask

    (corpus / "image.txt").unlink()
    lines = []
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        status = analyze_on_dask(
            find_articles(corpus), tmp_path / "out", client, progress=False, report=lines.append
        )
    assert list(status["status"]) == ["ok", "ok", "ok", "failed"]
    assert len(lines) == 1 and "vide.txt" in lines[0]
    local = tmp_path / "local"
    analyze_corpus(find_articles(corpus), local, jobs=1, progress=False, report=lambda line: None)
    for table in ("corpus_sentences", "corpus_speakers", "corpus_quotes", "corpus_stances"):
        assert (tmp_path / "out" / f"{table}.csv").read_bytes() == (
            local / f"{table}.csv"
        ).read_bytes()
