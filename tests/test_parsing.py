"""Parsing: sentences as a reader counts them, token table round trip, offsets."""

from __future__ import annotations

from presse.loading import read_article
from presse.parsing import (
    docs_from_tokens,
    entities_table,
    parse_article,
    sentences_table,
    tokenize_with_splits,
    tokens_table,
)


def analyse(article, nlp):
    docs = parse_article(article, nlp)
    tokens = tokens_table(docs, article.paragraphs)
    return docs, tokens, sentences_table(tokens, article.text)


def test_g7_article_splits_into_the_19_sentences_a_reader_counts(g7_article, nlp):
    _, _, sentences = analyse(g7_article, nlp)
    assert len(sentences) == 19
    texts = sentences["text"].tolist()
    # the three-sentence quote of paragraph 7 gives three sentences, guillemets kept with them
    assert texts[6].startswith("«Tout ça converge") and texts[6].endswith("centralisée.")
    assert texts[7].endswith("a-t-il indiqué aux médias après le sommet.")
    assert texts[8].endswith("entre eux.»")
    # the abbreviation "M." does not end a sentence
    assert texts[15].startswith("M. Anandasangaree a raconté")
    assert texts[17].endswith("a mentionné M. Anandasangaree.")
    for row in sentences.itertuples():
        assert g7_article.text[row.start : row.end] == row.text


def test_glued_token_is_split_without_changing_the_text(nlp):
    text = "Les pays du G7devaient agir."
    doc = tokenize_with_splits(nlp, text, [text.index("devaient")])
    assert doc.text == "Les pays du G7devaient agir."
    assert [t.text for t in doc][3:5] == ["G7", "devaient"]


def test_sentences_never_cross_paragraphs(tmp_path, nlp):
    path = tmp_path / "a.txt"
    path.write_text("Un titre sans point\nLe texte commence ici. Il continue.\n", encoding="utf-8")
    _, _, sentences = analyse(read_article(path), nlp)
    expected = ["Un titre sans point", "Le texte commence ici.", "Il continue."]
    assert sentences["text"].tolist() == expected
    assert sentences["paragraph_id"].tolist() == [1, 2, 2]


def test_docs_rebuilt_from_the_token_table_match_the_parse(g7_article, nlp):
    docs, tokens, _ = analyse(g7_article, nlp)
    rebuilt = docs_from_tokens(tokens)
    assert len(rebuilt) == len(docs)
    for a, b in zip(docs, rebuilt):
        assert a.text == b.text
        assert [(t.lemma_, t.pos_, t.dep_, t.head.i, str(t.morph)) for t in a] == [
            (t.lemma_, t.pos_, t.dep_, t.head.i, str(t.morph)) for t in b
        ]
        assert [s.text for s in a.sents] == [s.text for s in b.sents]
        assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]
        assert a.user_data == b.user_data


def test_entities_include_the_people_named(g7_article, nlp):
    _, tokens, _ = analyse(g7_article, nlp)
    people = set(entities_table(tokens).query("label == 'PER'")["text"])
    assert {"Gary Anandasangaree", "Magnus Brunner", "Pam Bondi", "Rob Law"} <= people


def test_guillemets_are_parsed_as_punctuation_and_kept_in_the_text(tmp_path, nlp):
    path = tmp_path / "a.txt"
    text = "L'organisation, qui affirme « agir au nom de Dieu », a frappé."
    path.write_text(text + "\n", encoding="utf-8")
    docs = parse_article(read_article(path), nlp)
    assert docs[0].text == text
    marks = [t for t in docs[0] if t.text in "«»"]
    assert [t.text for t in marks] == ["«", "»"]
    assert all(t.pos_ == "PUNCT" and t.lemma_ == t.text for t in marks)
    verb = next(t for t in docs[0] if t.text == "affirme")
    assert verb.pos_ == "VERB"


def test_a_name_tagged_as_a_person_once_is_a_person_throughout(tmp_path, nlp):
    path = tmp_path / "a.txt"
    path.write_text(
        "Le parti a exclu hier, à l'unanimité, Antoni Pastor, député de Manacor.\n"
        "Antoni Pastor a déclaré qu'il ferait appel. Pastor reste maire.\n",
        encoding="utf-8",
    )
    docs = parse_article(read_article(path), nlp)
    labels = {(e.text, e.label_) for d in docs for e in d.ents if "Pastor" in e.text}
    assert labels and all(label == "PER" for _, label in labels), labels
