"""A learned detector of indirect reports: the sieves propose, the detector decides.

The indirect-speech sieve used to keep a reporting verb only when the rules found both its
content and its speaker, and never when the verb was also the cue of a direct quote. On news
they were not written for, that lost four reports in ten (``benchmarks/quotes_benchmark.py``):
some had a speaker the rules could not name, some were a reported complement wholly in
guillemets (*a réclamé «…»*, which the annotation guide gives both rows), some had no content
the rules recognised. The detector looks at every reporting verb of a sentence with what the
sieves proposed for it (its content, or a plainer span when the rules found none; its speaker,
if any) and scores it with a logistic regression on features of the verb and its proposals. It
is trained on the development sets only (``benchmarks/train_report_detector.py``; its card is
``data/models/report_detector.md``); its threshold was set there by cross-validation.

A report the detector keeps without a speaker goes to the fallback sieves, as a direct quote
without a cue does, and its confidence is then ``low``.

Inputs: the runner's context, a sentence's reporting verb and the sieves' proposals for it.
Outputs: one row of :data:`FEATURES`, the probability of a model for a table of such rows,
the fitted weights.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from spacy.tokens import Token

from presse.quotes.text import QUE, feature, is_word, offset

#: the features, in the order of the model's weights (``bias`` is always 1)
FEATURES = [
    "bias",
    "in_lexicon",
    "requires_infinitive",
    "rule_content",
    "plain_content",
    "speaker_found",
    "no_speaker_rule",
    "speaker_person",
    "speaker_group_or_institution",
    "speaker_document",
    "cue_of_direct",
    "quoted_share",
    "content_words",
    "outside_words",
    "after_que",
    "participle_alone",
    "present_participle",
    "infinitive",
    "has_auxiliary",
    "negated",
    "incise",
    "incise_without_quote",
    "dep_root",
    "dep_clause",
    "dep_relative",
    "under_cue",
    "inside_report",
    "has_clausal_complement",
    "has_object",
    "content_before_verb",
    "sentence_has_quote",
    "lemma_rate",
    "lemma_unseen",
]

#: pseudo-counts pulling a lemma's rate towards that of all verbs (:func:`with_lemma_rates`)
SMOOTHING = 2.0

NEGATIONS = {"pas", "jamais", "guère", "plus", "nullement"}


def plain_content(ctx, verb: Token) -> tuple[int, int] | None:
    """A plain span for a reporting verb whose content the rules did not find: the words of the
    sentence after the verb (quotes included), else the three or more words before it."""
    sent = verb.sent
    after = [t for t in verb.doc[verb.i + 1 : sent.end] if is_word(t)]
    if after:
        return (offset(after[0]), offset(after[-1]) + len(after[-1]))
    before = [t for t in verb.doc[sent.start : verb.i] if is_word(t)]
    if len(before) >= 3:
        return (offset(before[0]), offset(before[-1]) + len(before[-1]))
    return None


def report_features(
    ctx, verb: Token, rule_content, content, found, cue_of_direct: bool, inside_report: bool
) -> dict[str, float]:
    """The features of one reporting verb (see :data:`FEATURES`).

    ``rule_content``: the content the rules found (or None); ``content``: the span proposed
    (the rules' or :func:`plain_content`); ``found``: the sieves' attribution (or None);
    ``inside_report``: the verb lies in the span of a report kept before it."""
    words = ctx.index.words(*content) if content is not None else []
    quoted = [w for w in words if ctx.in_quote(w)]
    after = verb.doc[verb.i + 1 : verb.sent.end] if content is not None else []
    first = next((x for x in after if offset(x) >= content[0]), None)
    previous = verb.doc[first.i - 1] if first is not None and first.i > 0 else None
    children = list(verb.children)
    kind = getattr(getattr(found, "entity", None), "kind", None) or getattr(
        getattr(found, "mention", None), "kind", None
    )
    speaker = found is not None and not found.no_speaker
    return {
        "bias": 1.0,
        "in_lexicon": float(bool(ctx.cue_lemma(verb))),
        "requires_infinitive": float(ctx.requires.get(ctx.cue_lemma(verb)) == "infinitive"),
        "rule_content": float(rule_content is not None),
        "plain_content": float(rule_content is None and content is not None),
        "speaker_found": float(speaker),
        "no_speaker_rule": float(found is not None and found.no_speaker),
        "speaker_person": float(speaker and kind == "person"),
        "speaker_group_or_institution": float(speaker and kind in ("group", "institution")),
        "speaker_document": float(speaker and kind == "document"),
        "cue_of_direct": float(cue_of_direct),
        "quoted_share": len(quoted) / len(words) if words else 0.0,
        "content_words": math.log1p(len(words)),
        "outside_words": math.log1p(len(words) - len(quoted)),
        "after_que": float(previous is not None and previous.lower_ in QUE),
        "participle_alone": float(
            feature(verb, "VerbForm") == "Part"
            and feature(verb, "Tense") != "Pres"
            and not any(c.dep_.startswith("aux") for c in children)
        ),
        "present_participle": float(
            feature(verb, "VerbForm") == "Part" and feature(verb, "Tense") == "Pres"
        ),
        "infinitive": float(feature(verb, "VerbForm") == "Inf"),
        "has_auxiliary": float(any(c.dep_.startswith("aux") for c in children)),
        "negated": float(any(c.lower_ in NEGATIONS for c in children if c.dep_ == "advmod")),
        "incise": float(ctx.is_incise(verb)),
        "incise_without_quote": float(ctx.is_incise(verb) and not cue_of_direct),
        "dep_root": float(verb.dep_ == "ROOT"),
        "dep_clause": float(verb.dep_ in ("advcl", "ccomp", "xcomp", "conj")),
        "dep_relative": float(verb.dep_.startswith("acl")),
        "under_cue": float(any(ctx.is_cue(a) for a in verb.ancestors if a.sent == verb.sent)),
        "inside_report": float(inside_report),
        "has_clausal_complement": float(any(c.dep_ in ("ccomp", "xcomp") for c in children)),
        "has_object": float(any(c.dep_ == "obj" for c in children)),
        "content_before_verb": float(content is not None and content[1] <= offset(verb)),
        "sentence_has_quote": float(any(ctx.in_quote(t) for t in verb.sent)),
        "lemma_rate": 0.0,  # filled by with_lemma_rates from the model's lemma counts
        "lemma_unseen": 1.0,
    }


def verb_lemma(ctx, verb: Token) -> str:
    """The lemma a verb is counted under: its lexicon lemma, else spaCy's (lower case)."""
    return ctx.cue_lemma(verb) or verb.lemma_.lower()


def lemma_counts(lemmas, labels) -> dict[str, list[int]]:
    """``lemma -> [reports, occurrences]`` over labelled candidates."""
    counts: dict[str, list[int]] = {}
    for lemma, label in zip(lemmas, labels):
        c = counts.setdefault(str(lemma), [0, 0])
        c[0] += int(label)
        c[1] += 1
    return counts


def with_lemma_rates(features: pd.DataFrame, lemmas, counts: dict) -> pd.DataFrame:
    """``features`` with ``lemma_rate`` (the log-odds that a verb of this lemma introduced a
    report in the training sets, smoothed by :data:`SMOOTHING` pseudo-counts at the rate of all
    verbs) and ``lemma_unseen`` (the lemma never met in training)."""
    reports = sum(c[0] for c in counts.values())
    total = sum(c[1] for c in counts.values())
    prior = (reports + 1) / (total + 2)
    rates, unseen = [], []
    for lemma in lemmas:
        r, n = counts.get(str(lemma), (0, 0))
        rate = (r + SMOOTHING * prior) / (n + SMOOTHING)
        rates.append(math.log(rate / (1 - rate)))
        unseen.append(float(n == 0))
    return features.assign(lemma_rate=rates, lemma_unseen=unseen)


def report_probabilities(features: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    """The logistic probability that each row's verb introduces a report."""
    if not len(features):
        return np.zeros(0)
    z = features[FEATURES].to_numpy(dtype=float) @ weights
    return 1.0 / (1.0 + np.exp(-z))


def fit_detector(
    features: pd.DataFrame, labels, l2: float = 0.01, steps: int = 4000, rate: float = 0.5
) -> np.ndarray:
    """Weights of a logistic regression (L2 penalty, the bias left unpenalised), by full-batch
    gradient ascent from zero, so that the fit is deterministic."""
    x = features[FEATURES].to_numpy(dtype=float)
    y = np.asarray(labels, dtype=float)
    penalty = np.full(x.shape[1], l2)
    penalty[FEATURES.index("bias")] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w += rate * (x.T @ (y - p) / len(y) - penalty * w)
    return w


def read_detector(path: str | Path) -> dict:
    """The detector as saved by the training script: ``features`` (must equal
    :data:`FEATURES`), ``weights``, ``threshold``, ``lemmas`` (the counts of
    :func:`lemma_counts`) and what it was trained on. Raises ValueError
    when the file does not hold such a model."""
    model = json.loads(Path(path).read_text(encoding="utf-8"))
    if (
        model.get("features") != FEATURES
        or len(model.get("weights", [])) != len(FEATURES)
        or not isinstance(model.get("lemmas"), dict)
    ):
        raise ValueError(f"{path}: not a report detector for these features; retrain it")
    if not 0.0 < float(model.get("threshold", -1)) < 1.0:
        raise ValueError(f"{path}: the report detector has no threshold between 0 and 1")
    model["weights"] = np.asarray(model["weights"], dtype=float)
    return model
