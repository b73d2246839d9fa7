"""Stances: what each speaker talks about, in what tone, and their position on each theme.

Input: a sentences table with ``speaker`` (from :mod:`presse.quotes`), ``polarity_adjusted``
(from :mod:`presse.sentiment`) and ``themes`` (from :mod:`presse.themes`), plus the codebook.

Position on a theme, from the speaker's sentences that carry it (general rules, stated in the
``basis`` column of every row):

- a **harm** (``kind = harm`` in the codebook: organised crime, terrorism…) is opposed
  (``against``) when a sentence frames it as something to fight (``lutter contre``,
  ``combattre``, ``perturber``…: the shifters of the sentiment overrides) or speaks of it in a
  negative tone; otherwise ``unclear``;
- a **response** (cooperation, policing, border controls) is supported (``for``) when the tone
  of those sentences is positive, opposed (``against``) when negative, else ``neutral``;
- an **issue** (trade, migration) has no side that a tone could tell: it gets ``positive tone``,
  ``negative tone`` or ``neutral`` (speaking negatively of migrant smuggling is not being
  "against migration").

A tone-based basis says ``weak`` when the mean tone is under ``CLEAR_TONE`` (0.3): on unseen news
such tones agree with a careful reader only about four times in ten (see the sentiment benchmark).
Wherever a position is shown, :func:`position_label` keeps that flag: ``against (weak, 1
sentence)``.

The neutral band is a parameter (``neutral_band``) of the functions that use it, read when they
are called: by default :data:`presse.sentiment.NEUTRAL_BAND` as it is at that moment.

For a harm the fight frame decides before the tone: *lutter contre le crime* is read as a mildly
positive frame by the news reading (the harm's score reversed), so a harm can be opposed on a
mean tone above zero. ``basis`` says which rule decided.

A theme raised somewhere in the article that a speaker never addresses is listed as avoided:
silence is a finding about the text, not about the person (the journalist chose what to report).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from presse.sentiment import load_overrides, resolve_band, tone_strength
from presse.themes import theme_long

STANCE_COLUMNS = [
    "speaker",
    "theme_id",
    "n_sentences",
    "share",
    "tone_mean",
    "tone_min",
    "tone_max",
    "position",
    "basis",
    "sentence_ids",
]


def fight_sentences(
    tokens: pd.DataFrame, sentences: pd.DataFrame, overrides: pd.DataFrame | None = None
) -> set[int]:
    """Sentences containing a fight frame (a ``shifter`` of the sentiment overrides).

    Input: a tokens table, sentences (``sentence_id, start, end``), the overrides. Output: the
    ``sentence_id`` of each sentence with a token (text or lemma) among the shifters. Each
    token is looked up once, so the cost grows with the article, not with its square."""
    overrides = overrides if overrides is not None else load_overrides()
    shifters = set(overrides.loc[overrides["action"] == "shifter", "term"].str.lower())
    hit = (
        tokens["text"].astype(str).str.lower().isin(shifters)
        | tokens["lemma"].astype(str).str.lower().isin(shifters)
    ).to_numpy()
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    if (starts[1:] < starts[:-1]).any() or (ends[1:] < ends[:-1]).any():  # not in text order
        return {
            int(s.sentence_id)
            for s in sentences.itertuples()
            if hit[(starts >= s.start) & (ends <= s.end)].any()
        }
    before = np.concatenate([[0], np.cumsum(hit)])
    first = np.searchsorted(starts, sentences["start"].to_numpy(), side="left")
    last = np.maximum(first, np.searchsorted(ends, sentences["end"].to_numpy(), side="right"))
    found = before[last] - before[first] > 0
    return {int(i) for i in sentences["sentence_id"].to_numpy()[found]}


def _tone_basis(sign: str, mean: float, n: int, band: float) -> str:
    """``negative tone (-0.60 over 1 sentence(s))``, with ``weak`` before it under CLEAR_TONE."""
    weak = "weak " if tone_strength(mean, band) == "weak" else ""
    return f"{weak}{sign} tone ({mean:+.2f} over {n} sentence(s))"


def position_on(
    kind: str,
    tones: pd.Series,
    ids: list[int],
    fights: set[int],
    neutral_band: float | None = None,
) -> tuple[str, str]:
    """Position and its basis for one speaker and one theme (see the module docstring).

    ``neutral_band``: tones with ``|mean| <`` it read neutral (default: ``NEUTRAL_BAND`` of
    :mod:`presse.sentiment`, read now)."""
    band = resolve_band(neutral_band)
    mean = float(tones.mean())
    fought = [i for i in ids if i in fights]
    if kind == "harm":
        if fought:
            return "against", "framed as something to fight in sentence(s) " + ", ".join(
                map(str, fought)
            )
        if mean <= -band:
            return "against", _tone_basis("negative", mean, len(ids), band)
        return "unclear", f"named without a fight frame or a negative tone ({mean:+.2f})"
    labels = ("for", "against") if kind == "response" else ("positive tone", "negative tone")
    if mean >= band:
        return labels[0], _tone_basis("positive", mean, len(ids), band)
    if mean <= -band:
        return labels[1], _tone_basis("negative", mean, len(ids), band)
    return "neutral", f"tone within the neutral band ({mean:+.2f})"


def speaker_stances(
    sentences: pd.DataFrame,
    codebook: pd.DataFrame,
    fights: set[int] = frozenset(),
    neutral_band: float | None = None,
) -> pd.DataFrame:
    """One row per (speaker, theme they address): ``STANCE_COLUMNS``.

    ``share`` is the share of the speaker's sentences that carry the theme; ``sentence_ids``
    cites the sentences every number comes from (``tone_mean``, ``tone_min``, ``tone_max`` and
    the position are all computed from those sentences). ``neutral_band``: see
    :func:`position_on` (``speaker_stances(..., neutral_band=0.2)`` reruns the positions with a
    wider band).
    """
    band = resolve_band(neutral_band)
    said = sentences[sentences["speaker"].fillna("") != ""]
    pairs = theme_long(said).merge(
        said[["sentence_id", "speaker", "polarity_adjusted"]], on="sentence_id"
    )
    kinds = dict(zip(codebook["theme_id"], codebook["kind"]))
    order = {t: i for i, t in enumerate(codebook["theme_id"])}
    totals = said.groupby("speaker").size()
    rows = []
    for (speaker, theme), group in pairs.groupby(["speaker", "theme_id"]):
        ids = sorted(int(i) for i in group["sentence_id"])
        position, basis = position_on(kinds[theme], group["polarity_adjusted"], ids, fights, band)
        rows.append(
            dict(
                speaker=speaker,
                theme_id=theme,
                n_sentences=len(ids),
                share=round(len(ids) / totals[speaker], 4),
                tone_mean=round(float(group["polarity_adjusted"].mean()), 4),
                tone_min=float(group["polarity_adjusted"].min()),
                tone_max=float(group["polarity_adjusted"].max()),
                position=position,
                basis=basis,
                sentence_ids=";".join(map(str, ids)),
            )
        )
    table = pd.DataFrame(rows, columns=STANCE_COLUMNS)
    if len(table):
        table = (
            table.assign(_o=table["theme_id"].map(order))
            .sort_values(["speaker", "_o"])
            .drop(columns="_o")
            .reset_index(drop=True)
        )
    return table


def avoided_themes(
    sentences: pd.DataFrame, stances: pd.DataFrame, codebook: pd.DataFrame
) -> dict[str, list[str]]:
    """For each speaker, the themes raised in the article that they never address."""
    raised = set(theme_long(sentences)["theme_id"])
    order = list(codebook["theme_id"])
    speakers = sorted(set(sentences["speaker"].dropna()) - {""})
    addressed = stances.groupby("speaker")["theme_id"].agg(set).to_dict() if len(stances) else {}
    return {
        s: [t for t in order if t in raised and t not in addressed.get(s, set())] for s in speakers
    }


def add_stance_columns(
    speakers: pd.DataFrame, stances: pd.DataFrame, avoided: dict[str, list[str]]
) -> pd.DataFrame:
    """Add ``themes`` (the theme ids a speaker addresses, most sentences first) and
    ``themes_avoided`` (the article's themes the speaker never addresses) to a speakers table.

    Both are lists of codebook ids joined by ``;`` (data, not display text): each theme's
    share, n and position are in the stances table, one row per speaker and theme."""
    themes = {}
    for speaker, group in stances.groupby("speaker"):
        ranked = group.sort_values(["n_sentences", "theme_id"], ascending=[False, True])
        themes[speaker] = ";".join(ranked["theme_id"])
    return speakers.assign(
        themes=speakers["speaker"].map(lambda s: themes.get(s, "")),
        themes_avoided=speakers["speaker"].map(lambda s: ";".join(avoided.get(s, []))),
    )


def is_weak(basis: str) -> bool:
    """Whether a position rests on a weak tone (its ``basis`` starts with ``weak``)."""
    return str(basis).startswith("weak ")


def is_fight_frame(basis: str) -> bool:
    """Whether a position comes from a fight frame (``lutter contre``…), not from a tone."""
    return str(basis).startswith("framed as something to fight")


def position_label(position: str, basis: str, n: int | None = None) -> str:
    """A position as it is shown, its ``weak`` flag kept. With ``n`` (the sentences it rests
    on): ``against (weak, 1 sentence)``, ``for (3 sentences)``; without (where the count is
    shown beside it): ``against (weak)``, ``for``."""
    weak = is_weak(basis)
    if n is None:
        return f"{position} (weak)" if weak else str(position)
    count = f"{n} sentence{'s' if n != 1 else ''}"
    return f"{position} ({'weak, ' if weak else ''}{count})"


def comparison_table(stances: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Speakers × themes, each cell ``n · position`` (blank: not addressed): a one-minute read.

    A position resting on a weak tone reads ``1 · against (weak)`` (see :func:`position_label`).
    """
    if stances.empty:
        return pd.DataFrame()
    shown = [position_label(p, b) for p, b in zip(stances["position"], stances["basis"])]
    shown = pd.Series(shown, index=stances.index)
    cells = stances.assign(cell=stances["n_sentences"].astype(str) + " · " + shown)
    table = cells.pivot(index="speaker", columns="theme_id", values="cell").fillna("")
    columns = [t for t in codebook["theme_id"] if t in table.columns]
    return table[columns]
