"""Figures: a colour-blind-safe palette and deterministic saving (PNG + SVG, no timestamps)."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

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

    Output: the two paths. Saving twice gives identical bytes, so reruns leave git clean.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    with mpl.rc_context({"svg.hashsalt": "presse"}):
        fig.savefig(png, metadata={"Software": None}, bbox_inches="tight")
        fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return [png, svg]
