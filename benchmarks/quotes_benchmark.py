"""Benchmark of quote extraction and attribution against the hand annotations.

    .venv/bin/python benchmarks/quotes_benchmark.py [--details] [--sets A,B,…] [--model NAME]
    .venv/bin/python benchmarks/quotes_benchmark.py --write-precision
    .venv/bin/python benchmarks/quotes_benchmark.py --first-run SET

Prints, for each annotated set and pooled: direct quotes (precision, recall, F1), their speaker
accuracy, indirect reports (recall, precision) and their speaker accuracy, each accuracy with its
95% Wilson interval; then, pooled over the development sets, the precision of every sieve and the
precision and coverage of each confidence level; for a set named as a test, the same on it alone.

- ``--write-precision`` writes ``data/codebook/sieve_precision.csv`` from the development sets
  (the confidence of each attribution is derived from it; see ``presse.quotes.confidence``).
- ``--first-run SET`` runs one set never run before and records its figures, with the commit
  they replay at, in ``data/annotations/quote_first_runs.csv`` (the tree must be committed).
  A test set is skipped until its first run is recorded.
- ``--model`` parses with another spaCy model (``fr_core_news_md`` to compare); with
  ``--details`` every error is listed; ``--sieves-only`` leaves the speaker ranker and the report
  detector out (the sieves' choices and the indirect-speech sieve's own rule stand), to compare.

The Wikinews sets need ``../shared/corpora/wikinews-fr-2012`` and the ``fnews`` sets
``../shared/corpora/francophone-news-2018``; each is skipped when its corpus is absent.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from presse.codebooks import SIEVE_PRECISION
from presse.evaluation import (
    compare_sentences,
    confidence_scores,
    locate_gold_quotes,
    match_quotes,
    match_reports,
    quote_scores,
    read_offset_gold,
    sieve_precision,
)
from presse.loading import read_article
from presse.parsing import load_model
from presse.pipeline import analyze_article

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
SHARED = ROOT.parent / "shared" / "corpora"
WIKINEWS = SHARED / "wikinews-fr-2012" / "articles"
FNEWS = SHARED / "francophone-news-2018" / "articles"
FIXTURES = ROOT / "tests" / "fixtures" / "quotes"
FIRST_RUNS = ANNOTATIONS / "quote_first_runs.csv"

#: (name, annotation file, corpus folder, role). A test set is never used to change a rule.
SETS = [
    *(
        (f"wikinews_{x}", ANNOTATIONS / f"wikinews_direct_quotes_{x}.csv", WIKINEWS, "development")
        for x in "abcdefg"
    ),
    ("fnews_dev1", ANNOTATIONS / "fnews_quotes_dev1.csv", FNEWS, "development"),
    ("fnews_dev2", ANNOTATIONS / "fnews_quotes_dev2.csv", FNEWS, "development"),
    ("fnews_dev3", ANNOTATIONS / "fnews_quotes_dev3.csv", FNEWS, "development"),
    ("fnews_dev4", ANNOTATIONS / "fnews_quotes_dev4.csv", FNEWS, "development"),
    ("fnews_test", ANNOTATIONS / "fnews_quotes_test.csv", FNEWS, "test"),
    ("fnews_test2", ANNOTATIONS / "fnews_quotes_test2.csv", FNEWS, "test"),
    ("fnews_dev5", ANNOTATIONS / "fnews_quotes_dev5.csv", FNEWS, "development"),
    ("fnews_test3", ANNOTATIONS / "fnews_quotes_test3.csv", FNEWS, "test"),
    ("fnews_dev6", ANNOTATIONS / "fnews_quotes_dev6.csv", FNEWS, "development"),
    ("fnews_test4", ANNOTATIONS / "fnews_quotes_test4.csv", FNEWS, "test"),
    ("fnews_dev7", ANNOTATIONS / "fnews_quotes_dev7.csv", FNEWS, "development"),
    ("fnews_test5", ANNOTATIONS / "fnews_quotes_test5.csv", FNEWS, "test"),
    ("fnews_test6", ANNOTATIONS / "fnews_quotes_test6.csv", FNEWS, "test"),
    ("fnews_test7", ANNOTATIONS / "fnews_quotes_test7.csv", FNEWS, "test"),
]


def load_gold(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The gold rows of a set and the ids of all its articles (with or without quotes)."""
    ids = sorted(set(pd.read_csv(path, dtype={"article_id": str})["article_id"]))
    if path.name.startswith("fnews_"):
        return read_offset_gold(path), ids
    gold = pd.read_csv(path, dtype={"article_id": str})
    return gold[gold["quote_starts_with"].notna()].assign(type="direct"), ids


def evaluate_articles(articles: dict[str, Path], gold: pd.DataFrame, nlp):
    """Direct and indirect match tables over the articles of one set."""
    direct, indirect = [], []
    for article_id, path in articles.items():
        article = read_article(path)
        tables = analyze_article(article, nlp)
        rows = gold[gold["article_id"].astype(str) == str(article_id)]
        if "start" not in rows:
            rows = locate_gold_quotes(rows, article.text)
        direct.append(
            match_quotes(tables["quotes"], rows, tables["speakers"]).assign(article=article_id)
        )
        if (rows["type"] == "indirect").any():
            found = match_reports(tables["quotes"], rows, tables["speakers"])
            indirect.append(found.assign(article=article_id))
    direct = pd.concat(direct, ignore_index=True)
    indirect = pd.concat(indirect, ignore_index=True) if indirect else pd.DataFrame()
    return direct, indirect


#: The scores of :func:`presse.evaluation.quote_scores` kept per kind, under these names.
SCORES = dict(
    gold="gold",
    f1="f1",
    precision="precision",
    recall="recall",
    speaker="speaker_accuracy",
    speaker_interval="speaker_interval",
    judged="speakers_judged",
)


def summary(direct: pd.DataFrame, indirect: pd.DataFrame) -> dict:
    """``direct_<score>`` and, when the set has indirect reports, ``indirect_<score>``."""
    out = {}
    for kind, matches in (("direct", direct), ("indirect", indirect)):
        if len(matches):
            scores = quote_scores(matches)
            out.update({f"{kind}_{name}": scores[key] for name, key in SCORES.items()})
    return out


def print_summary(name: str, n_articles: int, s: dict) -> None:
    low, high = s["direct_speaker_interval"]
    print(f"{name}: {n_articles} articles")
    print(
        f"  direct     {s['direct_gold']:4d} gold  P {s['direct_precision']:.2f}  "
        f"R {s['direct_recall']:.2f}  F1 {s['direct_f1']:.2f}   speaker "
        f"{s['direct_speaker']:.2f} [{low:.2f}–{high:.2f}] on {s['direct_judged']}"
    )
    if "indirect_gold" in s:
        low, high = s["indirect_speaker_interval"]
        print(
            f"  indirect   {s['indirect_gold']:4d} gold  P {s['indirect_precision']:.2f}  "
            f"R {s['indirect_recall']:.2f}            speaker "
            f"{s['indirect_speaker']:.2f} [{low:.2f}–{high:.2f}] on {s['indirect_judged']}"
        )


def print_details(direct: pd.DataFrame, indirect: pd.DataFrame) -> None:
    both = pd.concat([direct.assign(kind="direct"), indirect.assign(kind="indirect")])
    wrong = both[(both["status"] != "matched") | (both["speaker_ok"] == False)]  # noqa: E712
    columns = ["article", "kind", "status", "quote", "gold_speaker", "predicted_speaker", "rule"]
    with pd.option_context("display.width", 250, "display.max_colwidth", 70):
        print(wrong[columns].to_string(index=False))


def print_levels(matches: pd.DataFrame, title: str) -> None:
    print(f"  {title}")
    for r in confidence_scores(matches).itertuples():
        print(
            f"    {r.confidence:<7} {r.right:4d} of {r.quotes:4d} right  "
            f"precision {r.precision:.2f} [{r.low:.2f}–{r.high:.2f}]  coverage {r.coverage:.2f}"
        )


def recorded_first_runs() -> pd.DataFrame:
    if FIRST_RUNS.exists():
        return pd.read_csv(FIRST_RUNS, dtype=str)
    return pd.DataFrame(columns=["set"])


def record_first_run(name: str, s: dict) -> None:
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "src", "data/codebook"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if dirty:
        raise SystemExit("commit src/ and data/codebook/ first: a first run must replay")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    row = dict(
        set=name,
        date=datetime.date.today().isoformat(),
        commit=commit,
        direct_gold=s["direct_gold"],
        direct_f1=round(s["direct_f1"], 3),
        direct_speaker=round(s["direct_speaker"], 3),
        direct_judged=s["direct_judged"],
        indirect_gold=s.get("indirect_gold", ""),
        indirect_recall=round(s.get("indirect_recall", 0.0), 3),
        indirect_speaker=round(s.get("indirect_speaker", 0.0), 3),
        indirect_judged=s.get("indirect_judged", ""),
    )
    table = pd.concat([recorded_first_runs(), pd.DataFrame([row]).astype(str)], ignore_index=True)
    table.to_csv(FIRST_RUNS, index=False, lineterminator="\n")
    print(f"first run of {name} recorded in {FIRST_RUNS.name} at {commit}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--sets", help="comma-separated set names (default: every set)")
    parser.add_argument("--model", default=None, help="spaCy model (default fr_core_news_sm)")
    parser.add_argument("--write-precision", action="store_true")
    parser.add_argument("--first-run", metavar="SET")
    parser.add_argument(
        "--sieves-only",
        action="store_true",
        help="without the speaker ranker and the report detector (to compare)",
    )
    args = parser.parse_args(argv)
    if args.sieves_only:
        if args.first_run or args.write_precision:
            raise SystemExit(
                "--sieves-only is a comparison: not with --first-run or --write-precision"
            )
        import presse.quotes.runner

        presse.quotes.runner.load_speaker_ranker = lambda: None
        presse.quotes.runner.load_report_detector = lambda: None
    started = time.perf_counter()
    nlp = load_model(args.model) if args.model else load_model()
    print(
        f"model {nlp.meta['name']} {nlp.meta['version']} loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )

    if not args.sets and not args.first_run and not args.write_precision:
        g7 = ROOT / "data" / "raw" / "g7_crime_organise_fr.txt"
        direct, _ = evaluate_articles(
            {"g7_crime_organise_fr": g7},
            load_gold(ANNOTATIONS / "g7_direct_quotes.csv")[0],
            nlp,
        )
        print_summary("G7 article (rules written with it in view)", 1, summary(direct, _))
        tables = analyze_article(read_article(g7), nlp)
        compared = compare_sentences(
            tables["sentences"], pd.read_csv(ANNOTATIONS / "g7_sentences.csv"), tables["speakers"]
        )
        print(
            f"  sentences  speaker agrees {compared['speaker_agrees'].mean():.2f}, "
            f"quote type agrees {compared['type_agrees'].mean():.2f} (n={len(compared)})"
        )
        fixtures = {p.stem: p for p in sorted(FIXTURES.glob("*.txt"))}
        gold, _ = load_gold(FIXTURES / "direct_quotes.csv")
        direct, _ = evaluate_articles(fixtures, gold, nlp)
        print_summary("own fixtures (one pattern each)", len(fixtures), summary(direct, _))

    done = set(recorded_first_runs()["set"])
    wanted = set(args.sets.split(",")) if args.sets else None
    if args.first_run:
        if args.first_run in done:
            raise SystemExit(f"{args.first_run} has had its first run already ({FIRST_RUNS.name})")
        wanted = {args.first_run}
    pooled = {"development": ([], []), "test": ([], [])}
    for name, path, corpus, role in SETS:
        if wanted is not None and name not in wanted:
            continue
        if args.write_precision and role != "development":
            continue
        if role == "test" and name not in done and args.first_run != name:
            print(f"{name}: a test set not yet run; skipped (run it once with --first-run)")
            continue
        if not corpus.is_dir():
            print(f"{name}: skipped, {corpus} not found")
            continue
        if not path.exists():
            print(f"{name}: skipped, {path.name} not annotated yet")
            continue
        gold, ids = load_gold(path)
        direct, indirect = evaluate_articles({i: corpus / f"{i}.txt" for i in ids}, gold, nlp)
        s = summary(direct, indirect)
        print_summary(f"{name} ({role})", len(ids), s)
        if args.details:
            print_details(direct, indirect)
        pooled[role][0].append(direct.assign(set=name))
        if len(indirect):
            pooled[role][1].append(indirect.assign(set=name))
        if args.first_run == name:
            record_first_run(name, s)

    for role, (directs, indirects) in pooled.items():
        if not directs:
            continue
        direct = pd.concat(directs, ignore_index=True)
        indirect = pd.concat(indirects, ignore_index=True) if indirects else pd.DataFrame()
        print_summary(
            f"pooled {role} sets ({len(directs)})",
            direct["article"].nunique(),
            summary(direct, indirect),
        )
        both = pd.concat([direct, indirect], ignore_index=True)
        print_levels(direct, "confidence levels, direct quotes")
        if len(indirect):
            print_levels(both, "confidence levels, direct quotes and indirect reports")
        precision = sieve_precision(both)
        print(f"  precision per sieve ({role} sets, direct and indirect together)")
        for r in precision.itertuples():
            print(
                f"    {r.stage:<9}{r.sieve:<28}{r.right:4d} of {r.quotes:4d}  "
                f"{r.precision:.2f} [{r.low:.2f}–{r.high:.2f}]"
            )
        if args.write_precision and role == "development":
            precision.round(4).to_csv(SIEVE_PRECISION, index=False, lineterminator="\n")
            print(f"  written to {SIEVE_PRECISION.relative_to(ROOT)}")
    print(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
