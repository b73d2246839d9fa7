"""Class materials: the article to read before any analysis, and a student's own tone labels.

- :func:`article_html`: the whole text, paragraphs numbered, left-aligned at a readable width,
  with nothing computed about it (no speakers, no scores): what a class reads first (notebook 01).
- :func:`labelling_sentences`: the sentences a student labels before seeing any score
  (notebook 03), drawn the same way on every run of the same article.
- :func:`compare_labels` and :func:`labels_summary`: the student's labels beside textblob-fr's,
  the news reading's and, when the article has one, the careful human reading.

Nothing here knows any article: every function reads the tables it is given.
"""

from __future__ import annotations

import html
import re

import pandas as pd

#: the three tones a student may write (the same as the tables' ``tone`` columns)
TONES = ("negative", "neutral", "positive")

#: a word is a run of characters holding at least one letter or digit (punctuation alone is not)
_WORD = re.compile(r"\S*\w\S*")


def article_html(paragraphs: pd.DataFrame, width_ch: int = 72, title: str | None = None) -> str:
    """The article as HTML to read: one numbered paragraph after another.

    Input: a paragraphs table (``paragraph_id``, ``text``; :attr:`presse.loading.Article.
    paragraphs`), the line width in characters (``ch`` units) and an optional title.
    Output: an HTML fragment: an ordered list whose numbers are the ``paragraph_id`` values,
    left-aligned, wrapped by the browser at ``width_ch`` characters. The text is escaped, and
    a line break inside a paragraph stays a line break; nothing else is added to it.
    """
    items = []
    for row in paragraphs.sort_values("paragraph_id").itertuples(index=False):
        text = html.escape(str(row.text)).replace("\r\n", "\n").replace("\n", "<br>")
        items.append(
            f'<li value="{int(row.paragraph_id)}" style="margin: 0 0 0.7em 0; '
            f'padding-left: 0.3em">{text}</li>'
        )
    heading = f"<h4 style=\"text-align: left\">{html.escape(title)}</h4>" if title else ""
    return (
        f'<div class="article-text" style="max-width: {int(width_ch)}ch; text-align: left; '
        f'line-height: 1.5; font-family: Georgia, serif">{heading}'
        f'<ol style="padding-left: 2.5em; margin: 0">{"".join(items)}</ol></div>'
    )


def count_words(text: str) -> int:
    """Number of words of ``text``: runs between spaces that hold a letter or a digit."""
    return len(_WORD.findall(str(text)))


def labelling_sentences(sentences: pd.DataFrame, n: int = 5, min_words: int = 6) -> pd.DataFrame:
    """The sentences a student labels: the first ``n`` of ``min_words`` words or more.

    Input: a sentences table (``sentence_id``, ``text``, in reading order or not). Output: at most
    ``n`` rows ``number`` (1 to n, the order the student labels them in), ``sentence_id``,
    ``text``, in reading order. Only the text is kept, so no score can be shown with it; the same
    article always gives the same sentences. Short sentences (a dateline, a title) are skipped
    because their tone is rarely a question; when fewer than ``n`` are long enough, the shorter
    ones follow in reading order.
    """
    ordered = sentences.sort_values("sentence_id")[["sentence_id", "text"]]
    long_enough = ordered["text"].map(count_words) >= min_words
    chosen = pd.concat([ordered[long_enough], ordered[~long_enough]]).head(n)
    chosen = chosen.sort_values("sentence_id").reset_index(drop=True)
    return chosen.assign(number=range(1, len(chosen) + 1))[["number", "sentence_id", "text"]]


def read_labels(labels: list[str] | tuple[str, ...] | dict, chosen: pd.DataFrame) -> pd.Series:
    """The student's labels as a series indexed by ``sentence_id`` (``""`` where none is given).

    Input: ``labels``, either a list in the order the sentences were shown (``number`` 1, 2, …)
    or a dict ``{number: tone}``; and the table of :func:`labelling_sentences`. A label is one of
    :data:`TONES`, case and spaces ignored; ``""`` or ``None`` means not labelled. Raises
    ``ValueError`` naming the label to fix when a label is not a tone or a number is not shown.
    """
    numbers = list(chosen["number"])
    if isinstance(labels, dict):
        unknown = [k for k in labels if k not in numbers]
        if unknown:
            raise ValueError(
                f"my_labels has number {unknown[0]!r}, but the sentences shown are numbered "
                f"{numbers[0]} to {numbers[-1]}: use those numbers"
            )
        given = [labels.get(k) for k in numbers]
    else:
        given = list(labels)
        while len(given) > len(numbers) and not str(given[-1] or "").strip():
            given.pop()  # the cell's five empty slots, for an article with fewer sentences
        if len(given) > len(numbers):
            raise ValueError(
                f"my_labels has {len(given)} labels for {len(numbers)} sentences: "
                "write one label per sentence shown"
            )
        given += [None] * (len(numbers) - len(given))
    tones = []
    for number, value in zip(numbers, given):
        tone = "" if value is None else str(value).strip().lower()
        if tone and tone not in TONES:
            raise ValueError(
                f"label {value!r} of sentence {number} is not a tone: write one of "
                f"{', '.join(TONES)} (or leave it empty)"
            )
        tones.append(tone)
    return pd.Series(tones, index=list(chosen["sentence_id"]), name="yours")


def compare_labels(
    chosen: pd.DataFrame,
    labels: list[str] | tuple[str, ...] | dict,
    scored: pd.DataFrame,
    human: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The student's labels beside the tools' and the careful reader's.

    Input: the sentences shown (:func:`labelling_sentences`), the student's labels (see
    :func:`read_labels`), the scored sentences (``sentence_id``, ``tone_raw``: textblob-fr as it
    is, ``tone``: the news reading) and, when the article has one, the human reading
    (``sentence_id``, ``tone``). Output: one row per sentence shown: ``number``, ``sentence_id``,
    ``text``, ``yours``, ``textblob-fr``, ``news reading`` and ``careful reader`` (``""`` where
    the article has no human reading of that sentence).
    """
    yours = read_labels(labels, chosen)
    tools = scored.set_index("sentence_id")
    ids = list(chosen["sentence_id"])
    hand = {} if human is None else dict(zip(human["sentence_id"], human["tone"]))
    return chosen.assign(
        yours=list(yours),
        **{
            "textblob-fr": [tools.at[i, "tone_raw"] for i in ids],
            "news reading": [tools.at[i, "tone"] for i in ids],
            "careful reader": [hand.get(i, "") for i in ids],
        },
    )


def labels_summary(compared: pd.DataFrame) -> str:
    """One or two sentences saying how far each reading agrees with the student's labels.

    Input: the table of :func:`compare_labels`. Output: text; when no label was entered it says
    so, and how to enter them, instead of counting anything.
    """
    labelled = compared[compared["yours"] != ""]
    if labelled.empty:
        return (
            "No labels entered: write negative, neutral or positive for each sentence in "
            "`my_labels` (the cell before section 1), then run the notebook again from there."
        )
    n = len(labelled)
    parts = []
    for column in ("textblob-fr", "news reading", "careful reader"):
        known = labelled[labelled[column] != ""]
        if known.empty:
            continue
        agreed = int((known[column] == known["yours"]).sum())
        parts.append(f"{column} on {agreed} of {len(known)}")
    text = f"You labelled {n} of {len(compared)} sentences. Your labels agree with " + (
        "; ".join(parts) + "."
    )
    if (compared["careful reader"] == "").all():
        text += " This article has no careful human reading to compare with."
    return text
