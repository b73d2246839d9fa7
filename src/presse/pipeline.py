"""All stages on one article: from a file to the tables the notebooks and the command line write.

``analyze_file`` is what ``python -m presse analyze`` runs; the notebooks run the same stages one
at a time and explain them.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pandas as pd
from spacy.language import Language

from presse.loading import Article, read_article
from presse.parsing import parse_article, sentences_table, tokens_table
from presse.quotes import attribute_quotes, load_reporting_verbs
from presse.sentiment import add_speaker_sentiment, load_overrides, score_units
from presse.stances import add_stance_columns, avoided_themes, fight_sentences, speaker_stances
from presse.themes import load_codebook, tag_sentences
from presse.tone_model import load_tone_model, score_tone_model


def analyze_article(
    article: Article,
    nlp: Language,
    lexicon: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    tone_model: bool = True,
) -> dict[str, pd.DataFrame]:
    """Run every stage on a loaded article.

    ``tone_model`` adds the learned tone reading (``tone_model, tone_model_p``, see
    :mod:`presse.tone_model`) to the sentences and quotes; corpus mode leaves it out unless asked
    (``--tone-model``), since the encoder costs more than the rest of the pipeline.

    Output: tables keyed by the file name they are written to: ``sentences`` (one row per
    sentence: speaker, quote type, the rule behind it, the sentiment readings, themes),
    ``quotes`` (with their sentiment), ``speakers`` (with their tone and stance summary),
    ``stances`` (one row per speaker and theme, citing its sentences), ``tokens``.
    """
    docs = parse_article(article, nlp)
    tokens = tokens_table(docs, article.paragraphs)
    sentences = sentences_table(tokens, article.text)
    lexicon = lexicon if lexicon is not None else load_reporting_verbs()
    found = attribute_quotes(docs, article.text, lexicon)
    sentences = sentences.merge(found["attribution"], on="sentence_id", how="left")
    overrides = overrides if overrides is not None else load_overrides()
    sentences = score_units(sentences, tokens, overrides)
    quotes = score_units(found["quotes"], tokens, overrides)
    if tone_model:
        model = load_tone_model()
        sentences = score_tone_model(sentences, model)
        quotes = score_tone_model(quotes, model)
    speakers = add_speaker_sentiment(found["speakers"], sentences)
    codebook = load_codebook()
    sentences = tag_sentences(sentences, tokens, codebook)
    stances = speaker_stances(sentences, codebook, fight_sentences(tokens, sentences, overrides))
    speakers = add_stance_columns(speakers, stances, avoided_themes(sentences, stances, codebook))
    return {
        "sentences": sentences,
        "quotes": quotes,
        "speakers": speakers,
        "stances": stances,
        "tokens": tokens,
    }


@contextmanager
def staged_file(target: Path):
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one
    rename, on error it is removed. Readers never see a half-written file."""
    target = Path(target)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.replace(tmp, target)


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table to ``out_dir/<name>.csv`` (UTF-8, no index), all or nothing.

    Every table is first written to a temporary file in ``out_dir``; only when all are written
    are they renamed into place, so an interrupted run never leaves a half-written CSV.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        for name, table in tables.items():
            tmp = stack.enter_context(staged_file(out_dir / f"{name}.csv"))
            table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return [out_dir / f"{name}.csv" for name in tables]


def analyze_file(
    path: str | Path, nlp: Language, encoding: str = "utf-8"
) -> dict[str, pd.DataFrame]:
    """Read ``path`` (raises ArticleError on bad input) and analyse it."""
    return analyze_article(read_article(path, encoding=encoding), nlp)
