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
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from presse.quotes.confidence import MIN_MEASURED, chain_key
from presse.quotes.text import offset

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
    "same_paragraph",
    "reporting_subject",
    "nearest_before",
    "nearest_after",
    "rule_strong",
    "rule_weak",
    "previous_quote_same_paragraph",
    "pronoun_number_agrees",
    "pronoun_number_clashes",
    "pronoun_gender_clashes",
]
#: the subject pronouns of a cue, with their number and gender
PRONOUN_AGREEMENT = {
    "il": ("Sing", "Masc"),
    "elle": ("Sing", "Fem"),
    "ils": ("Plur", "Masc"),
    "elles": ("Plur", "Fem"),
}


@dataclass
class Seen:
    """Where one entity was seen around one quote."""

    entity: object
    distances: set = field(default_factory=set)  # sentences before (<0), in (0), after (>0)
    roles: set = field(default_factory=set)
    positions: list = field(default_factory=list)  # article offsets
    same_paragraph: bool = False
    reporting_subject: bool = False  # subject of a reporting verb, one sentence away at most


def candidate_records(ctx, docs) -> dict[int, list]:
    """The walk's candidate records grouped by sentence: ``sentence -> [(offset, entity, role,
    paragraph offset, subject of a reporting verb)]``."""
    tokens = {d.user_data.get("first_token_id", 0) + t.i: t for d in docs for t in d}
    by_sentence: dict[int, list] = {}
    for c in ctx.candidates:
        t = tokens.get(c.position)
        if c.entity is None or t is None:
            continue
        reporting = t.dep_.startswith("nsubj") and t.head is not t and ctx.is_cue(t.head)
        by_sentence.setdefault(c.sentence, []).append(
            (offset(t), c.entity, c.role, t.doc.user_data.get("offset", 0), reporting)
        )
    return by_sentence


def paragraph_of(paragraph_starts: list[int], start: int) -> int:
    """The offset of the paragraph holding article offset ``start``."""
    return paragraph_starts[max(bisect_right(paragraph_starts, start) - 1, 0)]


def rule_precision(found, levels: dict) -> float:
    """The measured precision of the sieve chain that named the rule's speaker (0.5 when it was
    measured on fewer than :data:`MIN_MEASURED` attributions, 0 without a speaker)."""
    if found is None or found.entity is None:
        return 0.0
    stages: dict[str, str] = {}
    for stage, sieve_id in found.trace:
        stages.setdefault(f"sieve_{stage}", sieve_id)
    n, precision, _ = levels.get(("chain", chain_key(stages)), (0, 0.5, 0.0))
    return precision if n >= MIN_MEASURED else 0.5


def neighbours(quotes: list[dict], paragraph_starts: list[int]) -> dict[int, tuple]:
    """For each direct quote: the entity keys the sieves gave the direct quotes before and after
    it, and whether the one before opens in the same paragraph."""
    direct = [
        i
        for i in sorted(range(len(quotes)), key=lambda i: quotes[i]["start"])
        if quotes[i]["type"] == "direct"
    ]

    def key(i):
        found = quotes[i]["found"] if i is not None else None
        return found.entity.key if found is not None and found.entity is not None else None

    out = {}
    for k, i in enumerate(direct):
        before = direct[k - 1] if k > 0 else None
        after = direct[k + 1] if k + 1 < len(direct) else None
        here = paragraph_of(paragraph_starts, quotes[i]["start"])
        same = (
            before is not None and paragraph_of(paragraph_starts, quotes[before]["start"]) == here
        )
        out[i] = (key(before), key(after), same)
    return out


def seen_around(q: dict, records: dict[int, list], paragraph: int) -> dict[str, Seen]:
    """The entities of the records within the window of quote ``q``."""
    first, last = min(q["sentences"]), max(q["sentences"])
    seen: dict[str, Seen] = {}
    for n in range(first - WINDOW_BEFORE, last + WINDOW_AFTER + 1):
        distance = n - first if n < first else (0 if n <= last else n - last)
        for position, entity, role, para, reporting in records.get(n, []):
            s = seen.setdefault(entity.key, Seen(entity))
            s.distances.add(distance)
            s.roles.add(role)
            s.positions.append(position)
            s.same_paragraph |= para == paragraph
            s.reporting_subject |= bool(reporting) and abs(distance) <= 1
    return seen


def nearest(seen: dict[str, Seen], q: dict) -> tuple[str | None, str | None]:
    """The entity seen nearest before the quote, and nearest after it (outside the quote)."""
    before = {
        k: min(q["start"] - p for p in s.positions if p < q["start"])
        for k, s in seen.items()
        if any(p < q["start"] for p in s.positions)
    }
    after = {
        k: min(p - q["end"] for p in s.positions if p >= q["end"])
        for k, s in seen.items()
        if any(p >= q["end"] for p in s.positions)
    }
    return (
        min(before, key=before.get) if before else None,
        min(after, key=after.get) if after else None,
    )


def entity_number(entity) -> str:
    """``Plur`` for a group or an entity named in the plural, ``Sing`` otherwise."""
    if entity.kind == "group" or entity.number == "Plur":
        return "Plur"
    return "Sing"


def agreement(pronoun: str | None, entity) -> tuple[float, float, float]:
    """Does ``entity`` agree in number with the pronoun that names the quote's speaker (the
    sieves' mention, when it is ``il, elle, ils, elles``), clash in number, clash in gender?"""
    if pronoun not in PRONOUN_AGREEMENT:
        return 0.0, 0.0, 0.0
    number, gender = PRONOUN_AGREEMENT[pronoun]
    agrees = entity_number(entity) == number
    gender_clash = entity.kind == "person" and entity.gender not in (None, gender)
    return float(agrees), float(not agrees), float(gender_clash)


def feature_row(q: dict, s: Seen, rule: dict, context: dict) -> dict:
    """The features of one candidate ``s`` of quote ``q`` (see :data:`FEATURES`). ``rule``: the
    sieves' choice (``key``, ``fallback``, ``precision``); ``context``: the neighbouring quotes'
    speakers, the nearest entities, and how often each entity speaks elsewhere or is seen."""
    key, entity = s.entity.key, s.entity
    inside = [q["start"] <= p < q["end"] for p in s.positions]
    outside = [p for p, x in zip(s.positions, inside) if not x]
    gap = min((max(q["start"] - p, p - q["end"], 0) for p in outside), default=5000)
    is_rule = float(key == rule["key"])
    no_rule = float(rule["key"] is None)
    same_sentence = float(0 in s.distances)
    previous = float(key == context["previous"])
    row = {
        "is_rule": is_rule,
        "rule_cue": is_rule * (not rule["fallback"]),
        "rule_fallback": is_rule * rule["fallback"],
        "rule_precision": is_rule * rule["precision"],
        "no_rule": no_rule,
        "same_sentence": same_sentence,
        "sentence_before_1": float(-1 in s.distances),
        "sentence_before_2": float(-2 in s.distances),
        "sentence_before_3": float(-3 in s.distances),
        "sentence_after": float(any(d > 0 for d in s.distances)),
        "before_quote_in_sentence": float(any(p < q["start"] for p in outside)) * same_sentence,
        "after_quote_in_sentence": float(any(p >= q["end"] for p in outside)) * same_sentence,
        "only_inside_quote": float(bool(inside) and all(inside)),
        "near_chars": 1.0 - min(math.log1p(gap) / math.log1p(5000), 1.0),
        **{f"role_{r.replace(' ', '_')}": float(r in s.roles) for r in ROLES},
        **{f"kind_{k}": float(entity.kind == k) for k in KINDS},
        "previous_quote_speaker": previous,
        "next_quote_speaker": float(key == context["next"]),
        "speaker_elsewhere": math.log1p(context["speaks"].get(key, 0) - is_rule),
        "mentions": math.log1p(context["mentions"].get(key, 0)),
        "proper_name": float(bool(entity.proper) or entity.kind == "person"),
        "no_rule_x_same_sentence": no_rule * same_sentence,
        "no_rule_x_before_1": no_rule * float(-1 in s.distances),
        "no_rule_x_previous_quote_speaker": no_rule * previous,
        "no_rule_x_role_subject": no_rule * float("subject" in s.roles),
        "fallback_x_previous_quote_speaker": rule["fallback"] * previous,
        "indirect_x_same_sentence": float(q["type"] == "indirect") * same_sentence,
        "same_paragraph": float(s.same_paragraph),
        "reporting_subject": float(s.reporting_subject),
        "nearest_before": float(key == context["nearest"][0]),
        "nearest_after": float(key == context["nearest"][1]),
        "rule_strong": is_rule * float(rule["precision"] >= 0.9),
        "rule_weak": is_rule * float(rule["precision"] < 0.7),
        "previous_quote_same_paragraph": previous * context["previous_here"],
    }
    (
        row["pronoun_number_agrees"],
        row["pronoun_number_clashes"],
        row["pronoun_gender_clashes"],
    ) = agreement(rule["pronoun"], entity)
    return row


def candidate_features(ctx, quotes: list[dict], docs, levels: dict) -> pd.DataFrame:
    """One row per quote (its position in ``quotes``) and candidate entity, with :data:`FEATURES`.

    Input: the runner's context after the walk (``ctx.candidates``: where each entity was seen
    and in what role; ``ctx.registry``), its quote records (``start, end, sentences, found,
    type``), the parsed Docs and the measured sieve precision levels. The candidates of a quote
    are the entities seen within :data:`WINDOW_BEFORE` sentences before it and
    :data:`WINDOW_AFTER` after, the sieves' choice, and the speakers of the neighbouring direct
    quotes. Output columns: ``quote``, ``entity`` (the registry key) and the features.
    """
    records = candidate_records(ctx, docs)
    paragraph_starts = sorted(d.user_data.get("offset", 0) for d in docs) or [0]
    speaks: dict[str, int] = {}
    for q in quotes:
        if q["found"] is not None and q["found"].entity is not None:
            speaks[q["found"].entity.key] = speaks.get(q["found"].entity.key, 0) + 1
    mentions: dict[str, int] = {}
    for row in (r for rows in records.values() for r in rows):
        mentions[row[1].key] = mentions.get(row[1].key, 0) + 1
    around = neighbours(quotes, paragraph_starts)
    rows = []
    for i, q in enumerate(quotes):
        found = q["found"]
        rule = {
            "key": found.entity.key if found is not None and found.entity is not None else None,
            "fallback": float(found is not None and any(s == "fallback" for s, _ in found.trace)),
            "precision": rule_precision(found, levels),
            # the pronoun as written ("ils", "-ils", "-t-elle") when it names the speaker
            "pronoun": found.text.lower().split("-")[-1] if found is not None else None,
        }
        seen = seen_around(q, records, paragraph_of(paragraph_starts, q["start"]))
        previous, following, previous_here = around.get(i, (None, None, False))
        for key in (rule["key"], previous, following):
            if key is not None and key in ctx.registry.entities:
                seen.setdefault(key, Seen(ctx.registry.entities[key]))
        context = dict(
            previous=previous,
            next=following,
            previous_here=float(previous_here),
            nearest=nearest(seen, q),
            speaks=speaks,
            mentions=mentions,
        )
        rows += [
            {"quote": i, "entity": k, **feature_row(q, s, rule, context)} for k, s in seen.items()
        ]
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
        e = np.exp(s - s.max())  # one shift for all: a softmax within a group ignores it
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


def ranked_level(p: float, agrees: bool, chain_precision: float, model: dict) -> str:
    """The confidence of a ranked direct quote: ``low`` when the ranker's probability is below
    the model's ``low`` threshold; ``high`` when the ranker agrees with the sieves and their chain
    was right at least the model's ``agree_high`` share of the time on the development sets;
    ``medium`` otherwise. Both thresholds were set by cross-validation on the development sets
    (see the model card)."""
    if p < model["thresholds"]["low"]:
        return "low"
    if agrees and chain_precision >= model["thresholds"]["agree_high"]:
        return "high"
    return "medium"


def rank_direct_quotes(features: pd.DataFrame, types: list[str], model: dict) -> pd.DataFrame:
    """The ranker's choice for every direct quote with candidates: ``quote, entity, p,
    agrees, p_rule`` (``agrees``: the choice is the sieves' own; ``p_rule``: the probability of
    the sieves' choice, NaN without one). Reports keep the sieves' choice: on the development
    sets the ranker did not beat them there (see the model card)."""
    direct = features[[types[i] == "direct" for i in features["quote"]]]
    if not len(direct):
        return pd.DataFrame(columns=["quote", "entity", "p", "agrees", "p_rule"])
    p = candidate_probabilities(direct, model["weights"])
    chosen = choose(direct, p)
    by_rule = direct.assign(p=p)[direct["is_rule"] == 1].set_index("quote")
    chosen["p_rule"] = [by_rule["p"].get(q, float("nan")) for q in chosen["quote"]]
    rule = by_rule["entity"]
    return chosen.assign(
        agrees=[rule.get(q) == e for q, e in zip(chosen["quote"], chosen["entity"])]
    )


def read_ranker(path: str | Path) -> dict:
    """The ranker as saved by the training script: ``features`` (must equal :data:`FEATURES`),
    ``weights``, ``thresholds`` (``high``, ``low``) and what it was trained on. Raises
    ValueError when the file does not hold such a model."""
    model = json.loads(Path(path).read_text(encoding="utf-8"))
    if model.get("features") != FEATURES or len(model.get("weights", [])) != len(FEATURES):
        raise ValueError(f"{path}: not a speaker ranker for these features; retrain it")
    model["weights"] = np.asarray(model["weights"], dtype=float)
    return model
