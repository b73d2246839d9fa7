"""Benchmark of quote extraction and attribution against the hand annotations.

    .venv/bin/python benchmarks/quotes_benchmark.py [--details]

Prints, for each annotated set, direct-quote precision / recall / F1 and speaker accuracy (with
its 95% Wilson interval in brackets), and for
the G7 article the sentence-level agreement. The Wikinews sets (real articles; which of them the
rules were developed on is told in data/annotations/README.md) are skipped when
../shared/corpora/wikinews-fr-2012 is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from presse.evaluation import compare_sentences, locate_gold_quotes, match_quotes, quote_scores
from presse.loading import read_article
from presse.parsing import load_model
from presse.pipeline import analyze_article

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews-fr-2012" / "articles"
FIXTURES = ROOT / "tests" / "fixtures" / "quotes"


def evaluate_set(
    name, articles: dict[str, Path], gold: pd.DataFrame, nlp, details: bool, pooled=None
):
    all_matches = []
    for article_id, path in articles.items():
        article = read_article(path)
        tables = analyze_article(article, nlp)
        rows = gold[gold["article_id"].astype(str) == str(article_id)]
        rows = rows[rows["quote_starts_with"].notna()]  # a row without a quote: none in the article
        located = locate_gold_quotes(rows, article.text)
        matches = match_quotes(tables["quotes"], located, tables["speakers"])
        all_matches.append(matches.assign(article=article_id))
    matches = pd.concat(all_matches, ignore_index=True)
    if pooled is not None:
        pooled.append(matches)
    s = quote_scores(matches)
    print(
        f"{name}: {len(articles)} articles, {s['gold']} gold direct quotes, "
        f"{s['predicted']} predicted"
    )
    print(
        f"  direct quotes   precision {s['precision']:.2f}  recall {s['recall']:.2f}  "
        f"F1 {s['f1']:.2f}"
    )
    low, high = s["speaker_interval"]
    print(
        f"  speakers        accuracy {s['speaker_accuracy']:.2f} [{low:.2f}–{high:.2f}] on "
        f"{s['speakers_judged']} matched quotes; end to end {s['end_to_end']:.2f}"
    )
    if details:
        wrong = matches[(matches["status"] != "matched") | (matches["speaker_ok"] == False)]  # noqa: E712
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(
                wrong[
                    ["article", "status", "quote", "gold_speaker", "predicted_speaker", "rule"]
                ].to_string(index=False)
            )
    return s


def main() -> int:
    details = "--details" in sys.argv
    started = time.perf_counter()
    nlp = load_model()
    print(f"model loaded in {time.perf_counter() - started:.1f} s")

    g7 = ROOT / "data" / "raw" / "g7_crime_organise_fr.txt"
    evaluate_set(
        "G7 article (rules written with it in view)",
        {"g7_crime_organise_fr": g7},
        pd.read_csv(ANNOTATIONS / "g7_direct_quotes.csv"),
        nlp,
        details,
    )
    article = read_article(g7)
    tables = analyze_article(article, nlp)
    hand = pd.read_csv(ANNOTATIONS / "g7_sentences.csv")
    compared = compare_sentences(tables["sentences"], hand, tables["speakers"])
    print(
        f"  sentences       speaker agrees {compared['speaker_agrees'].mean():.2f}, "
        f"quote type agrees {compared['type_agrees'].mean():.2f} (n={len(compared)})"
    )

    fixtures = {p.stem: p for p in sorted(FIXTURES.glob("*.txt"))}
    if fixtures:
        evaluate_set(
            "own fixtures (written to exercise each pattern)",
            fixtures,
            pd.read_csv(FIXTURES / "direct_quotes.csv"),
            nlp,
            details,
        )

    if WIKINEWS.is_dir():
        pooled = []
        for path in sorted(ANNOTATIONS.glob("wikinews_direct_quotes_*.csv")):
            gold = pd.read_csv(path)
            ids = sorted(set(gold["article_id"].astype(str)))
            label = path.stem.rsplit("_", 1)[-1].upper()
            evaluate_set(
                f"Wikinews set {label} ({path.name}; see data/annotations/README.md)",
                {i: WIKINEWS / f"{i}.txt" for i in ids},
                gold,
                nlp,
                details,
                pooled,
            )
        s = quote_scores(pd.concat(pooled, ignore_index=True))
        low, high = s["speaker_interval"]
        print(
            f"Wikinews, all sets pooled: {s['gold']} gold direct quotes, F1 {s['f1']:.2f}, "
            f"speaker accuracy {s['speaker_accuracy']:.2f} [{low:.2f}–{high:.2f}] on "
            f"{s['speakers_judged']} matched quotes"
        )
    else:
        print(f"Wikinews sets skipped: {WIKINEWS} not found")
    print(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
