"""What a newcomer reads first: the README's first screen has the two commands and what to open
next, it stays short, the full evaluation lives in docs/, and the licence and citation files are
there and well formed."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_first_screen_has_the_commands_and_what_to_open_next():
    first = "\n".join(README.splitlines()[:60])
    assert "make run" in first and "make test" in first
    assert "What to open next" in first and "make html" in first and "make lab" in first
    assert "01_article" in first and "06_corpus" in first  # the table of notebooks


def test_the_readme_is_short_and_links_the_full_account():
    assert len(re.findall(r"\S+", README)) < 1500
    assert "docs/evaluation.md" in README and "docs/schema.md" in README
    evaluation = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    for heading in ("## Quotes and speakers", "## Tone (sentiment)", "## Themes",
                    "## Keyphrases", "## Speed and memory"):
        assert heading in evaluation
    assert "Tried on the development sentences and rejected" in evaluation  # what was dropped
    assert "544 of 900" in evaluation and "544 of 900" in README


def test_licence_rights_and_citation():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "rights holder is unknown" in README
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "MIT"
    assert citation["title"] and citation["authors"] and citation["message"]
