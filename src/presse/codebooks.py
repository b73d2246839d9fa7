"""Where the lexicons and codebooks live, and how each is read: the one place for their paths.

Every stage reads its resources through this module (quotes: reporting verbs, document nouns,
title markers, the measured precision of the attribution sieves; sentiment: the news overrides;
themes: the theme codebook; the learned tone reading: its trained classifier in
``data/models/``, see its model card), so that a researcher who wants to swap a codebook finds
every path here, and the corpus mode's fingerprint (:mod:`presse.corpus`) covers every file in
:data:`CODEBOOK_DIR`. Each file is a CSV with one row per entry and a ``reason`` column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

CODEBOOK_DIR = Path(__file__).resolve().parents[2] / "data" / "codebook"
REPORTING_VERBS = CODEBOOK_DIR / "reporting_verbs.csv"
DOCUMENT_NOUNS = CODEBOOK_DIR / "document_nouns.csv"
TITLE_MARKERS = CODEBOOK_DIR / "title_markers.csv"
SIEVE_PRECISION = CODEBOOK_DIR / "sieve_precision.csv"
NOT_SPEAKERS = CODEBOOK_DIR / "not_speakers.csv"
SENTIMENT_OVERRIDES = CODEBOOK_DIR / "sentiment_overrides.csv"
THEMES = CODEBOOK_DIR / "themes.csv"
MODELS = CODEBOOK_DIR.parent / "models"
TONE_MODEL = MODELS / "tone_model.json"  # written by benchmarks/train_tone_model.py
SPEAKER_RANKER = MODELS / "speaker_ranker.json"  # written by benchmarks/train_speaker_ranker.py
REPORT_DETECTOR = MODELS / "report_detector.json"  # written by benchmarks/train_report_detector.py


def read_codebook(path: str | Path, required: set[str]) -> pd.DataFrame:
    """Read one codebook CSV (``#`` starts a comment line); raise ValueError naming the file and
    the missing columns when ``required`` columns are absent."""
    table = pd.read_csv(path, comment="#")
    missing = set(required) - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return table


def load_reporting_verbs(path: str | Path = REPORTING_VERBS) -> pd.DataFrame:
    """The reporting-verb lexicon.

    Columns ``lemma, participle, present, present_participle, requires, reason``. The three
    forms (past participle, 3rd person singular present, present participle) let a verb be
    recognised when the tagger mislabels it next to guillemets (``s'est réjoui`` as an adverb).
    ``requires`` is ``content`` (a clause, object or infinitive of its own, or a quote),
    ``infinitive`` (only with an infinitive: *s'engager à*) or ``quote`` (only as the cue of a
    direct quote, right after it or in an incise: *poursuivre*, *lancer*).
    """
    return read_codebook(path, {"lemma", "participle", "present", "present_participle", "requires"})


def load_document_nouns(path: str | Path = DOCUMENT_NOUNS) -> set[str]:
    """Nouns of documents that carry someone's words (``un communiqué affirmant que``):
    ``lemma, reason``."""
    return set(read_codebook(path, {"lemma"})["lemma"].str.lower())


def load_title_markers(path: str | Path = TITLE_MARKERS) -> set[str]:
    """Words after which guillemets hold a name or title (``la loi dite « … »``): ``word,
    reason``."""
    return set(read_codebook(path, {"word"})["word"].str.lower())


def load_sieve_precision(path: str | Path = SIEVE_PRECISION) -> pd.DataFrame:
    """The precision of each attribution sieve measured on the development sets (written by
    ``benchmarks/quotes_benchmark.py --write-precision``): ``stage, sieve, quotes, right,
    precision, low, high``. An absent file gives an empty table (every sieve then counts as
    unmeasured)."""
    columns = ["stage", "sieve", "quotes", "right", "precision", "low", "high"]
    if not Path(path).exists():
        return pd.DataFrame(columns=columns)
    return read_codebook(path, set(columns))


def load_speaker_ranker(path: str | Path = SPEAKER_RANKER) -> dict | None:
    """The speaker ranker (``data/models/speaker_ranker.json``, written by
    ``benchmarks/train_speaker_ranker.py``; see :mod:`presse.quotes.ranker`), or None when the
    file is absent (the sieves' choices then stand)."""
    from presse.quotes.ranker import read_ranker

    return read_ranker(path) if Path(path).exists() else None


def load_report_detector(path: str | Path = REPORT_DETECTOR) -> dict | None:
    """The report detector (``data/models/report_detector.json``, written by
    ``benchmarks/train_report_detector.py``; see :mod:`presse.quotes.detector`), or None when
    the file is absent (the indirect-speech sieve's own rule then decides)."""
    from presse.quotes.detector import read_detector

    return read_detector(path) if Path(path).exists() else None
