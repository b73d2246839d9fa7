"""How far two careful readers agree on who says what, and how far the method agrees with each.

    .venv/bin/python benchmarks/reader_agreement.py

Thirteen articles of the blind set ``fnews_quotes_test4`` were read twice, by two helper sessions
that saw only the articles and the annotation guide (``data/annotations/README.md``). This prints
the agreement of the two readings, each taken in turn as the reference and matched as the
benchmark matches (a direct quote by its opening mark, a report by the largest overlap): the
share of one reading's quotes and reports the other found, and on those found, how often both
name the same speaker. Then it prints the method's figures on the same articles against each
reading. The readers' agreement is the ceiling a method can be asked to reach. Needs
``../shared/corpora/francophone-news-2018``.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quotes_benchmark import ANNOTATIONS, FNEWS, evaluate_articles

from presse.evaluation import match_quotes, match_reports, quote_scores, read_offset_gold
from presse.parsing import load_model

FIRST = ANNOTATIONS / "fnews_quotes_test4.csv"
SECOND = ANNOTATIONS / "fnews_quotes_test4_second_reading.csv"


def as_predictions(reading: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One reading in the shape of the pipeline's quotes and speakers tables: each speaker cell's
    first name is the speaker, its other names the aliases."""
    first = [cell.split("|")[0] for cell in reading["speaker"]]
    quotes = reading.assign(speaker=first, rule="", text=reading["first_words"])
    aliases: dict[str, set] = {}
    for name, cell in zip(first, reading["speaker"]):
        aliases.setdefault(name, set()).update(cell.split("|"))
    speakers = pd.DataFrame(
        [(name, ";".join(sorted(names))) for name, names in aliases.items() if name],
        columns=["speaker", "aliases"],
    )
    return quotes.reset_index(drop=True), speakers


def readers(reference: pd.DataFrame, other: pd.DataFrame) -> tuple[dict, dict]:
    """The scores of ``other`` read as predictions of ``reference``, over their articles."""
    direct, indirect = [], []
    for article_id in sorted(set(reference["article_id"])):
        gold = reference[reference["article_id"] == article_id]
        quotes, speakers = as_predictions(other[other["article_id"] == article_id])
        direct.append(match_quotes(quotes, gold, speakers))
        indirect.append(match_reports(quotes, gold, speakers))
    return quote_scores(pd.concat(direct)), quote_scores(pd.concat(indirect))


def line(label: str, d: dict, i: dict) -> str:
    return (
        f"{label}: direct found {d['recall']:.2f} of {d['gold']}, same speaker "
        f"{d['speaker_accuracy']:.2f} of {d['speakers_judged']} | reports found {i['recall']:.2f} "
        f"of {i['gold']}, same speaker {i['speaker_accuracy']:.2f} of {i['speakers_judged']}"
    )


def main() -> int:
    if not FNEWS.is_dir():
        print(f"{FNEWS} not found: the readings annotate that corpus", file=sys.stderr)
        return 2
    second = read_offset_gold(SECOND)
    ids = sorted(set(second["article_id"]))
    first = read_offset_gold(FIRST)
    first = first[first["article_id"].isin(ids)]
    print(f"{len(ids)} articles read twice")
    print(line("second reading against the first", *readers(first, second)))
    print(line("first reading against the second", *readers(second, first)))
    nlp = load_model()
    articles = {a: FNEWS / f"{a}.txt" for a in ids}
    for label, reading in (("first", first), ("second", second)):
        direct, indirect = evaluate_articles(articles, reading, nlp)
        print(
            line(f"the method against the {label} reading", *map(quote_scores, (direct, indirect)))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
