"""Sentiment: the textblob-fr traps, the news reading (overrides, negation, fight frame),
ranges, per-speaker summaries and agreement measures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from presse.evaluation import wilson_interval
from presse.loading import read_article
from presse.parsing import parse_article, tokens_table
from presse.pipeline import analyze_article
from presse.sentiment import (
    STRENGTHS,
    TONES,
    agreement,
    agreement_by_strength,
    english_trap,
    infinitive_of_participle,
    lexicon_defects,
    load_overrides,
    news_polarity,
    score_units,
    speaker_sentiment,
    textblob_sentiment,
    tone,
    tone_strength,
    vader_fuzzy_audit,
)


def score_text(text: str, nlp, tmp_path) -> pd.Series:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    article = read_article(path)
    tokens = tokens_table(parse_article(article, nlp), article.paragraphs)
    unit = pd.DataFrame([dict(text=article.text.strip(), start=0, end=len(article.text))])
    return score_units(unit, tokens).iloc[0]


def test_the_english_analyzer_trap_is_shown():
    english, french = english_trap("Le crime organisé est terrible.")
    assert english != pytest.approx(french)


def test_textblob_fr_raw_reading_and_its_clipping():
    raw = textblob_sentiment("Le crime organisé est terrible.")
    assert "organisé:+0.40" in raw["scored_words"] and raw["n_scored"] == 2
    full = textblob_sentiment("Il est en plein accord, très plein.")
    assert 0 <= full["subjectivity"] <= 1


def test_lexicon_defects_are_counted():
    defects = lexicon_defects()
    counts = defects["problem"].value_counts()
    assert counts["negative subjectivity"] == 844
    assert "plein" in set(defects.loc[defects["problem"] == "subjectivity above 1", "word"])


def test_negation_is_applied_in_the_news_reading(nlp, tmp_path):
    plain = score_text("J'aime ce film.", nlp, tmp_path)
    negated = score_text("Je n'aime pas ce film.", nlp, tmp_path)
    assert plain["polarity"] == negated["polarity"]  # textblob-fr ignores French negation
    assert plain["polarity_adjusted"] > 0 > negated["polarity_adjusted"]


def test_descriptive_words_are_neutralised_and_fights_are_not_harms(nlp, tmp_path):
    organised = score_text("Le crime organisé progresse.", nlp, tmp_path)
    assert organised["polarity"] > 0  # textblob-fr reads "organisé" as praise
    assert organised["polarity_adjusted"] < 0
    fight = score_text("Les ministres veulent lutter contre la corruption.", nlp, tmp_path)
    assert fight["polarity_adjusted"] > 0 and "corruption:+0.30" in fight["adjusted_words"]


def test_a_negated_clause_is_a_mild_negative_cue(nlp, tmp_path):
    failure = score_text("Le président n'a pas pu tenir sa promesse.", nlp, tmp_path)
    assert failure["tone"] == "negative", failure["adjusted_words"]
    assert "n' … pas:-0.30" in failure["adjusted_words"]  # shown like any scored word
    only = score_text("Il ne reste que deux jours avant le vote.", nlp, tmp_path)
    assert only["tone"] == "neutral", only["adjusted_words"]  # ne … que is "only", not negation
    not_yet = score_text("Les résultats ne sont pas encore connus.", nlp, tmp_path)
    assert not_yet["tone"] == "neutral", not_yet["adjusted_words"]  # not yet: no failure


def test_a_pronominal_verb_has_its_own_reading(nlp, tmp_path):
    tackle = score_text("Il a promis de s'attaquer au problème du chômage.", nlp, tmp_path)
    attack = score_text("Des hommes armés ont attaqué le convoi.", nlp, tmp_path)
    assert tackle["tone"] != "negative", tackle["adjusted_words"]  # to tackle a problem
    assert attack["tone"] == "negative", attack["adjusted_words"]


def test_verbs_of_harm_and_of_good_news_are_read(nlp, tmp_path):
    theft = score_text("Des inconnus ont volé trois tableaux au musée.", nlp, tmp_path)
    assert theft["tone"] == "negative", theft["adjusted_words"]
    # the tagger reads "félicité" as the noun (bliss): the participle fallback finds féliciter
    praise = score_text("Le président a félicité les artistes.", nlp, tmp_path)
    assert "félicité:+0.50" in praise["adjusted_words"], praise["adjusted_words"]
    order = score_text("Les billets seront classés par ordre croissant.", nlp, tmp_path)
    assert order["tone"] == "neutral", order["adjusted_words"]  # croissant is not growth here


@pytest.mark.parametrize(
    "form, infinitive",
    [
        ("félicité", "féliciter"),
        ("incendiées", "incendier"),
        ("volés", "voler"),
        ("été", ""),
        ("périt", ""),
        ("la", ""),
    ],
)
def test_infinitive_of_an_er_participle(form, infinitive):
    assert infinitive_of_participle(form) == infinitive


def test_reporting_verbs_carry_no_tone(nlp, tmp_path):
    scored = score_text("Il précise que la construction a coûté cent millions.", nlp, tmp_path)
    assert scored["polarity"] > 0  # textblob-fr reads "précise" as the adjective (+0.40)
    assert scored["tone"] == "neutral", scored["adjusted_words"]


def test_news_score_weighs_general_words_less_and_negative_values_more():
    words = pd.DataFrame(
        dict(polarity=[0.4, -0.4], source=["textblob-fr", "news override"], word=["a", "b"])
    )
    # 0.4 x 0.25 (general lexicon) and -0.4 x 2 (negative): the harm sets the tone
    assert news_polarity(words) == pytest.approx((0.1 - 0.8) / 2)
    assert news_polarity(words.iloc[:0]) == 0.0
    strong = pd.DataFrame(dict(polarity=[-0.8], source=["news override"], word=["x"]))
    assert news_polarity(strong) == -1.0  # clipped to [-1, 1]


def test_a_death_beside_a_celebration_reads_negative(nlp, tmp_path):
    scored = score_text(
        "Trois personnes sont mortes lors d'une célébration dans la capitale.", nlp, tmp_path
    )
    assert scored["tone"] == "negative", scored["adjusted_words"]


def test_overrides_are_data_with_a_reason_each():
    overrides = load_overrides()
    assert overrides["term"].is_unique
    assert overrides["reason"].fillna("").str.len().gt(3).all()
    assert set(overrides["action"]) == {
        "neutralise",
        "set",
        "shifter",
        "extender",
        "loss",
        "valued",
    }
    sets = overrides[overrides["action"].isin(["set", "valued"])]["polarity"]
    assert sets.between(-1, 1).all() and sets.notna().all()


def test_tone_band():
    assert [tone(x) for x in (-0.5, -0.05, 0.0, 0.09, 0.3)] == [
        "negative",
        "neutral",
        "neutral",
        "neutral",
        "positive",
    ]


@pytest.fixture(scope="module")
def g7(g7_article, nlp):
    return analyze_article(g7_article, nlp)


def test_every_output_stays_in_range(g7):
    for table in (g7["sentences"], g7["quotes"]):
        assert table["polarity"].between(-1, 1).all()
        assert table["polarity_adjusted"].between(-1, 1).all()
        assert table["polarity_vader"].between(-1, 1).all()
        assert table["subjectivity"].between(0, 1).all()
        for column in ("tone", "tone_raw", "tone_vader"):
            assert set(table[column]) <= set(TONES)
        assert set(table["tone_strength"]) <= set(STRENGTHS)
        clear = table["tone_strength"] == "clear"
        assert (table.loc[clear, "polarity_adjusted"].abs() >= 0.3).all()
        assert (table.loc[table["tone_strength"] == "none", "tone"] == "neutral").all()


def test_sentences_carry_the_contract_columns(g7):
    expected = {
        "polarity",
        "subjectivity",
        "scored_words",
        "polarity_vader",
        "polarity_adjusted",
        "tone",
        "tone_strength",
    }
    assert expected <= set(g7["sentences"].columns)


def test_speaker_tone_has_n_spread_and_interval_only_when_enough(g7):
    stats = speaker_sentiment(g7["sentences"]).set_index("speaker")
    assert (stats["min"] <= stats["mean"] + 1e-9).all() and (
        stats["mean"] <= stats["max"] + 1e-9
    ).all()
    few = stats[stats["n_sentences"] < 4]
    assert few["ci_low"].isna().all()
    many = stats[stats["n_sentences"] >= 4]
    assert many["ci_low"].notna().all() and (many["ci_low"] <= many["ci_high"]).all()
    again = speaker_sentiment(g7["sentences"]).set_index("speaker")
    pd.testing.assert_frame_equal(stats, again)  # seeded bootstrap: reproducible


@pytest.mark.parametrize(
    "polarity, strength",
    [
        (0.0, "none"),
        (-0.05, "none"),
        (0.1, "weak"),
        (-0.29, "weak"),
        (0.3, "clear"),
        (-1.0, "clear"),
    ],
)
def test_tone_strength_bands(polarity, strength):
    assert tone_strength(polarity) == strength


def test_agreement_by_strength_counts_each_band():
    scored = pd.DataFrame(
        {
            "tone": ["negative", "negative", "neutral", "positive"],
            "tone_strength": ["clear", "weak", "none", "weak"],
        }
    )
    human = pd.Series(["negative", "neutral", "neutral", "positive"])
    table = agreement_by_strength(human, scored).set_index("strength")
    assert table.loc["clear", ["sentences", "agreed"]].tolist() == [1, 1]
    assert table.loc["weak", ["sentences", "agreed"]].tolist() == [2, 1]
    assert table.loc["none", ["sentences", "agreed"]].tolist() == [1, 1]


def test_agreement_measures():
    human = pd.Series(["negative", "neutral", "positive", "positive"])
    perfect = agreement(human, human)
    assert perfect["accuracy"] == 1 and perfect["kappa"] == pytest.approx(1)
    flipped = agreement(human, pd.Series(["positive", "neutral", "negative", "negative"]))
    assert flipped["accuracy"] == 0.25 and flipped["kappa"] < 0
    assert flipped["confusion"].to_numpy().sum() == 4
    assert list(flipped["confusion"].index) == list(TONES)
    low, high = flipped["interval"]
    assert low < 0.25 < high and 0 <= low and high <= 1


@pytest.mark.parametrize(
    "successes, n, low, high",
    [(76, 115, 0.570, 0.741), (10, 10, 0.722, 1.0), (0, 10, 0.0, 0.278), (0, 0, 0.0, 1.0)],
)
def test_wilson_interval_of_an_accuracy(successes, n, low, high):
    got = wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=1e-3)


def test_vader_fuzzy_matching_is_audited():
    audit = vader_fuzzy_audit("Les ministres ont parlé.")
    assert ("ministres", "sinistres") in set(zip(audit["word"], audit["matched_to"]))
    assert np.isfinite(audit["valence"]).all()


def test_first_runs_match_their_label_files():
    root = Path(__file__).resolve().parents[1] / "data" / "annotations"
    runs = pd.read_csv(root / "tone_first_runs.csv", keep_default_na=False)
    assert set(runs["reading"]) <= {"tone_raw", "tone_vader", "tone", "tone_model"}
    assert not runs.duplicated(["set", "reading"]).any()
    for run in runs.itertuples():
        source, _, split = run.set.rpartition(" ")  # "test2" (Wikinews) or "fnews test"
        labels = pd.read_csv(root / f"{source or 'wikinews'}_sentence_tone_{split}.csv")
        assert run.sentences == len(labels), run.set
        assert 0 <= run.agreed <= run.sentences, run.set
        assert run.first_run_commit == "" or len(run.first_run_commit) >= 7, run.set
    # the blind Wikinews sets never share a sentence
    wikinews = runs.loc[~runs["set"].str.contains(" "), "set"].unique()
    keys = pd.concat(
        [pd.read_csv(root / f"wikinews_sentence_tone_{s}.csv") for s in ["dev", *wikinews]]
    )[["article_id", "sentence_id"]]
    assert not keys.duplicated().any()


def test_second_reading_covers_test6_with_valid_tones():
    root = Path(__file__).resolve().parents[1] / "data" / "annotations"
    first = pd.read_csv(root / "wikinews_sentence_tone_test6.csv")
    second = pd.read_csv(root / "wikinews_sentence_tone_test6_second_reading.csv")
    assert list(second.columns) == ["article_id", "sentence_id", "tone"]
    keys = ["article_id", "sentence_id"]
    assert second[keys].equals(first[keys])
    assert set(second["tone"]) <= set(TONES)
