"""The annotations of the copyrighted francophone corpus keep within its README's limits: offsets
and at most eight words per span (an elision or a hyphen counting each part), never a name and a
role long enough together to repeat the article."""

from __future__ import annotations

import re
import sys

import pandas as pd
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import annotation_excerpts  # noqa: E402

from presse.evaluation import EXCERPT_WORDS, excerpt  # noqa: E402

ANNOTATIONS = ROOT / "data" / "annotations"


def test_excerpt_counts_each_part_of_an_elision_or_a_hyphen():
    assert excerpt("Vingt-deux départements, dont les huit d’Île-de-France (région)") == (
        "Vingt-deux départements, dont les huit"
    )
    assert excerpt("Un deux trois") == "Un deux trois"
    assert excerpt("") == ""


def test_every_copyrighted_annotation_keeps_within_the_limits():
    files = sorted(ANNOTATIONS.glob("fnews_*.csv")) + [ANNOTATIONS / "tone_test_readings.csv"]
    assert len(files) > 5
    for path in files:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in ("first_words", "speaker"):
            for cell in table.get(column, []):
                parts = cell.split("|") if column == "speaker" else [cell]
                assert all(len(re.findall(r"\w+", p)) <= EXCERPT_WORDS for p in parts), (path, cell)
                if column == "speaker":
                    assert len(re.findall(r"\w+", cell)) <= annotation_excerpts.MAX_CELL_WORDS
    with_text = open(ANNOTATIONS / "fnews_quotes_dev2.csv", encoding="utf-8", newline="").read()
    assert annotation_excerpts.rewritten(with_text) == with_text
