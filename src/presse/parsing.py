"""Parsing with spaCy: paragraphs into sentences and tokens, once, kept as a table.

Loading ``fr_core_news_sm`` costs several seconds per process, so the collection parses the
article once (:func:`parse_article`), stores every token in a table (:func:`tokens_table`,
written to ``tokens.csv``) and later steps rebuild spaCy documents from that table
(:func:`docs_from_tokens`) without loading the model again.

Sentences are split paragraph by paragraph by spaCy's rule-based ``sentencizer``, placed before
the parser (the parser keeps those boundaries). On whole texts the statistical parser alone
merges and splits sentences around guillemets; the rule-based splitter on each paragraph
follows the punctuation, as a reader does, and the tokenizer keeps abbreviations such as
``M.`` whole so that they do not end a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from presse.loading import Article

MODEL = "fr_core_news_sm"

TOKEN_COLUMNS = [
    "token_id",
    "paragraph_id",
    "sentence_id",
    "start",
    "end",
    "text",
    "space",
    "lemma",
    "pos",
    "morph",
    "dep",
    "head",
    "ent_iob",
    "ent_type",
]


OPENING_MARKS = ("«", "“", "‹")
QUOTE_MARKS = frozenset("«»“”‹›")
NEUTRAL_MARK = '"'


@Language.component("fix_sentence_starts")
def fix_sentence_starts(doc: Doc) -> Doc:
    """Correct the sentencizer where a reader would not cut as it does.

    - An opening guillemet after a full stop starts the next sentence (the sentencizer keeps
      punctuation after a full stop with the sentence that ends): ``sûr. « Non, …``.
    - A "sentence" that begins with a lower-case word or a comma continues the previous one
      (``« … ! », a-t-il dit.``).
    """
    for token in doc[1:-1]:
        following = doc[token.i + 1]
        if token.text in OPENING_MARKS and following.is_sent_start and not token.is_sent_start:
            token.is_sent_start = True
            following.is_sent_start = False
    for token in doc[1:]:
        if token.is_sent_start and (token.text[:1].islower() or token.text in (",", ";", ":")):
            token.is_sent_start = False
    return doc


def load_model(name: str = MODEL) -> Language:
    """Return the French spaCy pipeline with rule-based sentence splitting before the parser:
    spaCy's ``sentencizer`` (cuts at . ! ?), then :func:`fix_sentence_starts`."""
    nlp = spacy.load(name)
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", before="parser")
        nlp.add_pipe("fix_sentence_starts", after="sentencizer")
    return nlp


def tokenize_with_splits(nlp: Language, text: str, split_at: Iterable[int] = ()) -> Doc:
    """Tokenize ``text``, also cutting tokens at the given character offsets (glued tokens).

    The text of the returned Doc is exactly ``text``: a cut adds no space, so offsets hold.
    """
    cuts = sorted(set(split_at))
    doc = nlp.make_doc(text)
    if not cuts:
        return doc
    words, spaces = [], []
    for token in doc:
        inner = [c - token.idx for c in cuts if token.idx < c < token.idx + len(token)]
        pieces = [token.text[a:b] for a, b in zip([0, *inner], [*inner, len(token)])]
        words.extend(pieces)
        spaces.extend([False] * (len(pieces) - 1) + [bool(token.whitespace_)])
    return Doc(nlp.vocab, words=words, spaces=spaces)


def with_words(doc: Doc, words: list[str]) -> Doc:
    """A copy of ``doc`` (spaces, sentence starts) with other ``words`` of the same lengths."""
    return Doc(
        doc.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in doc],
        sent_starts=[t.is_sent_start for t in doc],  # True, False or None (not set)
    )


def annotated_copy(parsed: Doc, words: list[str]) -> Doc:
    """``parsed`` with its own annotation (lemmas, parts of speech, morphology, dependencies,
    sentences, entities) but the given ``words`` (same number, same lengths)."""
    return Doc(
        parsed.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in parsed],
        lemmas=[w if w != t.text else t.lemma_ for w, t in zip(words, parsed)],
        pos=[t.pos_ or "X" for t in parsed],
        morphs=[str(t.morph) for t in parsed],
        deps=[t.dep_ or "dep" for t in parsed],
        heads=[t.head.i for t in parsed],
        sent_starts=[bool(t.is_sent_start) for t in parsed],
        ents=[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in parsed],
    )


def same_name_same_label(docs: list[Doc]) -> list[Doc]:
    """One name, one kind through an article: an entity whose text (or, for one word, the
    surname) is a person (``PER``) elsewhere in the article becomes a person here too.

    ``fr_core_news_sm`` labels a name from its context alone (``Antoni Pastor`` is ``ORG`` after
    ``a exclu`` and ``PER`` two sentences later); a reader knows it is the same person.
    """
    people = {e.text for doc in docs for e in doc.ents if e.label_ == "PER"}
    surnames = {name.split()[-1] for name in people if len(name.split()) > 1}
    for doc in docs:
        relabelled = [
            Span(doc, e.start, e.end, label="PER")
            if e.label_ != "PER" and (e.text in people or (len(e) == 1 and e.text in surnames))
            else e
            for e in doc.ents
        ]
        doc.ents = relabelled
    return docs


def parse_article(article: Article, nlp: Language) -> list[Doc]:
    """Parse each paragraph of ``article`` (glued tokens split). One Doc per paragraph.

    Sentences are cut on the text as written. The tagger, parser and entity recogniser then see
    every guillemet (« » “ ” ‹ ›) as a straight quote ``"``: ``fr_core_news_sm`` often tags
    ``«`` as a verb or a noun and builds the sentence around it, while it reads ``"`` as
    punctuation. The returned Docs carry the original text, so offsets hold.
    """
    splitters = [n for n in ("sentencizer", "fix_sentence_starts") if n in nlp.pipe_names]
    originals = []
    for row in article.paragraphs.itertuples():
        cuts = [s - row.start for s in article.glued["split_at"] if row.start < s < row.end]
        doc = tokenize_with_splits(nlp, row.text, cuts)
        for name in splitters:
            doc = nlp.get_pipe(name)(doc)
        originals.append(doc)
    neutral = [
        with_words(doc, [NEUTRAL_MARK if t.text in QUOTE_MARKS else t.text for t in doc])
        for doc in originals
    ]
    parsed = nlp.pipe(neutral, disable=splitters)
    docs = [annotated_copy(p, [t.text for t in doc]) for p, doc in zip(parsed, originals)]
    docs = same_name_same_label(docs)
    first = 0
    for doc, row in zip(docs, article.paragraphs.itertuples()):
        doc.user_data.update(
            paragraph_id=int(row.paragraph_id), offset=int(row.start), first_token_id=first
        )
        first += len(doc)
    return docs


def tokens_table(docs: list[Doc], paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per token of the parsed paragraphs.

    Input: the Docs of :func:`parse_article` and the article's paragraph table.
    Output: columns ``TOKEN_COLUMNS``; ``start, end`` index the article, ``head`` is the
    ``token_id`` of the syntactic head, ``sentence_id`` counts sentences from 1 over the article.
    """
    rows, first_token, sentence_id = [], 0, 0
    for doc, para in zip(docs, paragraphs.itertuples(), strict=True):
        for token in doc:
            if token.is_sent_start:
                sentence_id += 1
            start = para.start + token.idx
            rows.append(
                (
                    first_token + token.i,
                    para.paragraph_id,
                    sentence_id,
                    start,
                    start + len(token.text),
                    token.text,
                    bool(token.whitespace_),
                    token.lemma_,
                    token.pos_,
                    str(token.morph),
                    token.dep_,
                    first_token + token.head.i,
                    token.ent_iob_,
                    token.ent_type_,
                )
            )
        first_token += len(doc)
    return pd.DataFrame(rows, columns=TOKEN_COLUMNS)


def tokens_within(tokens: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """The rows of a tokens table lying inside the character span ``[start, end)``.

    Same result as ``tokens[(tokens.start >= start) & (tokens.end <= end)]``; on a table in text
    order (as ``tokens_table`` makes it) it is found by binary search, which keeps long articles
    and corpora fast.
    """
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    if (starts[1:] < starts[:-1]).any() or (ends[1:] < ends[:-1]).any():
        return tokens[(starts >= start) & (ends <= end)]
    first = int(np.searchsorted(starts, start, side="left"))
    last = int(np.searchsorted(ends, end, side="right"))
    return tokens.iloc[first : max(first, last)]


def sentences_table(tokens: pd.DataFrame, text: str) -> pd.DataFrame:
    """One row per sentence: ``sentence_id, paragraph_id, start, end, text``.

    Input: a tokens table and the article text its offsets index.
    """
    grouped = tokens.groupby("sentence_id", sort=True).agg(
        paragraph_id=("paragraph_id", "first"), start=("start", "min"), end=("end", "max")
    )
    grouped = grouped.reset_index()
    grouped["text"] = [text[s:e] for s, e in zip(grouped["start"], grouped["end"])]
    return grouped[["sentence_id", "paragraph_id", "start", "end", "text"]]


def entities_table(tokens: pd.DataFrame) -> pd.DataFrame:
    """Named entities found by spaCy: ``sentence_id, start, end, text, label``."""
    rows, current, previous_space = [], None, False
    for t in tokens.itertuples():
        if t.ent_iob == "B" or (t.ent_iob == "I" and current is None):
            if current:
                rows.append(current)
            current = [t.sentence_id, t.start, t.end, t.text, t.ent_type]
        elif t.ent_iob == "I":
            gap = " " if previous_space else ""
            current[2], current[3] = t.end, current[3] + gap + t.text
        else:
            if current:
                rows.append(current)
            current = None
        previous_space = t.space
    if current:
        rows.append(current)
    return pd.DataFrame(rows, columns=["sentence_id", "start", "end", "text", "label"])


def docs_from_tokens(tokens: pd.DataFrame, vocab=None) -> list[Doc]:
    """Rebuild one spaCy Doc per paragraph from a tokens table, without loading the model.

    The Docs carry words, spaces, lemmas, parts of speech, morphology, dependencies, sentence
    boundaries and entities, so the rule-based steps that follow work on them as on fresh
    parses. ``doc.user_data`` holds ``paragraph_id`` and ``offset`` (article offset of the
    Doc's first character) and each token's ``token_id`` is ``offset_tokens + token.i``.
    """
    vocab = vocab if vocab is not None else spacy.blank("fr").vocab
    docs = []
    for paragraph_id, group in tokens.groupby("paragraph_id", sort=True):
        first = int(group["token_id"].iloc[0])
        sentence = group["sentence_id"].to_numpy()
        starts = [True] + [bool(a != b) for a, b in zip(sentence[1:], sentence[:-1])]
        ents = [
            f"{iob}-{typ}" if iob in ("B", "I") else "O"
            for iob, typ in zip(group["ent_iob"], group["ent_type"].fillna(""))
        ]
        doc = Doc(
            vocab,
            words=group["text"].astype(str).tolist(),
            spaces=group["space"].astype(bool).tolist(),
            lemmas=group["lemma"].fillna("").astype(str).tolist(),
            pos=group["pos"].fillna("X").astype(str).tolist(),
            morphs=group["morph"].fillna("").astype(str).tolist(),
            deps=group["dep"].fillna("dep").astype(str).tolist(),
            heads=(group["head"] - first).astype(int).tolist(),
            sent_starts=starts,
            ents=ents,
        )
        doc.user_data["paragraph_id"] = int(paragraph_id)
        doc.user_data["offset"] = int(group["start"].iloc[0])
        doc.user_data["first_token_id"] = first
        docs.append(doc)
    return docs
