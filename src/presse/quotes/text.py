"""Quotation marks, token helpers and the article index the sieves read.

Input: the article text and its parsed paragraphs (spaCy Docs whose ``user_data`` gives each
Doc's article ``offset`` and ``first_token_id``). Output: quote spans as ``(start, end)`` article
offsets, and an :class:`ArticleIndex` that finds the tokens, sentences and quotes at an offset by
binary search, so that the cost per quote does not grow with the length of the article.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Token

OPENING = {"«": "»", "“": "”", "‹": "›"}
CLOSING = {v: k for k, v in OPENING.items()}
STRAIGHT = '"'

#: French titles before a name, and the gender they tell.
TITLES = {
    "m.": "Masc",
    "mm.": "Masc",
    "mme": "Fem",
    "mmes": "Fem",
    "mlle": "Fem",
    "me": None,
    "dr": None,
    "pr": None,
}

#: Pronouns that can be the subject of a reporting verb or follow "selon": (gender, number).
PRONOUNS = {
    "il": ("Masc", "Sing"),
    "elle": ("Fem", "Sing"),
    "ils": (None, "Plur"),
    "elles": ("Fem", "Plur"),
    "lui": ("Masc", "Sing"),
    "eux": (None, "Plur"),
}

#: Demonstratives that stand for a person when a relative clause follows (``ajoute celle qui a
#: été nommée …``): (gender, number), as for pronouns.
DEMONSTRATIVES = {
    "celui": ("Masc", "Sing"),
    "celle": ("Fem", "Sing"),
    "ceux": (None, "Plur"),
    "celles": ("Fem", "Plur"),
}

#: Lower-case words that belong to French and other names (Kito de Pavant, Ludwig van Beethoven).
PARTICLES = {
    "de", "du", "des", "d'", "d’", "la", "le", "van", "von", "der", "da", "di", "al", "el",
    "ben", "bin",
}  # fmt: skip
SENTENCE_END = {".", "!", "?", "…"}
#: Prepositions that link nouns inside one phrase ("le ministre de l'Intérieur").
GENITIVE = ("de", "d'", "d’", "du", "des")
#: Words that open a clause of their own (``… lorsque le pape l'a nommé «…»``): a reporting verb
#: before them belongs to another clause than the quote after them.
CLAUSE_OPENERS = {"lorsque", "lorsqu'", "lorsqu’", "quand", "car", "puisque", "tandis"}
QUE = ("que", "qu'", "qu’")


# --------------------------------------------------------------------------- quote spans


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quoted spans of ``text`` as ``(start, end)``, marks included.

    « », “ ”, ‹ › nest; straight double quotes open when none is open and close otherwise. A
    quote still open at the end of the text runs to its end (a quote that goes on in the next
    paragraph).
    """
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in OPENING:
            stack.append((ch, i))
        elif ch in CLOSING:
            if stack and stack[-1][0] == CLOSING[ch]:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
        elif ch == STRAIGHT:
            if stack and stack[-1][0] == STRAIGHT:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
            else:
                stack.append((ch, i))
    if stack:
        spans.append((stack[0][1], len(text)))
    return spans


def continues_in(mark: str, following: str) -> bool:
    """Does a quote opened with ``mark`` and still open at the end of a paragraph close in the
    ``following`` paragraph (a line break inside a sentence, as scraped news has)? It does when
    the closing mark comes there before any new opening one; a straight quote, when that
    paragraph holds an odd number of them."""
    if mark == STRAIGHT:
        return following.count(STRAIGHT) % 2 == 1
    close = following.find(OPENING[mark])
    reopen = following.find(mark)
    return close >= 0 and (reopen < 0 or close < reopen)


def article_quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quote spans of a whole article, paragraph by paragraph (``paragraphs``: ``(start, end)``
    offsets). A quote left open at the end of a paragraph is joined with the next paragraph
    when that paragraph closes it (:func:`continues_in`), so that a quote cut by a hard line
    break is one quote; otherwise it runs to the end of its paragraph."""
    spans: list[tuple[int, int]] = []
    carry = None  # (start of the open quote, its mark)
    for n, (p_start, p_end) in enumerate(paragraphs):
        chunk = text[p_start:p_end]
        if carry is not None:
            start, mark = carry
            close_at = chunk.find(OPENING[mark]) if mark != STRAIGHT else chunk.find(STRAIGHT)
            spans.append((start, p_start + close_at + 1))
            chunk_from = close_at + 1
            carry = None
        else:
            chunk_from = 0
        local = find_quote_spans(chunk[chunk_from:])
        base = p_start + chunk_from
        for s, e in local:
            s, e = base + s, base + e
            opened_to_end = (
                e == p_end
                and text[e - 1] not in CLOSING
                and (text[e - 1] != STRAIGHT or e - 1 == s)
            )
            if opened_to_end and n + 1 < len(paragraphs):
                following = text[paragraphs[n + 1][0] : paragraphs[n + 1][1]]
                if continues_in(text[s], following):
                    carry = (s, text[s])
                    continue
            spans.append((s, e))
    return spans


# --------------------------------------------------------------------------- token helpers


def offset(token: Token) -> int:
    """Article offset of ``token`` (Docs carry their paragraph's offset in ``user_data``)."""
    return token.doc.user_data.get("offset", 0) + token.idx


def end_offset(token: Token) -> int:
    return offset(token) + len(token.text)


def token_id(token: Token) -> int:
    return token.doc.user_data.get("first_token_id", 0) + token.i


def is_word(token: Token) -> bool:
    return not (token.is_punct or token.is_space or token.pos_ in ("PUNCT", "SPACE"))


def bare(token: Token) -> str:
    """Lower-case text without the hyphen of an inverted pronoun (``-il`` -> ``il``)."""
    return token.text.lower().lstrip("-")


def is_one_of(token: Token) -> bool:
    """``un`` / ``une`` of ``l'un des activistes``, ``l'une d'elles``, ``un des élus``: a
    pronoun followed by *de* that names one of a group."""
    doc = token.doc
    return (
        token.lower_ in ("un", "une")
        and token.pos_ in ("PRON", "NUM", "DET")
        and token.i + 1 < len(doc)
        and doc[token.i + 1].lower_ in ("des", "de", "d'", "d’", "du")
    )


def feature(token: Token, name: str) -> str | None:
    values = token.morph.get(name)
    return values[0] if values else None


class ArticleIndex:
    """Tokens, sentences and quote spans of an article, found by offset in logarithmic time.

    Input: the paragraph Docs (in article order) and the quote spans (sorted, not overlapping).
    ``sentences`` numbers sentences from 1 in reading order, as the sentences table does.
    """

    def __init__(self, docs: list[Doc], quote_spans: list[tuple[int, int]]):
        self.docs = docs
        self.tokens: list[Token] = [t for doc in docs for t in doc]
        self.starts = [offset(t) for t in self.tokens]
        self.sentences = [s for doc in docs for s in doc.sents]
        self.sentence_starts = [offset(s[0]) for s in self.sentences]
        self.sentence_ends = [end_offset(s[-1]) for s in self.sentences]
        self.quote_spans = sorted(quote_spans)
        self.quote_starts = [s for s, _ in self.quote_spans]

    def sentence_number(self, token: Token) -> int:
        """1-based number of the sentence holding ``token``."""
        return bisect_right(self.sentence_starts, offset(token))

    def in_quote(self, token: Token) -> tuple[int, int] | None:
        """The quote span holding ``token``'s first character, or None."""
        o = offset(token)
        i = bisect_right(self.quote_starts, o) - 1
        if i >= 0 and self.quote_spans[i][0] <= o < self.quote_spans[i][1]:
            return self.quote_spans[i]
        return None

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens whose first character lies in ``[start, end)``."""
        return self.tokens[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def words(self, start: int, end: int, cut: list[tuple[int, int]] = ()) -> list[Token]:
        """Word tokens in ``[start, end)`` outside the ``cut`` spans (incises)."""
        return [
            t
            for t in self.tokens_between(start, end)
            if is_word(t) and not any(a <= offset(t) < b for a, b in cut)
        ]

    def sentences_of_span(self, start: int, end: int) -> list[int]:
        """Numbers of the sentences that overlap ``[start, end)``."""
        first = bisect_right(self.sentence_ends, start)
        last = bisect_left(self.sentence_starts, end)
        return list(range(first + 1, last + 1))

    def quotes_starting_in(self, sentence_number: int) -> list[tuple[int, int]]:
        """Quote spans that open inside sentence ``sentence_number``."""
        s = self.sentence_starts[sentence_number - 1]
        e = self.sentence_ends[sentence_number - 1]
        return self.quote_spans[
            bisect_left(self.quote_starts, s) : bisect_left(self.quote_starts, e)
        ]
