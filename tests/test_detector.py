"""The report detector: its features, its fit, its file, and its decisions on sentences."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from presse.codebooks import REPORT_DETECTOR, load_report_detector
from presse.loading import read_article
from presse.parsing import parse_article
from presse.quotes import attribute_quotes
from presse.quotes.detector import (
    FEATURES,
    fit_detector,
    lemma_counts,
    read_detector,
    report_probabilities,
    with_lemma_rates,
)


def quotes_of(text: str, nlp, tmp_path, detector=None) -> dict:
    path = tmp_path / "article.txt"
    path.write_text(text + "\n", encoding="utf-8")
    article = read_article(path)
    return attribute_quotes(parse_article(article, nlp), article.text, detector=detector)


def test_the_fit_separates_what_a_feature_separates():
    rows = pd.DataFrame(0.0, index=range(40), columns=FEATURES).assign(bias=1.0)
    rows.loc[:19, "after_que"] = 1.0
    labels = np.array([1] * 18 + [0] * 2 + [0] * 18 + [1] * 2)
    w = fit_detector(rows, labels)
    p = report_probabilities(rows, w)
    assert p[:20].min() > 0.7 > 0.3 > p[20:].max()
    assert np.array_equal(w, fit_detector(rows, labels)), "the fit is deterministic"


def test_lemma_rates_rank_lemmas_by_how_often_they_reported():
    counts = lemma_counts(["dire"] * 6 + ["manger"] * 6, [1] * 6 + [0] * 6)
    table = pd.DataFrame(0.0, index=range(3), columns=FEATURES)
    rated = with_lemma_rates(table, ["dire", "inconnu", "manger"], counts)
    assert rated["lemma_rate"].is_monotonic_decreasing
    assert rated["lemma_unseen"].tolist() == [0.0, 1.0, 0.0]
    assert math.isclose(rated["lemma_rate"][1], 0.0, abs_tol=1e-9)  # the prior: half reported


def test_a_file_that_is_not_a_detector_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"features": FEATURES[:-1], "weights": [0.0]}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a report detector"):
        read_detector(path)
    good = dict(features=FEATURES, weights=[0.0] * len(FEATURES), lemmas={}, threshold=1.5)
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(ValueError, match="threshold"):
        read_detector(path)


def test_the_project_detector_was_trained_on_development_sets_only():
    model = load_report_detector()
    assert model is not None, f"{REPORT_DETECTOR} is missing"
    assert model["trained_on"] and all(s.startswith("fnews_dev") for s in model["trained_on"])
    assert len(model["weights"]) == len(FEATURES) and 0 < model["threshold"] < 1


def test_every_reporting_verb_is_recorded_with_its_features(nlp, tmp_path):
    text = "La maire a déclaré que le tramway serait prolongé. Elle a mangé une pomme."
    tables = quotes_of(text, nlp, tmp_path)
    candidates = tables["report_candidates"]
    assert set(FEATURES) <= set(candidates.columns)
    assert "déclarer" in set(candidates["lemma"])
    assert candidates["p"].between(0, 1).all()
    rule = quotes_of(text, nlp, tmp_path, detector=False)["report_candidates"]
    assert rule["p"].isna().all() and "manger" not in set(rule["lemma"])


def test_without_a_detector_the_sieve_rule_decides(nlp, tmp_path):
    text = "Le syndicat a réclamé « une enquête indépendante et rapide »."
    rule = quotes_of(text, nlp, tmp_path, detector=False)["quotes"]
    assert rule["type"].tolist() == ["direct"]  # the cue of a direct quote: no report of its own


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a complement wholly in guillemets is a quote and a report (the annotation guide)
        ("Le syndicat a réclamé « une enquête indépendante et rapide » sur les faits.", "syndicat"),
        # a report before its incise
        ("Le tramway sera prolongé jusqu'à la gare, a déclaré la maire, Sophie Durand.", "Durand"),
        # a verb outside the lexicon, with a que-clause
        ("La ministre Anne Roux refuse que les écoles ferment plus tôt cet hiver.", "Anne Roux"),
    ],
)
def test_the_detector_keeps_reports_the_rules_missed_or_had(text, speaker, nlp, tmp_path):
    quotes = quotes_of(text, nlp, tmp_path)["quotes"]
    reports = quotes[quotes["type"] == "indirect"]
    assert len(reports) == 1, quotes[["type", "speaker", "sieve_cue"]].to_string()
    assert speaker in reports["speaker"].iloc[0]


def test_the_detector_leaves_other_verbs_alone(nlp, tmp_path):
    text = "Le maire de Liège a mangé une pomme rouge au marché couvert."
    quotes = quotes_of(text, nlp, tmp_path)["quotes"]
    assert quotes.empty, quotes[["type", "speaker", "sieve_cue"]].to_string()


def test_a_verb_of_the_reported_clause_is_not_a_report_of_its_own(nlp, tmp_path):
    text = (
        "Les ministres ont déclaré que les pays du G7 devaient reconnaître la nécessité "
        "d'adopter des approches nouvelles."
    )
    quotes = quotes_of(text, nlp, tmp_path)["quotes"]
    assert quotes["type"].tolist() == ["indirect"], quotes[["speaker", "text"]].to_string()
    assert quotes["text"].iloc[0].endswith("approches nouvelles")


def test_a_report_that_continues_another_is_its_own_with_the_same_speaker(nlp, tmp_path):
    text = (
        "La maire a déclaré que le tramway serait prolongé, précisant que les travaux "
        "commenceront en mai."
    )
    quotes = quotes_of(text, nlp, tmp_path)["quotes"]
    assert quotes["type"].tolist() == ["indirect", "indirect"], quotes.to_string()
    assert quotes["speaker"].tolist() == ["la maire", "la maire"]
    assert quotes["text"].iloc[0].endswith("serait prolongé")  # ended before the second
