"""Mentions: the noun phrases that can name a speaker, and which of them may.

Input: a head token of a parsed sentence. Output: a :class:`Mention` (the phrase as written, its
kind, the canonical name candidate, role, gender and number), or None. :func:`not_a_speaker`
says why a mention cannot be a speaker (a time expression, a date, a place alone, an amount, an
unbalanced bracket, a relative clause, a phrase of more than ten words), so that no sieve can
propose one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Token

from presse.quotes.text import GENITIVE, OPENING, TITLES, feature, is_one_of, is_word, token_id


@dataclass
class Mention:
    """A phrase that refers to a possible speaker."""

    text: str
    kind: str  # person, group, institution
    name: str  # canonical candidate: a person's name, else the phrase
    head_lemma: str
    gender: str | None
    number: str | None
    role: str = ""
    modifiers: frozenset = field(default_factory=frozenset)
    position: int = 0  # token id of the head
    sentence: int = 0
    proper: str = ""  # an institution's own name ("l'Élysée", "Febelfin")


def lower_determiner(text: str) -> str:
    """``Les ministres des Finances`` -> ``les ministres des Finances``; names stay capitalised."""
    first, _, rest = text.partition(" ")
    if first.lower() in ("le", "la", "les", "un", "une", "des", "de"):
        return first.lower() + (" " + rest if rest else "")
    if first[:2].lower() in ("l'", "l’"):  # "L'ACR" -> "l'ACR": only the article
        return first[:2].lower() + first[2:] + (" " + rest if rest else "")
    return text


# --------------------------------------------------------------------------- mentions


def phrase_tokens(head: Token, exclude: Iterable[Token] = ()) -> list[Token]:
    """The noun phrase of ``head``: its subtree minus relative clauses and edge punctuation."""
    dropped = set()
    for t in head.subtree:
        if t.dep_.startswith("acl:relcl") and t is not head:
            dropped |= {x.i for x in t.subtree}
        elif (
            t.dep_ in ("acl", "advcl")
            and t is not head
            and t.i > head.i
            and t.pos_ in ("VERB", "AUX")
            and head.doc[t.i - 1].text == ","
        ):  # "l'ex-ministre[, assurant ne pas regretter sa démission]"
            dropped |= {x.i for x in t.subtree} | {t.i - 1}
        if t.text in OPENING or t.text == '"':
            dropped |= {x.i for x in head.subtree if x.i >= t.i}
    for child in head.children:
        if (
            child.i > head.i
            and child.dep_.startswith("nmod")
            and any(c.dep_ == "case" and c.lower_ not in GENITIVE for c in child.children)
        ):
            dropped |= {t.i for t in child.subtree}  # "la porte-parole [à une question]"
        elif child.i < head.i and child.dep_ == "case":
            dropped |= {t.i for t in child.subtree}  # "[selon] le ministre"
    for t in exclude:
        dropped |= {x.i for x in t.subtree}
    tokens = [t for t in head.subtree if t.i not in dropped]
    while tokens and not is_word(tokens[-1]):
        tokens.pop()
    while tokens and (not is_word(tokens[0]) or tokens[0].pos_ == "ADV") and tokens[0] is not head:
        tokens.pop(0)
    return tokens


def span_text(tokens: list[Token]) -> str:
    """The text from the first to the last token; a name cut at an English possessive by the
    French tokenizer (``Moody'`` + ``s``) is given back its ``s``."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    end = tokens[-1].i + 1
    if end < len(doc) and tokens[-1].text[-1:] in ("'", "’") and doc[end].lower_ == "s":
        end += 1
    return doc[tokens[0].i : end].text


def name_in(tokens: list[Token]) -> list[Token]:
    """The person's name inside a phrase: a PER entity, else a run of proper nouns."""
    ids = {t.i for t in tokens}
    people = [
        ent
        for ent in (tokens[0].doc.ents if tokens else ())
        if ent.label_ == "PER" and ent.start in ids and ent.end - 1 in ids
    ]
    if people:  # several: the one in apposition after a comma is the name ("…, John Womersley")
        doc = tokens[0].doc
        after_comma = [e for e in people if e.start > 0 and doc[e.start - 1].text == ","]
        ent = (after_comma or people)[0]
        return [t for t in ent if t.text.lower() not in TITLES]
    run = []
    for t in tokens:
        if t.pos_ == "PROPN" and t.text[:1].isupper():
            run.append(t)
        elif run:
            break
    has_title = any(t.text.lower() in TITLES for t in tokens)
    return run if run and (has_title or (tokens[0].pos_ == "PROPN" and len(run) >= 2)) else []


def person_entity(token: Token):
    """The person entity (``PER``) ``token`` belongs to, or None."""
    if token.ent_type_ != "PER":
        return None
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


def determiner_gender(head: Token) -> str | None:
    """Gender told by the article of a noun (``la maire`` is feminine whatever the noun)."""
    for child in head.children:
        if child.dep_ == "det":
            word = child.lower_
            if word in ("la", "une", "cette"):
                return "Fem"
            if word in ("le", "un", "ce", "cet", "du", "au"):
                return "Masc"
    return None


def governing_gender(head: Token) -> str | None:
    """The gender told by the article of the noun a name depends on (``La ministre Claire
    Lenoir``: the tagger may call *Claire* masculine, the article says feminine)."""
    if head.dep_ in ("flat:name", "appos", "nmod", "flat") and head.head.pos_ == "NOUN":
        return determiner_gender(head.head)
    return None


def prepended_name(tokens: list[Token]) -> list[Token]:
    """A name before a phrase in apposition: ``Barroso, le président de la Commission``."""
    if not tokens or tokens[0].i < 2:
        return []
    doc, start = tokens[0].doc, tokens[0].i
    if doc[start - 1].text != ",":
        return []
    for ent in doc.ents:
        if ent.end == start - 1 and ent.start == ent.sent.start:
            # "Barroso, le président …": the tagger may call the name a place; a proper noun
            # opening the sentence before a subject in apposition is taken as the person
            if ent.label_ == "PER" or all(t.pos_ == "PROPN" for t in ent):
                return [t for t in ent if t.text.lower() not in TITLES]
    return []


def appended_name(tokens: list[Token]) -> list[Token]:
    """A name in apposition right after a phrase: ``leur porte-parole, Marc Girard``."""
    if not tokens:
        return []
    doc, end = tokens[-1].doc, tokens[-1].i + 1
    if end + 1 >= len(doc) or doc[end].text != ",":
        return []
    for ent in doc.ents:
        if ent.start == end + 1 and ent.label_ == "PER":
            return [t for t in ent if t.text.lower() not in TITLES]
    return []


def shorten(tokens: list[Token], head: Token) -> list[Token]:
    """A noun phrase of more than :data:`MAX_SPEAKER_WORDS` words cut to a name a reader would
    use: coordinated complements dropped first (``les ministres de l'Intérieur [et de la
    Sécurité] des pays membres du G7``), then complements from the right."""

    def count(ts):
        return len(span_text([t for t in ts if is_word(t)]).split()) if ts else 0

    if count(tokens) <= MAX_SPEAKER_WORDS:
        return tokens
    kept = list(tokens)
    commas = [t for t in tokens if t.text == "," and t.i < head.i]
    if (
        head.pos_ == "PROPN" or head.text[:1].isupper()
    ) and commas:  # "la principale association de …, l'April": the name
        kept = [t for t in tokens if t.i > commas[-1].i]
        if count(kept) <= MAX_SPEAKER_WORDS:
            return kept
    for t in tokens:
        if t.dep_ == "conj" and t is not head and t.head is not head:
            gone = {x.i for x in t.subtree}
            cc = [x.i for x in t.children if x.dep_ == "cc"]
            kept = [x for x in kept if x.i not in gone and x.i not in cc]
    while count(kept) > MAX_SPEAKER_WORDS:
        right = [
            t
            for t in kept
            if t.i > head.i
            and t.dep_ in ("nmod", "acl", "appos", "amod")
            and t.head.i in {k.i for k in kept}
        ]
        if not right:
            break
        gone = {x.i for x in right[-1].subtree}
        kept = [x for x in kept if x.i not in gone]
    while kept and not is_word(kept[-1]):
        kept.pop()
    return kept


def clean_edges(tokens: list[Token], head: Token) -> list[Token]:
    """A phrase without the clause the parse hung before it (``[Comme le rappelle]
    l'association``), without a leading preposition (``[Pour] la fédération …, l'April``), and
    cut before a bracket it does not close (``le président de l'Union … [(Ufip]``)."""
    kept = list(tokens)
    verbs = [t for t in kept if t.i < head.i and feature(t, "VerbForm") == "Fin"]
    if verbs:  # "[Comme le rappelle] l'association Amnesty International": the clause before
        kept = [t for t in kept if t.i > verbs[-1].i]
    while (
        kept
        and kept[0] is not head
        and (
            (kept[0].pos_ == "ADP" and kept[0].dep_ in ("case", "mark"))
            or kept[0].pos_ in ("CCONJ", "ADV")  # "[Mais] le suspect"
        )
    ):
        kept.pop(0)
    depth, cut = 0, None
    for n, t in enumerate(kept):
        if t.text in ("(", "["):
            depth += 1
            cut = n if depth == 1 else cut
        elif t.text in (")", "]"):
            depth = max(0, depth - 1)
    if depth and cut is not None and all(t.i != head.i for t in kept[cut:]):
        kept = kept[:cut]
    while kept and not is_word(kept[-1]):
        kept.pop()
    return kept or tokens


def one_of_phrase(tokens: list[Token], head: Token) -> list[Token]:
    """``l'un des geôliers`` out of ``l'un des geôliers lui`` (the parse hangs the clitic on the
    group): the phrase ends with the group's noun phrase, before any pronoun after it."""
    group = next((c for c in head.children if c.i > head.i + 1 and c.pos_ != "PRON"), None)
    if group is None:  # "l'un d'eux": the group is the pronoun
        return [t for t in tokens if t.i <= head.i + 2]
    last = head.i
    for t in head.doc[head.i + 1 : max(x.i for x in group.subtree) + 1]:
        if t.pos_ == "PRON" and t.i > group.i:
            break
        last = t.i
    return [t for t in tokens if t.i <= last]


def mention_from(head: Token, sentence: int, exclude: Iterable[Token] = ()) -> Mention | None:
    """Build the mention headed by ``head`` (a noun, proper noun or title), leaving out the
    subtrees of ``exclude``."""
    tokens = phrase_tokens(head, exclude)
    if is_one_of(head):
        tokens = one_of_phrase(tokens, head)
    if not tokens:
        return None
    name = name_in(tokens)
    whole = person_entity(head)
    if not name and whole:  # the parse split the name ("Rami | Abd al-Rahman", "De | Pavant")
        name = [t for t in whole if t.text.lower() not in TITLES]
        tokens = sorted({t.i: t for t in tokens + list(whole)}.values(), key=lambda t: t.i)
    if not name and head.pos_ == "NOUN":
        extra = appended_name(tokens)
        before = prepended_name(tokens)
        if extra:
            name = extra
            tokens = tokens + [t for t in head.doc[tokens[-1].i + 1 : extra[-1].i + 1]]
        elif before:
            name = before
            tokens = [t for t in head.doc[before[0].i : tokens[0].i]] + tokens
    title_gender = next((TITLES[t.text.lower()] for t in tokens if t.text.lower() in TITLES), None)
    gender = determiner_gender(head) or feature(head, "Gender")
    number = feature(head, "Number")
    if name:
        name_ids = {t.i for t in name}
        name_root = next((t for t in name if t.head.i not in name_ids), name[0])
        role_tokens = [t for t in tokens if t.i not in {x.i for x in name_root.subtree}]
        role_tokens = [t for t in role_tokens if t.text.lower() not in TITLES]
        while role_tokens and not is_word(role_tokens[-1]):
            role_tokens.pop()
        while role_tokens and not is_word(role_tokens[0]):
            role_tokens.pop(0)
        role = span_text(role_tokens) if any(t.pos_ in ("NOUN", "ADJ") for t in role_tokens) else ""
        if not role and head.dep_ in ("appos", "nmod") and head.head.pos_ in ("NOUN", "ADJ"):
            outer = phrase_tokens(head.head, exclude=[head])
            role = span_text(outer) if outer and outer[-1].i < head.i else ""
        role_gender = (determiner_gender(head) or feature(head, "Gender")) if role else None
        return Mention(
            text=span_text(tokens),
            kind="person",
            name=span_text(name),
            head_lemma=(head.lemma_.lower() if role else name[-1].text.lower()),
            gender=title_gender
            or role_gender
            or governing_gender(head)
            or feature(name[0], "Gender"),
            number="Sing",
            role=role,
            position=token_id(head),
            sentence=sentence,
        )
    full, tokens = tokens, clean_edges(shorten(tokens, head), head)
    ents = [e for e in head.doc.ents if e.start <= head.i < e.end]
    capitalised = head.text[:1].isupper() and head.i != head.sent.start
    proper, role = "", ""
    if is_one_of(head):  # "l'un des activistes": one member speaks, as a person
        kind = "person"
    elif head.pos_ == "PROPN" or capitalised or (ents and ents[0].label_ in ("ORG", "LOC", "MISC")):
        kind = "institution"
        proper = span_text(tokens)
    elif number == "Plur":
        kind = "group"
    else:
        kind = "institution"
    if not proper and kind == "institution":
        run = []
        for t in head.doc[head.i + 1 : head.sent.end]:
            if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.pos_ not in ("DET", "PUNCT")):
                run.append(t)
            else:
                break
        if run:  # "le quotidien El Punt Avui", "l'ONG Human Rights Watch"
            proper = span_text(run)
            role = span_text([t for t in tokens if t.i <= head.i])
    if not proper and kind == "institution":
        for child in head.children:  # "la fédération des banques, Febelfin" / ", l'ACR"
            previous = head.doc[child.i - 1]
            if previous.pos_ == "DET" and child.i >= 2 and head.doc[child.i - 2].text == ",":
                previous = head.doc[child.i - 2]
            if (
                child.i > head.i
                and previous.text == ","
                and (child.pos_ == "PROPN" or child.text[:1].isupper())
                and child.dep_ in ("appos", "nmod", "flat:name", "conj")
            ):
                proper = span_text(clean_edges(phrase_tokens(child), child))
                role = span_text([t for t in tokens if t.i < previous.i])
                break
    if proper and head.pos_ not in ("NOUN", "PROPN"):  # a name mis-tagged: its gender and number
        # ("Moody'" tagged as a masculine plural determiner): trust the article only
        gender = determiner_gender(head)
        number = "Sing"
    articles = {c.lower_ for c in head.children if c.dep_ == "det"}
    if articles & {"les", "des", "ces"}:  # the article tells the number ("les Talibans")
        number = "Plur"
    elif articles & {"le", "la", "l'", "l’", "un", "une"}:
        number = "Sing"
    modifiers = frozenset(
        t.lemma_.lower()
        for t in full
        if t.i != head.i and t.pos_ in ("NOUN", "PROPN", "ADJ") and is_word(t)
    )
    return Mention(
        text=span_text(tokens),
        kind=kind,
        name=span_text(tokens),
        head_lemma=head.lemma_.lower(),
        gender=gender,
        number=number or ("Plur" if kind == "group" else "Sing"),
        modifiers=modifiers,
        position=token_id(head),
        sentence=sentence,
        proper=proper,
        role=role,
    )


#: Why a phrase cannot be a speaker, checked in this order by :func:`not_a_speaker`.
MAX_SPEAKER_WORDS = 10
PLACE_PREPOSITIONS = {"à", "au", "aux", "en", "dans", "vers", "près", "depuis"}


def not_a_speaker(mention: Mention, tokens: list[Token], not_speakers: dict[str, str]) -> str:
    """Why ``mention`` (built from ``tokens``) cannot be a speaker, or ``""`` if it can.

    A speaker is a person, a group, an institution or a document; never a time expression or a
    date (its head is a day, a month, a part of the day: ``data/codebook/not_speakers.csv``),
    an amount (a number, or a currency or unit as head), a place alone (a place name governed by
    a preposition of place), a phrase with an unbalanced bracket, a relative clause, or a phrase
    of more than :data:`MAX_SPEAKER_WORDS` words. For a person only the name is checked (the
    phrase around it gives the role).
    """
    text = mention.name if mention.kind == "person" else mention.text
    words = [t for t in tokens if is_word(t)]
    if not words or not text.strip():
        return "no words"
    head = next((t for t in tokens if token_id(t) == mention.position), words[0])
    if mention.kind == "person":
        words = [t for t in words if t.text in text.split()] or words[:1]
        head = words[-1]
    kind = not_speakers.get(head.lemma_.lower()) or not_speakers.get(head.lower_)
    if kind == "time":
        return "time expression"
    if kind == "amount" or head.pos_ == "NUM" or head.like_num:
        return "amount"
    if re.match(r"^\W*((de|d'|des)\s+)?\d", text, flags=re.IGNORECASE):
        return "amount"  # "de 35 000 personnes": a count, not a speaker
    if mention.kind != "person" and any(
        t.pos_ in ("VERB", "AUX") and feature(t, "VerbForm") == "Fin" and t.text in text.split()
        for t in words
    ):
        return "clause"  # "Il était hier tout le contraire …": a clause, not a phrase
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        return "unbalanced bracket"
    if mention.kind != "person" and any(
        feature(t, "PronType") == "Rel" or t.lower_ in ("qui", "dont", "lequel")
        for t in words
        if t.text in text
    ):
        return "relative clause"
    if len(text.split()) > MAX_SPEAKER_WORDS:
        return f"phrase of more than {MAX_SPEAKER_WORDS} words"
    if mention.kind != "person" and not mention.role:
        ents = [e for e in head.doc.ents if e.start <= head.i < e.end]
        locative = any(c.dep_ == "case" and c.lower_ in PLACE_PREPOSITIONS for c in head.children)
        if ents and ents[0].label_ == "LOC" and locative:
            return "place alone"
    return ""


def name_not_a_speaker(name: str, not_speakers: dict[str, str]) -> str:
    """Why a speaker's name as the registry settled it cannot be a speaker (``time
    expression``, ``amount``, ``unbalanced bracket``, ``phrase of more than … words``), or
    ``""``. A last check on names, after every sieve and merge: a day the tagger took for a
    person (``Samedi``) can reach the registry through a path that never saw its tokens."""
    words = [w.strip(",.;:!?«»\"'") for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return ""
    if len(words) == 1 and not_speakers.get(words[0].lower()) in ("time", "amount"):
        return "time expression" if not_speakers[words[0].lower()] == "time" else "amount"
    if re.match(r"^\W*((de|d'|des)\s+)?\d", name, flags=re.IGNORECASE):
        return "amount"
    if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
        return "unbalanced bracket"
    if len(words) > MAX_SPEAKER_WORDS:
        return f"phrase of more than {MAX_SPEAKER_WORDS} words"
    return ""


def load_not_speakers(table) -> dict[str, str]:
    """``lemma -> kind`` from the ``not_speakers.csv`` codebook table."""
    return dict(zip(table["lemma"].str.lower(), table["kind"]))
