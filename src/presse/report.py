"""The annotated reading view: the article as HTML, each sentence marked by speaker, tone, themes.

:func:`render_annotated_fragment` gives the view as one ``<div>`` whose every element carries its
own ``style`` attribute (no class, no ``<style>`` sheet, no script, no external resource), so it
keeps its look wherever it is embedded: a notebook output, JupyterLab, the book's pages.
:func:`render_annotated_html` wraps the same fragment in a complete page that opens in any
browser. Both are deterministic: the speaker's colour behind each sentence, a tone mark under
it, its number as a superscript, the theme chips (the codebook's English labels) after it, and
on hover the rule that gave the speaker and the words behind the tone.
"""

from __future__ import annotations

import html

import pandas as pd

from presse.plots import MAX_SPEAKERS, SPEAKER_PALETTE, others_label, speaker_order, tint
from presse.sentiment import CLEAR_TONE

TONE_STYLE = {"negative": "#D55E00", "neutral": "#999999", "positive": "#009E73"}
#: light tints of the figures' speaker palette (:data:`presse.plots.SPEAKER_PALETTE`), one per
#: speaker, none repeated for up to 20 speakers; the others share :data:`OTHERS_LIGHT`
LIGHT = [tint(c) for c in SPEAKER_PALETTE]
OTHERS_LIGHT = "#E4E4E4"

#: Inline styles of the view's elements (each element carries its own, see the module doc).
STYLE = {
    "view": "font-family:Georgia,serif;line-height:1.8;color:#222;max-width:46em",
    "h1": "font-family:sans-serif;font-size:1.3em;margin:0 0 .6em 0",
    "legend": "font-family:sans-serif;font-size:.85em;line-height:2;margin-bottom:1.5em",
    "key": "display:inline-block;padding:0 .4em;margin:.1em .4em .1em 0;border-radius:.2em;"
    "line-height:1.5",
    "p": "margin:0 0 1em 0",
    "s": "padding:.1em .15em;border-bottom:3px solid",
    "sid": "font-family:sans-serif;font-size:.65em;color:#555;vertical-align:super;"
    "margin-right:.15em",
    "chip": "display:inline-block;font-family:sans-serif;font-size:.7em;line-height:1.4;"
    "border:1px solid #999;border-radius:.8em;padding:0 .45em;margin:0 0 0 .3em;color:#333;"
    "white-space:nowrap;background:#fff",
}


def speaker_colours(speakers: list[str]) -> dict[str, str]:
    """Light tints of the figures' speaker palette, in the order given (most present speakers
    first): the first 20 each get a colour of their own, any others :data:`OTHERS_LIGHT`."""
    names = list(dict.fromkeys(speakers))
    return {n: LIGHT[i] if i < MAX_SPEAKERS else OTHERS_LIGHT for i, n in enumerate(names)}


def _span(kind: str, content: str, extra: str = "", title: str = "") -> str:
    """One ``<span>`` of the view: ``data-kind`` names its role, ``style`` is its look."""
    tip = f' title="{html.escape(title)}"' if title else ""
    style = STYLE.get(kind, "") + (";" + extra if extra else "")
    return f'<span data-kind="{kind}" style="{style}"{tip}>{content}</span>'


def render_annotated_fragment(
    text: str,
    sentences: pd.DataFrame,
    paragraphs: pd.DataFrame,
    title: str = "Annotated article",
    theme_labels: dict[str, str] | None = None,
) -> str:
    """Render the article with its sentence annotations as one self-styled ``<div>``.

    Input: the article text, a sentences table (``sentence_id, paragraph_id, start, end,
    speaker, quote_type, rule, tone, polarity_adjusted, adjusted_words, themes``, and
    ``tone_strength`` when it has it: a weak tone is underlined dashed), the paragraphs table,
    and ``theme_labels`` (theme id -> label shown on its chip; an id without a label is shown
    as it is). Output: an HTML fragment as a string.
    """
    labels = theme_labels or {}
    frame = sentences.fillna({"speaker": "", "themes": "", "rule": "", "adjusted_words": ""})
    colours = speaker_colours(speaker_order(frame))  # the same colours as the figures'
    keys = [(n, c) for n, c in colours.items() if c != OTHERS_LIGHT]
    if len(keys) < len(colours):
        keys.append((others_label(len(colours) - len(keys)), OTHERS_LIGHT))
    legend = (
        "<b>Speakers</b> (background): "
        + "".join(_span("key", html.escape(n), f"background:{c}") for n, c in keys)
        + _span("key", "narration", "background:#FFFFFF;border:1px solid #ccc")
        + "<br><b>Tone</b> (underline, news reading): "
        + "".join(_span("key", t, f"border-bottom:3px solid {c}") for t, c in TONE_STYLE.items())
        + f" (dashed: a weak tone, |score| under {CLEAR_TONE:g}, which agreed with a careful"
        " reader only about four times in ten on unseen news)"
        + "<br><b>Themes</b>: the chips after each sentence. Hover a sentence for the rule that "
        "gave its speaker and the words behind its tone."
    )
    parts = [
        f'<div class="presse-annotated" style="{STYLE["view"]}">',
        f'<h1 style="{STYLE["h1"]}">{html.escape(title)}</h1>',
        f'<div data-kind="legend" style="{STYLE["legend"]}">{legend}</div>',
    ]
    for paragraph in paragraphs.itertuples():
        parts.append(f'<p style="{STYLE["p"]}">')
        inside = frame[frame["paragraph_id"] == paragraph.paragraph_id]
        for s in inside.itertuples():
            background = colours.get(s.speaker, "#FFFFFF")
            strength = getattr(s, "tone_strength", "")
            line = "dashed" if strength == "weak" else "solid"
            tip = (
                f"sentence {s.sentence_id} · speaker: {s.speaker or 'none'} ({s.quote_type})"
                f" · rule: {s.rule or '-'} · tone {s.tone} ({s.polarity_adjusted:+.2f}"
                f"{', ' + strength if strength else ''}):"
                f" {s.adjusted_words or 'no scored word'}"
            )
            look = (
                f"background:{background};border-color:{TONE_STYLE.get(s.tone, '#999')};"
                f"border-bottom-style:{line}"
            )
            sentence = _span("sid", str(s.sentence_id)) + html.escape(text[s.start : s.end])
            chips = "".join(
                _span("chip", html.escape(labels.get(t, t)), title=t)
                for t in str(s.themes).split(";")
                if t
            )
            parts.append(_span("s", sentence, look, title=tip) + chips + " ")
        parts.append("</p>")
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def render_annotated_html(
    text: str,
    sentences: pd.DataFrame,
    paragraphs: pd.DataFrame,
    title: str = "Annotated article",
    theme_labels: dict[str, str] | None = None,
) -> str:
    """The fragment of :func:`render_annotated_fragment` as a complete HTML document (string)."""
    fragment = render_annotated_fragment(text, sentences, paragraphs, title, theme_labels)
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title></head>\n"
        '<body style="margin:2em auto;padding:0 1em;max-width:48em">\n'
        f"{fragment}</body></html>\n"
    )
