"""A learned ranker over candidate speakers: the sieves propose, the ranker chooses.

The sieves name one speaker per quote by the first rule that fires. On news they were not written
for, that first rule is right about six times in ten. The ranker looks at every entity the walk
saw near the quote (subjects, named people, the speakers of earlier quotes, the sieves' own
choice) and scores each one with a conditional logit (a softmax over the candidates of one
quote) on features of where the entity stands and what the sieves said of it. The model is
trained on the development sets only (``benchmarks/train_speaker_ranker.py``; its card is
``data/models/speaker_ranker.md``); the probability of the chosen candidate gives the row's
confidence, with thresholds set by cross-validation on the development sets.

Inputs: the runner's context after the walk and its quote records. Outputs: a candidates table
(one row per quote and candidate entity, :data:`FEATURES` plus ``quote``, ``entity``,
``is_rule``), the probabilities of a model, and the chosen entity of each quote.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

#: sentences before the quote's first sentence, and after its last, searched for candidates
WINDOW_BEFORE = 3
WINDOW_AFTER = 1
KINDS = ("person", "group", "institution", "document")
ROLES = ("speaker", "subject", "possessed subject", "object", "named")

#: the features, in the order of the model's weights
FEATURES = [
    "is_rule",
    "rule_cue",
    "rule_fallback",
    "rule_precision",
    "no_rule",
    "same_sentence",
    "sentence_before_1",
    "sentence_before_2",
    "sentence_before_3",
    "sentence_after",
    "before_quote_in_sentence",
    "after_quote_in_sentence",
    "only_inside_quote",
    "near_chars",
    *(f"role_{r.replace(' ', '_')}" for r in ROLES),
    *(f"kind_{k}" for k in KINDS),
    "previous_quote_speaker",
    "next_quote_speaker",
    "speaker_elsewhere",
    "mentions",
    "proper_name",
    "no_rule_x_same_sentence",
    "no_rule_x_before_1",
    "no_rule_x_previous_quote_speaker",
    "no_rule_x_role_subject",
    "fallback_x_previous_quote_speaker",
    "indirect_x_same_sentence",
]


def _candidate_records(ctx, offsets: dict[int, int]) -> dict[int, list]:
    """The walk's candidate records grouped by sentence: ``sentence -> [(offset, entity,
    role)]``."""
    by_sentence: dict[int, list] = {}
    for c in ctx.candidates:
        if c.entity is None:
            continue
        by_sentence.setdefault(c.sentence, []).append(
            (offsets.get(c.position, -1), c.entity, c.role)
        )
    return by_sentence


def _rule_precision(found, levels: dict) -> float:
    """The measured precision of the sieve chain that named the rule's speaker (0.5 unknown)."""
    if found is None:
        return 0.0
    stages = {}
    for stage, sieve_id in found.trace:
        stages.setdefault(stage, sieve_id)
    key = stages.get("fallback") or f"{stages.get('mention', '')}+{stages.get('entity', '')}"
    n, precision, _ = levels.get(("chain", key), (0, 0.5, 0.0))
    return precision if n >= 8 else 0.5


def candidate_features(ctx, quotes: list[dict], docs, levels: dict) -> pd.DataFrame:
    """One row per quote (its position in ``quotes``) and candidate entity, with :data:`FEATURES`.

    Input: the runner's context after the walk (``ctx.candidates``: where each entity was seen
    and in what role), its quote records (``start, end, sentences, found, type``), the parsed
    Docs (for token offsets) and the measured sieve precision levels. Output columns: ``quote``,
    ``entity`` (the registry key), ``is_rule`` and the features; the ``Entity`` objects are in
    ``ctx.registry.entities``.
    """
    offsets = {
        d.user_data.get("first_token_id", 0) + t.i: d.user_data.get("offset", 0) + t.idx
        for d in docs
        for t in d
    }
    records = _candidate_records(ctx, offsets)
    rule_speakers: dict[str, int] = {}
    for q in quotes:
        if q["found"] is not None and q["found"].entity is not None:
            key = q["found"].entity.key
            rule_speakers[key] = rule_speakers.get(key, 0) + 1
    mentions: dict[str, int] = {}
    for rows in records.values():
        for _, entity, _ in rows:
            mentions[entity.key] = mentions.get(entity.key, 0) + 1
    order = sorted(range(len(quotes)), key=lambda i: quotes[i]["start"])
    direct_order = [i for i in order if quotes[i]["type"] == "direct"]
    neighbour = {}
    for k, i in enumerate(direct_order):
        before = quotes[direct_order[k - 1]]["found"] if k > 0 else None
        after = quotes[direct_order[k + 1]]["found"] if k + 1 < len(direct_order) else None
        neighbour[i] = (
            before.entity.key if before is not None and before.entity is not None else None,
            after.entity.key if after is not None and after.entity is not None else None,
        )
    rows = []
    for i, q in enumerate(quotes):
        first, last = min(q["sentences"]), max(q["sentences"])
        found = q["found"]
        rule_key = found.entity.key if found is not None and found.entity is not None else None
        stages = {s for s, _ in found.trace} if found is not None else set()
        seen: dict[str, dict] = {}
        entities = {}
        for n in range(first - WINDOW_BEFORE, last + WINDOW_AFTER + 1):
            for position, entity, role in records.get(n, []):
                entities[entity.key] = entity
                f = seen.setdefault(entity.key, {"distances": set(), "roles": set(), "pos": []})
                f["distances"].add(n - first if n < first else (0 if n <= last else n - last))
                f["roles"].add(role)
                f["pos"].append(position)
        if rule_key is not None:
            entities[rule_key] = found.entity
            seen.setdefault(rule_key, {"distances": set(), "roles": set(), "pos": []})
        previous_key, next_key = neighbour.get(i, (None, None))
        for key in (previous_key, next_key):
            if key is not None and key in ctx.registry.entities:
                entities.setdefault(key, ctx.registry.entities[key])
                seen.setdefault(key, {"distances": set(), "roles": set(), "pos": []})
        for key, f in seen.items():
            entity = entities[key]
            positions = [p for p in f["pos"] if p >= 0]
            inside = [q["start"] <= p < q["end"] for p in positions]
            outside = [p for p, x in zip(positions, inside) if not x]
            gap = min((max(q["start"] - p, p - q["end"], 0) for p in outside), default=5000)
            row = {
                "quote": i,
                "entity": key,
                "is_rule": float(key == rule_key),
                "rule_cue": float(key == rule_key and "fallback" not in stages),
                "rule_fallback": float(key == rule_key and "fallback" in stages),
                "rule_precision": _rule_precision(found, levels) if key == rule_key else 0.0,
                "no_rule": float(rule_key is None),
                "same_sentence": float(0 in f["distances"]),
                "sentence_before_1": float(-1 in f["distances"]),
                "sentence_before_2": float(-2 in f["distances"]),
                "sentence_before_3": float(-3 in f["distances"]),
                "sentence_after": float(any(d > 0 for d in f["distances"])),
                "before_quote_in_sentence": float(
                    any(p < q["start"] for p in outside) and 0 in f["distances"]
                ),
                "after_quote_in_sentence": float(
                    any(p >= q["end"] for p in outside) and 0 in f["distances"]
                ),
                "only_inside_quote": float(bool(inside) and all(inside)),
                "near_chars": 1.0 - min(math.log1p(gap) / math.log1p(5000), 1.0),
                **{f"role_{r.replace(' ', '_')}": float(r in f["roles"]) for r in ROLES},
                **{f"kind_{k}": float(entity.kind == k) for k in KINDS},
                "previous_quote_speaker": float(key == previous_key),
                "next_quote_speaker": float(key == next_key),
                "speaker_elsewhere": math.log1p(rule_speakers.get(key, 0) - (key == rule_key)),
                "mentions": math.log1p(mentions.get(key, 0)),
                "proper_name": float(bool(entity.proper) or entity.kind == "person"),
            }
            no_rule = row["no_rule"]
            row["no_rule_x_same_sentence"] = no_rule * row["same_sentence"]
            row["no_rule_x_before_1"] = no_rule * row["sentence_before_1"]
            row["no_rule_x_previous_quote_speaker"] = no_rule * row["previous_quote_speaker"]
            row["no_rule_x_role_subject"] = no_rule * row["role_subject"]
            row["fallback_x_previous_quote_speaker"] = (
                float("fallback" in stages) * row["previous_quote_speaker"]
            )
            row["indirect_x_same_sentence"] = float(q["type"] == "indirect") * row["same_sentence"]
            rows.append(row)
    return pd.DataFrame(rows, columns=["quote", "entity", *FEATURES])


# --------------------------------------------------------------------------- the model


def candidate_probabilities(features: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    """The softmax of ``features @ weights`` within each quote's candidates."""
    if not len(features):
        return np.zeros(0)
    scores = features[FEATURES].to_numpy(dtype=float) @ weights
    groups = features["quote"].to_numpy()
    out = np.empty_like(scores)
    for g in np.unique(groups):
        mask = groups == g
        z = scores[mask] - scores[mask].max()
        e = np.exp(z)
        out[mask] = e / e.sum()
    return out


def fit_ranker(
    features: pd.DataFrame,
    labels: np.ndarray,
    l2: float = 0.01,
    steps: int = 3000,
    rate: float = 0.5,
) -> np.ndarray:
    """Weights of a conditional logit: maximise the log-probability of the right candidates of
    each quote (quotes where no candidate is right are left out), with an L2 penalty; full-batch
    gradient ascent from zero, so the fit is deterministic."""
    x = features[FEATURES].to_numpy(dtype=float)
    groups = features["quote"].to_numpy()
    y = np.asarray(labels, dtype=float)
    keep_groups = {g for g in np.unique(groups) if y[groups == g].sum() > 0}
    keep = np.array([g in keep_groups for g in groups])
    x, y, groups = x[keep], y[keep], groups[keep]
    _, inverse = np.unique(groups, return_inverse=True)
    n_groups = inverse.max() + 1 if len(inverse) else 0
    target = y / np.bincount(inverse, weights=y)[inverse]  # right candidates share the mass
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        s = x @ w
        s = s - np.array([s[inverse == g].max() for g in range(n_groups)])[inverse]
        e = np.exp(s)
        p = e / np.bincount(inverse, weights=e)[inverse]
        gradient = x.T @ (target - p) / n_groups - l2 * w
        w += rate * gradient
    return w


def choose(features: pd.DataFrame, probabilities: np.ndarray) -> pd.DataFrame:
    """The best candidate of each quote: ``quote, entity, p`` (ties go to the sieves' choice)."""
    if not len(features):
        return pd.DataFrame(columns=["quote", "entity", "p"])
    ranked = features.assign(p=probabilities).sort_values(
        ["quote", "p", "is_rule"], ascending=[True, False, False]
    )
    return ranked.drop_duplicates("quote")[["quote", "entity", "p"]].reset_index(drop=True)


def probability_level(p: float, model: dict) -> str:
    """``high`` at or above the model's ``high`` threshold, ``low`` below its ``low`` one."""
    if p >= model["thresholds"]["high"]:
        return "high"
    return "low" if p < model["thresholds"]["low"] else "medium"


def read_ranker(path: str | Path) -> dict:
    """The ranker as saved by the training script: ``features`` (must equal :data:`FEATURES`),
    ``weights``, ``thresholds`` (``high``, ``low``) and what it was trained on. Raises
    ValueError when the file does not hold such a model."""
    model = json.loads(Path(path).read_text(encoding="utf-8"))
    if model.get("features") != FEATURES or len(model.get("weights", [])) != len(FEATURES):
        raise ValueError(f"{path}: not a speaker ranker for these features; retrain it")
    model["weights"] = np.asarray(model["weights"], dtype=float)
    return model
