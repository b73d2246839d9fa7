"""The tables the collection writes, their schema, and how to read them back with their types.

Every table (``sentences``, ``quotes``, ``speakers``, ``stances``, ``tokens``, ``entities``, and in
corpus mode ``corpus_<table>`` and ``corpus_articles``) is described in :data:`SCHEMA`: each
column's name, type, meaning and an example. ``docs/schema.md`` is made from it
(``python -m presse.tables docs/schema.md``) and a test checks that the two agree.

Types:

* ``str``: text; an empty cell is the empty string ``""``, never a missing value (narration has
  speaker ``""``);
* ``id``: an identifier, always text even when it looks like a number (Wikinews article
  ``44231``), so that it is never summed or stripped of leading zeros;
* ``int``, ``float``: numbers (``float`` cells may be empty: missing, ``NaN``);
* ``bool``: ``True`` / ``False``;
* ``list[...]``: several values in one cell, joined by the separator given in the meaning; the
  one-line way to get one row per value is in ``docs/schema.md``.

:func:`read_table` reads a CSV (or, in corpus mode, a Parquet file) and applies these types;
with pandas alone, ``pd.read_csv(path, keep_default_na=False, dtype=str)`` keeps every cell as
written and converting the number columns is left to the reader.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

#: Column types and the pandas dtype :func:`read_table` gives each.
DTYPES = {"str": "str", "id": "str", "int": "Int64", "float": "float64", "bool": "boolean"}

_TONE = "`negative`, `neutral` or `positive`"
_WORDS = "list[str]"


def _c(name: str, kind: str, meaning: str, example: str) -> tuple[str, str, str, str]:
    return (name, kind, meaning, example)


_SENTIMENT = [
    _c("polarity", "float", "textblob-fr's polarity as it is, -1 to 1", "0.0767"),
    _c("subjectivity", "float", "textblob-fr's subjectivity, 0 to 1", "0.4833"),
    _c("scored_words", _WORDS, "the words textblob-fr scored, `word:score` joined by `; `",
       "criminels:-0.10; organisés:+0.40"),
    _c("n_scored", "int", "number of words textblob-fr scored", "2"),
    _c("polarity_adjusted", "float", "the news reading (textblob-fr with the project's "
       "overrides), -1 to 1", "0.225"),
    _c("adjusted_words", _WORDS, "the words behind `polarity_adjusted`, `word:score` joined by "
       "`; `", "partenaires:+0.20; menace:-0.50"),
    _c("n_adjusted", "int", "number of words behind `polarity_adjusted`", "2"),
    _c("polarity_vader", "float", "VADER-FR's compound score, -1 to 1", "-0.3164"),
    _c("vader_words", _WORDS, "the words VADER-FR scored, `word:score` joined by `; `",
       "lutter:-1.3; criminels:-0.5"),
    _c("tone_raw", "str", f"tone of `polarity`: {_TONE}", "neutral"),
    _c("tone", "str", f"tone of `polarity_adjusted` (the news reading): {_TONE}", "positive"),
    _c("tone_vader", "str", f"tone of `polarity_vader`: {_TONE}", "negative"),
    _c("tone_strength", "str", "how much evidence `tone` rests on: `none`, `weak` (|score| "
       "under 0.3) or `clear`", "weak"),
    _c("tone_model", "str", f"the learned reading's tone: {_TONE}; `\"\"` in corpus mode "
       "without `--tone-model`", "negative"),
    _c("tone_model_p", "float", "the learned reading's probability for `tone_model`, 0 to 1; "
       "empty in corpus mode without `--tone-model`", "0.81"),
]

_CONFIDENCE = _c(
    "confidence",
    "str",
    "how far the attribution can be trusted: `high`, `medium` or `low`, from the precision its "
    "chain of sieves had on the development sets (`data/codebook/sieve_precision.csv`) and, for "
    "a direct quote, the speaker ranker's probability and agreement; `\"\"` for narration",
    "high",
)
_TRACE = [
    _c("sieve_cue", "str", "the sieve that found the quote's cue (`cue_after`, `incise`, …) or "
       "the indirect report (`reporting_verb`, `source_marker_report`, …); `\"\"` if none",
       "cue_after"),
    _c("sieve_mention", "str", "the sieve that found the phrase naming the speaker (`subject`, "
       "`inverted_subject`, …)", "inverted_subject"),
    _c("sieve_entity", "str", "the sieve that resolved that phrase to a speaker (`pronoun`, "
       "`alias`, `new_person`, …)", "pronoun"),
    _c("sieve_fallback", "str", "for a quote without a cue, the fallback sieve that gave its "
       "speaker (`preceding_quote`, …); `\"\"` when the quote has a cue", "preceding_quote"),
    _CONFIDENCE,
]

_SENTENCES = [
    _c("sentence_id", "int", "sentence number in the article, from 1", "1"),
    _c("paragraph_id", "int", "paragraph number, from 1", "1"),
    _c("start", "int", "offset of the first character in the article as read", "0"),
    _c("end", "int", "offset just after the last character", "199"),
    _c("text", "str", "the sentence", "Les ministres se sont engagés à coopérer."),
    _c("speaker", "str", "who the sentence's words are given to; `\"\"` for narration",
       "Marie Dupont"),
    _c("quote_type", "str", "`direct` (quoted words), `indirect` (reported speech) or `none`",
       "indirect"),
    _c("rule", "str", "the rule that found the quote and gave the speaker; `\"\"` for narration",
       "subject of reporting verb"),
    _CONFIDENCE,
    *_SENTIMENT,
    _c("themes", "list[id]", "codebook theme ids the sentence carries, joined by `;`",
       "drugs;border"),
    _c("theme_evidence", "str", "the cue words behind each theme, for reading: "
       "`theme: cue, cue | theme: cue`", "drugs: drogue | border: frontière"),
]

_QUOTES = [
    _c("quote_id", "id", "quote number in the article: `q1`, `q2`, …", "q1"),
    _c("type", "str", "`direct` or `indirect`", "direct"),
    _c("speaker", "str", "the speaker, as merged under one name (`speakers.csv`)",
       "Marie Dupont"),
    _c("cue", "str", "lemma of the verb of saying; `\"\"` when there is none", "déclarer"),
    _c("rule", "str", "how the quote was found; how its speaker was found",
       "guillemets; subject of reporting verb"),
    _c("text", "str", "the quoted or reported words", "Nous agirons ensemble."),
    _c("start", "int", "offset of the quote's first character in the article", "86"),
    _c("end", "int", "offset just after its last character", "198"),
    _c("sentence_ids", "list[int]", "the sentences the quote spans, joined by `;`", "7;8;9"),
    _c("mention", "str", "the speaker as the article names them at this quote",
       "la ministre Dupont"),
    _c("words", "int", "number of words quoted", "15"),
    *_TRACE,
    _c("speaker_p", "float", "for a direct quote, the speaker ranker's probability for its "
       "speaker among the candidates (`presse.quotes.ranker`), 0 to 1; empty for a report or "
       "without a candidate", "0.87"),
    *_SENTIMENT,
]

_SPEAKERS = [
    _c("speaker", "str", "the speaker's name, aliases merged", "Marie Dupont"),
    _c("kind", "str", "`person`, `group` or `institution`", "person"),
    _c("role", "str", "role or title given in the article; `\"\"` if none",
       "la ministre de la Santé"),
    _c("aliases", _WORDS, "other ways the article names them, joined by `; `",
       "Dupont; Mme Dupont"),
    _c("status", "str", "`speaker` (quoted at least once) or `mentioned` (named, never quoted)",
       "speaker"),
    _c("n_direct", "int", "number of direct quotes", "2"),
    _c("n_indirect", "int", "number of indirect reports", "1"),
    _c("words_quoted", "int", "words in direct quotes", "67"),
    _c("n_sentences", "int", "sentences given to the speaker", "6"),
    _c("n_scored_words", "float", "words scored by the news reading over those sentences "
       "(empty: no sentence)", "8.0"),
    _c("polarity_mean", "float", "mean `polarity_adjusted` of the speaker's sentences", "-0.27"),
    _c("polarity_min", "float", "lowest `polarity_adjusted`", "-1.0"),
    _c("polarity_max", "float", "highest `polarity_adjusted`", "0.175"),
    _c("polarity_ci_low", "float", "bootstrap 95% interval of the mean, low end (from four "
       "sentences on; empty below)", "-0.63"),
    _c("polarity_ci_high", "float", "bootstrap 95% interval of the mean, high end", "0.025"),
    _c("themes", "list[id]", "theme ids the speaker addresses, most sentences first, joined "
       "by `;` (share, n and position per theme: `stances`)", "drugs;border"),
    _c("themes_avoided", "list[id]", "theme ids the article raises that the speaker never "
       "addresses, joined by `;`", "migration;trade"),
]

_STANCES = [
    _c("speaker", "str", "the speaker", "Marie Dupont"),
    _c("theme_id", "id", "codebook theme id (`data/codebook/themes.csv`)", "drugs"),
    _c("n_sentences", "int", "the speaker's sentences carrying the theme", "2"),
    _c("share", "float", "`n_sentences` over all the speaker's sentences", "0.3333"),
    _c("tone_mean", "float", "mean `polarity_adjusted` of those sentences", "-0.5"),
    _c("tone_min", "float", "lowest `polarity_adjusted`", "-1.0"),
    _c("tone_max", "float", "highest `polarity_adjusted`", "0.0"),
    _c("position", "str", "`for`, `against`, `neutral` (harms and responses), or the tone "
       "(`negative tone`, … for issues)", "against"),
    _c("basis", "str", "what the position rests on, for reading",
       "negative tone (-1.00 over 1 sentence(s))"),
    _c("sentence_ids", "list[int]", "the sentences behind it, joined by `;`", "6;11"),
]

_TOKENS = [
    _c("token_id", "int", "token number in the article, from 0", "0"),
    _c("paragraph_id", "int", "paragraph number", "1"),
    _c("sentence_id", "int", "sentence number", "1"),
    _c("start", "int", "offset of the token's first character", "0"),
    _c("end", "int", "offset just after its last character", "3"),
    _c("text", "str", "the token as written", "Les"),
    _c("space", "bool", "whether a space follows it", "True"),
    _c("lemma", "str", "spaCy's lemma", "le"),
    _c("pos", "str", "Universal Dependencies part of speech", "DET"),
    _c("morph", "str", "morphological features, `Feature=Value` joined by `|`",
       "Definite=Def|Number=Plur"),
    _c("dep", "str", "dependency label", "det"),
    _c("head", "int", "`token_id` of the syntactic head", "1"),
    _c("ent_iob", "str", "named-entity position: `B` (begins), `I` (inside), `O` (outside)", "O"),
    _c("ent_type", "str", "named-entity label (`PER`, `ORG`, `LOC`, `MISC`); `\"\"` outside one",
       "ORG"),
]

_ENTITIES = [
    _c("sentence_id", "int", "sentence number", "1"),
    _c("start", "int", "offset of the entity's first character", "38"),
    _c("end", "int", "offset just after its last character", "63"),
    _c("text", "str", "the entity as written", "Organisation mondiale de la santé"),
    _c("label", "str", "spaCy's label: `PER`, `ORG`, `LOC` or `MISC`", "ORG"),
]

_ARTICLE = _c("article", "id", "the article's file name without `.txt` (text, even when it is "
              "a number)", "44231")

_CORPUS_ARTICLES = [
    _ARTICLE,
    _c("status", "str", "`ok` or `failed`", "ok"),
    _c("n_sentences", "int", "sentences in the article (0 if it failed)", "12"),
    _c("n_quotes", "int", "quotes found", "3"),
    _c("n_speakers", "int", "speakers and people mentioned", "2"),
    _c("error", "str", "one line saying what went wrong; `\"\"` when ok",
       "44999.txt: not UTF-8; save it as UTF-8 or pass --encoding"),
    _c("file", "str", "the article's file name as found in the folder (its id may differ when "
       "the name is not a plain folder name)", "44231.txt"),
]

#: ``{table: [(column, type, meaning, example), …]}`` for every table the collection writes.
SCHEMA: dict[str, list[tuple[str, str, str, str]]] = {
    "sentences": _SENTENCES,
    "quotes": _QUOTES,
    "speakers": _SPEAKERS,
    "stances": _STANCES,
    "tokens": _TOKENS,
    "entities": _ENTITIES,
    **{f"corpus_{name}": [_ARTICLE, *columns] for name, columns in (
        ("sentences", _SENTENCES), ("quotes", _QUOTES), ("speakers", _SPEAKERS),
        ("stances", _STANCES),
    )},
    "corpus_articles": _CORPUS_ARTICLES,
}

#: How to get one row per value of each list column (``df`` is the table).
EXPLODE = {
    ";": 'df.assign({c}=df["{c}"].str.split(";")).explode("{c}")',
    "; ": 'df.assign({c}=df["{c}"].str.split("; ")).explode("{c}")',
}


class TableError(ValueError):
    """A table cannot be read with the schema (unknown name, unreadable file)."""


def column_types(table: str) -> dict[str, str]:
    """``{column: type}`` of ``table`` (a key of :data:`SCHEMA`); raises TableError if unknown."""
    if table not in SCHEMA:
        known = ", ".join(SCHEMA)
        raise TableError(f"{table}: no such table in the schema; expected one of {known}.")
    return {name: kind for name, kind, _, _ in SCHEMA[table]}


def table_name(path: str | Path) -> str:
    """The schema table a file holds, from its name: ``…/corpus_quotes.parquet`` ->
    ``corpus_quotes``."""
    return Path(path).name.split(".")[0]


def apply_schema(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table with each known column converted to its schema type (see :data:`DTYPES`).

    Input: a table read as text (every cell a string, empty cells ``""``) or already typed.
    Text columns keep ``""`` for empty cells; empty number cells become missing values.
    Columns the schema does not know are left as they are. Output: a new table."""
    types = column_types(table)
    out = {}
    for column in frame.columns:
        kind = types.get(column)
        values = frame[column]
        if kind is None:
            out[column] = values
        elif kind in ("int", "float"):
            numbers = pd.to_numeric(values.replace("", None), errors="raise")
            out[column] = numbers.astype(DTYPES[kind])
        elif kind == "bool":
            text = values.astype(str)
            out[column] = text.map({"True": True, "False": False, "": None}).astype("boolean")
        else:  # str, id and lists: text, "" for empty
            out[column] = values.fillna("").astype(str)
    return pd.DataFrame(out, index=frame.index)


def read_table(path: str | Path, table: str | None = None) -> pd.DataFrame:
    """Read one of the collection's tables (CSV or Parquet) with its schema's types.

    ``table`` defaults to the file's name (``sentences.csv`` -> ``sentences``). Ids stay text,
    empty text cells are ``""`` (narration has speaker ``""``), numbers are numbers, list
    columns stay joined (see ``docs/schema.md`` to explode them). Raises TableError for a
    table the schema does not know."""
    path = Path(path)
    table = table or table_name(path)
    column_types(table)
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    return apply_schema(frame, table)


def arrow_schema(table: str, columns: list[str]):
    """The pyarrow schema of ``columns`` of ``table``: text as string, int as int64, float as
    float64, bool as bool (columns the schema does not know: string)."""
    import pyarrow as pa

    kinds = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    types = column_types(table)
    return pa.schema([(c, kinds.get(types.get(c, "str"), pa.string())) for c in columns])


def schema_markdown() -> str:
    """``docs/schema.md``: every table's columns with type, meaning and example."""
    lines = [
        "# The tables: columns, types, meanings",
        "",
        "Made from `presse.tables.SCHEMA` by `python -m presse.tables docs/schema.md`; a test",
        "checks that this page and the code agree, and reads every corpus table back with it.",
        "",
        "## Reading a table",
        "",
        "```python",
        "from presse.tables import read_table",
        "",
        'sentences = read_table("data/processed/sentences.csv")   # or any corpus_*.csv / .parquet',
        "```",
        "",
        "applies the types below: ids are text (Wikinews article `44231` stays `\"44231\"`), empty",
        "text cells are `\"\"` (narration has speaker `\"\"`, not `NaN`), numbers are numbers",
        "(`int` columns as pandas' `Int64`), `space` is boolean. With pandas alone,",
        "",
        "```python",
        'pd.read_csv(path, keep_default_na=False, dtype={"article": str})',
        "```",
        "",
        "keeps empty cells as `\"\"` and ids as text (pandas then infers the number columns).",
        "",
        "Corpus mode writes `corpus_<table>.csv`, or with `--format parquet`",
        "`corpus_<table>.parquet` (typed columns; `pd.read_parquet(path)` reads it, with",
        "`pyarrow`).",
        "",
        "## List columns",
        "",
        "A cell of a `list[...]` column holds several values joined by the separator its meaning",
        "gives. One row per value:",
        "",
        "```python",
        EXPLODE[";"].format(c="themes") + "      # separator ;",
        EXPLODE["; "].format(c="aliases") + "   # separator ; (semicolon, space)",
        "```",
        "",
        "(an empty cell gives one row with `\"\"`; drop it with `.query('themes != \"\"')`).",
        "`list[int]` values are numbers written as text: `.astype(int)` after exploding.",
        "",
        "## Types",
        "",
        "| type | in the file | `read_table` gives |",
        "| --- | --- | --- |",
        "| `str` | text; empty cell = empty string | `str`, `\"\"` for empty |",
        "| `id` | text, even when it looks like a number | `str` |",
        "| `int` | whole number | `Int64` |",
        "| `float` | number; empty cell = missing | `float64`, `NaN` for missing |",
        "| `bool` | `True` / `False` | `boolean` |",
        "| `list[str]`, `list[id]`, `list[int]` | values joined by a separator | `str` "
        "(explode it) |",
    ]
    notes = {
        "sentences": "One row per sentence of the article (`data/processed/`, "
        "`python -m presse analyze`, each article's folder in corpus mode).",
        "quotes": "One row per direct quote or indirect report.",
        "speakers": "One row per speaker or person mentioned, aliases merged.",
        "stances": "One row per speaker and theme the speaker addresses.",
        "tokens": "One row per token of spaCy's parse (`data/processed/`, one article).",
        "entities": "One row per named entity (`data/processed/`, written by make run).",
        "corpus_articles": "Corpus mode: one row per article of the folder, always CSV.",
    }
    for table, columns in SCHEMA.items():
        note = notes.get(table) or (
            f"Corpus mode: `{table[len('corpus_'):]}` of every article analysed without error, "
            "an `article` column first."
        )
        lines += ["", f"## `{table}`", "", note, "", "| column | type | meaning | example |",
                  "| --- | --- | --- | --- |"]
        for name, kind, meaning, example in columns:
            cells = (f"`{name}`", f"`{kind}`", meaning, f"`{example}`")
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m presse.tables PATH``: write :func:`schema_markdown` to PATH."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m presse.tables docs/schema.md", file=sys.stderr)
        return 2
    Path(args[0]).write_text(schema_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
