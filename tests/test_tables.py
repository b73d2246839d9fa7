"""Every table the collection writes is described in presse.tables.SCHEMA (and docs/schema.md,
made from it); read_table gives each column its type; corpus mode's combined tables, CSV or
Parquet, read back alike, ids as text and narration as ""."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ARTICLE, ROOT

from presse.corpus import COMBINED_TABLES, analyze_corpus, find_articles
from presse.tables import SCHEMA, TableError, read_table, schema_markdown

PROCESSED = ROOT / "data" / "processed"
FIXTURES = ROOT / "tests" / "fixtures" / "quotes"
EXPECTED = {"int": "Int64", "float": "float64", "bool": "boolean"}


def assert_typed(frame: pd.DataFrame, table: str) -> None:
    """The table has exactly the schema's columns, in order, each with its type."""
    columns = SCHEMA[table]
    assert list(frame.columns) == [c for c, *_ in columns], table
    for name, kind, *_ in columns:
        dtype = frame[name].dtype
        if kind in EXPECTED:
            assert str(dtype) == EXPECTED[kind], f"{table}.{name}: {dtype}"
        else:
            assert pd.api.types.is_string_dtype(dtype), f"{table}.{name}: {dtype}"
            assert not frame[name].isna().any(), f"{table}.{name}: empty cells must be ''"


def test_docs_schema_is_made_from_the_code():
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert page == schema_markdown(), "docs/schema.md is stale: python -m presse.tables docs/..."
    for table, columns in SCHEMA.items():
        assert f"## `{table}`" in page
        assert all(meaning and example for _, _, meaning, example in columns), table


@pytest.mark.parametrize("path", sorted(PROCESSED.glob("*.csv")), ids=lambda p: p.name)
def test_every_committed_table_reads_back_with_its_schema(path):
    frame = read_table(path)
    assert_typed(frame, path.stem)
    assert len(frame) == len(pd.read_csv(path))


def test_narration_is_an_empty_string_not_nan():
    sentences = read_table(PROCESSED / "sentences.csv")
    narration = sentences[sentences["quote_type"] == "none"]
    assert len(narration) and (narration["speaker"] == "").all()


def test_an_unknown_table_is_one_clear_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(TableError, match="other: no such table"):
        read_table(path)


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    """Two articles whose names look like numbers (one with a leading zero) and one without
    quotes, analysed once with CSV and once with Parquet combined tables."""
    base = tmp_path_factory.mktemp("tables")
    folder = base / "articles"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / "44231.txt")
    shutil.copy(FIXTURES / "sante_ministre.txt", folder / "0042.txt")
    shutil.copy(FIXTURES / "meteo_sans_citation.txt", folder / "meteo.txt")
    out = base / "out"
    quiet = dict(jobs=1, progress=False, report=lambda line: None)
    analyze_corpus(find_articles(folder), out, **quiet)
    analyze_corpus(find_articles(folder), out, fmt="parquet", **quiet)
    return out


@pytest.mark.parametrize("name", COMBINED_TABLES)
def test_corpus_tables_read_back_typed_from_csv_and_parquet_alike(corpus_out, name):
    csv = read_table(corpus_out / f"corpus_{name}.csv")
    parquet = read_table(corpus_out / f"corpus_{name}.parquet")
    assert_typed(csv, f"corpus_{name}")
    assert_typed(parquet, f"corpus_{name}")
    pd.testing.assert_frame_equal(csv, parquet)
    assert set(csv["article"]) <= {"44231", "0042", "meteo"} and "44231" in set(csv["article"])
    if name == "sentences":
        assert set(csv["article"]) == {"44231", "0042", "meteo"}  # ids stay text, zero kept
        assert (csv.loc[csv["quote_type"] == "none", "speaker"] == "").all()
        per_article = read_table(corpus_out / "44231" / "sentences.csv")
        assert len(csv[csv["article"] == "44231"]) == len(per_article)


def test_corpus_stances_combine_every_article(corpus_out):
    stances = read_table(corpus_out / "corpus_stances.csv")
    for article in ("44231", "0042"):
        own = read_table(corpus_out / article / "stances.csv")
        mine = stances[stances["article"] == article].drop(columns="article")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), own)


def test_corpus_articles_reads_back(corpus_out):
    assert_typed(read_table(corpus_out / "corpus_articles.csv"), "corpus_articles")


def test_list_columns_explode_with_the_documented_line(corpus_out):
    df = read_table(corpus_out / "corpus_quotes.csv")
    exploded = df.assign(sentence_ids=df["sentence_ids"].str.split(";")).explode("sentence_ids")
    assert len(exploded) >= len(df) and exploded["sentence_ids"].astype(int).min() >= 1


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "presse", *map(str, args)], capture_output=True, text=True,
        timeout=600,
    )


def test_cli_format_parquet_writes_parquet_tables(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(FIXTURES / "sante_ministre.txt", folder / "007.txt")
    out = tmp_path / "out"
    result = run_cli("analyze", folder, "--out", out, "--format", "parquet", "--quiet")
    assert result.returncode == 0, result.stderr
    for name in COMBINED_TABLES:
        assert (out / f"corpus_{name}.parquet").is_file()
        assert not (out / f"corpus_{name}.csv").exists()
    quotes = pd.read_parquet(out / "corpus_quotes.parquet")
    assert list(quotes["article"].unique()) == ["007"] and quotes["start"].dtype == "int64"


def test_cli_format_parquet_on_one_article_is_one_line_and_status_2(tmp_path):
    result = run_cli("analyze", ARTICLE, "--out", tmp_path / "out", "--format", "parquet")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "corpus mode" in result.stderr
    assert not (tmp_path / "out").exists()
