"""Benchmark of the theme tagger and of the keyword extractor.

    .venv/bin/python benchmarks/themes_benchmark.py

1. Per-theme precision and recall of the codebook tagger on the G7 article (the codebook was
   written with it in view) and on 54 sentences of four Wikinews articles about crime and
   security (44374, 44389, 44552, 44618), annotated with the codebook's definitions and never
   used to write it.
2. The TF-IDF keyphrase extractor of presse.themes on the 100 Wikinews articles against the
   reference keyphrases of the WikinewsKeyphraseCorpus (precision, recall and F-score at 10,
   exact match after normalisation). Compare with the published TopicRank figures on this
   corpus (Bougouin, Boudin & Daille, IJCNLP 2013), which this script does not reproduce.

The Wikinews parts are skipped when ../shared/corpora/wikinews-fr-2012 is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from presse.loading import read_article
from presse.parsing import load_model, parse_article, sentences_table, tokens_table
from presse.themes import keyphrases, load_codebook, normalise_word, tag_sentences, theme_scores

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"
CORPUS = ROOT.parent / "shared" / "corpora" / "wikinews-fr-2012"


def print_scores(name: str, scores: pd.DataFrame) -> None:
    print(name)
    with pd.option_context("display.width", 120):
        print(scores.round(2).to_string(index=False))


def normalise_phrase(phrase: str) -> str:
    return " ".join(normalise_word(w) for w in phrase.replace("'", "' ").split())


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
    extracted = keyphrases(documents, top=10)
    tp = fp = fn = 0
    for doc_id, gold_phrases in reference.items():
        found = {normalise_phrase(p) for p in extracted.get(doc_id, [])}
        tp += len(found & gold_phrases)
        fp += len(found - gold_phrases)
        fn += len(gold_phrases - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f_score = 2 * precision * recall / (precision + recall) if tp else 0.0
    print(
        f"keyphrases at 10 on {len(reference)} Wikinews articles (TF-IDF over the corpus): "
        f"P {precision:.3f}  R {recall:.3f}  F {f_score:.3f}"
    )
    print(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
