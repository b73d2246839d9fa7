"""Corpus mode under faults and odd files: nothing written outside --out, nothing stale
trusted, nothing half-written kept, every problem one line; Ctrl-C and kill stop everything."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import psutil
import pytest
from conftest import ROOT

from presse import corpus as corpus_module
from presse.corpus import (
    ARTICLE_TABLES,
    MANIFEST,
    RESERVED_NAMES,
    analyze_corpus,
    article_ids,
    combine_tables,
    find_articles,
    is_up_to_date,
    pipeline_fingerprint,
    scan_folder,
)

FIXTURES = ROOT / "tests" / "fixtures" / "quotes"
SMALL = FIXTURES / "sante_ministre.txt"
NON_UTF8 = os.fsdecode(b"caf\xe9.txt")


def run(folder, out, **options):
    options = {"jobs": 1, "progress": False, "report": lambda line: None, **options}
    return analyze_corpus(find_articles(folder), out, **options)


def mtimes(out):
    return {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/sentences.csv")}


def test_odd_names_get_safe_unique_ids(tmp_path):
    names = [
        "...txt",
        "..txt",
        ".txt",
        ".cache.txt",
        "corpus_sentences.csv.txt",
        "CORPUS_ARTICLES.CSV.txt",
        NON_UTF8,
        "A.TXT",
        "A.txt",
        "x.tmp.txt",
        "44046.txt",
        "Le G7, 2012 (Halifax).txt",
    ]
    ids = article_ids([tmp_path / n for n in names])
    values = list(ids.values())
    assert len({v.casefold() for v in values}) == len(names)
    for value in values:
        assert value not in ("", ".", "..") and "/" not in value and not value.startswith(".")
        assert value.casefold() not in RESERVED_NAMES and not value.endswith(".tmp")
        value.encode("utf-8")  # a non-UTF-8 file name gets a UTF-8 id
        assert (tmp_path / value).resolve().parent == tmp_path.resolve()
    assert ids[tmp_path / "44046.txt"] == "44046"  # plain names are kept
    assert ids[tmp_path / "Le G7, 2012 (Halifax).txt"] == "Le G7, 2012 (Halifax)"
    assert article_ids([tmp_path / n for n in reversed(names)]) == ids  # stable


def test_odd_names_write_only_inside_out(tmp_path):
    folder, parent = tmp_path / "articles", tmp_path / "parent"
    folder.mkdir()
    out = parent / "out"
    for name in ("...txt", "..txt", "corpus_sentences.csv.txt", NON_UTF8, "plain.TXT"):
        shutil.copy(SMALL, folder / name)
    status = run(folder, out)
    assert list(status["status"]) == ["ok"] * 5
    assert [p.name for p in parent.iterdir()] == ["out"]
    combined = pd.read_csv(out / "corpus_sentences.csv", keep_default_na=False)
    per_article = len(pd.read_csv(out / "plain" / "sentences.csv"))
    assert combined.groupby("article").size().tolist() == [per_article] * 5
    assert set(combined["article"]) == set(status["article"])
    assert "caf\\xe9.txt" in set(status["file"])
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        ".presse.lock",
        "corpus_articles.csv",
        "corpus_quotes.csv",
        "corpus_sentences.csv",
        "corpus_speakers.csv",
        "corpus_stances.csv",
    ]
    again = run(folder, out)  # a rerun finds every one up to date, the combine step works
    assert list(again["status"]) == ["ok"] * 5


@pytest.fixture()
def small_corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SMALL, folder / "sante.txt")
    shutil.copy(FIXTURES / "meteo_sans_citation.txt", folder / "meteo.txt")
    return folder


def test_the_encoding_is_part_of_being_up_to_date(small_corpus, tmp_path):
    out = tmp_path / "out"
    (small_corpus / "meteo.txt").write_bytes("Été à Lyon.\n".encode())
    run(small_corpus, out, encoding="latin-1")
    latin = pd.read_csv(out / "meteo" / "sentences.csv")["text"][0]
    assert latin == "Été à Lyon.".encode().decode("latin-1")  # mojibake, as asked
    fingerprint = pipeline_fingerprint()
    assert is_up_to_date(small_corpus / "meteo.txt", out / "meteo", fingerprint, "latin-1")
    assert not is_up_to_date(small_corpus / "meteo.txt", out / "meteo", fingerprint)
    run(small_corpus, out)
    assert pd.read_csv(out / "meteo" / "sentences.csv")["text"][0] == "Été à Lyon."
    manifest = json.loads((out / "meteo" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["encoding"] == "utf-8"


def test_an_article_edited_during_its_analysis_is_redone_next_time(
    small_corpus, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    real = corpus_module.analyze_article

    def edit_while_analysing(article, *args, **kwargs):
        if article.path.name == "meteo.txt":
            article.path.write_text("Il neige à Lyon.\nLe soleil reviendra.\n", encoding="utf-8")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(corpus_module, "analyze_article", edit_while_analysing)
    run(small_corpus, out)
    monkeypatch.undo()
    assert not is_up_to_date(small_corpus / "meteo.txt", out / "meteo", pipeline_fingerprint())
    before = mtimes(out)
    status = run(small_corpus, out)
    assert mtimes(out)["meteo"] != before["meteo"] and mtimes(out)["sante"] == before["sante"]
    assert status.set_index("article").loc["meteo", "n_sentences"] == 2


@pytest.mark.parametrize(
    "damage",
    ["empty table", "half a table", "missing table", "manifest null", "manifest list", "edit"],
)
def test_a_damaged_folder_is_redone_not_trusted(small_corpus, tmp_path, damage):
    out = tmp_path / "out"
    run(small_corpus, out)
    good = (out / "sante" / "quotes.csv").read_bytes()
    quotes, manifest = out / "sante" / "quotes.csv", out / "sante" / MANIFEST
    if damage == "empty table":
        quotes.write_bytes(b"")
    elif damage == "half a table":
        quotes.write_bytes(good[: len(good) // 2])
    elif damage == "missing table":
        quotes.unlink()
    elif damage == "manifest null":
        manifest.write_text("null\n", encoding="utf-8")
    elif damage == "manifest list":
        manifest.write_text("[1, 2]\n", encoding="utf-8")
    else:  # same size, other bytes
        quotes.write_bytes(good.replace(b"direct", b"DIRECT"))
    assert not is_up_to_date(small_corpus / "sante.txt", out / "sante", pipeline_fingerprint())
    status = run(small_corpus, out)  # no crash in the combine step
    assert list(status["status"]) == ["ok", "ok"]
    assert quotes.read_bytes() == good


def test_stale_staging_files_are_removed_at_start(small_corpus, tmp_path):
    out = tmp_path / "out"
    run(small_corpus, out)
    (out / ".corpus_quotes.csv.x1y2.tmp").write_text("half", encoding="utf-8")
    (out / ".sante.1a2b3c4d.tmp").mkdir()
    (out / ".sante.1a2b3c4d.tmp" / "sentences.csv").write_text("half", encoding="utf-8")
    run(small_corpus, out)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_rename_keeps_the_previous_analysis(small_corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(small_corpus, out)
    before = {p.name: p.read_bytes() for p in (out / "sante").iterdir()}
    (small_corpus / "sante.txt").write_text("Le ministre a parlé.\n", encoding="utf-8")
    real_replace, failed = os.replace, []

    def no_new_folder(source, target):  # the staging folder's rename into place fails, once
        if ".tmp" in str(source) and str(target).endswith("sante") and not failed:
            failed.append(source)
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(corpus_module.os, "replace", no_new_folder)
    status = run(small_corpus, out)
    monkeypatch.undo()
    row = status.set_index("article").loc["sante"]
    assert row["status"] == "failed" and "No space left on device" in row["error"]
    assert {p.name: p.read_bytes() for p in (out / "sante").iterdir()} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_folder_of_the_users_is_never_replaced(small_corpus, tmp_path):
    out = tmp_path / "out"
    (out / "sante").mkdir(parents=True)
    (out / "sante" / "thesis.docx").write_text("years of work", encoding="utf-8")
    status = run(small_corpus, out).set_index("article")
    assert status.loc["sante", "status"] == "failed"
    assert "presse did not write" in status.loc["sante", "error"]
    assert (out / "sante" / "thesis.docx").read_text(encoding="utf-8") == "years of work"


def test_combined_tables_keep_values_as_written(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "nums.txt").write_text("2012.\n007.\n", encoding="utf-8")
    out = tmp_path / "out"
    run(folder, out)
    lines = (out / "corpus_sentences.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[5] for line in lines[1:]] == ["2012.", "007."]


def test_when_every_article_fails_the_combined_tables_have_their_header(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "vide.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    run(folder, out)
    for name in ("sentences", "speakers", "quotes"):
        table = pd.read_csv(out / f"corpus_{name}.csv")
        assert len(table) == 0 and table.columns[0] == "article" and len(table.columns) > 5
    assert list(pd.read_csv(out / "corpus_sentences.csv").columns[1:3]) == [
        "sentence_id",
        "paragraph_id",
    ]


def test_combine_reads_every_column_as_text(tmp_path):
    (tmp_path / "a").mkdir()
    for table in ("sentences", "speakers", "quotes", "stances"):
        (tmp_path / "a" / f"{table}.csv").write_text("id,text\n007,2012.\n", encoding="utf-8")
    combine_tables(tmp_path, ["a"])
    assert (tmp_path / "corpus_quotes.csv").read_text(
        encoding="utf-8"
    ) == "article,id,text\na,007,2012.\n"


def test_an_article_over_the_time_limit_fails_alone(small_corpus, tmp_path, monkeypatch):
    real = corpus_module.analyze_article

    def slow_on_meteo(article, *args, **kwargs):
        if article.path.name == "meteo.txt":
            time.sleep(30)
        return real(article, *args, **kwargs)

    monkeypatch.setattr(corpus_module, "analyze_article", slow_on_meteo)
    start = time.perf_counter()
    status = run(small_corpus, tmp_path / "out", timeout=1.5).set_index("article")
    assert time.perf_counter() - start < 25
    assert status.loc["meteo", "status"] == "failed" and "--timeout" in status.loc["meteo", "error"]
    assert status.loc["sante", "status"] == "ok"
    assert not (tmp_path / "out" / "meteo").exists()


def test_entries_that_cannot_be_articles_are_listed(tmp_path):
    (tmp_path / "good.txt").write_text("Un article.\n", encoding="utf-8")
    (tmp_path / "CAPS.TXT").write_text("Un article.\n", encoding="utf-8")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "absent.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    articles, skipped = scan_folder(tmp_path)
    assert [p.name for p in articles] == ["CAPS.TXT", "good.txt"]
    assert {p.name: reason.split(" (")[0] for p, reason in skipped} == {
        "broken.txt": "a broken link",
        "folder.txt": "a folder",
        "pipe.txt": "not a regular file",
    }


def crash_on_meteo(path, *args, **kwargs):
    """A task whose worker process dies on one article (as when it runs out of memory)."""
    if str(path).endswith("meteo.txt"):
        os._exit(9)
    return ANALYZE_TO_FOLDER(path, *args, **kwargs)


ANALYZE_TO_FOLDER = corpus_module.analyze_to_folder


def test_a_worker_that_dies_fails_its_articles_and_the_run_goes_on(
    small_corpus, tmp_path, monkeypatch
):
    for n in range(4):
        shutil.copy(SMALL, small_corpus / f"z{n}.txt")
    monkeypatch.setattr(corpus_module, "analyze_to_folder", crash_on_meteo)
    status = run(small_corpus, tmp_path / "out", jobs=2).set_index("article")
    assert status.loc["meteo", "status"] == "failed"
    assert "worker process died" in status.loc["meteo", "error"]
    assert set(status["status"]) <= {"ok", "failed"}
    assert (status["status"] == "ok").any()


def start_corpus_run(folder, out, *options):
    return psutil.Popen(
        [
            sys.executable,
            "-m",
            "presse",
            "analyze",
            str(folder),
            "--out",
            str(out),
            "--quiet",
            "--jobs",
            "2",
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_first_article(process, out, limit=240):
    start = time.monotonic()
    while not list(out.glob("*/manifest.json")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() - start < limit
        time.sleep(0.2)


@pytest.fixture()
def many_articles(tmp_path):
    """Thirty copies of the article: enough that a loaded machine cannot finish them all in the
    second between the first result and the signal (twelve once did, and the run exited 0)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(30):
        shutil.copy(ROOT / "data" / "raw" / "g7_crime_organise_fr.txt", folder / f"a{n:02d}.txt")
    return folder


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_stops_within_seconds_and_keeps_finished_articles(
    many_articles, tmp_path, sig
):
    out = tmp_path / "out"
    process = start_corpus_run(many_articles, out)
    wait_for_first_article(process, out)
    time.sleep(1)  # the parent has collected that article's result
    workers = process.children(recursive=True)
    process.send_signal(sig)
    stopped = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - stopped < 15
    assert process.returncode == 130, err
    assert "interrupted:" in err and "rerun the same command to resume" in err
    assert "Traceback" not in err
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    status = pd.read_csv(out / "corpus_articles.csv", keep_default_na=False)
    done = status.loc[status["status"] == "ok", "article"].tolist()
    assert done and "not done" in set(status["status"])
    for article in done:
        assert all((out / article / f"{t}.csv").is_file() for t in ARTICLE_TABLES)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    if sig == signal.SIGTERM:
        return  # resuming is the same after either signal; checked once
    kept = {a: (out / a / MANIFEST).stat().st_mtime_ns for a in done}
    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "presse",
            "analyze",
            str(many_articles),
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert {a: (out / a / MANIFEST).stat().st_mtime_ns for a in done} == kept  # not redone
    status = pd.read_csv(out / "corpus_articles.csv", keep_default_na=False)
    assert set(status["status"]) == {"ok"}


def test_the_workers_die_with_their_parent(many_articles, tmp_path):
    out = tmp_path / "out"
    process = start_corpus_run(many_articles, out)
    wait_for_first_article(process, out)
    workers = process.children(recursive=True)
    assert workers
    process.kill()
    process.wait(timeout=10)
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
