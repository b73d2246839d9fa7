"""Each attribution sieve on its own: a sentence where it must fire and a near miss where it must
not (``tests/fixtures/sieves/sieves.csv``), the order in one place, proposals that do not change
the registry, and mentions that can never be speakers."""

from __future__ import annotations

import pandas as pd
import pytest
import spacy
from conftest import ROOT
from spacy.tokens import Doc

import presse.quotes.runner
from presse.codebooks import NOT_SPEAKERS, load_document_nouns, load_reporting_verbs
from presse.evaluation import speaker_matches
from presse.loading import read_article
from presse.parsing import parse_article
from presse.pipeline import analyze_article
from presse.quotes import ORDER, SIEVES, sieve_table
from presse.quotes.context import Context
from presse.quotes.mentions import load_not_speakers, mention_from, not_a_speaker, phrase_tokens
from presse.quotes.runner import TRACE_COLUMNS, attribute_quotes
from presse.quotes.text import ArticleIndex, article_quote_spans

CASES = pd.read_csv(ROOT / "tests" / "fixtures" / "sieves" / "sieves.csv", keep_default_na=False)
SIEVE_COLUMNS = [c for c in TRACE_COLUMNS if c.startswith("sieve_")]
PARSED_ELSEWHERE = {
    "document_issuer",
    "participle_noun",
    "subject_after",
    "new_entity",
}  # see the tests below


def analysed(text: str, nlp, tmp_path) -> dict:
    path = tmp_path / "article.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return analyze_article(read_article(path), nlp)


@pytest.fixture
def sieve_rule(request, monkeypatch):
    """The sieves as they propose: the indirect-speech sieve's own rule decides, not the report
    detector (whose decisions tests/test_detector.py tests), except for the sieve that proposes
    only to the detector."""
    if request.node.callspec.params["row"]["sieve"] != "complement_verb":
        monkeypatch.setattr(presse.quotes.runner, "load_report_detector", lambda: None)


def fired(tables: dict, sieve_id: str) -> pd.DataFrame:
    quotes = tables["quotes"]
    return quotes[(quotes[SIEVE_COLUMNS] == sieve_id).any(axis=1)]


def test_every_sieve_in_the_order_has_a_positive_and_a_negative_sentence():
    listed = {s for stage in ORDER.values() for s in stage} | {
        s.id for s in SIEVES.values() if s.stage == "entity"
    }
    covered = CASES.groupby("sieve")["case"].agg(set).to_dict()
    missing = [
        s
        for s in sorted(listed - PARSED_ELSEWHERE - {"reporting_verb"})
        if covered.get(s) != {"positive", "negative"}
    ]
    assert not missing, f"sieves without both test sentences: {missing}"


def test_the_order_names_only_registered_sieves_once():
    for stage, ids in ORDER.items():
        assert len(ids) == len(set(ids)), stage
        assert all(SIEVES[i].stage == stage for i in ids), stage
    table = sieve_table()
    assert table["description"].str.len().gt(5).all()


@pytest.mark.parametrize("row", CASES.to_dict("records"), ids=lambda r: f"{r['sieve']}-{r['case']}")
def test_sieve_on_its_sentence(row, nlp, tmp_path, sieve_rule):
    tables = analysed(row["text"], nlp, tmp_path)
    hits = fired(tables, row["sieve"])
    if row["sieve"] == "passive_no_agent":
        rules = " ".join(tables["sentences"]["rule"].fillna(""))
        assert ("without agent" in rules) == (row["case"] == "positive"), rules
    elif row["case"] == "positive":
        assert len(hits), tables["quotes"][["type", "speaker", *SIEVE_COLUMNS]].to_string()
    else:
        assert hits.empty, hits[["type", "speaker", *SIEVE_COLUMNS]].to_string()
    if row["speaker"]:  # the near miss is still attributed right, by another sieve
        speakers = tables["speakers"].set_index("speaker")["aliases"].to_dict()
        chosen = hits if len(hits) else tables["quotes"]
        assert any(
            speaker_matches(s, speakers.get(s, ""), row["speaker"]) for s in chosen["speaker"]
        ), chosen[["speaker", *SIEVE_COLUMNS]].to_string()


def hand_parsed(words, heads, deps, pos, lemmas=None):
    """A Doc with a given parse, so that a sieve is tested without the tagger's whims."""
    vocab = spacy.blank("fr").vocab
    doc = Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas or words)
    doc.user_data.update(offset=0, first_token_id=0, paragraph_id=1)
    return doc


def context_for(doc: Doc) -> Context:
    index = ArticleIndex([doc], article_quote_spans(doc.text, [(0, len(doc.text))]))
    table = pd.read_csv(NOT_SPEAKERS)
    return Context(
        index=index,
        lexicon=load_reporting_verbs(),
        document_nouns=load_document_nouns(),
        not_speakers=load_not_speakers(table),
    )


def test_document_issuer_and_participle_noun_on_a_hand_parse():
    # "TVE a émis un communiqué affirmant que X"
    words = ["TVE", "a", "émis", "un", "communiqué", "affirmant", "que", "rien", "change"]
    heads = [2, 2, 2, 4, 2, 4, 8, 8, 5]
    deps = ["nsubj", "aux:tense", "ROOT", "det", "obj", "acl", "mark", "nsubj", "ccomp"]
    pos = ["PROPN", "AUX", "VERB", "DET", "NOUN", "VERB", "SCONJ", "PRON", "VERB"]
    lemmas = ["TVE", "avoir", "émettre", "un", "communiqué", "affirmer", "que", "rien", "changer"]
    doc = hand_parsed(words, heads, deps, pos, lemmas)
    ctx = context_for(doc)
    proposal = SIEVES["document_issuer"].run(ctx, doc[5], False)
    assert proposal is not None and proposal.head.text == "TVE"
    # the same participle on a noun that is no document and whose issuer is unknown: no issuer
    doc2 = hand_parsed(
        ["un", "message", "affirmant", "que", "rien", "change"],
        [1, 1, 1, 5, 5, 2],
        ["det", "ROOT", "acl", "mark", "nsubj", "ccomp"],
        ["DET", "NOUN", "VERB", "SCONJ", "PRON", "VERB"],
        ["un", "message", "affirmer", "que", "rien", "changer"],
    )
    ctx2 = context_for(doc2)
    assert SIEVES["document_issuer"].run(ctx2, doc2[2], False) is None
    noun = SIEVES["participle_noun"].run(ctx2, doc2[2], False)
    assert noun is not None and noun.head.text == "message"
    # an idea is not a speaker: "l'idée affirmant" proposes nothing
    doc3 = hand_parsed(
        ["l'", "idée", "affirmant", "que", "rien", "change"],
        [1, 1, 1, 5, 5, 2],
        ["det", "ROOT", "acl", "mark", "nsubj", "ccomp"],
        ["DET", "NOUN", "VERB", "SCONJ", "PRON", "VERB"],
        ["le", "idée", "affirmer", "que", "rien", "changer"],
    )
    assert SIEVES["participle_noun"].run(context_for(doc3), doc3[2], False) is None


def test_subject_after_on_a_hand_parse():
    words = ["Déclare", "Paul", "que", "rien", "change"]
    doc = hand_parsed(
        words,
        [0, 0, 4, 4, 0],
        ["ROOT", "nsubj", "mark", "nsubj", "ccomp"],
        ["VERB", "PROPN", "SCONJ", "PRON", "VERB"],
        ["déclarer", "Paul", "que", "rien", "changer"],
    )
    proposal = SIEVES["subject_after"].run(context_for(doc), doc[0], False)
    assert proposal is not None and proposal.head.text == "Paul"
    doc2 = hand_parsed(
        ["Paul", "déclare", "que", "rien", "change"],
        [1, 1, 4, 4, 1],
        ["nsubj", "ROOT", "mark", "nsubj", "ccomp"],
        ["PROPN", "VERB", "SCONJ", "PRON", "VERB"],
        ["Paul", "déclarer", "que", "rien", "changer"],
    )
    assert SIEVES["subject_after"].run(context_for(doc2), doc2[1], False) is None


def test_sieves_propose_and_only_the_runner_commits(g7_article, nlp):
    docs = parse_article(g7_article, nlp)
    index = ArticleIndex(docs, article_quote_spans(g7_article.text, []))
    ctx = Context(index=index, lexicon=load_reporting_verbs())
    for sent in index.sentences:
        for token in sent:
            for sieve_id in ORDER["entity"]:
                SIEVES[sieve_id].run(ctx, token, ())
            if ctx.is_cue(token):
                for sieve_id in ORDER["mention"]:
                    if sieve_id != "governing_verb":
                        SIEVES[sieve_id].run(ctx, token, False)
    assert ctx.registry.entities == {} and ctx.candidates == []


# --------------------------------------------------------------------------- not speakers

NOT_SPEAKER_TEXTS = {
    "time expression": "« Nous ne lâcherons rien », a exhorté vendredi soir le ministre Paul Roux.",
    "amount": "Le cortège a réuni 35 000 personnes. « Nous ne lâcherons rien », ont-ils scandé.",
    "unbalanced bracket": "« Rien ne change ici », a déclaré la maire de Magny (centre-est.",
}


@pytest.mark.parametrize("kind", sorted(NOT_SPEAKER_TEXTS))
def test_no_speaker_is_a_time_an_amount_or_a_broken_phrase(kind, nlp, tmp_path):
    tables = analysed(NOT_SPEAKER_TEXTS[kind], nlp, tmp_path)
    for speaker in tables["speakers"].query("status == 'speaker'")["speaker"]:
        assert not any(w in speaker.lower() for w in ("vendredi", "soir", "000", "(")), speaker
        assert len(speaker.split()) <= 10
    if kind == "time expression":
        assert "Paul Roux" in set(tables["quotes"]["speaker"])


@pytest.mark.parametrize(
    "text, head_word, reason",
    [
        ("Vendredi soir a été calme dans la ville.", "soir", "time expression"),
        ("Les 35 000 euros ont été versés hier.", "euros", "amount"),
        ("La maire de Magny (centre-est a parlé.", "maire", ""),  # cut before the bracket
        ("Les manifestants de Paris ont crié fort.", "manifestants", ""),
    ],
)
def test_not_a_speaker_says_why(text, head_word, reason, nlp):
    doc = nlp(text)
    doc.user_data.update(offset=0, first_token_id=0)
    head = next(t for t in doc if t.text == head_word)
    mention = mention_from(head, 1)
    table = load_not_speakers(pd.read_csv(NOT_SPEAKERS))
    assert not_a_speaker(mention, phrase_tokens(head), table) == reason
    assert "(" not in mention.text


def test_a_quote_cut_by_a_line_break_is_one_quote(nlp, tmp_path):
    text = (
        '"Nous reviendrons samedi et nous serons\nplus nombreux", '
        "a promis la porte-parole Lea Simon."
    )
    tables = analysed(text, nlp, tmp_path)
    direct = tables["quotes"].query("type == 'direct'")
    assert len(direct) == 1 and direct.iloc[0]["speaker"] == "Lea Simon"
    assert direct.iloc[0]["end"] > text.index("\n")


def test_confidence_is_given_for_every_attribution(g7_article, nlp):
    docs = parse_article(g7_article, nlp)
    quotes = attribute_quotes(docs, g7_article.text)["quotes"]
    assert set(quotes["confidence"]) <= {"high", "medium", "low"}
    assert (quotes.loc[quotes["speaker"] == "", "confidence"] == "low").all()


@pytest.mark.parametrize(
    "name, why",
    [
        ("Samedi", "time expression"),  # a day the tagger took for a person
        ("Jeudi,", "time expression"),
        ("de 35 000 personnes", "amount"),
        ("Magny (centre-est", "unbalanced bracket"),
        ("un manifestant venu de loin avec ses deux enfants et sa femme ce matin", "phrase"),
        ("Marie Dupont", ""),
        ("des centaines de riverains", ""),  # a crowd speaks
        ("l'appel diffusé dimanche", ""),  # a document, dated
    ],
)
def test_a_settled_name_that_cannot_be_a_speaker_is_refused(name, why):
    from presse.codebooks import NOT_SPEAKERS, read_codebook
    from presse.quotes.mentions import load_not_speakers, name_not_a_speaker

    not_speakers = load_not_speakers(read_codebook(NOT_SPEAKERS, {"lemma", "kind"}))
    found = name_not_a_speaker(name, not_speakers)
    assert found.startswith(why) if why else found == ""


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "Des jeunes entrent dans le magasin. « Prends-moi un Oasis ! », crie l'un d'eux.",
            "l'un d'eux",
        ),
        (
            "Nicolas Hénin se souvient. L'un des geôliers lui a dit : « Je vais te décapiter. »",
            "L'un des geôliers",
        ),
        (
            "« Nous ne lâcherons rien », a déclaré l'une des manifestantes.",
            "l'une des manifestantes",
        ),
    ],
)
def test_one_of_a_group_is_a_speaker(text, speaker, nlp, tmp_path, monkeypatch):
    """``l'un des geôliers`` names the one who spoke (a person), without the clitic the parse
    hangs on the group (``lui``); not the speaker before, not nobody."""
    monkeypatch.setattr(presse.quotes.runner, "load_speaker_ranker", lambda: None)
    quotes = analysed(text, nlp, tmp_path)["quotes"]
    direct = quotes[quotes["type"] == "direct"]
    assert list(direct["speaker"]) == [speaker]
