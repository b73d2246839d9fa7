"""How far each attribution can be trusted: ``high``, ``medium`` or ``low``.

Input: the quotes table with the sieve that fired at each stage (``sieve_cue``,
``sieve_mention``, ``sieve_entity``, ``sieve_fallback``) and the precision of every sieve measured
on the development sets (``data/codebook/sieve_precision.csv``, written by
``benchmarks/quotes_benchmark.py --write-precision``: for each sieve, how many attributions it
took part in and how many of them named the right speaker, with the 95% Wilson interval).

An attribution is as trustworthy as the weakest sieve in its chain:

- ``high``: every sieve of the chain was measured on at least :data:`MIN_MEASURED` attributions
  and the lowest Wilson lower bound among them is at least :data:`HIGH_LOWER_BOUND`;
- ``low``: a sieve of the chain was right less often than :data:`LOW_PRECISION`, or the quote has
  no speaker at all;
- ``medium``: the rest, including chains with a sieve too rarely seen to be measured.

The thresholds were set on the development sets; how often each level is right on sets the
sieves were not measured on is what ``benchmarks/quotes_benchmark.py`` prints for the blind set.
"""

from __future__ import annotations

import pandas as pd

MIN_MEASURED = 8
HIGH_LOWER_BOUND = 0.85
LOW_PRECISION = 0.75
STAGE_COLUMNS = {
    "cue": "sieve_cue",
    "mention": "sieve_mention",
    "entity": "sieve_entity",
    "fallback": "sieve_fallback",
}


def sieve_levels(precision: pd.DataFrame) -> dict[tuple[str, str], tuple[int, float, float]]:
    """``(stage, sieve) -> (attributions, precision, Wilson lower bound)`` from the precision
    table (see :func:`presse.codebooks.load_sieve_precision`)."""
    return {
        (r.stage, r.sieve): (int(r.quotes), float(r.precision), float(r.low))
        for r in precision.itertuples()
    }


def chain_confidence(sieves: dict[str, str], levels: dict, has_speaker: bool) -> str:
    """The level of one attribution, from the sieve of each stage (``stage -> sieve id``)."""
    if not has_speaker:
        return "low"
    measured, unknown = [], False
    for stage, sieve_id in sieves.items():
        if not sieve_id:
            continue
        n, precision, low = levels.get((stage, sieve_id), (0, 0.0, 0.0))
        if n < MIN_MEASURED:
            unknown = True
        else:
            measured.append((precision, low))
    if any(p < LOW_PRECISION for p, _ in measured):
        return "low"
    if measured and not unknown and min(low for _, low in measured) >= HIGH_LOWER_BOUND:
        return "high"
    return "medium"


def with_confidence(quotes: pd.DataFrame, levels: dict) -> pd.DataFrame:
    """``quotes`` with a ``confidence`` column (see the module docstring)."""
    confidence = [
        chain_confidence(
            {stage: row[column] for stage, column in STAGE_COLUMNS.items()},
            levels,
            bool(row["speaker"]),
        )
        for row in quotes.to_dict("records")
    ]
    return quotes.assign(confidence=pd.Series(confidence, index=quotes.index, dtype=object))
