"""The labelled tone sets, split once and for all into development sets and test sets.

    from tone_sets import DEVELOPMENT, TESTS, labelled_sentences

- **development** (may train the learned reading, may be read to change anything): the Wikinews
  sets ``dev``, ``test``, ``test2`` … ``test9`` (their first runs are recorded in
  ``data/annotations/tone_first_runs.csv``) and the francophone news sets ``dev1``-``dev3``;
- **test** (never trained on, never read to tune): Wikinews ``test10`` and francophone news
  ``test``;
- the G7 article's labels are neither: they are never used for training.

A sentence is ``set, source, article_id, sentence_id, start, end, text, human``: Wikinews rows
carry their text and sentence number; francophone news rows carry offsets into
``../shared/corpora/francophone-news-2018/articles/<article_id>.txt`` and their text is read from
there (the corpus is copyrighted: only offsets are in the repository).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
SHARED = ROOT.parent / "shared" / "corpora"
WIKINEWS = SHARED / "wikinews-fr-2012" / "articles"
FNEWS = SHARED / "francophone-news-2018" / "articles"

WIKINEWS_DEVELOPMENT = ("dev", "test", *(f"test{k}" for k in range(2, 10)))
FNEWS_DEVELOPMENT = ("dev1", "dev2", "dev3")
DEVELOPMENT = tuple(f"wikinews {s}" for s in WIKINEWS_DEVELOPMENT) + tuple(
    f"fnews {s}" for s in FNEWS_DEVELOPMENT
)
TESTS = ("wikinews test10", "fnews test")
COLUMNS = ["set", "source", "article_id", "sentence_id", "start", "end", "text", "human"]


def annotation_file(name: str) -> Path:
    """``"wikinews test3"`` -> ``data/annotations/wikinews_sentence_tone_test3.csv``."""
    source, split = name.split()
    return ANNOTATIONS / f"{source}_sentence_tone_{split}.csv"


def corpus_available(name: str) -> bool:
    """Whether the corpus a set refers to is beside the repository."""
    return (WIKINEWS if name.startswith("wikinews") else FNEWS).is_dir()


def labelled_sentences(name: str) -> pd.DataFrame:
    """One set's sentences with their human tone (``COLUMNS``). Francophone news texts are read
    from the corpus, exactly ``text[start:end]`` of the article as Python reads it."""
    gold = pd.read_csv(annotation_file(name), dtype={"article_id": str})
    source = name.split()[0]
    if source == "wikinews":
        frame = gold.assign(start=-1, end=-1)
    else:
        texts = {a: (FNEWS / f"{a}.txt").read_text(encoding="utf-8") for a in gold["article_id"]}
        frame = gold.assign(
            sentence_id=-1,
            text=[texts[a][s:e] for a, s, e in zip(gold["article_id"], gold["start"], gold["end"])],
        )
    frame = frame.rename(columns={"tone": "human"}).assign(set=name, source=source)
    return frame[COLUMNS].reset_index(drop=True)
