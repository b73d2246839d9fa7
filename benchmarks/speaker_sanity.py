"""Count the speakers that cannot be speakers, over a whole corpus.

    .venv/bin/python benchmarks/speaker_sanity.py [FOLDER] [--limit N]

Runs the attribution on every article of FOLDER (default: the 1,473 articles of
``../shared/corpora/francophone-news-2018``) and counts, among the speakers it names (status
``speaker``), those that are a time expression or a date, a number or an amount, a phrase with an
unbalanced bracket, or a phrase of more than ten words; prints each kind with up to five
examples, and the number of mentions the filter turned away (``rejected``) by reason.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from presse.codebooks import NOT_SPEAKERS
from presse.loading import read_article
from presse.parsing import load_model, parse_article
from presse.quotes import attribute_quotes

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "francophone-news-2018" / "articles"


DETERMINERS = {"le", "la", "les", "un", "une", "des", "ce", "cet", "cette", "ces"}


def why_not_a_speaker(name: str, time_words: set[str]) -> str:
    """The kind of non-speaker ``name`` is, or ``""``: a time expression (its first word after a
    determiner is a day, a month, a part of the day: ``Samedi``, ``le lendemain``, not
    ``l'appel diffusé dimanche``, a document), a number or amount (it opens on a figure:
    ``de 35 000 personnes``; not ``de nombreux observateurs`` or ``deux policiers``, groups), an
    unbalanced bracket, or more than ten words."""
    words = name.split()
    lowered = [w.lower().strip(",.;:") for w in words]
    content = [w[2:] if w.startswith(("l'", "d'")) else w for w in lowered if w not in DETERMINERS]
    head = content[0] if content else ""
    if head in time_words and not any(w[:1].isupper() for w in words[1:]):
        return "time expression"
    if re.match(r"^\W*((de|d'|des)\s+)?\d", name.lower()):
        return "number or amount"
    if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
        return "unbalanced bracket"
    if len(words) > 10:
        return "more than ten words"
    return ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"{args.folder} not found: nothing to count", file=sys.stderr)
        return 2
    table = pd.read_csv(NOT_SPEAKERS)
    time_words = set(table.loc[table["kind"] == "time", "lemma"])
    paths = sorted(args.folder.glob("*.txt"))[: args.limit or None]
    nlp = load_model()
    started = time.perf_counter()
    kinds, examples, rejected, speakers = Counter(), {}, Counter(), 0
    for path in paths:
        article = read_article(path)
        tables = attribute_quotes(parse_article(article, nlp), article.text)
        names = tables["speakers"].query("status == 'speaker'")["speaker"]
        speakers += len(names)
        for name in names:
            kind = why_not_a_speaker(name, time_words)
            if kind:
                kinds[kind] += 1
                examples.setdefault(kind, []).append(f"{path.stem}: {name}")
        rejected.update(tables["rejected"]["reason"])
    print(
        f"{len(paths)} articles, {speakers} speakers named, {time.perf_counter() - started:.0f} s"
    )
    print(f"speakers that are not speakers: {sum(kinds.values())}")
    for kind in (
        "time expression",
        "number or amount",
        "unbalanced bracket",
        "more than ten words",
    ):
        print(f"  {kind:<22} {kinds[kind]:4d}  {'; '.join(examples.get(kind, [])[:5])}")
    print("mentions the filter turned away, by reason:")
    for reason, n in rejected.most_common():
        print(f"  {reason:<32} {n:4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
