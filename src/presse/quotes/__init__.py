"""Who says what: direct quotes, indirect reports and their speakers, by named sieves.

The package, stage by stage:

- :mod:`~presse.quotes.text`: quotation marks (a quote cut by a line break is one quote), token
  helpers, and the article index that keeps the cost per quote independent of article length;
- :mod:`~presse.quotes.mentions`: noun phrases that can name a speaker, and those that cannot
  (time expressions, dates, places alone, amounts, brackets, relative clauses, long phrases);
- :mod:`~presse.quotes.registry`: the speakers of an article, aliases merged;
- :mod:`~presse.quotes.context`: what the sieves may read (reporting verbs, clauses, discourse);
- :mod:`~presse.quotes.sieves`: the sieves, each a small named rule that proposes, in four
  stages (quote → cue, cue → mention, mention → entity, and fallbacks for quotes without a cue),
  plus the cues of indirect reports;
- :mod:`~presse.quotes.order`: the order in which they are tried, one list per stage;
- :mod:`~presse.quotes.runner`: the walk that tries them, commits, and builds the tables;
- :mod:`~presse.quotes.confidence`: ``high`` / ``medium`` / ``low`` per attribution, from each
  sieve's precision measured on the development sets.

Every quote row names the sieve that fired at each stage (``sieve_cue``, ``sieve_mention``,
``sieve_entity``, ``sieve_fallback``), the ``rule`` in prose and its ``confidence``.
"""

import re

import pandas as pd

from presse.codebooks import load_document_nouns, load_reporting_verbs, load_title_markers
from presse.quotes.order import ORDER
from presse.quotes.registry import same_first_name
from presse.quotes.runner import (
    QUOTE_COLUMNS,
    RANKER_COLUMNS,
    SENTENCE_COLUMNS,
    SPEAKER_COLUMNS,
    TRACE_COLUMNS,
    attribute_quotes,
)
from presse.quotes.sieves import SIEVES
from presse.quotes.text import TITLES, find_quote_spans


def normalise_speaker(name: str) -> str:
    """Key for comparing speaker names: lower case, no leading determiner, single spaces."""
    name = str(name or "").replace("’", "'").replace("\u02bc", "'")
    name = re.sub(r"\s+", " ", name.strip().lower())
    return re.sub(r"^(les|le|la|l')\s*", "", name)


def sieve_table():
    """One row per sieve, in the order the runner tries them: ``stage, order, sieve,
    description``."""
    rows = []
    for stage, ids in ORDER.items():
        for n, sieve_id in enumerate(ids, start=1):
            rows.append((stage, n, sieve_id, SIEVES[sieve_id].description))
            rows += [
                (stage, n, s.id, s.description)
                for s in SIEVES.values()
                if s.run is SIEVES[sieve_id].run and s.id != sieve_id and s.stage == stage
            ]
    return pd.DataFrame(rows, columns=["stage", "order", "sieve", "description"])


__all__ = [
    "QUOTE_COLUMNS",
    "SENTENCE_COLUMNS",
    "SPEAKER_COLUMNS",
    "TITLES",
    "RANKER_COLUMNS",
    "TRACE_COLUMNS",
    "attribute_quotes",
    "find_quote_spans",
    "load_document_nouns",
    "load_reporting_verbs",
    "load_title_markers",
    "normalise_speaker",
    "same_first_name",
    "sieve_table",
]
