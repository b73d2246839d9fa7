"""Figures that scale and do not mislead: palette, grouping, sizes, limits, counts, positions.

The fixture tables are built here, from a synthetic article of 30 speakers (tones at ±1
included), so the figures are tested on more speakers than any committed article has.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import ROOT  # noqa: E402
from PIL import Image  # noqa: E402

import presse.sentiment as sentiment  # noqa: E402
from presse import plots  # noqa: E402
from presse.report import render_annotated_fragment, speaker_colours  # noqa: E402
from presse.stances import (  # noqa: E402
    comparison_table,
    position_label,
    position_on,
    speaker_stances,
)
from presse.themes import load_codebook  # noqa: E402

THEMES = ["organized_crime", "cooperation", "migration", "policing", "trade", "drugs"]


def synthetic_tables(n_speakers: int = 30, seed: int = 3) -> dict[str, pd.DataFrame]:
    """A made-up article: speaker k has 31 - k sentences (so every count differs), tones drawn
    in [-1, 1] with exact ±1 among them, themes in rotation; a quotes table to match (direct
    and indirect quotes, some of low confidence); narration every fifth sentence."""
    rng = np.random.default_rng(seed)
    rows, quotes = [], []
    sid = 0
    for k in range(n_speakers):
        name = f"Orateur {k + 1:02d}"
        for j in range(max(1, n_speakers + 1 - k) // 3 + 1):
            sid += 1
            tone = float(rng.choice([-1.0, 1.0])) if j == 0 else float(rng.uniform(-1, 1))
            rows.append((sid, sid // 4 + 1, name, tone, THEMES[(k + j) % len(THEMES)]))
            quotes.append(
                (name, "direct" if j % 2 == 0 else "indirect", 5 + j, "low" if j == 1 else "high")
            )
            if sid % 5 == 0:
                sid += 1
                rows.append((sid, sid // 4 + 1, "", 0.0, ""))
    sentences = pd.DataFrame(
        rows, columns=["sentence_id", "paragraph_id", "speaker", "polarity_adjusted", "themes"]
    )
    sentences = sentences.assign(
        polarity=(sentences["polarity_adjusted"] * 0.5).round(4),
        polarity_vader=(-sentences["polarity_adjusted"]).round(4),
        n_adjusted=2,
    )
    quote_table = pd.DataFrame(quotes, columns=["speaker", "type", "words", "confidence"])
    stances = speaker_stances(sentences, load_codebook(), fights={1, 7, 8})
    return {"sentences": sentences, "quotes": quote_table, "stances": stances}


@pytest.fixture(scope="module")
def tables():
    return synthetic_tables()


@pytest.fixture(autouse=True)
def close_figures():
    plots.use_house_style()
    yield
    plt.close("all")


def saved_size(fig, tmp_path, stem="figure"):
    png, _ = plots.save_figure(fig, stem, tmp_path)
    with Image.open(png) as image:
        return image.size


def every_figure(tables):
    """Each figure of the collection drawn from the synthetic tables: ``(stem, figure)``."""
    sentences, stances = tables["sentences"], tables["stances"]
    codebook = load_codebook()
    labels = dict(zip(codebook["theme_id"], codebook["label_en"]))
    themes = [t for t in codebook["theme_id"] if t in set(stances["theme_id"])]
    readings = [("polarity", "raw"), ("polarity_vader", "VADER"), ("polarity_adjusted", "news")]
    share, count, rows = plots.speaker_theme_shares(stances, sentences, themes)
    human = pd.Series(["negative"] * 8 + ["neutral"] + ["positive"] * 10)
    scored = pd.DataFrame({"tone": ["positive"] * 19, "tone_raw": human})
    summary = plots.agreement_summary(human, scored, {"tone": "a", "tone_raw": "b"})
    order = plots.speaker_order(sentences)
    lengths = sentences.assign(words=sentences["sentence_id"] % 30 + 3)
    paragraphs = sorted(sentences["paragraph_id"].unique())
    grid = pd.DataFrame(
        [[(p + i) % 3 for p in paragraphs] for i, _ in enumerate(codebook["theme_id"])],
        index=codebook["theme_id"],
        columns=paragraphs,
    )
    return [
        ("01_sentence_lengths", plots.sentence_lengths_figure(lengths)),
        ("04_themes_by_paragraph", plots.themes_by_paragraph_figure(grid, labels)),
        ("02_share_of_voice", plots.share_of_voice_figure(plots.share_of_voice(tables["quotes"]))),
        ("03_sentiment_arc", plots.sentiment_arc_figure(sentences, readings)),
        ("03_speaker_tone", plots.speaker_tone_figure(plots.speaker_tone_table(sentences))),
        ("03_agreement", plots.agreement_figure([("set", summary, plots.majority_floor(human))])),
        ("05_speaker_theme_heatmap", plots.speaker_theme_heatmap(share, count, rows, labels)),
        ("05_stance_profile", plots.stance_profile_figure(stances, order, themes, labels)),
    ]


def test_every_figure_stays_within_2000_px_with_30_speakers(tables, tmp_path):
    assert tables["sentences"]["speaker"].replace("", np.nan).nunique() == 30
    for stem, fig in every_figure(tables):
        width, height = saved_size(fig, tmp_path, stem)
        assert width <= 2000 and height <= 2000, (stem, width, height)


def test_saving_caps_the_resolution_of_an_oversized_figure(tmp_path):
    fig, ax = plt.subplots(figsize=(30, 4))
    ax.plot([0, 1], [0, 1])
    width, height = saved_size(fig, tmp_path)
    assert width <= 2000 and height <= 2000
    fig, ax = plt.subplots(figsize=(4, 3))  # a small figure keeps the house resolution
    assert plots.png_dpi(fig) == 150


def test_the_palette_does_not_repeat_for_20_speakers_then_groups_the_rest(tables):
    names = [f"s{i}" for i in range(30)]
    colours = plots.speaker_palette(names[:20])
    assert len(set(colours.values())) == 20
    assert plots.NARRATION_COLOUR not in colours.values()
    assert plots.OTHERS_COLOUR not in colours.values()
    kept, grouped = plots.top_speakers(names, 20)
    assert kept == names[:20] and grouped == names[20:]
    assert plots.top_speakers(names[:21], 20) == (names[:21], [])  # a group of one is no group
    # in the arc, the 20 most present speakers have a colour each, the rest one "others" entry
    fig = plots.sentiment_arc_figure(tables["sentences"], [("polarity_adjusted", "news")])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:20] == plots.speaker_order(tables["sentences"])[:20]
    assert legend[20:] == ["10 other speakers", "narration"]
    faces = {tuple(c) for c in fig.axes[0].collections[0].get_facecolors()}
    assert len(faces) == 22  # 20 speakers, the others, narration


def test_the_annotated_view_uses_the_same_non_repeating_palette(tables):
    names = [f"s{i}" for i in range(25)]
    light = speaker_colours(names)
    assert len(set(list(light.values())[:20])) == 20
    assert light["s0"] == plots.tint(plots.SPEAKER_PALETTE[0])
    sentences = tables["sentences"].assign(
        start=0, end=1, quote_type="direct", rule="", tone="neutral", adjusted_words=""
    )
    paragraphs = pd.DataFrame({"paragraph_id": sorted(sentences["paragraph_id"].unique())})
    html = render_annotated_fragment("x", sentences, paragraphs)
    legend = html.split("<b>Tone</b>")[0]
    backgrounds = [plots.tint(c) for c in plots.SPEAKER_PALETTE]
    assert all(f"background:{b}" in legend for b in backgrounds)
    assert "10 other speakers" in legend


def test_tone_axes_keep_points_at_plus_and_minus_one_whole(tables):
    sentences = tables["sentences"]
    assert sentences["polarity_adjusted"].abs().eq(1).any()
    figures = dict(every_figure(tables))
    for ax in figures["03_sentiment_arc"].axes:
        low, high = ax.get_ylim()
        assert low <= -1.1 and high >= 1.1
    for stem in ("03_speaker_tone", "05_stance_profile"):
        for ax in figures[stem].axes:
            if ax.get_visible():
                low, high = ax.get_xlim()
                assert low <= -1.1 and high >= 1.1, stem


def test_speaker_counts_come_from_the_sentences_the_tone_comes_from(tables):
    """A speaker whose only quote lies in a sentence given to another speaker (the speakers
    table then says ``n_sentences = 0``) had a panel reading "n = 0 sentence(s), nan scored
    word(s)": the figure took n from the speakers table and the tone from the sentences."""
    sentences = tables["sentences"]
    tone = plots.speaker_tone_table(sentences, max_speakers=15)
    said = sentences[sentences["speaker"] != ""]
    assert tone["n_sentences"].min() >= 1 and tone["n_sentences"].sum() == len(said)
    assert tone["n_scored_words"].dtype.kind == "i" and tone["mean"].notna().all()
    assert tone["speaker"].iloc[-1] == "15 other speakers"
    first = said[said["speaker"] == tone["speaker"].iloc[0]]
    assert tone["mean"].iloc[0] == round(first["polarity_adjusted"].mean(), 2)
    # the heatmap's rows count the same sentences
    codebook = load_codebook()
    share, count, rows = plots.speaker_theme_shares(
        tables["stances"], sentences, list(codebook["theme_id"]), max_speakers=15
    )
    assert list(rows.index) == list(tone["speaker"]) and rows.sum() == len(said)
    assert (count.sum(axis=1) <= rows).all() and share.max().max() <= 1
    # the text the figure writes beside each speaker
    fig = plots.speaker_tone_figure(tone)
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert not [n for n in notes if "nan" in n or "n = 0" in n]
    assert "n = 1 sentence, 2 scored words" in notes or all("sentences" in n for n in notes)


def test_a_weak_position_is_marked_weak_wherever_it_is_shown():
    basis = position_on("response", pd.Series([-0.2]), [7], set())[1]
    assert basis.startswith("weak ")
    assert position_label("against", basis, 1) == "against (weak, 1 sentence)"
    assert position_label("against", basis) == "against (weak)"
    assert (
        position_label("for", "positive tone (+0.60 over 3 sentence(s))", 3) == "for (3 sentences)"
    )
    stances = pd.DataFrame(
        {
            "speaker": ["A", "B"],
            "theme_id": ["policing", "policing"],
            "n_sentences": [1, 2],
            "tone_mean": [-0.2, -0.6],
            "tone_min": [-0.2, -0.7],
            "tone_max": [-0.2, -0.5],
            "position": ["against", "against"],
            "basis": [basis, "negative tone (-0.60 over 2 sentence(s))"],
        }
    )
    table = comparison_table(stances, load_codebook())
    assert table.loc["A", "policing"] == "1 · against (weak)"
    assert table.loc["B", "policing"] == "2 · against"
    points = plots.stance_points(stances)
    assert list(points["weak"]) == [True, False]
    fig = plots.stance_profile_figure(stances, ["A", "B"], ["policing"], {})
    dots = [line for line in fig.axes[0].lines if line.get_marker() == "o"]
    assert dots and dots[0].get_markerfacecolor() == "white"  # hollow: weak


def test_the_stance_profile_and_the_table_give_the_same_position():
    """A harm fought in positive words (*lutter contre le crime*, which the news reading scores
    above zero) is opposed by the fight frame: the profile drew it at +0.19 with nothing saying
    "against". Each point now carries the table's position, and is a square when the frame,
    not the tone, decided."""
    sentences = pd.DataFrame(
        {
            "sentence_id": [1, 2, 3],
            "speaker": ["A", "A", "B"],
            "polarity_adjusted": [0.1375, 0.25, -0.4],
            "themes": ["organized_crime", "organized_crime", "organized_crime"],
        }
    )
    codebook = load_codebook()
    stances = speaker_stances(sentences, codebook, fights={2})
    points = plots.stance_points(stances).set_index("speaker")
    assert points.loc["A", "x"] == pytest.approx(0.19, abs=0.005)
    assert points.loc["A", "position"] == "against" and points.loc["A", "fight"]
    cells = comparison_table(stances, codebook)
    for speaker, point in points.iterrows():
        shown = cells.loc[speaker, "organized_crime"].split(" · ", 1)[1]
        assert point["label"].startswith(shown + " ·")
    assert points.loc["B", "position"] == "against" and not points.loc["B", "fight"]
    fig = plots.stance_profile_figure(stances, ["A", "B"], ["organized_crime"], {})
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "against · n=2" in texts and "against · n=1" in texts
    assert [line.get_marker() for line in fig.axes[0].lines if line.get_marker() != "None"] == ["s"]


def test_the_committed_stance_profile_agrees_with_the_comparison_table():
    stances = pd.read_csv(ROOT / "data" / "processed" / "stances.csv", keep_default_na=False)
    cells = comparison_table(stances, load_codebook())
    for point in plots.stance_points(stances).itertuples():
        assert (
            point.label.split(" · n=")[0]
            == cells.loc[point.speaker, point.theme_id].split(" · ", 1)[1]
        )


def test_a_different_neutral_band_changes_positions_passed_or_set():
    sentences = pd.DataFrame(
        {
            "sentence_id": [1, 2],
            "speaker": ["A", "A"],
            "polarity_adjusted": [0.15, 0.15],
            "themes": ["cooperation", "cooperation"],
        }
    )
    codebook = load_codebook()
    assert speaker_stances(sentences, codebook)["position"].tolist() == ["for"]
    wider = speaker_stances(sentences, codebook, neutral_band=0.2)
    assert wider["position"].tolist() == ["neutral"]
    assert sentiment.tone(0.15, 0.2) == "neutral" and sentiment.tone(0.15) == "positive"


def test_the_module_band_is_read_when_called(monkeypatch):
    sentences = pd.DataFrame(
        {"sentence_id": [1], "speaker": ["A"], "polarity_adjusted": [0.15], "themes": ["trade"]}
    )
    monkeypatch.setattr(sentiment, "NEUTRAL_BAND", 0.2)
    assert speaker_stances(sentences, load_codebook())["position"].tolist() == ["neutral"]
    assert sentiment.tone(0.15) == "neutral" and sentiment.tone_strength(0.15) == "none"


def test_the_agreement_figure_draws_the_measured_floor():
    human = pd.Series(["negative"] * 8 + ["neutral"] + ["positive"] * 10)
    assert plots.majority_floor(human) == ("positive", pytest.approx(10 / 19))
    assert round(plots.majority_floor(human)[1], 2) == 0.53
    scored = pd.DataFrame({"tone": human.where(human.index < 14, "neutral"), "tone_raw": human})
    summary = plots.agreement_summary(human, scored, {"tone": "news", "tone_raw": "perfect"})
    assert summary.loc["perfect", "accuracy"] == 1.0 and summary["n"].dtype.kind == "i"
    assert summary.loc["news", "accuracy"] == round(14 / 19, 3)
    unseen = pd.Series(["negative"] * 45 + ["neutral"] * 30 + ["positive"] * 25)
    unseen_scored = pd.DataFrame(
        {"tone": unseen.where(unseen.index < 60, "neutral"), "tone_raw": unseen}
    )
    fig = plots.agreement_figure(
        [
            (
                "unseen",
                plots.agreement_summary(unseen, unseen_scored, {"tone": "news"}),
                plots.majority_floor(unseen),
            ),
            ("this article, in-sample", summary, plots.majority_floor(human)),
        ]
    )
    ax = fig.axes[0]
    floors = sorted(
        round(line.get_xdata()[0], 3) for line in ax.lines if line.get_linestyle() == "--"
    )
    assert floors == [0.45, round(10 / 19, 3)]  # no "one in three" line
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "unseen: always negative (0.45)" in legend
    assert "this article, in-sample: always positive (0.53)" in legend
    labels = [t.get_text() for t in ax.texts]
    assert any(t.startswith("0.75 (κ ") for t in labels)  # 75 of 100 unseen sentences right
    assert any(t.startswith(f"{14 / 19:.2f} (κ ") for t in labels)


def test_long_articles_get_readable_sentence_and_paragraph_axes(tables):
    figures = dict(every_figure(tables))
    assert len(tables["sentences"]) > 100 and tables["sentences"]["paragraph_id"].nunique() > 40
    for stem in ("01_sentence_lengths", "04_themes_by_paragraph"):
        ticks = figures[stem].axes[0].get_xticklabels()
        assert 10 <= len(ticks) <= plots.MAX_TICKS, (stem, len(ticks))
    first = figures["01_sentence_lengths"].axes[0].get_xticklabels()[0].get_text()
    assert first == "1\n¶1"  # each label names its sentence and its paragraph
