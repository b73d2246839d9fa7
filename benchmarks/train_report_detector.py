"""Train the report detector (``presse.quotes.detector``) on the development quote sets.

    .venv/bin/python benchmarks/train_report_detector.py --collect  # 1. every dev reporting verb
    .venv/bin/python benchmarks/train_report_detector.py --cv       # the choice: leave one set out
    .venv/bin/python benchmarks/train_report_detector.py            # 2. fit, write the model

1. ``--collect`` runs the sieves (without the detector and without the speaker ranker) on every
   article of the francophone development sets (``quotes_benchmark.SETS`` whose role is
   ``development`` and that annotate indirect reports: fnews dev1 … dev6; never the G7 article,
   never a test set). Every reporting verb the indirect-speech sieve met is a candidate, with the
   span proposed as its content; it is labelled a report when that span covers at least half of
   a gold report, or a gold report covers at least half of it, and the annotator's cue of that
   report, if any, holds the verb (so that a verb inside someone else's report is not one). It
   writes ``data/models/report_detector_candidates.csv``: set, article, offsets, the gold report it
   covers (its row number in the set's file, or -1), label and the features (no text: the
   corpus is copyrighted). About two minutes.
2. Without options it fits the model on that file (penalty ``L2``, threshold ``THRESHOLD``,
   both chosen with ``--cv``) and writes ``data/models/report_detector.json``. The same
   candidates file gives the same bytes.

``--cv`` prints, for each penalty of ``GRID`` and threshold of ``THRESHOLDS``, the held-out
precision of the kept candidates and the share of the gold reports they cover, beside the
sieve's own rule, per set and pooled. ``--held-out`` runs the pipeline end to end on each
development set, once with a detector fitted on the other sets (``L2``, ``THRESHOLD``) and once
with the sieve's own rule, and prints the benchmark's figures (direct speaker; report precision,
recall and speaker), per set and pooled. About eight minutes.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quotes_benchmark import SETS, evaluate_articles, load_gold

import presse.quotes.runner
from presse.codebooks import MODELS, REPORT_DETECTOR
from presse.evaluation import quote_scores
from presse.loading import read_article
from presse.parsing import load_model, parse_article
from presse.quotes import attribute_quotes
from presse.quotes.detector import (
    FEATURES,
    fit_detector,
    lemma_counts,
    report_probabilities,
    with_lemma_rates,
)

CANDIDATES = MODELS / "report_detector_candidates.csv"
GRID = (0.001, 0.01, 0.03)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
L2 = 0.001
THRESHOLD = 0.3
COVER = 0.5


def covered_gold(start: float, end: float, verb: str, gold: pd.DataFrame) -> int:
    """The index of the gold report the span ``start:end`` covers and whose cue, if the
    annotator wrote one, holds the verb's word (see the module docstring), or -1."""
    if pd.isna(start):
        return -1
    best, best_overlap = -1, 0
    for g in gold.itertuples():
        overlap = min(end, g.end) - max(start, g.start)
        cue = re.findall(r"\w+", str(g.cue).lower())
        if overlap <= 0 or (cue and verb not in cue):
            continue
        if overlap >= COVER * (g.end - g.start) or overlap >= COVER * (end - start):
            if overlap > best_overlap:
                best, best_overlap = g.Index, overlap
    return best


def development_sets():
    """(name, gold, ids, corpus) of the development sets that annotate indirect reports."""
    for name, path, corpus, role in SETS:
        if role != "development" or not corpus.is_dir() or not path.exists():
            continue
        gold, ids = load_gold(path)
        if (gold["type"] == "indirect").any():
            yield name, gold, ids, corpus


def collect(nlp) -> pd.DataFrame:
    """The labelled reporting verbs of every development article (see the module docstring)."""
    rows = []
    for name, gold, ids, corpus in development_sets():
        for article_id in ids:
            article = read_article(corpus / f"{article_id}.txt")
            docs = parse_article(article, nlp)
            tables = attribute_quotes(docs, article.text, ranker=False, detector="collect")
            g = gold[(gold["article_id"].astype(str) == str(article_id))]
            g = g[g["type"] == "indirect"]
            cand = tables["report_candidates"]
            verbs = [re.match(r"\w+", article.text[c:]).group(0).lower() for c in cand["cue_start"]]
            hits = [covered_gold(s, e, v, g) for s, e, v in zip(cand["start"], cand["end"], verbs)]
            rows.append(
                cand.assign(
                    set=name,
                    article=str(article_id),
                    gold=hits,
                    label=[int(h >= 0) for h in hits],
                    sieve_keeps=report_kept_by_sieve(cand, tables["quotes"]),
                )
            )
        print(f"{name}: collected", file=sys.stderr)
    table = pd.concat(rows, ignore_index=True)
    columns = ["set", "article", "sentence", "cue_start", "start", "end", "lemma", "gold", "label"]
    return table[[*columns, "sieve_keeps", *FEATURES]]


def report_kept_by_sieve(cand: pd.DataFrame, quotes: pd.DataFrame) -> list[int]:
    """1 where the sieve's own rule kept the verb's report (a found report starts there)."""
    starts = set(quotes.loc[quotes["type"] == "indirect", "start"])
    return [int(s in starts) for s in cand["start"]]


def gold_counts() -> dict[str, int]:
    """The number of gold reports of each development set."""
    return {
        name: int((gold["type"] == "indirect").sum()) for name, gold, _, _ in development_sets()
    }


def scores(table: pd.DataFrame, kept: np.ndarray, n_gold: int) -> tuple[float, float, int]:
    """Precision of the kept candidates, share of the gold reports they cover, and how many."""
    kept_rows = table[kept]
    precision = kept_rows["label"].mean() if len(kept_rows) else 0.0
    covered = kept_rows.loc[kept_rows["gold"] >= 0, ["article", "gold"]].drop_duplicates()
    return precision, len(covered) / n_gold if n_gold else 0.0, int(kept.sum())


def prepared(train: pd.DataFrame) -> pd.DataFrame:
    """Training rows with their lemma rates, each set's from the other sets (a row's own label
    never counts towards its own lemma's rate)."""
    parts = []
    for s in train["set"].unique():
        inside, others = train[train["set"] == s], train[train["set"] != s]
        counts = lemma_counts(others["lemma"], others["label"])
        parts.append(with_lemma_rates(inside, inside["lemma"], counts))
    return pd.concat(parts).loc[train.index]


def held_out_probabilities(table: pd.DataFrame, l2: float) -> np.ndarray:
    """Each set's probabilities from a model (weights and lemma counts) fitted on the others."""
    p = np.zeros(len(table))
    for s in table["set"].unique():
        train, test = table[table["set"] != s], table[table["set"] == s]
        w = fit_detector(prepared(train), train["label"], l2=l2)
        scored = with_lemma_rates(test, test["lemma"], lemma_counts(train["lemma"], train["label"]))
        p[(table["set"] == s).to_numpy()] = report_probabilities(scored, w)
    return p


def cross_validate(table: pd.DataFrame) -> None:
    """Leave one set out, for each penalty and threshold (see the module docstring)."""
    n_gold = gold_counts()
    sets = sorted(table["set"].unique())
    total = sum(n_gold[s] for s in sets)
    rule = [
        scores(
            table[table["set"] == s],
            table.loc[table["set"] == s, "sieve_keeps"].to_numpy(bool),
            n_gold[s],
        )
        for s in sets
    ]
    pooled_rule = scores(table, table["sieve_keeps"].to_numpy(bool), total)
    print(
        f"sieve's rule: precision {pooled_rule[0]:.3f}  gold covered {pooled_rule[1]:.3f}  "
        + "  ".join(f"{s} {r[1]:.2f}" for s, r in zip(sets, rule))
    )
    for l2 in GRID:
        p = held_out_probabilities(table, l2)
        for threshold, union in ((t, u) for u in (False, True) for t in THRESHOLDS):
            kept = p >= threshold
            if union:
                kept = kept | table["sieve_keeps"].to_numpy(bool)
            per_set = [
                scores(table[table["set"] == s], kept[(table["set"] == s).to_numpy()], n_gold[s])
                for s in sets
            ]
            pooled = scores(table, kept, total)
            f1 = 2 * pooled[0] * pooled[1] / (pooled[0] + pooled[1]) if sum(pooled[:2]) else 0
            print(
                f"l2 {l2:<6} threshold {threshold:.2f}{' or rule' if union else ''}: "
                f"precision {pooled[0]:.3f}  gold covered {pooled[1]:.3f}  F1 {f1:.3f}  "
                + "  ".join(f"{s} {r[1]:.2f}" for s, r in zip(sets, per_set))
            )


def held_out_end_to_end(table: pd.DataFrame, nlp) -> None:
    """The benchmark's figures on each development set, with a detector fitted on the others
    and with the sieve's own rule (see the module docstring)."""
    for mode in ("detector", "rule"):
        directs, reports = [], []
        for name, gold, ids, corpus in development_sets():
            train = table[table["set"] != name]
            model = dict(
                features=FEATURES,
                weights=fit_detector(prepared(train), train["label"], l2=L2),
                threshold=THRESHOLD,
                lemmas=lemma_counts(train["lemma"], train["label"]),
            )
            presse.quotes.runner.load_report_detector = (
                (lambda m=model: m) if mode == "detector" else (lambda: None)
            )
            articles = {a: corpus / f"{a}.txt" for a in ids}
            direct, indirect = evaluate_articles(articles, gold, nlp)
            directs.append(direct)
            reports.append(indirect)
            print_held_out(f"{name} {mode}", direct, indirect)
        print_held_out(f"pooled {mode}", pd.concat(directs), pd.concat(reports))


def print_held_out(label: str, direct: pd.DataFrame, indirect: pd.DataFrame) -> None:
    d, i = quote_scores(direct), quote_scores(indirect)
    print(
        f"{label}: direct speaker {d['speaker_accuracy']:.3f} | reports precision "
        f"{i['precision']:.3f} recall {i['recall']:.3f} speaker {i['speaker_accuracy']:.3f} "
        f"of {i['speakers_judged']}",
        flush=True,
    )


def fit(table: pd.DataFrame) -> dict:
    """The model written to ``data/models/report_detector.json``."""
    weights = fit_detector(prepared(table), table["label"], l2=L2)
    counts = lemma_counts(table["lemma"], table["label"])
    return dict(
        features=FEATURES,
        weights=[round(float(w), 6) for w in weights],
        threshold=THRESHOLD,
        lemmas=dict(sorted(counts.items())),
        l2=L2,
        trained_on=sorted(table["set"].unique().tolist()),
        candidates=int(len(table)),
        positives=int(table["label"].sum()),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collect", action="store_true")
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--held-out", action="store_true")
    args = parser.parse_args(argv)
    if args.collect:
        table = collect(load_model())
        table.to_csv(CANDIDATES, index=False, float_format="%.6g")
        print(f"{len(table)} candidates, {int(table['label'].sum())} reports -> {CANDIDATES}")
        return 0
    if not CANDIDATES.exists():
        print(f"{CANDIDATES} not found: run with --collect first", file=sys.stderr)
        return 2
    table = pd.read_csv(CANDIDATES, dtype={"article": str})
    if args.cv:
        cross_validate(table)
        return 0
    if args.held_out:
        held_out_end_to_end(table, load_model())
        return 0
    model = fit(table)
    REPORT_DETECTOR.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"weights of {len(FEATURES)} features, threshold {THRESHOLD} -> {REPORT_DETECTOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
