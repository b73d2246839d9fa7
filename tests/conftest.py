"""Shared fixtures: paths, the French model (loaded once per test session), the G7 article."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "raw" / "g7_crime_organise_fr.txt"
SHARED = ROOT.parent / "shared"
WIKINEWS = SHARED / "corpora" / "wikinews-fr-2012"


@pytest.fixture(scope="session")
def nlp():
    """spaCy's French pipeline with the sentencizer, loaded once (it takes seconds)."""
    from presse.parsing import load_model

    return load_model()


@pytest.fixture(scope="session")
def g7_article():
    from presse.loading import read_article

    return read_article(ARTICLE)
