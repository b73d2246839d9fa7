"""How far each attribution can be trusted: ``high``, ``medium`` or ``low``.

Input: the quotes table with the sieve that fired at each stage (``sieve_cue``,
``sieve_mention``, ``sieve_entity``, ``sieve_fallback``) and the precision of every sieve measured
on the development sets (``data/codebook/sieve_precision.csv``, written by
``benchmarks/quotes_benchmark.py --write-precision``: for each sieve, how many attributions it
took part in and how many of them named the right speaker, with the 95% Wilson interval).

An attribution is as trustworthy as its chain: the mention sieve and the entity sieve that named
its speaker (``subject+alias``: the subject of the reporting verb, a name seen before), or the
fallback sieve of a quote without a cue. See :func:`chain_confidence` for the thresholds.

The thresholds were set on the development sets; how often each level is right on sets the
sieves were not measured on is what ``benchmarks/quotes_benchmark.py`` prints for the blind set.
"""

from __future__ import annotations

import pandas as pd

MIN_MEASURED = 8
HIGH_PRECISION = 0.93
HIGH_LOWER_BOUND = 0.85
LOW_PRECISION = 0.70
STAGE_COLUMNS = {
    "cue": "sieve_cue",
    "mention": "sieve_mention",
    "entity": "sieve_entity",
    "fallback": "sieve_fallback",
}


def chain_key(row: dict) -> str:
    """``mention+entity`` (``subject+alias``), or the fallback sieve of a quote without a cue."""
    if row.get("sieve_fallback"):
        return str(row["sieve_fallback"])
    return f"{row.get('sieve_mention') or ''}+{row.get('sieve_entity') or ''}"


def sieve_levels(precision: pd.DataFrame) -> dict[tuple[str, str], tuple[int, float, float]]:
    """``(stage, sieve) -> (attributions, precision, Wilson lower bound)`` from the precision
    table (see :func:`presse.codebooks.load_sieve_precision`); stage ``chain`` holds the
    measured chains (``subject+alias``)."""
    return {
        (r.stage, r.sieve): (int(r.quotes), float(r.precision), float(r.low))
        for r in precision.itertuples()
    }


def chain_level(n: int, precision: float, low: float) -> str:
    """The level of a chain measured on ``n`` development attributions, right a share
    ``precision`` of the time with Wilson lower bound ``low`` (see :func:`chain_confidence`)."""
    if n < MIN_MEASURED:
        return "medium"
    if precision >= HIGH_PRECISION and low >= HIGH_LOWER_BOUND:
        return "high"
    return "low" if precision < LOW_PRECISION else "medium"


def chain_confidence(row: dict, levels: dict) -> str:
    """The level of one attribution (a quotes-table row with its sieves).

    A chain measured on at least :data:`MIN_MEASURED` development attributions is ``high`` when
    it was right at least :data:`HIGH_PRECISION` of the time with a Wilson lower bound of at
    least :data:`HIGH_LOWER_BOUND`, ``low`` when it was right less than :data:`LOW_PRECISION`
    of the time. A chain too rare to be measured is judged by its weakest measured sieve, and is
    never ``high``. An attribution with no speaker is ``low``.
    """
    if not row.get("speaker"):
        return "low"
    n, precision, low = levels.get(("chain", chain_key(row)), (0, 0.0, 0.0))
    if n >= MIN_MEASURED:
        return chain_level(n, precision, low)
    measured = [
        levels[(stage, row[column])][1]
        for stage, column in STAGE_COLUMNS.items()
        if row.get(column) and levels.get((stage, row[column]), (0,))[0] >= MIN_MEASURED
    ]
    return "low" if measured and min(measured) < LOW_PRECISION else "medium"


def with_confidence(quotes: pd.DataFrame, levels: dict) -> pd.DataFrame:
    """``quotes`` with a ``confidence`` column (see the module docstring)."""
    confidence = [chain_confidence(row, levels) for row in quotes.to_dict("records")]
    return quotes.assign(confidence=pd.Series(confidence, index=quotes.index, dtype=object))
