"""Class materials: the article's full text to read first (notebook 01), the five sentences a
student labels before any score and the comparison of their labels (notebook 03)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from presse.teaching import (
    article_html,
    compare_labels,
    count_words,
    labelling_sentences,
    labels_summary,
    read_labels,
)


def test_article_html_numbers_every_paragraph_left_aligned_and_escaped(g7_article):
    page = article_html(g7_article.paragraphs)
    items = re.findall(r'<li value="(\d+)"[^>]*>(.*?)</li>', page)
    assert [int(n) for n, _ in items] == list(g7_article.paragraphs["paragraph_id"])
    assert [html.unescape(t) for _, t in items] == list(g7_article.paragraphs["text"])
    assert "text-align: left" in page and "max-width: 72ch" in page
    assert "right" not in page and "120" not in page  # no right alignment, no cut at 120


def test_article_html_keeps_the_whole_text_and_adds_nothing_to_it():
    paragraphs = pd.DataFrame(
        {"paragraph_id": [2, 1], "text": ["Deux <b>& « trois »", "Un paragraphe\ncontinué " * 30]}
    )
    page = article_html(paragraphs, width_ch=60, title="Le texte")
    assert page.index('value="1"') < page.index('value="2"')  # reading order
    assert "&lt;b&gt;&amp; « trois »" in page and "<b>" not in page
    assert page.count("<br>") == 30 and "max-width: 60ch" in page and "Le texte" in page
    words = re.sub(r"<[^>]+>", " ", page)
    assert "…" not in words and html.unescape(words).count("continué") == 30


def sentences(texts):
    return pd.DataFrame({"sentence_id": range(1, len(texts) + 1), "text": texts})


LONG = "Les ministres ont annoncé hier une coopération renforcée."  # 8 words


def test_labelling_sentences_are_the_first_five_of_six_words_or_more():
    table = sentences(["Paris, lundi.", LONG, "Oui.", *[LONG.replace("hier", f"le {d}")
                                                       for d in range(1, 7)]])
    chosen = labelling_sentences(table.sample(frac=1, random_state=3))  # any order in
    assert list(chosen["sentence_id"]) == [2, 4, 5, 6, 7]
    assert list(chosen["number"]) == [1, 2, 3, 4, 5]
    assert list(chosen.columns) == ["number", "sentence_id", "text"]  # text only, no score
    assert chosen.equals(labelling_sentences(table))


def test_labelling_sentences_fill_in_with_short_ones_in_reading_order():
    chosen = labelling_sentences(sentences(["Court.", LONG, "Oui, dit-il.", LONG]))
    assert list(chosen["sentence_id"]) == [1, 2, 3, 4]
    assert count_words("« Oui », a-t-il dit .") == 3 and count_words("— …") == 0


@pytest.fixture
def five():
    return labelling_sentences(sentences([LONG] * 5))


@pytest.fixture
def scored():
    return pd.DataFrame({"sentence_id": [1, 2, 3, 4, 5],
                         "tone_raw": ["neutral", "positive", "neutral", "neutral", "negative"],
                         "tone": ["negative", "positive", "neutral", "positive", "negative"]})


def test_labels_are_read_as_a_list_in_order_or_by_number(five):
    assert list(read_labels([" Negative", "", None], five)) == ["negative", "", "", "", ""]
    assert list(read_labels({5: "positive"}, five)) == ["", "", "", "", "positive"]
    assert list(read_labels([], five).index) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("labels", "message"),
    [(["negatif"], "'negatif' of sentence 1 is not a tone"),
     (["neutral"] * 6, "6 labels for 5 sentences"),
     ({9: "neutral"}, "number 9")],
)
def test_a_bad_label_says_which_and_what_to_write(five, labels, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        read_labels(labels, five)


def test_no_labels_entered_is_said_and_nothing_is_counted(five, scored):
    compared = compare_labels(five, ["", "", "", "", ""], scored)
    summary = labels_summary(compared)
    assert summary.startswith("No labels entered") and "my_labels" in summary
    assert not re.search(r"\d of \d", summary)


def test_labels_are_compared_with_each_reading(five, scored):
    human = pd.DataFrame({"sentence_id": [1, 2, 3, 4, 5],
                          "tone": ["negative", "neutral", "neutral", "positive", "positive"]})
    compared = compare_labels(five, ["negative", "positive", "", "positive"], scored, human)
    assert list(compared["textblob-fr"]) == list(scored["tone_raw"])
    assert list(compared["careful reader"]) == list(human["tone"])
    summary = labels_summary(compared)
    assert "You labelled 3 of 5 sentences" in summary
    assert "textblob-fr on 1 of 3" in summary and "news reading on 3 of 3" in summary
    assert "careful reader on 2 of 3" in summary and "no careful human reading" not in summary


def test_without_a_human_reading_the_comparison_says_so(five, scored):
    compared = compare_labels(five, {1: "negative"}, scored)
    assert (compared["careful reader"] == "").all()
    summary = labels_summary(compared)
    assert "careful reader on" not in summary and "no careful human reading" in summary


def test_the_empty_slots_of_the_labelling_cell_fit_an_article_of_fewer_sentences():
    chosen = pd.DataFrame({"number": [1, 2], "sentence_id": [1, 2], "text": ["Un.", "Deux."]})
    assert list(read_labels(["", "", "", "", ""], chosen)) == ["", ""]
    with pytest.raises(ValueError, match="3 labels for 2 sentences"):
        read_labels(["neutral", "", "positive"], chosen)
