"""The speaker ranker: candidates, the conditional logit, the levels, the model file."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from presse.codebooks import SPEAKER_RANKER, load_speaker_ranker
from presse.loading import read_article
from presse.parsing import parse_article
from presse.quotes import attribute_quotes
from presse.quotes.ranker import (
    FEATURES,
    candidate_probabilities,
    choose,
    fit_ranker,
    rank_direct_quotes,
    ranked_level,
    read_ranker,
)

TEXT = (
    "Marie Dupont, la maire de Lyon, a rencontré les syndicats lundi.\n"
    "« Nous ne fermerons aucune école cette année », a déclaré Marie Dupont.\n"
    "Le préfet Paul Martin a répondu mardi. « Les chiffres ne le permettent pas. »\n"
)


@pytest.fixture(scope="module")
def tables(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("ranker") / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    article = read_article(path)
    return attribute_quotes(parse_article(article, nlp), article.text)


def test_every_direct_quote_has_candidates_with_every_feature(tables):
    candidates, quotes = tables["candidates"], tables["quotes"]
    assert list(candidates.columns[2 : 2 + len(FEATURES)]) == FEATURES
    direct = quotes[quotes["type"] == "direct"]
    assert set(direct["quote_id"]) <= set(candidates["quote_id"])
    assert set(candidates["entity"]) <= set(tables["entities"]["entity"])
    # the sieves' choice is always among the candidates, once
    assert (candidates.groupby("quote_id")["is_rule"].sum() <= 1).all()


def test_a_quote_after_its_speaker_keeps_the_speaker_and_a_probability(tables):
    quotes = tables["quotes"].set_index("quote_id")
    first = quotes.loc["q1"]
    assert first["speaker"] == "Marie Dupont"
    assert 0.0 < first["speaker_p"] <= 1.0
    assert first["confidence"] in ("high", "medium", "low")


def test_an_uncued_quote_goes_to_the_person_of_its_sentence(tables):
    second = tables["quotes"].set_index("quote_id").loc["q2"]
    assert second["speaker"] == "Paul Martin"


def test_without_the_ranker_no_probability_is_given(nlp, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    article = read_article(path)
    quotes = attribute_quotes(parse_article(article, nlp), article.text, ranker=False)["quotes"]
    assert quotes["speaker_p"].isna().all()


def _synthetic(n_quotes: int, rng) -> tuple[pd.DataFrame, np.ndarray]:
    """Three candidates per quote; the right one is the only one with ``same_sentence``."""
    rows, labels = [], []
    for q in range(n_quotes):
        right = rng.integers(3)
        for c in range(3):
            row = {f: 0.0 for f in FEATURES}
            row["same_sentence"] = float(c == right)
            row["is_rule"] = float(c == 0)  # the sieves always pick the first: a third right
            rows.append({"quote": q, "entity": f"e{c}", **row})
            labels.append(int(c == right))
    return pd.DataFrame(rows), np.array(labels)


def test_the_fit_learns_which_feature_marks_the_right_candidate():
    rng = np.random.default_rng(0)
    train, labels = _synthetic(60, rng)
    weights = fit_ranker(train, labels, l2=0.001, steps=500)
    test, truth = _synthetic(30, rng)
    chosen = choose(test, candidate_probabilities(test, weights))
    right = test.assign(label=truth).merge(chosen, on=["quote", "entity"])["label"]
    assert right.mean() == 1.0
    assert weights[FEATURES.index("same_sentence")] > weights[FEATURES.index("is_rule")]


def test_probabilities_sum_to_one_within_each_quote():
    features, _ = _synthetic(5, np.random.default_rng(1))
    p = candidate_probabilities(features, np.linspace(-1, 1, len(FEATURES)))
    sums = features.assign(p=p).groupby("quote")["p"].sum()
    assert np.allclose(sums, 1.0)


def test_reports_keep_the_sieves_choice():
    features, _ = _synthetic(2, np.random.default_rng(2))
    model = {"weights": np.zeros(len(FEATURES))}
    ranked = rank_direct_quotes(features, ["direct", "indirect"], model)
    assert list(ranked["quote"]) == [0]


def test_levels_follow_agreement_and_probability():
    model = {"thresholds": {"agree_high": 0.9, "low": 0.7}}
    assert ranked_level(0.99, True, 0.95, model) == "high"
    assert ranked_level(0.99, False, 0.95, model) == "medium"  # the ranker overrode the sieves
    assert ranked_level(0.99, True, 0.80, model) == "medium"  # a chain right too rarely
    assert ranked_level(0.50, False, 0.95, model) == "low"


def test_a_model_for_other_features_is_refused(tmp_path):
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps({"features": ["x"], "weights": [1.0]}), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        read_ranker(path)


def test_the_project_model_was_trained_on_development_sets_only():
    model = load_speaker_ranker()
    assert model is not None, f"{SPEAKER_RANKER} is missing"
    assert model["trained_on"], "the model card must say what it was trained on"
    assert not [s for s in model["trained_on"] if "test" in s or s.startswith("g7")]
    assert len(model["weights"]) == len(FEATURES)
