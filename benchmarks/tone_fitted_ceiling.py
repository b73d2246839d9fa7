"""How far could the news reading's own evidence go if its decision were *fitted* to the labels?

    .venv/bin/python benchmarks/tone_fitted_ceiling.py

A measurement, not a method: nothing here is used by ``src/presse/`` (the annotations are used only
to evaluate). The news reading decides a sentence's tone with a hand-set rule (the mean of its
words' values, a neutral band of 0.1). This script asks whether a better decision on the same
evidence would reach the aim of 0.70: for each Wikinews tone set in turn it fits a multinomial
logistic regression on all the *other* sets, with eight numbers per sentence (the three readings'
polarities, the news reading's count and sum of negative and of positive word values, and its
negation cues), and predicts the held-out set. It prints each set's accuracy for the fitted
decision and for the hand-set rule, and both pooled.

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


L2 = 1.0  # ridge penalty on the standardised features
STEPS, RATE = 3000, 0.1  # full-batch gradient descent


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


def fit_softmax(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Multinomial logistic regression (ridge ``L2``) by gradient descent; ``x`` gets a bias
    column. Output: weights, one column per class of ``TONES``."""
    x = np.hstack([x, np.ones((len(x), 1))])
    target = np.eye(len(TONES))[y]
    weights = np.zeros((x.shape[1], len(TONES)))
    for _ in range(STEPS):
        logits = x @ weights
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        penalty = L2 * np.vstack([weights[:-1], np.zeros((1, len(TONES)))])  # not on the bias
        weights -= RATE * (x.T @ (p - target) + penalty) / len(x)
    return weights


def predict(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.argmax(np.hstack([x, np.ones((len(x), 1))]) @ weights, axis=1)


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
            pd.concat([evidence(scored), scored[["human", "tone"]]], axis=1).assign(set=name)
        )
    data = pd.concat(parts, ignore_index=True)
    features = data.drop(columns=["human", "tone", "set"]).to_numpy()
    labels = data["human"].map(TONES.index).to_numpy()
    fitted = np.empty(len(data), dtype=int)
    for name in sets:
        held = (data["set"] == name).to_numpy()
        mean, std = features[~held].mean(axis=0), features[~held].std(axis=0) + 1e-9
        weights = fit_softmax((features[~held] - mean) / std, labels[~held])
        fitted[held] = predict(weights, (features[held] - mean) / std)
    data["fitted"] = [TONES[k] for k in fitted]
    print("set      n   hand-set rule   fitted decision (trained on the other sets)")
    for name in sets:
        part = data[data["set"] == name]
        rule, fit = (part["tone"] == part["human"]).mean(), (part["fitted"] == part["human"]).mean()
        print(f"{name:7s} {len(part):3d}   {rule:.2f}            {fit:.2f}")
    for label, column in (("hand-set rule", "tone"), ("fitted decision", "fitted")):
        for scope, part in (("all sets", data), (clean_set, data[data["set"] == clean_set])):
            right = int((part[column] == part["human"]).sum())
            low, high = wilson_interval(right, len(part))
            print(
                f"{label}, {scope}: {right} of {len(part)} ({right / len(part):.3f} "
                f"[{low:.3f}–{high:.3f}])"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
