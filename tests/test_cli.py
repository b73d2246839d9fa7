"""The command line: one article in, CSV tables out; bad input gives exit 2, one line, no files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ARTICLE, ROOT


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "presse", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="module")
def g7_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("g7")
    result = run_cli("analyze", ARTICLE, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def test_analyze_writes_sentences_with_offsets_into_the_article(g7_out):
    sentences = pd.read_csv(g7_out / "sentences.csv")
    assert list(sentences.columns[:5]) == ["sentence_id", "paragraph_id", "start", "end", "text"]
    assert len(sentences) == 19
    text = ARTICLE.read_text(encoding="utf-8")
    spans = sentences[["start", "end", "text"]].itertuples(index=False)
    assert all(text[s:e] == t for s, e, t in spans)
    assert not list(g7_out.glob(".*.tmp"))
    assert {"speaker", "quote_type", "rule"} <= set(sentences.columns)
    assert set(sentences["quote_type"]) <= {"direct", "indirect", "none"}


def test_analyze_writes_quotes_and_speakers_as_the_contract_says(g7_out):
    quotes = pd.read_csv(g7_out / "quotes.csv")
    expected = [
        "quote_id",
        "type",
        "speaker",
        "cue",
        "rule",
        "text",
        "start",
        "end",
        "sentence_ids",
    ]
    assert list(quotes.columns[: len(expected)]) == expected
    assert set(quotes["type"]) == {"direct", "indirect"}
    speakers = pd.read_csv(g7_out / "speakers.csv")
    expected = ["speaker", "role", "aliases", "n_direct", "n_indirect", "words_quoted"]
    assert set(expected) <= set(speakers.columns)
    assert "Gary Anandasangaree" in set(speakers["speaker"])


def test_cli_and_notebooks_agree(g7_out):
    """`make run` (the notebooks) and the command line write the same tables."""
    committed = ROOT / "data" / "processed"
    for name in ("sentences.csv", "quotes.csv", "speakers.csv", "tokens.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(g7_out / name), pd.read_csv(committed / name), check_dtype=False
        )


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("Été".encode("latin-1"), "not valid utf-8"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_written(tmp_path, content, expected):
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    result = run_cli("analyze", path, "--out", out)
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_folder_without_articles_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "notes.md").write_text("pas un article", encoding="utf-8")
    result = run_cli("analyze", tmp_path, "--out", tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "no .txt file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("keep me", encoding="utf-8")
    result = run_cli("analyze", ARTICLE, "--out", out)
    assert result.returncode == 2 and "not a folder" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"


def one_line_exit_2(result, expected):
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_an_input_inside_out_is_not_overwritten(tmp_path):
    out = tmp_path / "X"
    out.mkdir()
    shutil.copy(ARTICLE, out / "tokens.csv")
    result = run_cli("analyze", out / "tokens.csv", "--out", out)
    one_line_exit_2(result, "would overwrite the article")
    assert (out / "tokens.csv").read_bytes() == ARTICLE.read_bytes()
    assert [p.name for p in out.iterdir()] == ["tokens.csv"]


@pytest.mark.parametrize("corpus", [False, True])
def test_an_unwritable_out_is_one_line_before_any_analysis(tmp_path, corpus):
    target = ARTICLE
    if corpus:
        target = tmp_path / "articles"
        target.mkdir()
        shutil.copy(ARTICLE, target / "g7.txt")
    out = Path("/dev/null/out")  # cannot be created, even by root
    start = time.perf_counter()
    result = run_cli("analyze", target, "--out", out)
    one_line_exit_2(result, "cannot write there")
    assert time.perf_counter() - start < 60


@pytest.mark.parametrize(
    "encoding, expected",
    [("punycode", "not valid punycode"), ("rot13", "not a text encoding"), ("nope", "unknown")],
)
def test_odd_encodings_are_one_line_exit_2(tmp_path, encoding, expected):
    out = tmp_path / "out"
    one_line_exit_2(run_cli("analyze", ARTICLE, "--out", out, "--encoding", encoding), expected)
    assert not out.exists()


def test_utf16_with_its_encoding_is_analysed(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("Le ministre a déclaré : « Nous agirons. »\n".encode("utf-16"))
    result = run_cli("analyze", path, "--out", tmp_path / "out", "--encoding", "utf-16")
    assert result.returncode == 0, result.stderr
    text = pd.read_csv(tmp_path / "out" / "sentences.csv")["text"][0]
    assert text == "Le ministre a déclaré : « Nous agirons. »"


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_devices_and_pipes_are_one_line_not_a_hang(tmp_path, kind):
    path = Path(kind)
    if kind == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    one_line_exit_2(run_cli("analyze", path, "--out", tmp_path / "out"), "not a regular file")


def test_a_file_name_that_is_not_utf8_is_printed_and_analysed(tmp_path):
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    shutil.copy(ROOT / "tests" / "fixtures" / "quotes" / "meteo_sans_citation.txt", path)
    result = run_cli("analyze", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "caf\\xe9.txt" in result.stdout


def test_an_unreachable_dask_scheduler_is_one_line(tmp_path):
    pytest.importorskip("dask.distributed")
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / "g7.txt")
    result = run_cli("analyze", folder, "--out", tmp_path / "out", "--dask", "tcp://127.0.0.1:9")
    one_line_exit_2(result, "cannot reach the Dask scheduler")
    assert not (tmp_path / "out").exists()


def test_more_jobs_than_cores_is_warned_and_skipped_entries_listed(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "vide.txt").write_text("", encoding="utf-8")
    (folder / "broken.txt").symlink_to(tmp_path / "absent.txt")
    result = run_cli("analyze", folder, "--out", tmp_path / "out", "--jobs", "64", "--quiet")
    assert result.returncode == 1
    assert "warning: --jobs 64 is more than the" in result.stderr
    assert "skipped: " in result.stderr and "broken.txt: a broken link" in result.stderr
    assert "1 skipped" in result.stdout
    header = (tmp_path / "out" / "corpus_sentences.csv").read_text(encoding="utf-8")
    assert header.startswith("article,sentence_id,")


@pytest.mark.parametrize("article", ["/tmp/a b/c d.txt", '/tmp/x "y"/l\'été z.txt'])
def test_make_run_article_is_safe_with_spaces_and_quotes(article):
    result = subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(ROOT),
            "run",
            f"ARTICLE={article}",
            "PY=printf '[%s]\\n'",
            "STAMP=",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    words = result.stdout.splitlines()
    assert words[:6] == [
        "[-m]",
        "[presse.notebooks]",
        "[--article]",
        f"[{article}]",
        "[--out]",
        f"[runs/{Path(article).stem}]",
    ]
