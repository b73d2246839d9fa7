"""Draw the annotation sets of the francophone news corpus
(``../shared/corpora/francophone-news-2018``).

    .venv/bin/python benchmarks/draw_fnews_sample.py articles OUT_DIR
    .venv/bin/python benchmarks/draw_fnews_sample.py sentences OUT_DIR

``articles`` draws the article lists of the quote sets: a blind test set first (seed 199, five
articles from each of the five strata below), then three development sets (seeds 101, 102, 103,
four per stratum), then a second blind test set (seed 299, five per stratum) and a fourth
development set (seed 104, four per stratum), then a third test set (seed 399) and a fifth
development set (seed 105), then a fourth test set (seed 499) and a sixth development set (seed
106), then a fifth test set (seed 599) and a seventh development set (seed 107), then a sixth test
set (seed 699) and a seventh test set (seed 799), all disjoint. The strata spread the sets over
outlets and over protest coverage and ordinary news: ``ca`` (Quebec, gilets jaunes), ``cax``
(Quebec, other news), ``dh`` (La DH, gilets jaunes), ``dhx`` (La DH, other news), ``ll`` (La
Libre Belgique, gilets jaunes). An article is
drawn only if it has 150 to 900 words and at least two quotation marks (« » “ ” or "), so that most
hold speech. OUT_DIR gets ``fnews_quotes_<set>_articles.txt``.

``sentences`` draws the sentences of the tone sets. The articles not used by a quote set are
split in two by seed 301: one article in five is a test article. From the test articles, 250
sentences are drawn (seed 399) for the blind tone test; from the others, three development sets
of 250 (seeds 311, 312, 313). A sentence is cut as the pipeline cuts it (the rule-based splitter,
paragraph by paragraph) and has six words or more. OUT_DIR gets
``fnews_sentence_tone_<set>.csv`` with ``article_id, start, end, first_words`` and empty
``tone, note``: offsets into the article file and at most its first eight words
(``presse.evaluation.excerpt``), never the text
(the corpus is copyrighted: see its README).

Nothing here reads an annotation or runs a method: the draws depend only on the corpus and the
seeds, so they can be redrawn exactly.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

from presse.evaluation import excerpt
from presse.loading import read_article
from presse.parsing import load_model, tokenize_with_splits

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "francophone-news-2018"
STRATA = ("ca", "cax", "dh", "dhx", "ll")
QUOTE_SETS = (("test", 199, 5), ("dev1", 101, 4), ("dev2", 102, 4), ("dev3", 103, 4))
# drawn after the first four, from the articles they left: the later blind tests of issue 14
# and more development sets; the tone sets ignore them, so
# that adding them changed no tone draw
LATER_QUOTE_SETS = (
    ("test2", 299, 5), ("dev4", 104, 4), ("test3", 399, 5), ("dev5", 105, 4),
    ("test4", 499, 5), ("dev6", 106, 4), ("test5", 599, 5), ("dev7", 107, 4),
    ("test6", 699, 5), ("test7", 799, 5),
)
TONE_SETS = (("test", 399), ("dev1", 311), ("dev2", 312), ("dev3", 313))
TONE_SET_SIZE = 250
MIN_WORDS = 6
MARKS = "«»“”\""


def stratum(article_id: str) -> str:
    """``ca0011`` -> ``ca``, ``dhx0203`` -> ``dhx``."""
    return article_id.rstrip("0123456789")


def draw_articles(catalogue: pd.DataFrame) -> dict[str, list[str]]:
    """The article ids of each quote set (see the module docstring)."""
    eligible = {}
    for row in catalogue.itertuples():
        text = (CORPUS / "articles" / f"{row.id}.txt").read_text(encoding="utf-8")
        if 150 <= int(row.words) <= 900 and sum(text.count(m) for m in MARKS) >= 2:
            eligible.setdefault(stratum(row.id), []).append(row.id)
    taken: set[str] = set()
    sets = {}
    for name, seed, per_stratum in QUOTE_SETS + LATER_QUOTE_SETS:
        rng = random.Random(seed)
        chosen = []
        for s in STRATA:
            pool = sorted(set(eligible.get(s, [])) - taken)
            chosen += rng.sample(pool, per_stratum)
        taken |= set(chosen)
        sets[name] = sorted(chosen)
    return sets


def article_sentences(path: Path, nlp) -> list[tuple[int, int]]:
    """Character spans of the sentences of one article, cut as the pipeline cuts them."""
    article = read_article(path)
    splitters = [nlp.get_pipe(n) for n in ("sentencizer", "fix_sentence_starts")]
    spans = []
    for row in article.paragraphs.itertuples():
        cuts = [s - row.start for s in article.glued["split_at"] if row.start < s < row.end]
        doc = tokenize_with_splits(nlp, row.text, cuts)
        for splitter in splitters:
            doc = splitter(doc)
        for sent in doc.sents:
            spans.append((row.start + sent.start_char, row.start + sent.end_char))
    return spans


def draw_sentences(catalogue: pd.DataFrame, quote_articles: set[str]) -> dict[str, pd.DataFrame]:
    """The tone sets (see the module docstring)."""
    nlp = load_model()
    ids = sorted(set(catalogue["id"]) - quote_articles)
    rng = random.Random(301)
    test_articles = set(rng.sample(ids, len(ids) // 5))
    rows = []
    for article_id in ids:
        path = CORPUS / "articles" / f"{article_id}.txt"
        text = path.read_text(encoding="utf-8")
        for start, end in article_sentences(path, nlp):
            if len(text[start:end].split()) >= MIN_WORDS:
                rows.append((article_id, start, end, excerpt(text[start:end])))
    pool = pd.DataFrame(rows, columns=["article_id", "start", "end", "first_words"])
    pool["fold"] = ["test" if a in test_articles else "dev" for a in pool["article_id"]]
    sets, taken = {}, set()
    for name, seed in TONE_SETS:
        fold = pool[(pool["fold"] == ("test" if name == "test" else "dev"))]
        fold = fold[~fold.index.isin(taken)]
        sample = fold.sample(n=TONE_SET_SIZE, random_state=seed)
        taken |= set(sample.index)
        ordered = sample.drop(columns="fold").sort_values(["article_id", "start"])
        sets[name] = ordered.assign(tone="", note="")
    return sets


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["articles", "sentences"])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"{CORPUS} not found: the sets are drawn from that corpus", file=sys.stderr)
        return 2
    catalogue = pd.read_csv(CORPUS / "articles.csv", dtype=str)
    args.out.mkdir(parents=True, exist_ok=True)
    article_sets = draw_articles(catalogue)
    if args.what == "articles":
        for name, ids in article_sets.items():
            (args.out / f"fnews_quotes_{name}_articles.txt").write_text("\n".join(ids) + "\n")
            print(f"quote set {name}: {len(ids)} articles")
        return 0
    first_round = {name for name, _, _ in QUOTE_SETS}
    used = {i for name, ids in article_sets.items() if name in first_round for i in ids}
    for name, sample in draw_sentences(catalogue, used).items():
        sample.to_csv(args.out / f"fnews_sentence_tone_{name}.csv", index=False)
        print(f"tone set {name}: {len(sample)} sentences from {sample['article_id'].nunique()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
