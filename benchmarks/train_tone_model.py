"""Train the learned tone reading on the development sets, reproducibly.

    .venv/bin/python benchmarks/train_tone_model.py --embed   # 1. embed the development sentences
    .venv/bin/python benchmarks/train_tone_model.py           # 2. fit, write the model file
    .venv/bin/python benchmarks/train_tone_model.py --cv      # the choice: cross-validation

1. ``--embed`` reads every development set (``tone_sets.DEVELOPMENT``: Wikinews dev, test,
   test2-test9 and francophone news dev1-dev3; never the G7 article, never a test set), embeds
   each sentence with :func:`presse.tone_model.embed` and writes the cache
   ``data/models/tone_training_embeddings.npy`` (float32, one row per sentence) with its index
   ``data/models/tone_training_sentences.csv`` (set, article, sentence number or offsets, human
   tone: no text, the francophone corpus is copyrighted). It needs ``../shared/corpora`` and takes
   about 3 minutes.
2. Without options it fits the classifier on the cache (``L2`` below, chosen with ``--cv``) and
   writes ``data/models/tone_model.json``. The same cache always gives the same bytes
   (``tests/test_tone_model.py`` retrains and compares).

``--cv`` prints the leave-one-set-out agreement on the development sets for each ridge penalty
in ``GRID`` (each development set predicted by a model fitted on the others): that is how ``L2``
was chosen, without looking at a test set.
"""

# ruff: noqa: E402
from __future__ import annotations

import os

# the classifier's small fits run faster on one BLAS thread (and alike on every machine)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from tone_sets import DEVELOPMENT, corpus_available, labelled_sentences

from presse.codebooks import MODELS, TONE_MODEL
from presse.tone_model import (
    ENCODER,
    PREFIX,
    TONES,
    embed,
    encoder_version,
    engine_path,
    model_json,
    probabilities,
    train_classifier,
)

EMBEDDINGS = MODELS / "tone_training_embeddings.npy"
INDEX = MODELS / "tone_training_sentences.csv"
INDEX_COLUMNS = ["set", "source", "article_id", "sentence_id", "start", "end", "human"]
GRID = (10.0, 30.0, 100.0, 200.0, 300.0, 500.0, 1000.0)
L2 = 200.0  # chosen by --cv on the development sets (0.662; 100: 0.647, 300: 0.661)
STEPS, RATE = 500, 0.5  # full-batch gradient descent


def development_sentences() -> pd.DataFrame:
    """Every development sentence with its text (``tone_sets.COLUMNS``), in ``DEVELOPMENT``
    order. Raises SystemExit (one line) when a corpus is missing."""
    missing = [n for n in DEVELOPMENT if not corpus_available(n)]
    if missing:
        raise SystemExit(f"the corpora of {', '.join(missing)} are not in ../shared/corpora")
    return pd.concat([labelled_sentences(n) for n in DEVELOPMENT], ignore_index=True)


def write_cache(sentences: pd.DataFrame, embeddings: np.ndarray, folder: Path = MODELS) -> None:
    """Write the embeddings cache and its index into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / EMBEDDINGS.name, embeddings.astype(np.float32), allow_pickle=False)
    sentences[INDEX_COLUMNS].to_csv(folder / INDEX.name, index=False, lineterminator="\n")


def read_cache(folder: Path = MODELS) -> tuple[pd.DataFrame, np.ndarray]:
    """The cached index and embeddings (written by ``--embed``)."""
    index = pd.read_csv(folder / INDEX.name, dtype={"article_id": str})
    embeddings = np.load(folder / EMBEDDINGS.name, allow_pickle=False)
    if len(index) != len(embeddings):
        raise SystemExit(f"{folder}: the cache's index and embeddings differ in length")
    return index, embeddings


def build_model(index: pd.DataFrame, embeddings: np.ndarray, l2: float = L2) -> dict:
    """The model file's content: the classifier fitted on every cached sentence, and what it
    was trained on (sets, counts, encoder and version)."""
    y = index["human"].map(TONES.index).to_numpy()
    classifier = train_classifier(embeddings, y, l2, STEPS, RATE)
    return dict(
        classes=list(TONES),
        classifier=classifier,
        encoder=ENCODER,
        encoder_version=encoder_version(ENCODER),
        encoder_model="multilingual-e5-small (4-bit, bundled in the package)",
        encoder_engine=(
            "the package's e5.c built by make env with exact square roots (same on every processor)"
            if engine_path()
            else "the package's own (its last digits depend on the processor)"
        ),
        prefix=PREFIX,
        features="the sentence embedding (384 numbers), standardised",
        l2=l2,
        steps=STEPS,
        rate=RATE,
        training_sets={name: int(n) for name, n in index.groupby("set", sort=False).size().items()},
        training_labels={t: int((index["human"] == t).sum()) for t in TONES},
    )


def leave_one_set_out(
    embeddings: np.ndarray, y: np.ndarray, sets: np.ndarray, l2: float
) -> np.ndarray:
    """Each set's sentences predicted by a classifier fitted on all the other sets."""
    predicted = np.empty(len(y), dtype=int)
    for name in pd.unique(sets):
        held = sets == name
        classifier = train_classifier(embeddings[~held], y[~held], l2, STEPS, RATE)
        predicted[held] = probabilities(classifier, embeddings[held]).argmax(axis=1)
    return predicted


def cross_validate(index: pd.DataFrame, embeddings: np.ndarray) -> None:
    """Print the leave-one-set-out agreement for each penalty of ``GRID``, over all development
    sentences and over the francophone news ones."""
    y = index["human"].map(TONES.index).to_numpy()
    sets = index["set"].to_numpy()
    fnews = index["source"].eq("fnews").to_numpy()
    for l2 in GRID:
        right = leave_one_set_out(embeddings, y, sets, l2) == y
        print(
            f"l2 {l2:6g}: {right.mean():.3f} of {len(y)} development sentences "
            f"(francophone news {right[fnews].mean():.3f}, Wikinews {right[~fnews].mean():.3f})"
        )


def main() -> int:
    if "--embed" in sys.argv:
        sentences = development_sentences()
        write_cache(sentences, embed(sentences["text"]))
        print(f"embedded {len(sentences)} sentences into {EMBEDDINGS.relative_to(Path.cwd())}")
        return 0
    index, embeddings = read_cache()
    if "--cv" in sys.argv:
        cross_validate(index, embeddings)
        return 0
    TONE_MODEL.write_text(model_json(build_model(index, embeddings)), encoding="utf-8")
    print(f"wrote {TONE_MODEL} from {len(index)} development sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
