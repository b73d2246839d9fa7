"""Draw a new blind set of Wikinews sentences for the tone benchmark, ready to be labelled.

    .venv/bin/python benchmarks/draw_tone_sample.py SEED N OUT.csv [--exclude dev,test,...]

Splits every article of ../shared/corpora/wikinews-fr-2012 into sentences as the pipeline does,
keeps those of six words or more that no earlier set holds (by default every
data/annotations/wikinews_sentence_tone_*.csv; ``--exclude`` names the sets to leave out
instead, to redraw an old set), and samples N of them with SEED. OUT.csv has
``article_id, sentence_id, text`` and empty ``tone, note`` columns. Label them, commit, and
only then run the benchmark on them (data/annotations/README.md). Test sets 5 to 10 were drawn
this way: seeds 19, 23, 29, 31, 37 and 41, N = 100, each excluding dev and the earlier test
sets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from presse.loading import read_article
from presse.parsing import load_model, parse_article, sentences_table, tokens_table

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews-fr-2012" / "articles"
MIN_WORDS = 6


def corpus_sentences(folder: Path, nlp) -> pd.DataFrame:
    """Every sentence of every article in ``folder``: ``article_id, sentence_id, text``."""
    parts = []
    for path in sorted(folder.glob("*.txt")):
        article = read_article(path)
        tokens = tokens_table(parse_article(article, nlp), article.paragraphs)
        sentences = sentences_table(tokens, article.text)
        parts.append(sentences[["sentence_id", "text"]].assign(article_id=int(path.stem)))
    return pd.concat(parts, ignore_index=True)[["article_id", "sentence_id", "text"]]


def draw(sentences: pd.DataFrame, taken: pd.DataFrame, seed: int, n: int) -> pd.DataFrame:
    """``n`` sentences of ``MIN_WORDS`` words or more that ``taken`` does not hold, drawn with
    ``seed``, in reading order, with empty ``tone`` and ``note`` columns."""
    held = set(zip(taken["article_id"], taken["sentence_id"]))
    free = [(a, s) not in held for a, s in zip(sentences["article_id"], sentences["sentence_id"])]
    pool = sentences[pd.Series(free, index=sentences.index)]
    pool = pool[pool["text"].str.split().str.len() >= MIN_WORDS]
    if n > len(pool):
        raise SystemExit(f"only {len(pool)} sentences are left to draw from, not {n}")
    sample = pool.sample(n=n, random_state=seed).sort_values(["article_id", "sentence_id"])
    return sample.assign(tone="", note="")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Draw a blind set of Wikinews sentences.")
    parser.add_argument("seed", type=int)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--exclude", help="comma-separated sets to leave out (default: all)")
    args = parser.parse_args(argv)
    if not WIKINEWS.is_dir():
        print(f"{WIKINEWS} not found: the sample is drawn from that corpus", file=sys.stderr)
        return 2
    if args.exclude:
        names = args.exclude.split(",")
        files = [ANNOTATIONS / f"wikinews_sentence_tone_{name}.csv" for name in names]
    else:
        files = sorted(ANNOTATIONS.glob("wikinews_sentence_tone_*.csv"))
    taken = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    sample = draw(corpus_sentences(WIKINEWS, load_model()), taken, args.seed, args.n)
    sample.to_csv(args.out, index=False)
    print(f"{len(sample)} sentences written to {args.out} (seed {args.seed}, {len(taken)} held)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
