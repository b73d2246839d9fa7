"""Benchmark of the theme tagger and of the keyword extractor.

    .venv/bin/python benchmarks/themes_benchmark.py

1. Per-theme precision and recall of the codebook tagger on the G7 article (the codebook was
   written with it in view) and on 54 sentences of four Wikinews articles about crime and
   security (44374, 44389, 44552, 44618), annotated with the codebook's definitions and never
   used to write it.
2. The TF-IDF keyphrase extractor of presse.themes on the 100 Wikinews articles against the
   reference keyphrases of the WikinewsKeyphraseCorpus (precision, recall and F-score at 10,
   exact match after normalisation, averaged over documents as in the TopicRank paper and
   pooled), beside TopicRank (Bougouin, Boudin & Daille, IJCNLP 2013) reimplemented in
   presse.themes.topicrank and run on the same parses in the same run: the published figures
   were computed with another tokenizer, stemmer and matching, so the baseline that can be
   compared is the one measured here.

The Wikinews parts are skipped when ../shared/corpora/wikinews-fr-2012 is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from presse.loading import read_article
from presse.parsing import load_model, parse_article, sentences_table, tokens_table
from presse.themes import (
    keyphrases,
    load_codebook,
    normalise_word,
    tag_sentences,
    theme_scores,
    topicrank,
)

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
CORPUS = ROOT.parent / "shared" / "corpora" / "wikinews-fr-2012"


def print_scores(name: str, scores: pd.DataFrame) -> None:
    print(name)
    with pd.option_context("display.width", 120):
        print(scores.round(2).to_string(index=False))


def normalise_phrase(phrase: str) -> str:
    return " ".join(normalise_word(w) for w in phrase.replace("'", "' ").split())


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f_score = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f_score


def keyphrase_scores(extracted: dict, reference: dict) -> tuple[tuple, tuple]:
    """Micro (pooled) and macro (mean over documents, as in the TopicRank paper) P, R, F."""
    totals, per_document = [0, 0, 0], []
    for doc_id, gold_phrases in reference.items():
        found = {normalise_phrase(p) for p in extracted.get(doc_id, [])}
        counts = (len(found & gold_phrases), len(found - gold_phrases), len(gold_phrases - found))
        totals = [a + b for a, b in zip(totals, counts)]
        per_document.append(prf(*counts))
    macro = tuple(sum(s[k] for s in per_document) / len(per_document) for k in range(3))
    return prf(*totals), macro


def main() -> int:
    started = time.perf_counter()
    nlp = load_model()
    codebook = load_codebook()
    ids = list(codebook["theme_id"])

    article = read_article(ROOT / "data" / "raw" / "g7_crime_organise_fr.txt")
    tokens = tokens_table(parse_article(article, nlp), article.paragraphs)
    tagged = tag_sentences(sentences_table(tokens, article.text), tokens, codebook)
    hand = pd.read_csv(ANNOTATIONS / "g7_sentence_themes.csv", keep_default_na=False)
    print_scores("G7 article (codebook written with it in view)", theme_scores(tagged, hand, ids))

    if not CORPUS.is_dir():
        print(f"Wikinews parts skipped: {CORPUS} not found")
        return 0
    gold = pd.read_csv(ANNOTATIONS / "wikinews_sentence_themes.csv", keep_default_na=False)
    predicted, expected = [], []
    for article_id, rows in gold.groupby("article_id"):
        art = read_article(CORPUS / "articles" / f"{article_id}.txt")
        toks = tokens_table(parse_article(art, nlp), art.paragraphs)
        tags = tag_sentences(sentences_table(toks, art.text), toks, codebook)
        key = f"{article_id}:"
        predicted.append(tags.assign(sentence_id=key + tags["sentence_id"].astype(str)))
        expected.append(rows.assign(sentence_id=key + rows["sentence_id"].astype(str)))
    print_scores(
        f"Wikinews, {sum(len(e) for e in expected)} sentences not used to write the codebook",
        theme_scores(pd.concat(predicted), pd.concat(expected), ids),
    )

    reference = {}
    for line in (CORPUS / "keyphrases.ref").read_text(encoding="utf-8").splitlines():
        name, _, phrases = line.partition("\t")
        reference[name.split(".")[0]] = {normalise_phrase(p) for p in phrases.split(";") if p}
    documents = {}
    for path in sorted((CORPUS / "articles").glob("*.txt")):
        art = read_article(path)
        documents[path.stem] = tokens_table(parse_article(art, nlp), art.paragraphs)
    methods = {
        "TF-IDF over the corpus (presse.themes.keyphrases)": keyphrases(documents, top=10),
        "TopicRank, reimplemented (presse.themes.topicrank)": {
            name: topicrank(tokens, top=10) for name, tokens in documents.items()
        },
    }
    print(
        f"keyphrases at 10 on {len(reference)} Wikinews articles, exact match after normalisation"
    )
    for label, extracted in methods.items():
        micro, macro = keyphrase_scores(extracted, reference)
        print(
            f"  {label}: macro P {macro[0]:.3f} R {macro[1]:.3f} F {macro[2]:.3f}; "
            f"micro P {micro[0]:.3f} R {micro[1]:.3f} F {micro[2]:.3f}"
        )
    print(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
