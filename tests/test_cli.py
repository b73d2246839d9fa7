"""The command line: one article in, CSV tables out; bad input gives exit 2, one line, no files."""

from __future__ import annotations

import subprocess
import sys

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
