"""Evaluation against hand annotations: direct quotes (precision, recall, F1, speaker accuracy)
and sentence-level attribution. The annotations are read here only to score the methods.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from presse.quotes import TITLES, find_quote_spans, normalise_speaker, same_first_name
from presse.quotes.confidence import chain_key

#: The most words of a copyrighted article an annotation may repeat (the corpus's README):
#: counted as ``\w+`` runs, so that an elision or a hyphen (``d'Île-de-France``) counts each part.
EXCERPT_WORDS = 8


def excerpt(text: str, n: int = EXCERPT_WORDS) -> str:
    r"""The first whitespace-separated words of ``text`` that hold at most ``n`` words counted as
    ``\w+`` runs: what an annotation of a copyrighted article may keep to find a span again."""
    kept, count = [], 0
    for word in str(text).split():
        count += len(re.findall(r"\w+", word))
        if count > n and kept:
            break
        kept.append(word)
    return " ".join(kept)


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of the proportion ``successes / n`` (``(0.0, 1.0)`` when
    ``n`` is 0). On a few dozen annotated items an accuracy is only known to about ±0.1; the
    benchmarks print this interval beside it."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def namesake(alias: str, canonical: str) -> bool:
    """Is ``alias`` another person of the same surname (``fatoumata maïga`` beside ``oumar
    maïga``)? Such an alias, left by a wrong merge, must not make a speaker right."""
    a, c = alias.split(), canonical.split()
    if len(a) < 2 or len(c) < 2 or a[-1] != c[-1] or a[0] in TITLES or c[0] in TITLES:
        return False  # "m. anandasangaree" is a title and a surname, not another first name
    return not same_first_name(a[0], c[0])


def speaker_matches(predicted: str, aliases: str, gold: str) -> bool:
    """Does a predicted speaker (with its merged aliases, ``;``-separated) match gold?

    ``gold`` may list alternatives separated by ``|``. A match is equality after
    :func:`presse.quotes.normalise_speaker`, or an alternative found as whole words inside the
    predicted name or an alias; an alias naming another person of the same surname does not
    count (a wrong merge is a wrong speaker).
    """
    canonical = normalise_speaker(predicted)
    names = [canonical] + [
        alias
        for alias in (normalise_speaker(a) for a in str(aliases or "").split(";") if a.strip())
        if not namesake(alias, canonical)
    ]
    names = [n for n in names if n]
    for alternative in str(gold).split("|"):
        alt = normalise_speaker(alternative)
        if not alt:
            continue
        for name in names:
            if name == alt or re.search(rf"(?<!\w){re.escape(alt)}(?!\w)", name):
                return True
    return False


def locate_gold_quotes(gold: pd.DataFrame, text: str) -> pd.DataFrame:
    """Add ``start, end`` to gold quote rows: the quoted span whose content starts with
    ``quote_starts_with``. Raises ValueError when a row cannot be found (a broken annotation).
    """
    spans = find_quote_spans(text)
    starts, ends = [], []
    for prefix in gold["quote_starts_with"]:
        hit = None
        for s, e in spans:
            if text[s + 1 : e].lstrip().startswith(prefix):
                hit = (s, e)
                break
        if hit is None:
            raise ValueError(f"annotated quote not found in the text: {prefix!r}")
        starts.append(hit[0])
        ends.append(hit[1])
    return gold.assign(start=starts, end=ends)


def match_quotes(predicted: pd.DataFrame, gold: pd.DataFrame, speakers: pd.DataFrame):
    """Pair predicted direct quotes with located gold quotes.

    A predicted quote matches the gold quote whose opening mark lies inside it. Output: a table,
    one row per gold quote and per unmatched prediction, with ``status`` (``matched``,
    ``missed``, ``spurious``), both speakers and ``speaker_ok`` (None where gold has no speaker).
    """
    direct = predicted[predicted["type"] == "direct"].reset_index(drop=True)
    aliases = (
        dict(zip(speakers["speaker"], speakers["aliases"].fillna(""))) if len(speakers) else {}
    )
    if "type" in gold:
        gold = gold[gold["type"] == "direct"]
    used, rows = set(), []
    for g in gold.itertuples():
        hit = next(
            (p for p in direct.itertuples() if p.Index not in used and p.start <= g.start < p.end),
            None,
        )
        rows.append(_match_row(g, hit, aliases))
        if hit is not None:
            used.add(hit.Index)
    rows += [_spurious_row(p) for p in direct.itertuples() if p.Index not in used]
    return pd.DataFrame(rows)


def quote_scores(matches: pd.DataFrame) -> dict[str, float]:
    """Precision, recall, F1 of direct-quote detection and speaker accuracy.

    ``speaker_accuracy`` is over matched quotes whose gold speaker is known (with its 95% Wilson
    interval, ``speaker_interval``);
    ``end_to_end`` is the share of gold quotes (with a known speaker) found *and* given the
    right speaker.
    """
    tp = int((matches["status"] == "matched").sum())
    fp = int((matches["status"] == "spurious").sum())
    fn = int((matches["status"] == "missed").sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    judged = matches[(matches["status"] == "matched") & matches["speaker_ok"].notna()]
    known = matches[(matches["status"] != "spurious") & (matches["gold_speaker"] != "")]
    right = int(judged["speaker_ok"].astype(bool).sum())
    low, high = wilson_interval(right, len(judged))
    return dict(
        gold=tp + fn,
        predicted=tp + fp,
        matched=tp,
        precision=precision,
        recall=recall,
        f1=f1,
        speaker_accuracy=right / len(judged) if len(judged) else 0.0,
        speaker_interval=(low, high),
        speakers_judged=len(judged),
        end_to_end=right / len(known) if len(known) else 0.0,
    )


def compare_sentences(
    predicted: pd.DataFrame, gold: pd.DataFrame, speakers: pd.DataFrame
) -> pd.DataFrame:
    """Sentence by sentence: predicted vs hand speaker and quote type, with ``agree`` flags.

    Input: the attribution table (``sentence_id, speaker, quote_type, rule``), the hand table
    (``sentence_id, speaker, quote_type, note``), the speakers table (for aliases).
    """
    aliases = (
        dict(zip(speakers["speaker"], speakers["aliases"].fillna(""))) if len(speakers) else {}
    )
    merged = gold.merge(predicted, on="sentence_id", suffixes=("_hand", "_auto"), how="left")
    merged = merged.fillna({"speaker_hand": "", "speaker_auto": ""})

    def same_speaker(row) -> bool:
        if not row.speaker_hand:
            return not row.speaker_auto
        return speaker_matches(
            row.speaker_auto, aliases.get(row.speaker_auto, ""), row.speaker_hand
        )

    merged["speaker_agrees"] = merged.apply(same_speaker, axis=1)
    merged["type_agrees"] = merged["quote_type_hand"] == merged["quote_type_auto"]
    return merged


# --------------------------------------------------------------------------- sets by offsets


def read_offset_gold(path) -> pd.DataFrame:
    """A quote set annotated by offsets (``fnews_quotes_<set>.csv``: ``article_id, type, start,
    end, first_words, speaker, speaker_kind, cue, note``), without the rows that only say an
    article has no quote. ``quote_starts_with`` repeats ``first_words`` for the reports."""
    gold = pd.read_csv(path, dtype={"article_id": str}, keep_default_na=False)
    gold = gold[gold["type"].isin(["direct", "indirect"])].copy()
    gold["start"] = gold["start"].astype(int)
    gold["end"] = gold["end"].astype(int)
    gold["quote_starts_with"] = gold["first_words"]
    return gold.reset_index(drop=True)


def match_reports(predicted: pd.DataFrame, gold: pd.DataFrame, speakers: pd.DataFrame):
    """Pair predicted indirect reports with gold ones (``type == "indirect"``, by offsets).

    A prediction matches the gold report its span overlaps most (each used once). Output: as
    :func:`match_quotes`, one row per gold report and per unmatched prediction, with
    ``status``, both speakers, ``speaker_ok``, and the prediction's sieves and confidence.
    """
    reports = predicted[predicted["type"] == "indirect"].reset_index(drop=True)
    aliases = (
        dict(zip(speakers["speaker"], speakers["aliases"].fillna(""))) if len(speakers) else {}
    )
    used, rows = set(), []
    for g in gold[gold["type"] == "indirect"].itertuples():
        overlaps = [
            (min(p.end, g.end) - max(p.start, g.start), p)
            for p in reports.itertuples()
            if p.Index not in used and p.start < g.end and g.start < p.end
        ]
        hit = max(overlaps, key=lambda x: x[0])[1] if overlaps else None
        rows.append(_match_row(g, hit, aliases))
        if hit is not None:
            used.add(hit.Index)
    rows += [_spurious_row(p) for p in reports.itertuples() if p.Index not in used]
    return pd.DataFrame(rows)


def _match_row(g, hit, aliases) -> dict:
    gold_speaker = "" if pd.isna(g.speaker) else str(g.speaker)
    row = dict(
        status="matched" if hit is not None else "missed",
        gold_start=g.start,
        quote=g.quote_starts_with,
        gold_speaker=gold_speaker,
        predicted_speaker=hit.speaker if hit is not None else "",
        rule=hit.rule if hit is not None else "",
        speaker_ok=None,
    )
    if hit is not None and gold_speaker:
        row["speaker_ok"] = speaker_matches(hit.speaker, aliases.get(hit.speaker, ""), gold_speaker)
    for column in ("sieve_cue", "sieve_mention", "sieve_entity", "sieve_fallback", "confidence"):
        row[column] = getattr(hit, column, "") if hit is not None else ""
    return row


def _spurious_row(p) -> dict:
    row = dict(
        status="spurious",
        gold_start=p.start,
        quote=str(p.text)[:40],
        gold_speaker="",
        predicted_speaker=p.speaker,
        rule=p.rule,
        speaker_ok=None,
    )
    for column in ("sieve_cue", "sieve_mention", "sieve_entity", "sieve_fallback", "confidence"):
        row[column] = getattr(p, column, "")
    return row


def sieve_precision(matches: pd.DataFrame) -> pd.DataFrame:
    """How often each sieve's attributions name the right speaker.

    Input: match tables (direct and indirect) with ``sieve_cue, sieve_mention, sieve_entity,
    sieve_fallback`` and ``speaker_ok``. Output: ``stage, sieve, quotes, right, precision, low,
    high`` (the 95% Wilson interval), one row per sieve that fired on a judged attribution.
    """
    judged = matches[(matches["status"] == "matched") & matches["speaker_ok"].notna()]
    rows = []
    for stage in ("cue", "mention", "entity", "fallback"):
        column = f"sieve_{stage}"
        if column not in judged:
            continue
        for sieve_id, group in judged.groupby(column):
            if not sieve_id:
                continue
            right = int(group["speaker_ok"].astype(bool).sum())
            low, high = wilson_interval(right, len(group))
            rows.append((stage, sieve_id, len(group), right, right / len(group), low, high))
    chains = judged.assign(chain=[chain_key(r) for r in judged.to_dict("records")])
    for chain, group in chains.groupby("chain"):
        right = int(group["speaker_ok"].astype(bool).sum())
        low, high = wilson_interval(right, len(group))
        rows.append(("chain", chain, len(group), right, right / len(group), low, high))
    columns = ["stage", "sieve", "quotes", "right", "precision", "low", "high"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["stage", "quotes", "sieve"], ascending=[True, False, True])


def confidence_scores(matches: pd.DataFrame) -> pd.DataFrame:
    """Precision and coverage of each confidence level over the judged attributions:
    ``confidence, quotes, right, precision, low, high, coverage`` (coverage: the level's share
    of all judged attributions), in the order high, medium, low."""
    judged = matches[(matches["status"] == "matched") & matches["speaker_ok"].notna()]
    rows = []
    for level in ("high", "medium", "low"):
        group = judged[judged["confidence"] == level]
        right = int(group["speaker_ok"].astype(bool).sum())
        low, high = wilson_interval(right, len(group))
        share = len(group) / len(judged) if len(judged) else 0.0
        precision = right / len(group) if len(group) else float("nan")
        rows.append((level, len(group), right, precision, low, high, share))
    columns = ["confidence", "quotes", "right", "precision", "low", "high", "coverage"]
    return pd.DataFrame(rows, columns=columns)
