"""Train the speaker ranker (``presse.quotes.ranker``) on the development quote sets.

    .venv/bin/python benchmarks/train_speaker_ranker.py --collect  # 1. every dev quote's candidates
    .venv/bin/python benchmarks/train_speaker_ranker.py --cv        # the choice: leave one set out
    .venv/bin/python benchmarks/train_speaker_ranker.py             # 2. fit, write the model

1. ``--collect`` runs the sieves (without the ranker) on every article of the development sets
   (``quotes_benchmark.SETS`` whose role is ``development``: Wikinews A-G and francophone news
   dev1, dev2, dev3, dev4; never the G7 article, never a test set), pairs each found quote or
   report with its gold row as the benchmark does, and labels each candidate entity right or
   wrong with :func:`presse.evaluation.speaker_matches`. It writes
   ``data/models/speaker_ranker_candidates.csv``: set, article, quote id, type, entity key, label
   and the features (no text: the francophone corpus is copyrighted). About two minutes.
2. Without options it fits the model on that file (``L2`` below, chosen with ``--cv``), sets the
   confidence thresholds from leave-one-set-out probabilities (``high``: the lowest probability
   above which the held-out choices were right at least ``HIGH_TARGET`` of the time; ``low``:
   below which they were right less than ``LOW_TARGET``), and writes
   ``data/models/speaker_ranker.json``. The same candidates file gives the same bytes.

``--cv`` prints, for each penalty of ``GRID``, the held-out accuracy of the ranker's choice
beside the sieves' choice and the oracle (a right candidate among the candidates), per set.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quotes_benchmark import SETS, load_gold

from presse.codebooks import MODELS, SPEAKER_RANKER
from presse.evaluation import locate_gold_quotes, speaker_matches
from presse.loading import read_article
from presse.parsing import load_model, parse_article
from presse.quotes import attribute_quotes
from presse.quotes.ranker import (
    FEATURES,
    candidate_probabilities,
    choose,
    fit_ranker,
)

CANDIDATES = MODELS / "speaker_ranker_candidates.csv"
GRID = (0.001, 0.01, 0.03, 0.1)
L2 = 0.001
HIGH_TARGET = 0.95
MEDIUM_TARGET = 0.80
MIN_ABOVE = 30
AGREE_GRID = (0.8, 0.85, 0.9, 0.93, 0.95)
LOW_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
OVERRIDE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def gold_for_quotes(quotes: pd.DataFrame, gold: pd.DataFrame) -> dict[str, str]:
    """``quote_id -> gold speaker`` for found quotes and reports that match a gold row with a
    speaker (direct: the gold opening mark inside the found span; indirect: the largest overlap),
    each gold row used once, as :mod:`presse.evaluation` matches them."""
    out, used = {}, set()
    for kind in ("direct", "indirect"):
        found = quotes[quotes["type"] == kind]
        for g in gold[gold["type"] == kind].itertuples():
            if kind == "direct":
                hits = [p for p in found.itertuples() if p.start <= g.start < p.end]
            else:
                hits = sorted(
                    (p for p in found.itertuples() if p.start < g.end and g.start < p.end),
                    key=lambda p: -(min(p.end, g.end) - max(p.start, g.start)),
                )
            hit = next((p for p in hits if p.quote_id not in used), None)
            if hit is None:
                continue
            used.add(hit.quote_id)
            if isinstance(g.speaker, str) and g.speaker.strip():
                out[hit.quote_id] = g.speaker
    return out


def collect(nlp) -> pd.DataFrame:
    """The labelled candidates of every development quote (see the module docstring)."""
    rows = []
    for name, path, corpus, role in SETS:
        if role != "development" or not corpus.is_dir() or not path.exists():
            continue
        gold, ids = load_gold(path)
        for article_id in ids:
            article = read_article(corpus / f"{article_id}.txt")
            docs = parse_article(article, nlp)
            tables = attribute_quotes(docs, article.text, ranker=False)
            g = gold[gold["article_id"].astype(str) == str(article_id)]
            if "start" not in g:
                g = locate_gold_quotes(g, article.text)
            golden = gold_for_quotes(tables["quotes"], g)
            entities = tables["entities"].set_index("entity")
            cand = tables["candidates"]
            cand = cand[cand["quote_id"].isin(golden)]
            labels = [
                speaker_matches(entities.loc[e, "speaker"], entities.loc[e, "aliases"], golden[q])
                for e, q in zip(cand["entity"], cand["quote_id"])
            ]
            types = dict(zip(tables["quotes"]["quote_id"], tables["quotes"]["type"]))
            rows.append(
                cand.assign(
                    set=name,
                    article=str(article_id),
                    type=[types[q] for q in cand["quote_id"]],
                    label=np.array(labels, dtype=int),
                )
            )
        print(f"{name}: collected", file=sys.stderr)
    table = pd.concat(rows, ignore_index=True)
    table["group"] = table["set"] + "/" + table["article"] + "/" + table["quote_id"]
    return table[["set", "article", "quote_id", "type", "entity", "label", *FEATURES]]


def grouped(table: pd.DataFrame) -> pd.DataFrame:
    """The table with ``quote`` numbering each (set, article, quote) group, as the ranker wants."""
    keys = table["set"] + "/" + table["article"] + "/" + table["quote_id"]
    return table.assign(quote=pd.factorize(keys)[0])


def held_out(table: pd.DataFrame, l2: float) -> pd.DataFrame:
    """Leave one set out: each set's quotes chosen by a model fitted on the other sets. One row
    per quote: set, type, whether the ranker's choice, the sieves' choice and any candidate is
    right, the chosen candidate's probability, whether it is the sieves' choice, and the
    measured precision of the sieves' chain."""
    out = []
    for name in table["set"].unique():
        train, test = grouped(table[table["set"] != name]), grouped(table[table["set"] == name])
        w = fit_ranker(train, train["label"].to_numpy(), l2=l2)
        p = candidate_probabilities(test, w)
        best = choose(test, p).set_index("quote")
        for g, rows in test.groupby("quote"):
            chosen = rows[rows["entity"] == best.loc[g, "entity"]].iloc[0]
            rule = rows[rows["is_rule"] == 1]
            out.append(
                dict(
                    set=name,
                    type=rows["type"].iloc[0],
                    ranker=int(chosen["label"]),
                    rule=int(rule["label"].iloc[0]) if len(rule) else 0,
                    oracle=int(rows["label"].max()),
                    p=float(best.loc[g, "p"]),
                    agrees=int(chosen["is_rule"]),
                    chain=float(rule["rule_precision"].iloc[0]) if len(rule) else 0.0,
                )
            )
    return pd.DataFrame(out)


def with_override(results: pd.DataFrame, below: float) -> pd.DataFrame:
    """The held-out choices when the ranker may overrule only sieve chains measured less precise
    than ``below``: ``ranker`` (right or not) and ``agrees`` recomputed."""
    kept = (results["agrees"] == 0) & (results["chain"] >= below)
    return results.assign(
        ranker=np.where(kept, results["rule"], results["ranker"]),
        agrees=np.where(kept, 0, results["agrees"]),
    )


def override_threshold(results: pd.DataFrame) -> float:
    """The value of ``OVERRIDE_GRID`` with the best held-out accuracy (ties: the lowest, so that
    the ranker overrules fewer sieve chains)."""
    accuracy = {b: with_override(results, b)["ranker"].mean() for b in OVERRIDE_GRID}
    best = max(accuracy.values())
    return min(b for b, a in accuracy.items() if a >= best - 1e-9)


def thresholds(results: pd.DataFrame) -> dict[str, float]:
    """From the held-out choices: ``agree_high``, the lowest chain precision of ``AGREE_GRID``
    such that the choices agreeing with a sieve chain at least that precise were right at least
    HIGH_TARGET of the time (over at least MIN_ABOVE choices); ``low``, the lowest probability of
    ``LOW_GRID`` such that the other choices at or above it were right at least MEDIUM_TARGET of
    the time (those below it are the rows to read first)."""
    agree_high = 1.01
    for c in AGREE_GRID:
        chosen = results[(results["agrees"] == 1) & (results["chain"] >= c)]
        if len(chosen) >= MIN_ABOVE and chosen["ranker"].mean() >= HIGH_TARGET:
            agree_high = c
            break
    rest = results[~((results["agrees"] == 1) & (results["chain"] >= agree_high))]
    low = next(
        (t for t in LOW_GRID if rest[rest["p"] >= t]["ranker"].mean() >= MEDIUM_TARGET), 1.01
    )
    return {"agree_high": agree_high, "low": low}


def level_scores(results: pd.DataFrame, t: dict) -> dict:
    """Held-out precision and coverage of each level the thresholds give."""
    high = (results["agrees"] == 1) & (results["chain"] >= t["agree_high"])
    levels = np.where(high, "high", np.where(results["p"] < t["low"], "low", "medium"))
    out = {}
    for level in ("high", "medium", "low"):
        chosen = results[levels == level]
        out[level] = {
            "coverage": round(len(chosen) / max(len(results), 1), 3),
            "precision": round(float(chosen["ranker"].mean()), 3) if len(chosen) else None,
        }
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collect", action="store_true")
    parser.add_argument("--cv", action="store_true")
    args = parser.parse_args(argv)
    if args.collect:
        table = collect(load_model())
        table.to_csv(CANDIDATES, index=False, float_format="%.4f")
        print(
            f"{len(table)} candidates of {table.groupby(['set', 'article', 'quote_id']).ngroups}"
            f" quotes written to {CANDIDATES.relative_to(MODELS.parents[1])}"
        )
        return 0
    if not CANDIDATES.exists():
        print(f"{CANDIDATES} not found: run with --collect first", file=sys.stderr)
        return 2
    table = pd.read_csv(CANDIDATES, dtype={"article": str})
    if args.cv:
        for l2 in GRID:
            r = held_out(table, l2)
            print(f"L2 {l2}: held-out accuracy of the choice")
            summary = r.groupby(["set", "type"])[["rule", "ranker", "oracle"]].mean().round(3)
            summary["quotes"] = r.groupby(["set", "type"]).size()
            print(summary.to_string())
            pooled = r.groupby("type")[["rule", "ranker", "oracle"]].mean().round(3)
            print(pooled.to_string(), "\n")
        return 0
    table = table[table["type"] == "direct"]  # reports keep the sieves' choice (see --cv)
    raw = held_out(table, L2)
    below = override_threshold(raw)
    results = with_override(raw, below)
    t = grouped(table)
    weights = fit_ranker(t, t["label"].to_numpy(), l2=L2)
    cut = {"override_below": below, **thresholds(results)}
    model = {
        "features": FEATURES,
        "weights": [round(float(w), 6) for w in weights],
        "thresholds": cut,
        "held_out_levels": level_scores(results, cut),
        "l2": L2,
        "trained_on": sorted(table["set"].unique()),
        "quotes": int(t["quote"].nunique()),
        "held_out_accuracy": {
            k: round(float(v), 4) for k, v in results.groupby("type")["ranker"].mean().items()
        },
        "held_out_rule_accuracy": {
            k: round(float(v), 4) for k, v in results.groupby("type")["rule"].mean().items()
        },
    }
    SPEAKER_RANKER.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in model.items() if k != "weights"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
