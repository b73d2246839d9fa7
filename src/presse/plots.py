"""Figures: palettes, bounded sizes, deterministic saving, and the collection's figures.

Every figure function takes pandas tables and returns a matplotlib figure; the notebooks call
them and save the result with :func:`save_figure`. The figures are built to hold on any article:

- **speakers**: the most present speakers are drawn, each in a colour of its own
  (:data:`SPEAKER_PALETTE`, 20 colours that do not repeat), the others grouped as "N other
  speakers" (:func:`top_speakers`);
- **sizes**: every figure is at most :data:`MAX_INCHES` on each side (2000 px as saved at 150
  dpi, the house style), and :func:`save_figure` lowers the resolution of a figure whose tight
  box would still exceed it;
- **limits**: tones live in [-1, 1]; their axes run a margin beyond (:data:`TONE_LIMITS`), so a
  point at ±1 is drawn whole;
- **counts**: a figure's n and its values come from the same table (a speaker's sentences, from
  the sentences table), and a position is shown with its ``weak`` flag
  (:func:`presse.stances.position_label`).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from presse.sentiment import resolve_band, speaker_sentiment
from presse.stances import is_fight_frame, is_weak, position_label

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)

#: One colour per speaker, none repeated, for up to 20 speakers: Okabe & Ito's seven colours
#: (black left for text), then Paul Tol's *muted* scheme (nine) and four of his *light* and
#: *bright* colours. Beyond 20, speakers are grouped (:func:`top_speakers`).
SPEAKER_PALETTE = (
    *OKABE_ITO[:7],
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#77AADD",
    "#FFAABB",
    "#BBCC33",
    "#000000",
)
MAX_SPEAKERS = len(SPEAKER_PALETTE)
OTHERS_COLOUR = "#5A5A5A"  # the speakers grouped as "N other speakers"
NARRATION_COLOUR = "#B0B0B0"  # sentences without a speaker
MAX_INCHES = 13.0  # 1950 px at savefig.dpi 150: every figure stays within 2000 x 2000 px
MAX_PIXELS = 2000
TONE_LIMITS = (-1.12, 1.12)  # a tone axis: [-1, 1] and a margin, so points at ±1 are whole

#: How positions are drawn in the stance profile (face colour; weak ones are hollow).
POSITION_COLOURS = {
    "for": "#009E73",
    "against": "#D55E00",
    "positive tone": "#56B4E9",
    "negative tone": "#E69F00",
    "neutral": "#999999",
    "unclear": "#999999",
}


def use_house_style() -> None:
    """Set the collection's matplotlib defaults (palette, sizes, fixed SVG ids)."""
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "svg.hashsalt": "presse",  # stable element ids in SVG files
            "svg.fonttype": "none",  # text stays text (searchable, smaller)
        }
    )


def save_figure(fig: plt.Figure, stem: str, folder: str | Path = "../figures") -> list[Path]:
    """Save ``fig`` as ``folder/stem.png`` and ``folder/stem.svg`` with no date or version stamp.

    The PNG is at the house resolution (150 dpi), lowered just enough for a figure whose tight
    box would exceed :data:`MAX_PIXELS` on a side. Output: the two paths. Saving twice gives
    identical bytes, so reruns leave git clean.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    dpi = png_dpi(fig)
    with mpl.rc_context({"svg.hashsalt": "presse"}):
        fig.savefig(png, metadata={"Software": None}, bbox_inches="tight", dpi=dpi)
        fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return [png, svg]


def png_dpi(fig: plt.Figure, limit: int = MAX_PIXELS) -> float:
    """The resolution at which ``fig`` is saved: ``savefig.dpi`` (150), or less when its tight
    box (in inches, with the 0.1 in padding of ``bbox_inches="tight"``) would exceed ``limit``
    pixels on a side."""
    dpi = float(mpl.rcParams["savefig.dpi"]) if mpl.rcParams["savefig.dpi"] != "figure" else 100
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    largest = max(box.width, box.height) + 0.2
    return min(dpi, math.floor((limit - 2) / largest))


def bounded(width: float, height: float) -> tuple[float, float]:
    """A figure size in inches with neither side over :data:`MAX_INCHES`."""
    return min(width, MAX_INCHES), min(height, MAX_INCHES)


# --------------------------------------------------------------------------- speakers


def others_label(n: int) -> str:
    """``1 other speaker`` / ``7 other speakers``: the row or colour of a group of speakers."""
    return f"{n} other speaker{'s' if n != 1 else ''}"


def top_speakers(speakers: list[str], limit: int = MAX_SPEAKERS) -> tuple[list[str], list[str]]:
    """Split speakers (most present first) into the ``limit`` drawn one by one and the rest.

    When only one would be left over it is drawn too (a group of one is no group). Output:
    ``(kept, grouped)``."""
    speakers = list(dict.fromkeys(speakers))
    if len(speakers) <= limit + 1:
        return speakers, []
    return speakers[:limit], speakers[limit:]


def speaker_palette(speakers: list[str]) -> dict[str, str]:
    """A colour per speaker, in the order given: the first :data:`MAX_SPEAKERS` each get a colour
    of :data:`SPEAKER_PALETTE` (none repeated), the others :data:`OTHERS_COLOUR`."""
    names = list(dict.fromkeys(speakers))
    return {
        name: SPEAKER_PALETTE[i] if i < MAX_SPEAKERS else OTHERS_COLOUR
        for i, name in enumerate(names)
    }


def tint(colour: str, amount: float = 0.68) -> str:
    """``colour`` mixed with white (``amount`` of white): the pale version used as a
    background (the annotated view) or for low-confidence parts of a bar."""
    red, green, blue = mpl.colors.to_rgb(colour)
    mixed = [c + (1 - c) * amount for c in (red, green, blue)]
    return mpl.colors.to_hex(mixed).upper()


def speaker_order(sentences: pd.DataFrame) -> list[str]:
    """The speakers of a sentences table, most sentences first (ties: first to speak first);
    narration (an empty or missing speaker) left out."""
    said = sentences.assign(speaker=sentences["speaker"].fillna("").astype(str))
    said = said[said["speaker"] != ""]
    counts = said.groupby("speaker", sort=False).size()
    first = said.groupby("speaker", sort=False)["sentence_id"].min()
    frame = pd.DataFrame({"n": counts, "first": first})
    return frame.sort_values(["n", "first"], ascending=[False, True]).index.tolist()


MAX_TICKS = 40  # tick labels on an axis of sentences or paragraphs: beyond, every k-th one


def tick_step(n: int, limit: int = MAX_TICKS) -> int:
    """Label every ``tick_step``-th of ``n`` positions so that at most ``limit`` are labelled."""
    return max(1, math.ceil(n / limit))


# --------------------------------------------------------------------------- 01 and 04


def sentence_lengths_figure(lengths: pd.DataFrame) -> plt.Figure:
    """Figure of notebook 01: the words of each sentence in reading order, paragraphs in
    alternating blues. Input: ``sentence_id, paragraph_id, words``. On a long article the axis
    labels every k-th sentence (at most 40 labels), each with its paragraph."""
    n = len(lengths)
    colours = ["#0072B2" if p % 2 else "#56B4E9" for p in lengths["paragraph_id"]]
    fig, ax = plt.subplots(figsize=bounded(min(max(9.0, 0.06 * n + 4), MAX_INCHES), 3.4))
    ax.bar(lengths["sentence_id"], lengths["words"], color=colours)
    ax.set(
        xlabel="sentence (top) and paragraph (bottom)",
        ylabel="words",
        title="Sentence length through the article",
    )
    shown = lengths.iloc[:: tick_step(n)]
    ax.set_xticks(
        shown["sentence_id"],
        [f"{s}\n¶{p}" for s, p in zip(shown["sentence_id"], shown["paragraph_id"])],
        fontsize=8,
    )
    if n:
        ax.set_xlim(lengths["sentence_id"].min() - 0.8, lengths["sentence_id"].max() + 0.8)
    fig.tight_layout()
    return fig


def themes_by_paragraph_figure(grid: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Figure 6 of notebook 04: themes (rows) × paragraphs (columns), the number of each
    paragraph's sentences carrying each theme. Input: that count table (theme ids as index,
    paragraph ids as columns). Beyond 40 paragraphs the axis labels every k-th one."""
    values = grid.to_numpy(dtype=float)
    rows, columns = values.shape
    width = min(max(10.0, 0.16 * columns + 4), MAX_INCHES)
    fig, ax = plt.subplots(figsize=bounded(width, 0.32 * rows + 1.6))
    ax.imshow(values, cmap="Blues", vmin=0, vmax=max(2, values.max(initial=0)), aspect="auto")
    small = columns > MAX_TICKS
    for (i, j), value in np.ndenumerate(values):
        if value:
            ax.text(
                j,
                i,
                f"{value:.0f}",
                ha="center",
                va="center",
                fontsize=6 if small else 8,
                color="white" if value > 1 else "#08306B",
            )
    ax.set_yticks(range(rows), [labels.get(t, t) for t in grid.index])
    step = tick_step(columns)
    ax.set_xticks(range(0, columns, step), [f"¶{p}" for p in list(grid.columns)[::step]])
    ax.set(
        xlabel="paragraph (reading order)",
        title="Themes through the article (number of sentences per paragraph)",
    )
    ax.spines[["left", "bottom"]].set_visible(False)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- 02 share of voice


def share_of_voice(quotes: pd.DataFrame, max_speakers: int = 12) -> pd.DataFrame:
    """Words in direct quotes and number of indirect reports per speaker, with the part of each
    from ``low`` confidence attributions; speakers beyond ``max_speakers`` summed in one row
    ("N other speakers"). Input: a quotes table (``speaker, type, words, confidence``).
    Output: one row per speaker (most words first): ``words, words_low, indirect,
    indirect_low``, integers."""
    said = quotes[quotes["speaker"].fillna("") != ""]
    said = said.assign(low=said["confidence"] == "low")
    direct = said[said["type"] == "direct"]
    indirect = said[said["type"] == "indirect"]
    voice = pd.DataFrame(
        {
            "words": direct.groupby("speaker")["words"].sum(),
            "words_low": direct[direct["low"]].groupby("speaker")["words"].sum(),
            "indirect": indirect.groupby("speaker").size(),
            "indirect_low": indirect[indirect["low"]].groupby("speaker").size(),
        },
        columns=["words", "words_low", "indirect", "indirect_low"],
    )
    voice = voice.fillna(0).astype(int).sort_values(["words", "indirect"], ascending=False)
    kept, grouped = top_speakers(voice.index.tolist(), max_speakers)
    if grouped:
        rest = voice.loc[grouped].sum().rename(others_label(len(grouped)))
        voice = pd.concat([voice.loc[kept], rest.to_frame().T])
    voice.index.name = "speaker"
    return voice


def share_of_voice_figure(voice: pd.DataFrame) -> plt.Figure:
    """Figure 2 of notebook 02 from :func:`share_of_voice`: direct words and indirect reports per
    speaker, the pale part from ``low`` confidence attributions."""
    voice = voice.iloc[::-1]
    height = min(0.42 * len(voice) + 1.5, 9)
    fig, (left, right) = plt.subplots(1, 2, figsize=bounded(10, height), sharey=True)
    panels = (
        (left, "words", "words_low", "#0072B2", "words in direct quotes"),
        (right, "indirect", "indirect_low", "#E69F00", "indirect reports (n)"),
    )
    for ax, total, low, colour, label in panels:
        ax.barh(voice.index, voice[total] - voice[low], color=colour, label="high or medium")
        ax.barh(
            voice.index,
            voice[low],
            left=voice[total] - voice[low],
            color=tint(colour, 0.6),
            label="low: check",
        )
        ax.set(xlabel=label, xlim=(0, max(1, voice[total].max()) * 1.18))
        if total == "indirect":  # a count: whole numbers on its axis
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        for y, value in enumerate(voice[total]):
            ax.text(value, y, f" {value}", va="center", fontsize=9)
    left.set_title("Quoted directly")
    right.set_title("Reported indirectly")
    left.legend(loc="lower right", fontsize=8, frameon=False, title="confidence", title_fontsize=8)
    fig.suptitle("Share of voice by speaker", fontweight="bold")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- 03 tone


def sentiment_arc_figure(
    scored: pd.DataFrame,
    readings: list[tuple[str, str]],
    neutral_band: float | None = None,
    max_speakers: int = MAX_SPEAKERS,
) -> plt.Figure:
    """Figure 3 of notebook 03: each reading (``(column, label)``) through the article, one
    point per sentence coloured by its speaker (the ``max_speakers`` with most sentences each
    in a colour of their own, the others in one grey, narration pale grey), over the neutral
    band. Input: a scored sentences table (``sentence_id, speaker`` and the reading columns)."""
    band = resolve_band(neutral_band)
    kept, grouped = top_speakers(speaker_order(scored), max_speakers)
    palette = speaker_palette(kept)
    speaker = scored["speaker"].fillna("").astype(str)
    colours = [palette.get(s, OTHERS_COLOUR if s else NARRATION_COLOUR) for s in speaker]
    n = len(scored)
    width = min(max(8.0, 0.09 * n + 4), MAX_INCHES)
    legend_rows = math.ceil((len(kept) + 1 + bool(grouped)) / 4)
    height = 1.9 * len(readings) + 0.8 + 0.25 * legend_rows
    fig, axes = plt.subplots(
        len(readings), 1, figsize=bounded(width, height), sharex=True, sharey=True, squeeze=False
    )
    for ax, (column, label) in zip(axes[:, 0], readings):
        ax.axhspan(-band, band, color="#EEEEEE", zorder=0)
        ax.plot(scored["sentence_id"], scored[column], color="#CCCCCC", lw=1, zorder=1)
        ax.scatter(
            scored["sentence_id"],
            scored[column],
            c=colours,
            s=40 if n < 60 else 18,
            zorder=2,
            edgecolors="white",
            linewidths=0.4,
        )
        ax.set(ylabel="polarity", ylim=TONE_LIMITS, yticks=[-1, -0.5, 0, 0.5, 1], title=label)
    ticks = scored["sentence_id"].tolist()
    step = max(1, math.ceil(len(ticks) / 40))
    axes[-1, 0].set(xlabel="sentence", xticks=ticks[::step])
    axes[-1, 0].set_xlim(min(ticks, default=0) - 1, max(ticks, default=1) + 1)
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=s) for s, c in palette.items()]
    if grouped:
        handles.append(
            plt.Line2D(
                [], [], marker="o", ls="", color=OTHERS_COLOUR, label=others_label(len(grouped))
            )
        )
    handles.append(plt.Line2D([], [], marker="o", ls="", color=NARRATION_COLOUR, label="narration"))
    fig.legend(
        handles=handles, loc="lower center", ncol=min(4, len(handles)), frameon=False, fontsize=8
    )
    fig.suptitle("Tone through the article: three readings", fontweight="bold")
    fig.tight_layout(rect=(0, min((0.22 * legend_rows + 0.1) / fig.get_figheight(), 0.4), 1, 1))
    return fig


def majority_floor(labels: pd.Series) -> tuple[str, float]:
    """The accuracy of always answering the most frequent label: ``(label, share)`` (ties: the
    first in alphabetical order). The floor any reading has to beat on those labels."""
    counts = labels.value_counts()
    if counts.empty:
        return "", float("nan")
    top = counts[counts == counts.max()].sort_index()
    return str(top.index[0]), float(top.iloc[0] / counts.sum())


def agreement_summary(
    human: pd.Series, scored: pd.DataFrame, readings: dict[str, str]
) -> pd.DataFrame:
    """Each reading's agreement with ``human`` labels: one row per reading (``readings`` maps a
    tone column of ``scored`` to its label), ``accuracy, low, high`` (95% Wilson interval),
    ``kappa`` (Cohen's), ``n`` (an integer), rounded to 3 decimals for display."""
    from presse.sentiment import agreement

    rows = {}
    for column, label in readings.items():
        a = agreement(human, scored[column])
        rows[label] = dict(
            accuracy=a["accuracy"],
            low=a["interval"][0],
            high=a["interval"][1],
            kappa=a["kappa"],
            n=a["n"],
        )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "reading"
    return table.astype({"n": int}).round(3)


def agreement_figure(sets: list[tuple[str, pd.DataFrame, tuple[str, float]]]) -> plt.Figure:
    """Figure 4 of notebook 03: each reading's accuracy against a careful reader, one bar per
    set of sentences, each set with its measured floor (always its most frequent human label,
    :func:`majority_floor`), drawn as a dashed line of the set's colour.

    Input: ``(name, table, floor)`` per set, ``table`` from :func:`agreement_summary` (indexed
    by reading label) and ``floor`` as ``(label, share)``; the first set is drawn in blue,
    the next in grey."""
    colours = ["#0072B2", "#B0B0B0", "#E69F00"]
    floor_colours = ["#00304D", "#505050", "#7A5200"]  # darker: visible across the bars
    labels = list(dict.fromkeys(r for _, table, _ in sets for r in table.index))
    y = np.arange(len(labels))
    k = max(1, len(sets))
    height = 0.8 / k
    fig, ax = plt.subplots(figsize=bounded(8.5, (0.35 + 0.25 * k) * len(labels) + 2.0))
    for i, (name, table, floor) in enumerate(sets):
        colour = colours[i % len(colours)]
        offset = (i - (k - 1) / 2) * height
        table = table.reindex(labels)
        ax.barh(
            y + offset,
            table["accuracy"],
            height=height * 0.9,
            color=colour,
            label=f"{name}: accuracy",
        )
        if {"low", "high"} <= set(table.columns):
            ax.errorbar(
                table["accuracy"],
                y + offset,
                xerr=[table["accuracy"] - table["low"], table["high"] - table["accuracy"]],
                fmt="none",
                ecolor="#333333",
                lw=0.8,
                capsize=2,
            )
        for yy, acc, kappa, high in zip(
            y + offset, table["accuracy"], table["kappa"], table.get("high", table["accuracy"])
        ):
            if pd.notna(acc):
                ax.text(
                    max(acc, high if pd.notna(high) else acc) + 0.01,
                    yy,
                    f"{acc:.2f} (κ {kappa:.2f})",
                    va="center",
                    fontsize=7.5,
                    zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
                )
        if floor[0] and pd.notna(floor[1]):
            ax.axvline(
                floor[1],
                color=floor_colours[i % len(floor_colours)],
                ls="--",
                lw=1.2,
                zorder=3,
                label=f"{name}: always {floor[0]} ({floor[1]:.2f})",
            )
    ax.set_yticks(y, labels)
    ax.set(
        xlim=(0, 1.2),
        ylim=(len(labels) - 0.5, -0.5),
        xticks=np.arange(0, 1.01, 0.2),
        xlabel="accuracy: share of sentences on which the reading agrees with a careful reader",
        title="How far each reading agrees with a careful reader",
    )
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=7.5)
    fig.tight_layout()
    return fig


def speaker_tone_table(
    sentences: pd.DataFrame, max_speakers: int = 15, column: str = "polarity_adjusted"
) -> pd.DataFrame:
    """Each speaker's tone from their own sentences: ``speaker, n_sentences, n_scored_words,
    mean, min, max, ci_low, ci_high`` (:func:`presse.sentiment.speaker_sentiment`), most
    sentences first, narration left out; the speakers beyond ``max_speakers`` pooled into one
    row ("N other speakers", their sentences together). n and tone come from the same sentences,
    so a speaker is listed only with at least one sentence of their own."""
    said = sentences[sentences["speaker"].fillna("").astype(str) != ""]
    if said.empty:
        return pd.DataFrame(
            columns=[
                "speaker",
                "n_sentences",
                "n_scored_words",
                "mean",
                "min",
                "max",
                "ci_low",
                "ci_high",
            ]
        )
    kept, grouped = top_speakers(speaker_order(said), max_speakers)
    if grouped:
        said = said.assign(
            speaker=said["speaker"].where(said["speaker"].isin(kept), others_label(len(grouped)))
        )
    table = speaker_sentiment(said, column)
    order = {s: i for i, s in enumerate([*kept, others_label(len(grouped))])}
    table = table.sort_values("speaker", key=lambda s: s.map(order)).reset_index(drop=True)
    return table.astype({"n_sentences": int, "n_scored_words": int}).round(
        {c: 2 for c in ("mean", "min", "max", "ci_low", "ci_high")}
    )


def speaker_tone_figure(tone: pd.DataFrame, neutral_band: float | None = None) -> plt.Figure:
    """Figure 5 of notebook 03 from :func:`speaker_tone_table`: the mean (dot), min–max (thin line)
    and bootstrap interval (thick line, from 4 sentences) of each speaker's adjusted tone, with
    the n of sentences and scored words the dot is the mean of."""
    band = resolve_band(neutral_band)
    plot = tone.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=bounded(8.5, 0.42 * len(plot) + 1.5))
    for y, row in enumerate(plot.itertuples()):
        ax.plot([row.min, row.max], [y, y], color="#999999", lw=1)
        if pd.notna(row.ci_low):
            ax.plot([row.ci_low, row.ci_high], [y, y], color="#0072B2", lw=4, alpha=0.6)
        ax.plot(row.mean, y, "o", color="#0072B2", ms=7)
        words = f"{row.n_scored_words} scored word{'s' if row.n_scored_words != 1 else ''}"
        sentences = f"{row.n_sentences} sentence{'s' if row.n_sentences != 1 else ''}"
        ax.text(
            1.02,
            y,
            f"n = {sentences}, {words}",
            va="center",
            fontsize=8,
            transform=ax.get_yaxis_transform(),
        )
    ax.axvspan(-band, band, color="#EEEEEE", zorder=0)
    ax.set_yticks(range(len(plot)), plot["speaker"])
    ax.set_ylim(-0.6, len(plot) - 0.4)
    ax.set(
        xlim=TONE_LIMITS,
        xticks=[-1, -0.5, 0, 0.5, 1],
        xlabel="adjusted polarity (news reading)",
        title="Tone of each speaker's sentences",
    )
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- 05 stances


def speaker_theme_shares(
    stances: pd.DataFrame,
    sentences: pd.DataFrame,
    themes: list[str],
    max_speakers: int = 15,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The speaker × theme heatmap's numbers: ``(share, count, n_total)``, speakers as rows (most
    sentences first; those beyond ``max_speakers`` pooled in one row, "N other speakers", whose
    share is over their sentences together), ``themes`` as columns. ``n_total`` is each row's
    number of sentences, from the same sentences table the stances were computed from."""
    order = speaker_order(sentences)
    kept, grouped = top_speakers(order, max_speakers)
    speaker = sentences["speaker"].fillna("").astype(str)
    totals = speaker[speaker != ""].value_counts()
    count = stances.pivot(index="speaker", columns="theme_id", values="n_sentences").reindex(
        index=order, columns=themes
    )
    n_total = totals.reindex(order).fillna(0).astype(int)
    if grouped:
        label = others_label(len(grouped))
        pooled = count.loc[grouped].sum(min_count=1).rename(label)
        count = pd.concat([count.loc[kept], pooled.to_frame().T])
        n_total = pd.concat([n_total.loc[kept], pd.Series({label: n_total.loc[grouped].sum()})])
    share = count.div(n_total, axis=0)
    return share, count, n_total


def speaker_theme_heatmap(
    share: pd.DataFrame, count: pd.DataFrame, n_total: pd.Series, labels: dict[str, str]
) -> plt.Figure:
    """Figure 7 of notebook 05 from :func:`speaker_theme_shares`: colour is the share of a
    speaker's sentences carrying the theme; each cell gives the share and n."""
    rows, columns = share.shape
    width = min(max(8.0, 0.95 * columns + 5.0), MAX_INCHES)
    fig, ax = plt.subplots(figsize=bounded(width, 0.5 * rows + 2.2))
    values = share.fillna(0).to_numpy(dtype=float)
    ax.imshow(values, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (i, j), n in np.ndenumerate(count.to_numpy(dtype=float)):
        if not np.isnan(n):
            s = values[i, j]
            ax.text(
                j,
                i,
                f"{s:.0%}\n(n={int(n)})",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if s > 0.55 else "#08306B",
            )
    ax.set_xticks(
        range(columns), [labels.get(t, t) for t in share.columns], rotation=30, ha="right"
    )
    ax.set_yticks(range(rows), [f"{s} ({n_total[s]} sent.)" for s in share.index])
    ax.set_title("Share of each speaker's sentences that carry each theme")
    ax.spines[["left", "bottom"]].set_visible(False)
    fig.tight_layout()
    return fig


def stance_points(stances: pd.DataFrame) -> pd.DataFrame:
    """What the stance profile draws for each (speaker, theme): ``speaker, theme_id, x`` (the mean
    tone of the cited sentences, ``tone_mean``), ``low, high`` (their min and max),
    ``n_sentences, position, label`` (the position as the comparison table shows it,
    :func:`presse.stances.position_label`, and n), ``weak`` (drawn hollow), ``fight`` (drawn as
    a square: the position comes from a fight frame, not from the tone, so it may sit right of
    zero) and ``colour``."""
    return pd.DataFrame(
        {
            "speaker": stances["speaker"],
            "theme_id": stances["theme_id"],
            "x": stances["tone_mean"].astype(float),
            "low": stances["tone_min"].astype(float),
            "high": stances["tone_max"].astype(float),
            "n_sentences": stances["n_sentences"].astype(int),
            "position": stances["position"],
            "label": [
                f"{position_label(p, b)} · n={n}"
                for p, b, n in zip(stances["position"], stances["basis"], stances["n_sentences"])
            ],
            "weak": stances["basis"].map(is_weak).astype(bool),
            "fight": stances["basis"].map(is_fight_frame).astype(bool),
            "colour": stances["position"].map(POSITION_COLOURS).fillna("#999999"),
        }
    ).reset_index(drop=True)


def stance_profile_figure(
    stances: pd.DataFrame,
    order: list[str],
    themes: list[str],
    labels: dict[str, str],
    neutral_band: float | None = None,
    max_panels: int = 8,
    columns: int = 4,
) -> plt.Figure:
    """Figure 8 of notebook 05: one panel per speaker (the first ``max_panels`` of ``order``, in
    rows of ``columns``), one line per theme: the mean tone of the speaker's sentences on it, their
    range, and the position the stances table gives, written beside it and drawn as the marker's
    colour (hollow: a weak position; square: decided by a fight frame, whatever the tone).
    Speakers beyond ``max_panels`` are named in a note (their rows are in the stances table:
    positions are a speaker's own and are not pooled)."""
    band = resolve_band(neutral_band)
    drawn = [s for s in order if s in set(stances["speaker"])][:max_panels]
    left_out = len([s for s in order if s in set(stances["speaker"])]) - len(drawn)
    points = stance_points(stances[stances["speaker"].isin(drawn)])
    ncols = max(1, min(columns, len(drawn)))
    nrows = max(1, math.ceil(len(drawn) / ncols))
    row_height = 0.3 * len(themes) + 0.9
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=bounded(2.9 * ncols + 1.9, row_height * nrows + 1.3),
        sharey=True,
        squeeze=False,
    )
    for k, ax in enumerate(axes.flat):
        if k >= len(drawn):
            ax.set_visible(False)
            continue
        speaker = drawn[k]
        ax.axvspan(-band, band, color="#EEEEEE", zorder=0)
        ax.axvline(0, color="#CCCCCC", lw=0.6, zorder=0)
        mine = points[points["speaker"] == speaker].set_index("theme_id")
        for y, theme in enumerate(themes):
            if theme not in mine.index:
                continue
            p = mine.loc[theme]
            ax.plot([p["low"], p["high"]], [y, y], color="#999999", lw=1, zorder=1)
            ax.plot(
                p["x"],
                y,
                "s" if p["fight"] else "o",
                ms=min(4 + 1.5 * p["n_sentences"], 11),
                markeredgecolor=p["colour"],
                markeredgewidth=1.6,
                markerfacecolor="white" if p["weak"] else p["colour"],
                zorder=2,
            )
            ax.text(
                1.0,
                y - 0.32,
                p["label"],
                fontsize=6.5,
                ha="right",
                va="center",
                color="#333333",
                transform=ax.get_yaxis_transform(),
            )
        ax.set(xlim=TONE_LIMITS, xticks=[-1, 0, 1])
        ax.set_title(speaker if len(speaker) <= 30 else speaker[:29] + "…", fontsize=9)
        if k >= len(drawn) - ncols:
            ax.set_xlabel("mean tone of the sentences", fontsize=8)
    axes[0][0].set_yticks(range(len(themes)), [labels.get(t, t) for t in themes])
    axes[0][0].set_ylim(len(themes) - 0.4, -0.7)
    shown = set(points["position"]) | {"for", "against"}
    kinds = [
        (("for",), "for"),
        (("against",), "against"),
        (("positive tone",), "positive tone"),
        (("negative tone",), "negative tone"),
        (("neutral", "unclear"), "neutral or unclear"),
    ]
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=POSITION_COLOURS[names[0]], label=label)
        for names, label in kinds
        if shown & set(names)
    ]
    handles += [
        plt.Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="white",
            markeredgecolor="#555555",
            label="weak (tone under 0.3)",
        ),
        plt.Line2D([], [], marker="s", ls="", color="#555555", label="fight frame decides"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=7)
    title = "Stance profile: tone of each speaker's sentences per theme, and the position"
    if left_out:
        title += f"\n({others_label(left_out)} with a position not drawn: see the stances table)"
    fig.suptitle(title, fontweight="bold", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig
