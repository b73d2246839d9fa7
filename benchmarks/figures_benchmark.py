"""How the collection's figures scale with the number of speakers: time to draw and save each one,
its size as saved, and the peak memory of the process.

    .venv/bin/python benchmarks/figures_benchmark.py [--speakers 5 30 100] [--sentences-each 6]

Each run builds a made-up article (``--speakers`` speakers with ``--sentences-each`` sentences
each, tones in [-1, 1], themes in rotation), draws every figure of :mod:`presse.plots` from it
and saves it in a temporary folder. Prints one line per figure and speaker count:
``speakers, figure, seconds, width x height px``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

from presse import plots  # noqa: E402
from presse.stances import speaker_stances  # noqa: E402
from presse.themes import load_codebook  # noqa: E402


def made_up_tables(speakers: int, each: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Sentences, quotes and stances of a made-up article (see the module docstring)."""
    rng = np.random.default_rng(seed)
    codebook = load_codebook()
    themes = list(codebook["theme_id"])
    rows, quotes = [], []
    for k in range(speakers):
        for j in range(each):
            sid = len(rows) + 1
            rows.append(
                (
                    sid,
                    sid // 4 + 1,
                    f"speaker {k:03d}",
                    float(rng.uniform(-1, 1)),
                    themes[(k + j) % len(themes)],
                )
            )
            quotes.append((f"speaker {k:03d}", "direct" if j % 2 else "indirect", 8, "medium"))
    sentences = pd.DataFrame(
        rows, columns=["sentence_id", "paragraph_id", "speaker", "polarity_adjusted", "themes"]
    ).assign(n_adjusted=2)
    sentences = sentences.assign(
        polarity=sentences["polarity_adjusted"] / 2, polarity_vader=-sentences["polarity_adjusted"]
    )
    stances = speaker_stances(sentences, codebook, fights=set(range(1, len(rows), 7)))
    quotes = pd.DataFrame(quotes, columns=["speaker", "type", "words", "confidence"])
    return {"sentences": sentences, "quotes": quotes, "stances": stances, "codebook": codebook}


def figures(tables: dict[str, pd.DataFrame]):
    """Yield ``(stem, function drawing the figure)`` for every figure of presse.plots."""
    sentences, stances, codebook = tables["sentences"], tables["stances"], tables["codebook"]
    labels = dict(zip(codebook["theme_id"], codebook["label_en"]))
    present = [t for t in codebook["theme_id"] if t in set(stances["theme_id"])]
    readings = [("polarity", "raw"), ("polarity_vader", "VADER"), ("polarity_adjusted", "news")]
    human = pd.Series(["negative", "neutral", "positive"] * 30)
    scored = pd.DataFrame({"tone": human.sample(frac=1, random_state=1).to_numpy()})
    yield (
        "02_share_of_voice",
        lambda: plots.share_of_voice_figure(plots.share_of_voice(tables["quotes"])),
    )
    yield "03_sentiment_arc", lambda: plots.sentiment_arc_figure(sentences, readings)
    yield (
        "03_agreement",
        lambda: plots.agreement_figure(
            [
                (
                    "made up",
                    plots.agreement_summary(human, scored, {"tone": "news"}),
                    plots.majority_floor(human),
                )
            ]
        ),
    )
    yield "03_speaker_tone", lambda: plots.speaker_tone_figure(plots.speaker_tone_table(sentences))
    yield (
        "05_speaker_theme_heatmap",
        lambda: plots.speaker_theme_heatmap(
            *plots.speaker_theme_shares(stances, sentences, present), labels
        ),
    )
    yield (
        "05_stance_profile",
        lambda: plots.stance_profile_figure(
            stances, plots.speaker_order(sentences), present, labels
        ),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speakers", type=int, nargs="+", default=[5, 30, 100])
    parser.add_argument("--sentences-each", type=int, default=6)
    args = parser.parse_args(argv)
    plots.use_house_style()
    print("speakers  figure                      seconds  size (px)")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.speakers:
            tables = made_up_tables(n, args.sentences_each)
            for stem, draw in figures(tables):
                start = time.perf_counter()
                png, _ = plots.save_figure(draw(), stem, Path(folder))
                seconds = time.perf_counter() - start
                plt.close("all")
                with Image.open(png) as image:
                    width, height = image.size
                print(f"{n:8d}  {stem:26s}  {seconds:7.2f}  {width} x {height}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
