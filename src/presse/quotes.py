"""Who says what: direct and indirect quotations and their speakers, by explicit rules.

Input: the parsed paragraphs (spaCy Docs from :mod:`presse.parsing`, whose ``user_data`` gives
each Doc's article offset) and a lexicon of reporting verbs (``data/codebook/reporting_verbs.csv``).
Output: three tables (see :func:`attribute_quotes`): quotes, per-sentence attribution, speakers.

The rules, in the order a careful reader applies them:

1. **Direct quotes** are the spans between « », “ ” or " " (nested marks stay inside the outer
   quote). Spans of fewer than three words with no reporting verb in their sentence are scare
   quotes or titles, not quotations.
2. A direct quote's **cue** is a reporting verb in an *incise* inside the guillemets
   (``«…, a-t-il indiqué. …»``: the incise is cut out of the quoted words), else right after the
   closing mark (``«…», ont-ils ajouté``), else before the opening mark in the same sentence
   (``X a déclaré : «…»``, ``X a déclaré que … «…»``), else ``selon X`` next to it. A quote with
   no cue gets the speaker of the neighbouring quote, or of the sentence before.
3. **Indirect speech**: a reporting verb outside quotes with content of its own (a ``que``
   clause, an object, an infinitive), or ``selon X`` / ``d'après X`` / sentence-initial
   ``Pour X,`` when X is a person or a known speaker. A passive reporting verb without an agent
   (``ont été soulignés``) names no speaker: the sentence stays narration, and says why.
4. **Speaker of a cue**: an inverted subject (``a-t-il``, ``ont-ils``), a subject after the verb
   (``a mentionné M. X``, ``comme le rappelle X``), the verb's subject, a relative pronoun's
   antecedent, the subject shared with a coordinated verb, the object of the governing verb for
   an infinitive (``a convaincu X de demander``), the agent of a passive, or the issuer of a
   document (``X a publié un communiqué affirmant``; document nouns in
   ``data/codebook/document_nouns.csv``). A quote inside a ``lorsque``/``quand`` clause belongs
   to that clause's subject, not to a reporting verb before it.
5. **Mentions to speakers**: a name inside the subject (``Le ministre …, Gary X``) makes the
   speaker that person and the rest of the phrase the role; titles (``M.``, ``Mme``) give
   gender; a surname alone is merged with the full name; pronouns (``il``, ``elle``, ``ils``,
   ``elles``, ``lui``, ``eux``) go to the most recent compatible speaker, else subject, else named
   person, by gender and number; a bare group (``les ministres``) or a definite role
   (``le ministre``) goes to the group or person last described that way.

Every quote and attributed sentence carries a ``rule`` that says which of these gave its speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from spacy.tokens import Doc, Token

CODEBOOK = Path(__file__).resolve().parents[2] / "data" / "codebook"
DEFAULT_LEXICON = CODEBOOK / "reporting_verbs.csv"
DEFAULT_TITLE_MARKERS = CODEBOOK / "title_markers.csv"
DEFAULT_DOCUMENT_NOUNS = CODEBOOK / "document_nouns.csv"

OPENING = {"«": "»", "“": "”", "‹": "›"}
CLOSING = {v: k for k, v in OPENING.items()}

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

#: Lower-case words that belong to French and other names (Kito de Pavant, Ludwig van Beethoven).
PARTICLES = {
    "de",
    "du",
    "des",
    "d'",
    "d’",
    "la",
    "le",
    "van",
    "von",
    "der",
    "da",
    "di",
    "al",
    "el",
    "ben",
    "bin",
}
SENTENCE_END = {".", "!", "?", "…"}
#: Prepositions that link nouns inside one phrase ("le ministre de l'Intérieur").
GENITIVE = ("de", "d'", "d’", "du", "des")
#: Words that open a clause of their own (``… lorsque le pape l'a nommé «…»``): a reporting verb
#: before them belongs to another clause than the quote after them.
CLAUSE_OPENERS = {"lorsque", "lorsqu'", "lorsqu’", "quand", "car", "puisque", "tandis"}
MIN_QUOTE_WORDS = 3
SALIENCE_WINDOW = 4  # sentences back in which a pronoun looks for its antecedent


# --------------------------------------------------------------------------- lexicon


def load_reporting_verbs(path: str | Path = DEFAULT_LEXICON) -> pd.DataFrame:
    """Read the reporting-verb lexicon.

    Columns ``lemma, participle, present, present_participle, requires, reason``. The three
    forms (past participle, 3rd person singular present, present participle) let a verb be
    recognised when the tagger mislabels it next to guillemets (``s'est réjoui`` as an adverb).
    ``requires`` is ``content`` (a clause, object or infinitive of its own, or a quote),
    ``infinitive`` (only with an infinitive: *s'engager à*) or ``quote`` (only as the cue of a
    direct quote, right after it or in an incise: *poursuivre*, *lancer*).
    """
    table = pd.read_csv(path, comment="#")
    missing = {"lemma", "participle", "present", "present_participle", "requires"} - set(
        table.columns
    )
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return table


def load_document_nouns(path: str | Path = DEFAULT_DOCUMENT_NOUNS) -> set[str]:
    """Nouns of documents that carry someone's words (``un communiqué affirmant que``), from
    ``data/codebook/document_nouns.csv`` (``lemma, reason``)."""
    return set(pd.read_csv(path)["lemma"].str.lower())


def load_title_markers(path: str | Path = DEFAULT_TITLE_MARKERS) -> set[str]:
    """Words after which guillemets hold a name or title (``la loi dite « … »``)."""
    return set(pd.read_csv(path)["word"].str.lower())


# --------------------------------------------------------------------------- direct quote spans


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
        elif ch == '"':
            if stack and stack[-1][0] == '"':
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
            else:
                stack.append((ch, i))
    if stack:
        spans.append((stack[0][1], len(text)))
    return spans


# --------------------------------------------------------------------------- token helpers


def offset(token: Token) -> int:
    """Article offset of ``token`` (Docs carry their paragraph's offset in ``user_data``)."""
    return token.doc.user_data.get("offset", 0) + token.idx


def token_id(token: Token) -> int:
    return token.doc.user_data.get("first_token_id", 0) + token.i


def is_word(token: Token) -> bool:
    return not (token.is_punct or token.is_space or token.pos_ in ("PUNCT", "SPACE"))


def bare(token: Token) -> str:
    """Lower-case text without the hyphen of an inverted pronoun (``-il`` -> ``il``)."""
    return token.text.lower().lstrip("-")


def feature(token: Token, name: str) -> str | None:
    values = token.morph.get(name)
    return values[0] if values else None


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


@dataclass
class Entity:
    """One speaker or person across the article (aliases merged)."""

    key: str
    kind: str
    names: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    head_lemmas: set = field(default_factory=set)
    modifiers: set = field(default_factory=set)
    gender: str | None = None
    number: str | None = None
    surfaces: set = field(default_factory=set)
    proper: str = ""

    @property
    def canonical(self) -> str:
        if self.kind == "person":  # the fullest proper name ("Barack Obama", not "président
            # Obama": a lower-case word is a title or a role, not part of the name)
            return max(
                self.names,
                key=lambda n: (
                    all(w[:1].isupper() or w.lower() in PARTICLES for w in n.split()),
                    len(n.split()),
                    len(n),
                ),
            )
        if self.proper:
            return lower_determiner(self.proper)
        with_names = [n for n in self.names if any(w[:1].isupper() for w in n.split()[1:])]
        pool = with_names or self.names
        return lower_determiner(min(pool, key=len) if with_names else pool[0])


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


def mention_from(head: Token, sentence: int, exclude: Iterable[Token] = ()) -> Mention | None:
    """Build the mention headed by ``head`` (a noun, proper noun or title), leaving out the
    subtrees of ``exclude``."""
    tokens = phrase_tokens(head, exclude)
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
            gender=title_gender or role_gender or feature(name[0], "Gender"),
            number="Sing",
            role=role,
            position=token_id(head),
            sentence=sentence,
        )
    ents = [e for e in head.doc.ents if e.start <= head.i < e.end]
    capitalised = head.text[:1].isupper() and head.i != head.sent.start
    proper, role = "", ""
    if head.pos_ == "PROPN" or capitalised or (ents and ents[0].label_ in ("ORG", "LOC", "MISC")):
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
                proper = span_text(phrase_tokens(child))
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
        for t in tokens
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


def same_first_name(a: str, b: str) -> bool:
    """``barack`` = ``b.``, ``jean-marc`` = ``j-m``: equal, or one written as initials."""

    def initials(name: str) -> str:
        return "".join(part[:1] for part in re.split(r"[-.]", name) if part)

    def is_initials(name: str) -> bool:
        return all(len(part) <= 1 for part in re.split(r"[-.]", name) if part)

    if a == b:
        return True
    if is_initials(a) or is_initials(b):
        return initials(a) == initials(b)
    return False


class Registry:
    """Entities seen so far, with the merging rules for aliases and descriptions."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.order: list[str] = []  # most recent last

    def _touch(self, key: str) -> None:
        if key in self.order:
            self.order.remove(key)
        self.order.append(key)

    def person_key(self, name: str, gender: str | None = None) -> str:
        """The key of the person a name refers to. People are merged by surname (``M. Morel`` is
        ``Julien Morel``), except that a full name whose first name differs from every person of
        that surname is someone else (``Fatoumata Maïga`` is not ``Oumar Maïga``); a surname
        alone goes to the most recent person of that surname and of a compatible gender
        (``M. Martin`` after ``Claire Martin`` and ``Paul Martin`` is Paul)."""
        words = name.split()
        surname = words[-1].lower()
        given = words[0].lower() if len(words) > 1 and words[0][:1].isupper() else ""
        namesakes = [k for k in reversed(self.order) if k.split(":")[:2] == ["person", surname]]
        if not given or not namesakes:
            fitting = [
                k for k in namesakes if gender is None or self.entities[k].gender in (None, gender)
            ]
            return (fitting or namesakes or [f"person:{surname}"])[0]
        for key in namesakes:
            givens = {n.split()[0].lower() for n in self.entities[key].names if len(n.split()) > 1}
            if not givens or any(same_first_name(given, g) for g in givens):
                return key
        return f"person:{surname}:{given}"

    def add(self, mention: Mention) -> tuple[Entity, str]:
        """Return the entity a mention refers to (created if new) and how it was matched."""
        how = ""
        if mention.kind == "person":
            key = self.person_key(mention.name, mention.gender)
            if key in self.entities:
                how = "alias of a name seen before"
        elif mention.proper:
            key = f"name:{mention.proper.split()[-1].lower()}"
            if key in self.entities:
                how = "alias of a name seen before"
        else:
            key = self._match_description(mention)
            if key:
                how = f"'{mention.text}' → the {self.entities[key].kind} last described so"
            else:
                key = f"{mention.kind}:{mention.head_lemma}:{len(self.entities)}"
        entity = self.entities.setdefault(key, Entity(key=key, kind=mention.kind))
        if entity.kind == "person" and mention.kind != "person":
            pass  # a description resolved to a person: keep the person's name
        elif mention.name not in entity.names:
            entity.names.append(mention.name)
        if len(mention.text.split()) <= 3:
            entity.surfaces.add(lower_determiner(mention.text))
        if mention.role and mention.role not in entity.roles:
            entity.roles.append(mention.role)
        entity.head_lemmas.add(mention.head_lemma)
        entity.modifiers |= set(mention.modifiers)
        entity.proper = entity.proper or mention.proper
        entity.gender = entity.gender or mention.gender
        entity.number = entity.number or mention.number
        self._touch(key)
        return entity, how

    def _match_description(self, mention: Mention) -> str | None:
        """A group or a definite description refers back to an entity described the same way."""
        for key in reversed(self.order):
            entity = self.entities[key]
            if mention.head_lemma not in entity.head_lemmas:
                continue
            if entity.kind == "person" and mention.number == "Sing":
                return key  # "le ministre" -> the minister named before
            if entity.kind == mention.kind and (
                mention.modifiers <= entity.modifiers or entity.modifiers <= mention.modifiers
            ):
                return key
        return None


# --------------------------------------------------------------------------- the attribution


@dataclass
class Found:
    """A speaker found for a cue: the entity, the mention as written, and the rule."""

    entity: Entity | None
    mention: str
    rule: str


class Attributor:
    """Walks the article in reading order, attributing quotes; holds the discourse state."""

    def __init__(
        self,
        docs: list[Doc],
        lexicon: pd.DataFrame,
        title_markers: set[str] = frozenset(),
        document_nouns: set[str] = frozenset(),
    ):
        self.docs = docs
        self.title_markers = title_markers
        self.document_nouns = document_nouns
        self.lexicon = dict(zip(lexicon["lemma"], lexicon["requires"]))
        self.participles = {
            form: lemma
            for lemma, part in zip(lexicon["lemma"], lexicon["participle"])
            for form in (part, part + "e", part + "s", part + "es")
        }
        self.presents = {
            form: lemma
            for lemma, present in zip(lexicon["lemma"], lexicon["present"])
            for form in (present, present + "nt")
        }
        self.gerunds = dict(zip(lexicon["present_participle"], lexicon["lemma"]))
        self.registry = Registry()
        self.candidates: list[
            tuple[int, int, Entity, str]
        ] = []  # (token id, sentence, entity, how)
        self.sentences = [s for doc in docs for s in doc.sents]
        self.sentence_index = {}
        for n, sent in enumerate(self.sentences, start=1):
            for t in sent:
                self.sentence_index[(id(t.doc), t.i)] = n
        self.quote_spans = self._quote_spans()
        # sentence -> (the person or known speaker it is about, offset of that subject)
        self.sentence_subject: dict[int, tuple[Entity, int]] = {}

    # -- positions
    def sentence_of(self, token: Token) -> int:
        return self.sentence_index[(id(token.doc), token.i)]

    def _quote_spans(self) -> list[tuple[int, int]]:
        spans = []
        for doc in self.docs:
            base = doc.user_data.get("offset", 0)
            spans += [(base + s, base + e) for s, e in find_quote_spans(doc.text)]
        return spans

    def in_quote(self, token: Token) -> tuple[int, int] | None:
        o = offset(token)
        for s, e in self.quote_spans:
            if s <= o < e:
                return (s, e)
        return None

    # -- reporting verbs
    def cue_lemma(self, token: Token) -> str:
        """The lexicon lemma of a reporting verb, or ``""``.

        A verb counts by its lemma; a past participle also by its form (taggers mislabel
        participles next to guillemets), but only after an auxiliary (``a … dénoncé``,
        ``s'est réjoui``), so that ``les efforts soulignés`` is not speech.
        """
        lemma = token.lemma_.lower()
        participle = (
            feature(token, "VerbForm") == "Part" and feature(token, "Tense") != "Pres"
        ) or token.pos_ != "VERB"
        if lemma not in self.lexicon or token.pos_ not in ("VERB", "AUX"):
            lemma = self.participles.get(token.lower_, "")
            participle = True
            if not lemma and token.lower_ in self.gerunds:  # "en affirmant", "un message disant"
                lemma, participle = self.gerunds[token.lower_], False
            following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
            if (
                not lemma
                and token.lower_ in self.presents
                and following is not None
                and following.lower_ in ("que", "qu'", "qu’")
            ):  # "un représentant du groupe admet que …" (tagged as an adjective)
                lemma, participle = self.presents[token.lower_], False
            if not lemma and token.lower_ in self.presents and token.i > 0:
                previous = token.doc[token.i - 1]  # "» indique X", ", précise-t-il"
                before = token.doc[token.i - 2] if token.i > 1 else None
                if (
                    previous.text in CLOSING
                    or previous.text in (",", '"')
                    or bare(previous) in PRONOUNS
                    or (  # "comme le rappelle HRW", "comme l'explique X"
                        previous.lower_ in ("le", "l'", "l’")
                        and before is not None
                        and before.lower_ == "comme"
                    )
                ):
                    lemma, participle = self.presents[token.lower_], False
        if not lemma or token.pos_ in ("PUNCT", "DET", "ADP"):
            return ""
        if participle and token.lower_ in self.presents and token.i > 0:
            previous = token.doc[token.i - 1]  # "«…», écrit le quotidien": a present, not a
            if previous.text in CLOSING or previous.text in (",", '"'):  # past participle
                participle = False
        if participle:
            doc = token.doc
            window = doc[max(token.sent.start, token.i - 4) : token.i]
            if not any(t.lemma_ in ("avoir", "être") and t.pos_ in ("AUX", "VERB") for t in window):
                return ""
        return lemma

    def is_cue(self, token: Token) -> bool:
        return bool(self.cue_lemma(token))

    # -- speakers
    def remember(self, token: Token, entity: Entity, speaker: bool) -> None:
        """Keep ``entity`` as a possible antecedent for the pronouns that follow: as a speaker,
        a subject, or a subject introduced by a possessive (``Son parti lui reproche …``: the
        phrase is about someone else, the possessor, who stays the topic)."""
        possessed = any(c.dep_ == "det" and feature(c, "Poss") == "Yes" for c in token.children)
        role = "speaker" if speaker else ("possessed subject" if possessed else "subject")
        self.candidates.append((token_id(token), self.sentence_of(token), entity, role))

    def resolve_mention(self, head: Token, rule: str) -> Found | None:
        """Speaker from a noun phrase head (not a pronoun)."""
        mention = mention_from(head, self.sentence_of(head))
        if mention is None:
            return None
        entity, how = self.registry.add(mention)
        if mention.kind == "person" and mention.role:
            rule += "; name in apposition, role from the phrase"
        if how:
            rule += f"; {how}"
        return Found(entity, mention.text, rule)

    def resolve_pronoun(self, pronoun: Token, rule: str) -> Found | None:
        """The antecedent of a pronoun: a compatible candidate (gender, number), looking back
        sentence by sentence; within a sentence a speaker or subject comes before a person
        only named there, and people, groups and named institutions before other phrases."""
        word = bare(pronoun)
        gender, number = PRONOUNS[word]
        here, sentence = token_id(pronoun), self.sentence_of(pronoun)

        def compatible(entity: Entity) -> bool:
            if entity.number and entity.number != number:
                return False
            if gender == "Fem":  # a named institution has no gender in the parse ("Moody's …
                return entity.gender == "Fem" or (  # elle considère")
                    entity.gender is None and bool(entity.proper)
                )
            if gender == "Masc":
                return entity.gender in ("Masc", None)
            return entity.gender != "Fem" or number == "Plur" and word == "ils" and False

        def salient(entity: Entity) -> bool:
            return entity.kind in ("person", "group") or bool(entity.proper)

        def rank(candidate) -> tuple:
            position, sent, entity, role = candidate
            return (
                # nearer sentences first; a subject introduced by a possessive counts as two
                # sentences further ("Son franc-parler lui a valu …  il avait lâché")
                sentence - sent + (2 if role == "possessed subject" else 0),
                0 if salient(entity) or role == "speaker" else 1,
                0 if role in ("speaker", "subject") else 1,  # then a subject over a name
                -position,  # then the most recent
            )

        pool = [
            c
            for c in self.candidates
            if c[0] < here and sentence - c[1] <= SALIENCE_WINDOW and compatible(c[2])
        ]
        if not pool:
            return None
        _, _, entity, role = min(pool, key=rank)
        desc = {"Masc": "masculine ", "Fem": "feminine ", None: ""}[gender]
        num, target = ("singular", "person") if number == "Sing" else ("plural", "group")
        return Found(
            entity, pronoun.text, f"{rule}; pronoun {word} → nearest {desc}{num} {target} ({role})"
        )

    def resolve(self, head: Token, rule: str) -> Found | None:
        """Resolve a subject head: pronoun, relative pronoun, or noun phrase."""
        word = bare(head)
        if head.pos_ == "PRON" or word in PRONOUNS:
            if word in PRONOUNS:
                return self.resolve_pronoun(head, rule)
            if feature(head, "PronType") == "Rel" and head.head.head is not head.head:
                antecedent = head.head.head
                after_comma = head.i > 0 and head.doc[head.i - 1].text == ","
                verb_number = feature(head.head, "Number")
                while (
                    after_comma
                    and antecedent.dep_ == "nmod"
                    and antecedent.head.pos_ in ("NOUN", "PROPN")
                    and feature(antecedent.head, "Number") in (None, verb_number)
                ):  # "la direction du port, qui …", not "des représailles de l'organisation,
                    # qui affirme …" (the verb agrees with its subject)
                    antecedent = antecedent.head
                if antecedent.pos_ in ("NOUN", "PROPN"):
                    return self.resolve_mention(
                        antecedent, rule + "; relative pronoun → antecedent"
                    )
            return None
        if (
            head.pos_ in ("NOUN", "PROPN", "X")
            or head.text.lower() in TITLES
            or head.text[:1].isupper()
        ):
            return self.resolve_mention(head, rule)
        return None

    def inverted_pronoun(self, verb: Token) -> Token | None:
        """``a-t-il indiqué``, ``ajoute-t-elle``, ``ont-ils ajouté``: the ``-il`` token."""
        doc = verb.doc
        aux_start = min([c.i for c in verb.children if c.dep_.startswith("aux")] + [verb.i])
        if aux_start == verb.i and verb.i >= 2 and doc[verb.i - 1].text.startswith("-"):
            aux_start = verb.i - 2  # "avait-il lancé" with the auxiliary left unattached
        for t in doc[max(aux_start, 0) : min(verb.i + 4, len(doc))]:
            if (
                t.text.startswith("-")
                and bare(t) in PRONOUNS | {"on": None}.keys()
                and t.i != verb.i
            ):
                return t if bare(t) in PRONOUNS else None
        return None

    def postposed_subject(self, verb: Token) -> Token | None:
        """First noun phrase after the verb that is not in a prepositional phrase."""
        in_pp = False
        for t in verb.doc[verb.i + 1 : verb.sent.end]:
            if t.text in SENTENCE_END or t.text in (",", ";", ":") or t.text in OPENING:
                return None
            if t.lower_ in ("que", "qu'", "qu’", "si") and t.pos_ in ("SCONJ", "PRON", "ADV"):
                return None  # a subordinate clause: its subject is not the speaker
            if t.pos_ == "ADP" or t.lower_ in ("au", "aux", "du", "des"):
                in_pp = True
            elif (
                t.pos_ in ("NOUN", "PROPN")
                or t.text.lower() in TITLES
                or (t.text[:1].isupper() and t.pos_ not in ("DET", "PUNCT", "ADP"))
            ):
                if in_pp:
                    in_pp = False
                    continue
                head = t
                while (
                    head.head is not head
                    and head.head.i > verb.i
                    and head.dep_ in ("flat:name", "flat", "amod", "nmod", "appos")
                    and head.head.pos_ in ("NOUN", "PROPN")
                ):
                    head = head.head
                return head
        return None

    def speaker_of(self, verb: Token, after_quote: bool = False, depth: int = 0) -> Found | None:
        """Who is the subject of reporting verb ``verb``."""
        pronoun = self.inverted_pronoun(verb)
        if pronoun is not None:
            return self.resolve(pronoun, "inverted subject")
        if (
            verb.dep_.startswith("acl")
            and not verb.dep_.startswith("acl:relcl")
            and verb.head.pos_ in ("NOUN", "PROPN")
            and 0 < verb.i - verb.head.i <= 4
            and all(is_word(t) for t in verb.doc[verb.head.i + 1 : verb.i])
        ):  # "un message disant «…»", "un communiqué de presse affirmant que"
            document = verb.head
            issuer = next(
                (c for c in document.head.children if c.dep_ == "nsubj" and c.i < document.i),
                None,
            )
            if (
                document.lemma_.lower() in self.document_nouns
                and document.dep_ == "obj"
                and issuer is not None
            ):  # "TVE a émis un communiqué affirmant …": TVE speaks through it
                found = self.resolve(issuer, "participle clause → the document it describes")
                if found is not None and found.entity is not None:
                    found.rule += " → who issued it (subject of the verb)"
                    return found
            mention = mention_from(verb.head, self.sentence_of(verb), exclude=[verb])
            if mention is not None and (
                document.lemma_.lower() in self.document_nouns
                or mention.kind in ("person", "group")
                or mention.proper
            ):  # a message, a person, a group or a named body speaks; "l'idée d'un prêt
                # affirmant" is the main clause's subject speaking
                entity, _ = self.registry.add(mention)
                return Found(entity, mention.text, "participle clause → the noun it describes")
        window = verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]
        if any(t.lower_ == "comme" for t in window):  # "comme le rappelle HRW"
            head = self.postposed_subject(verb)
            if head is not None:
                return self.resolve(head, "subject after verb (comme … inversion)")
        passive = any(
            c.dep_ in ("aux:pass", "nsubj:pass") and not self.in_quote(c) for c in verb.children
        )
        for child in verb.children:
            if child.dep_ == "obl:agent" or (
                passive
                and child.dep_.startswith("obl")
                and any(g.lower_ == "par" for g in child.children)
            ):
                return self.resolve(child, "agent of passive reporting verb")
        for child in verb.children:
            if (
                (child.dep_ == "nsubj" or (child.dep_ == "expl:subj" and bare(child) in PRONOUNS))
                and child.i < verb.i
                and not bare(child).startswith("-")
                and not self.in_quote(child)
            ):  # the parser often calls "Il a déclaré" impersonal (expl:subj); with an active
                # reporting verb it is a person
                return self.resolve(child, "subject of reporting verb")
        if passive:
            return Found(None, "", "passive reporting verb without agent: no speaker")
        if after_quote or self.is_incise(verb):
            head = self.postposed_subject(verb)
            if head is not None:
                return self.resolve(head, "subject after verb")
        for child in verb.children:
            if child.dep_ == "nsubj" and child.i > verb.i and not self.in_quote(child):
                return self.resolve(child, "subject after verb")
        controller = (
            next(
                (
                    c
                    for c in verb.head.children
                    if c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN") and c.i < verb.i
                ),
                None,
            )
            if verb.dep_ == "xcomp" and feature(verb, "VerbForm") == "Inf"
            else None
        )
        if controller is not None:
            # "convaincre la veuve … de demander": the object of the governing verb speaks
            found = self.resolve(controller, "object of the governing verb (X … de + infinitive)")
            if found is not None and found.entity is not None:
                return found
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb and depth < 3:
            if not self.in_quote(verb.head) and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
                found = self.speaker_of(verb.head, depth=depth + 1)
                if found and found.entity:
                    how = {
                        "conj": "coordinated verb",
                        "xcomp": "governing verb",
                        "advcl": "main verb (gerund or participle clause)",
                    }[verb.dep_]
                    return Found(found.entity, found.mention, f"{found.rule}; subject of the {how}")
        before = [t for t in verb.doc[verb.sent.start : verb.i] if not self.in_quote(t)]
        found = self.clause_subject(before)
        if found is not None:
            found.rule += " (the parse links no subject to the verb)"
            return found
        finite = feature(verb, "VerbForm") == "Fin" or any(
            c.dep_.startswith("aux") for c in verb.children
        )
        if finite:
            head = self.postposed_subject(verb)
            if head is not None:
                return self.resolve(head, "subject after verb (inversion)")
        return None

    def clause_subject(self, tokens: list[Token]) -> Found | None:
        """The subject nearest the end of ``tokens`` (``X a défendu sa décision :``)."""
        for t in reversed(tokens):
            if (
                t.dep_ == "nsubj"
                and (t.pos_ in ("NOUN", "PROPN") or bare(t) in PRONOUNS)
                and not any(c.dep_ == "case" for c in t.children)  # "de son côté"
            ):
                return self.resolve(t, "subject of the clause before")
            if (
                t.ent_type_ == "PER"
                and t.ent_iob_ == "B"
                and (t.i == t.sent.start or t.doc[t.i - 1].text in (",", ";"))
                and not any(c.dep_ == "case" for c in t.children)
                and not is_object(t)
                and t.i < t.sent.root.i  # after the main verb, a name is a complement
            ):  # "Alors que …, François Brottes (PS) est intervenu" (the parse lost the subject)
                return self.resolve(t, "person who opens the clause before")
        for t in reversed(tokens):
            if t.ent_type_ == "PER" and t.ent_iob_ == "B":
                return self.resolve(t, "person named in the clause before")
        return None

    def is_title(self, first: Token, start: int) -> bool:
        """Do the guillemets opening at ``start`` follow a naming word (``intitulé « … »``)?"""
        before = [t for t in first.doc[first.sent.start : first.i] if offset(t) < start]
        for back in range(1, 4):  # "baptisée « … »", "baptisée en Iran « … »"
            if len(before) < back or before[-back].lower_ not in self.title_markers:
                continue
            between = before[len(before) - back + 1 :]
            if any(t.pos_ not in ("ADP", "DET", "PROPN", "NOUN") for t in between):
                continue
            window = before[-back - 2 : -back]
            return not any(t.lemma_ in ("avoir", "être") and t.pos_ == "AUX" for t in window)
        return False

    def is_incise(self, verb: Token) -> bool:
        """``…, a-t-il dit`` / ``…, a dit le ministre``: the verb follows a comma closely."""
        doc = verb.doc
        start = min([c.i for c in verb.children if c.dep_.startswith("aux")] + [verb.i])
        return start > verb.sent.start and doc[start - 1].text in (",", "»", "”", '"')

    # -- indirect speech
    def indirect_content(self, verb: Token) -> tuple[int, int] | None:
        """Article offsets of the reported content of a cue, or None if it has none."""
        sent = verb.sent
        requires = self.lexicon.get(self.cue_lemma(verb), "content")
        if requires == "quote":
            return None
        after = [t for t in verb.doc[verb.i + 1 : sent.end] if is_word(t)]
        subject = self.postposed_subject(verb) if self.is_incise(verb) else None
        if subject is not None:
            skip = {t.i for t in subject.subtree}
            after = [t for t in after if t.i not in skip]
        if requires == "infinitive":
            ok = any(c.dep_ == "xcomp" and feature(c, "VerbForm") == "Inf" for c in verb.children)
            return (offset(after[0]), offset(after[-1]) + len(after[-1])) if ok and after else None
        if self.is_incise(verb) and not any(
            c.dep_ in ("ccomp", "obj") for c in verb.children if c.i > verb.i
        ):
            before = [t for t in verb.doc[sent.start : verb.i] if is_word(t)]
            if len(before) >= 3 and not any(self.in_quote(t) for t in before):
                aux = min([c.i for c in verb.children if c.dep_.startswith("aux")] + [verb.i])
                end_token = verb.doc[aux - 2] if aux - 2 >= sent.start else before[-1]
                return (offset(before[0]), offset(end_token) + len(end_token))
            return None
        content = [t for t in after if not self.in_quote(t)]
        quoted = [t for t in after if self.in_quote(t)]
        if len(content) >= 2 or (content and quoted):
            if content[0].lower_ in ("que", "qu'"):
                first = content[1] if len(content) > 1 else content[0]
            else:
                first = content[0]
            last = [t for t in verb.doc[verb.i + 1 : sent.end] if is_word(t) or t.text in CLOSING]
            end_token = last[-1]
            return (offset(first), offset(end_token) + len(end_token))
        return None

    def selon(self, sent) -> list[tuple[Token, Found, tuple[int, int]]]:
        """``selon X``, ``d'après X`` anywhere, ``Pour X,`` at the start of a sentence."""
        found = []
        for t in sent:
            if self.in_quote(t):
                continue
            prev = t.doc[t.i - 1] if t.i > sent.start else None
            marker = source_marker(t)
            is_pour = t.lower_ == "pour" and t.i == sent.start
            if not (marker or is_pour):
                continue
            head = source_of(t)
            if head is None or head.pos_ not in ("NOUN", "PROPN", "PRON"):
                continue
            phrase = phrase_tokens(head)
            if is_pour:
                after = t.doc[phrase[-1].i + 1] if phrase and phrase[-1].i + 1 < sent.end else None
                if after is None or after.text != "," or not self._is_known_or_person(head):
                    continue
            cue = marker or "pour"
            resolved = self.resolve(head, f"{cue} X")
            if resolved is None or resolved.entity is None:
                continue
            rest = [
                x
                for x in sent
                if is_word(x)
                and x.i not in {p.i for p in phrase}
                and x.i not in (t.i, prev.i if prev is not None and marker == "d'après" else -1)
            ]
            if len(rest) < 3:
                continue
            span = (offset(rest[0]), offset(rest[-1]) + len(rest[-1]))
            found.append((t, resolved, span))
        return found

    def _is_known_or_person(self, head: Token) -> bool:
        if bare(head) in PRONOUNS:
            return True
        mention = mention_from(head, 0)
        if mention is None:
            return False
        return (
            mention.kind == "person"
            or bool(mention.proper)  # "Pour l'April : «…»"
            or any(mention.head_lemma in e.head_lemmas for e in self.registry.entities.values())
        )


# --------------------------------------------------------------------------- the main function

QUOTE_COLUMNS = [
    "quote_id",
    "type",
    "speaker",
    "cue",
    "rule",
    "text",
    "start",
    "end",
    "sentence_ids",
    "mention",
]
SENTENCE_COLUMNS = ["sentence_id", "speaker", "quote_type", "rule"]
SPEAKER_COLUMNS = [
    "speaker",
    "kind",
    "role",
    "aliases",
    "status",
    "n_direct",
    "n_indirect",
    "words_quoted",
    "n_sentences",
]


def attribute_quotes(
    docs: list[Doc],
    text: str,
    lexicon: pd.DataFrame | None = None,
    title_markers: set[str] | None = None,
    document_nouns: set[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Find quotes and speakers in the parsed paragraphs of an article.

    Input: Docs from :func:`presse.parsing.parse_article` or
    :func:`presse.parsing.docs_from_tokens`, the article text (offsets index it), and the
    reporting-verb lexicon (default: the project's).
    Output: ``{"quotes": …, "attribution": …, "speakers": …}`` with columns ``QUOTE_COLUMNS``,
    ``SENTENCE_COLUMNS`` (one row per sentence) and ``SPEAKER_COLUMNS``.
    """
    lexicon = lexicon if lexicon is not None else load_reporting_verbs()
    title_markers = title_markers if title_markers is not None else load_title_markers()
    document_nouns = document_nouns if document_nouns is not None else load_document_nouns()
    at = Attributor(docs, lexicon, title_markers, document_nouns)
    quotes: list[dict] = []
    sentence_rules: dict[int, dict] = {}
    done_spans: set[tuple[int, int]] = set()
    speaker_verbs: set[tuple[int, int]] = set()  # cues already used by a direct quote

    def span_sentences(s: int, e: int) -> list:
        return [
            n
            for n, sent in enumerate(at.sentences, start=1)
            if offset(sent[0]) < e and s < offset(sent[-1]) + len(sent[-1])
        ]

    def words(s: int, e: int, cut: list[tuple[int, int]] = ()) -> list[Token]:
        return [
            t
            for doc in docs
            for t in doc
            if s <= offset(t) < e and is_word(t) and not any(a <= offset(t) < b for a, b in cut)
        ]

    for n, sent in enumerate(at.sentences, start=1):
        # 2. direct quotes that start in this sentence
        base = [
            (s, e)
            for s, e in at.quote_spans
            if offset(sent[0]) <= s < offset(sent[-1]) + len(sent[-1]) and (s, e) not in done_spans
        ]
        for s, e in base:
            done_spans.add((s, e))
            quote_tokens = [
                t
                for doc in docs
                for t in doc
                if s < offset(t) < e - 1 or (offset(t) == s and t.text not in OPENING)
            ]
            if quote_tokens and at.is_title(quote_tokens[0], s):
                continue  # a name or title: "la loi dite « … »"
            found, cue, cut = find_direct_cue(at, quote_tokens, s, e)
            quoted = words(s, e, cut)
            by_source = cue is not None and bool(source_marker(cue))
            if len(quoted) < MIN_QUOTE_WORDS and not (
                governs(cue, quoted) or (by_source and len(quoted) > 1)
            ):
                continue  # a term or title in guillemets, not someone's words
            if cue is not None:
                speaker_verbs.add((id(cue.doc), cue.i))
            quotes.append(
                dict(
                    type="direct",
                    start=s,
                    end=e,
                    cut=cut,
                    found=found,
                    cue=at.cue_lemma(cue) if cue is not None else "",
                    words=len(quoted),
                    sentences=span_sentences(s, e),
                    order=s,
                )
            )

        # 3. indirect speech: reporting verbs outside quotes
        for t in sent:
            if not at.is_cue(t) or at.in_quote(t):
                continue
            if any(
                q["type"] == "indirect"
                and n in q["sentences"]
                and q["start"] <= offset(t) < q["end"]
                for q in quotes
            ):
                continue  # a report inside reported content ("que X devait reconnaître")
            content = at.indirect_content(t)
            if content is not None and (id(t.doc), t.i) in speaker_verbs:
                # the cue of a direct quote reports more only with a que-clause or a partial
                # quote of its own ("ont déclaré que … «…»"), not with its subject's apposition
                first = next(
                    (x for x in t.doc[t.i + 1 : t.sent.end] if offset(x) >= content[0]), None
                )
                previous = t.doc[first.i - 1] if first is not None else None
                if previous is None or previous.lower_ not in ("que", "qu'", "qu’"):
                    content = None
            found = at.speaker_of(t)
            if found is not None and found.entity is None:
                sentence_rules.setdefault(n, dict(rule=found.rule))
                continue
            if content is None or found is None:
                continue
            at.remember(t, found.entity, speaker=True)
            s, e = content
            quotes.append(
                dict(
                    type="indirect",
                    start=s,
                    end=e,
                    cut=[],
                    found=found,
                    cue=at.cue_lemma(t),
                    words=len(words(s, e)),
                    sentences=[n],
                    order=offset(t),
                )
            )
        for t, found, (s, e) in at.selon(sent):
            at.remember(t, found.entity, speaker=True)
            quotes.append(
                dict(
                    type="indirect",
                    start=s,
                    end=e,
                    cut=[],
                    found=found,
                    cue=found.rule.split(" ")[0],
                    words=len(words(s, e)),
                    sentences=[n],
                    order=offset(t),
                )
            )

        # 4. remember subjects and named people for pronouns that follow
        for t in sent:
            if at.in_quote(t):
                continue
            if t.dep_ == "nsubj" and bare(t) in PRONOUNS and not t.text.startswith("-"):
                found = at.resolve_pronoun(t, "subject pronoun")
                if found is not None:
                    at.remember(t, found.entity, speaker=False)
                    at.sentence_subject.setdefault(n, (found.entity, offset(t)))
            elif t.dep_ == "nsubj" and t.pos_ in ("NOUN", "PROPN"):
                mention = mention_from(t, n)
                if mention is not None:
                    known = _peek_key(at.registry, mention) in at.registry.entities
                    entity = None
                    if known or mention.kind in ("person", "group", "institution"):
                        entity, _ = at.registry.add(mention)  # merges new names into a known one
                        at.remember(t, entity, speaker=False)
                    if entity is not None and (
                        entity.kind == "person"
                        or any(e is entity and r == "speaker" for _, _, e, r in at.candidates)
                    ):
                        at.sentence_subject.setdefault(n, (entity, offset(t)))
            elif t.ent_type_ == "PER" and t.ent_iob_ == "B":
                mention = mention_from(t, n)
                if mention is not None and mention.kind == "person":
                    entity, _ = at.registry.add(mention)
                    previous = t.doc[t.i - 1] if t.i > sent.start else None
                    opens_clause = (
                        previous is None
                        or previous.text in (",", ";", ":")
                        or (previous.pos_ == "DET" or previous.text.lower() in TITLES)
                    ) and not in_prepositional_phrase(t)
                    at.candidates.append(
                        (token_id(t), n, entity, "subject" if opens_clause else "named")
                    )
                    if opens_clause and entity.kind == "person":
                        at.sentence_subject.setdefault(n, (entity, offset(t)))
        # resolve direct quotes' speakers now that this sentence's cues are known
        for q in quotes:
            if q["type"] == "direct" and q.get("found") is not None:
                at_entity = q["found"].entity
                if at_entity is not None and not q.get("remembered"):
                    q["remembered"] = True
                    at.candidates.append((token_id(sent[0]), n, at_entity, "speaker"))

    _fill_floating(quotes, at.sentence_subject)
    return _tables(at, quotes, sentence_rules, text)


def is_object(token: Token) -> bool:
    """Is ``token`` an object, or in apposition to one (``a convaincu les juges, Marc Henry``)?"""
    objects = ("obj", "iobj", "obl", "obl:arg", "obl:mod")
    return token.dep_ in objects or (
        token.dep_ in ("appos", "conj", "flat:name") and token.head.dep_ in objects
    )


def in_prepositional_phrase(token: Token) -> bool:
    """Is ``token`` (a name) inside a prepositional phrase, itself or through the phrase it is
    in apposition to (``avec son complice de toujours, Jean-Michel Larqué``)?"""
    node = token
    for _ in range(3):
        if any(  # "de" only links nouns inside a phrase ("l'un des porte-parole, X")
            c.dep_ == "case" and c.lower_ not in GENITIVE for c in node.children
        ):
            return True
        if node.dep_ not in ("appos", "flat:name", "flat", "nmod") or node.head is node:
            return False
        node = node.head
    return False


def source_marker(token: Token) -> str:
    """``selon`` or ``d'après`` when ``token`` introduces a source (``après`` may follow a
    separate ``d'``), else ``""``."""
    if token.lower_ == "selon":
        return "selon"
    previous = token.doc[token.i - 1] if token.i > token.sent.start else None
    if token.lower_ in ("d'après", "d’après") or (
        token.lower_ == "après" and previous is not None and previous.lower_ in ("d'", "d’")
    ):
        return "d'après"
    return ""


def source_of(preposition: Token) -> Token | None:
    """The noun after ``selon`` / ``d'après`` (``après`` may hang on ``d'`` as ``fixed``)."""
    anchor = preposition.head if preposition.dep_ == "fixed" else preposition
    return anchor.head if anchor.head.i > preposition.i else None


def governs(cue: Token | None, quoted: list[Token]) -> bool:
    """Is the (short) quote inside the syntactic domain of its cue (``a promis un «…»``)?"""
    if cue is None or not quoted:
        return False
    return any(cue in t.ancestors for t in quoted)


def _peek_key(registry: Registry, mention: Mention) -> str | None:
    if mention.kind == "person":
        key = registry.person_key(mention.name, mention.gender)
        return key if key in registry.entities else None
    if mention.proper:
        key = f"name:{mention.proper.split()[-1].lower()}"
        return key if key in registry.entities else None
    return registry._match_description(mention)


def find_direct_cue(at: Attributor, quote_tokens: list[Token], s: int, e: int):
    """Cue and speaker of the direct quote ``s:e``: incise inside, then after, then before."""
    cut = []
    # an incise inside the guillemets
    for t in quote_tokens:
        if (
            at.is_cue(t)
            and at.is_incise(t)
            and (at.inverted_pronoun(t) is not None or at.postposed_subject(t) is not None)
        ):
            found = at.speaker_of(t)
            if found is not None and found.entity is not None:
                doc = t.doc
                aux = min([c.i for c in t.children if c.dep_.startswith("aux")] + [t.i])
                comma = doc[aux - 1]
                end = t.i
                while (
                    end + 1 < len(doc)
                    and doc[end + 1].text not in SENTENCE_END | {",", ";", "»", "”", '"'}
                    and offset(doc[end + 1]) < e - 1
                ):
                    end += 1
                if end + 1 < len(doc) and doc[end + 1].text in SENTENCE_END | {",", ";"}:
                    end += 1
                cut.append((offset(comma), offset(doc[end]) + len(doc[end])))
                return (
                    Found(found.entity, found.mention, "incise inside the quote; " + found.rule),
                    t,
                    cut,
                )
    if not quote_tokens:
        return None, None, cut
    last, first = quote_tokens[-1], quote_tokens[0]
    doc = last.doc
    # right after the closing mark, in the same sentence
    following = [t for t in doc[last.i + 1 : min(last.sent.end, last.i + 16)] if offset(t) >= e - 1]
    for t in following:
        if (
            (at.in_quote(t) and offset(t) >= e)
            or t.text in (";", ":")
            or (t.pos_ == "CCONJ" and t.head.pos_ in ("VERB", "AUX"))
        ):
            break  # another quote, or another clause ("«…» ; il est bon de rappeler que",
            # "se dit «…» et pense que «…»": pense has a quote of its own)
        if at.is_cue(t):
            found = at.speaker_of(t, after_quote=True)
            if found is not None and found.entity is not None:
                return (
                    Found(found.entity, found.mention, "cue after the quote; " + found.rule),
                    t,
                    cut,
                )
            break
        if source_marker(t):
            head = source_of(t)
            if head is not None:
                found = at.resolve(head, f"{t.lower_} X after the quote")
                if found is not None and found.entity is not None:
                    return found, t, cut
    # before the opening mark, in the same sentence
    fdoc = first.doc
    before = [t for t in fdoc[first.sent.start : first.i] if offset(t) < s and not at.in_quote(t)]
    if before and before[-1].text == ":" and not any(at.is_cue(t) for t in before):
        found = at.clause_subject(before)
        if found is not None and found.entity is not None:
            return (
                Found(found.entity, found.mention, "quote introduced by a colon → " + found.rule),
                None,
                cut,
            )
    for t in reversed(before):
        if t.lower_ in CLAUSE_OPENERS:
            inside = [x for x in before if x.i > t.i]
            found = at.clause_subject(inside)
            if found is not None and found.entity is not None:
                found.rule = "subject of the clause the quote is in; " + found.rule
                return found, None, cut
            break  # a cue before "lorsque" reports something else
        if t.lower_ == "pour" and t.i + 1 < len(fdoc):  # "Mais pour Obama, «…»"
            head = source_of(t)
            phrase = phrase_tokens(head) if head is not None else []
            after = fdoc[phrase[-1].i + 1] if phrase and phrase[-1].i + 1 < len(fdoc) else None
            named = (
                [x for x in fdoc[after.i + 1 : first.i] if offset(x) < s]
                if after is not None and after.text == ","
                else []
            )
            if (
                named
                and named[-1].text == ":"
                and len(named) <= 5
                and named[-2].text[:1].isupper()
                and named[-2].pos_ in ("NOUN", "PROPN")
            ):  # "Pour la principale association …, l'April : «…»": the name speaks
                found = at.resolve(named[-2], "pour X, Name : before the quote")
                if found is not None and found.entity is not None:
                    return found, t, cut
            if (
                after is not None
                and (after.text == "," or (after.text == ":" and after.i == first.i - 2))
                and at._is_known_or_person(head)
            ):  # "Mais pour Obama, «…»", "Pour la fédération …, l'ACR : «…»"
                found = at.resolve(head, "pour X, before the quote")
                if found is not None and found.entity is not None:
                    return found, t, cut
        colon_follows = t.i + 1 < len(fdoc) and fdoc[t.i + 1].text == ":"
        if at.is_cue(t) and (at.lexicon.get(at.cue_lemma(t)) != "quote" or colon_follows):
            found = at.speaker_of(t)
            if found is not None and found.entity is not None:
                return (
                    Found(found.entity, found.mention, "cue before the quote; " + found.rule),
                    t,
                    cut,
                )
        if source_marker(t):
            head = source_of(t)
            if head is not None:
                found = at.resolve(head, f"{t.lower_} X before the quote")
                if found is not None and found.entity is not None:
                    return found, t, cut
    return None, None, cut


def _fill_floating(quotes: list[dict], sentence_subject: dict[int, tuple[Entity, int]]) -> None:
    """Quotes with no cue go, in this order, to the person (or known speaker) that is the subject
    of their own sentence before the quote (``X est intervenu, trouvant le «…»``); to the subject
    of the sentence before, when that sentence is not itself a quote; to the speaker of the
    nearest attributed quote before, else after."""
    ordered = sorted(quotes, key=lambda q: q["order"])
    quoted_sentences = {n for q in quotes if q["type"] == "direct" for n in q["sentences"]}
    for i, q in enumerate(ordered):
        if q["found"] is not None:
            continue
        own, before = q["sentences"][0], q["sentences"][0] - 1
        if own in sentence_subject and sentence_subject[own][1] < q["start"]:
            entity = sentence_subject[own][0]
            q["found"] = Found(
                entity, entity.canonical, "unattributed quote → subject of its own sentence"
            )
            continue
        if before in sentence_subject and before not in quoted_sentences:
            entity = sentence_subject[before][0]
            q["found"] = Found(
                entity,
                entity.canonical,
                "unattributed quote → the person the sentence before is about",
            )
            continue
        previous = next((p for p in reversed(ordered[:i]) if p["found"] is not None), None)
        following = next((p for p in ordered[i + 1 :] if p["found"] is not None), None)
        neighbour = previous or following
        if neighbour is not None:
            q["found"] = Found(
                neighbour["found"].entity,
                neighbour["found"].mention,
                "unattributed quote → speaker of the "
                + ("preceding" if previous else "following")
                + " quote",
            )


def _tables(at: Attributor, quotes: list[dict], sentence_rules: dict, text: str):
    quotes = sorted(quotes, key=lambda q: (q["start"], q["type"]))
    rows = []
    for i, q in enumerate(quotes, start=1):
        found = q["found"]
        speaker = found.entity.canonical if found is not None and found.entity is not None else ""
        pieces, cursor = [], q["start"]
        for a, b in q["cut"]:
            pieces.append(text[cursor:a])
            cursor = b
        pieces.append(text[cursor : q["end"]])
        if q["type"] == "direct":
            pieces = [p.strip().strip('«»“”"').strip() for p in pieces]
        quoted = " [...] ".join(p.strip() for p in pieces if p.strip())
        rows.append(
            dict(
                quote_id=f"q{i}",
                type=q["type"],
                speaker=speaker,
                cue=q["cue"],
                rule=found.rule if found is not None else "no cue and no neighbouring quote",
                text=quoted,
                start=q["start"],
                end=q["end"],
                sentence_ids=";".join(str(n) for n in q["sentences"]),
                mention=found.mention if found is not None else "",
                words=q["words"],
            )
        )
    quote_table = pd.DataFrame(rows, columns=QUOTE_COLUMNS + ["words"])

    attribution = []
    for n in range(1, len(at.sentences) + 1):
        covering = [r for r in rows if str(n) in r["sentence_ids"].split(";")]
        direct = [r for r in covering if r["type"] == "direct" and r["speaker"]]
        indirect = [r for r in covering if r["type"] == "indirect" and r["speaker"]]
        chosen = (direct or indirect or [None])[0]
        if chosen is not None:
            attribution.append((n, chosen["speaker"], chosen["type"], chosen["rule"]))
        else:
            attribution.append((n, "", "none", sentence_rules.get(n, {}).get("rule", "")))
    attribution = pd.DataFrame(attribution, columns=SENTENCE_COLUMNS)

    speakers = []
    speaking = {}
    for r in rows:
        if r["speaker"]:
            speaking.setdefault(r["speaker"], []).append(r)
    for entity in at.registry.entities.values():
        name = entity.canonical
        said = speaking.get(name, [])
        if not said and entity.kind != "person":
            continue
        aliases = sorted(({lower_determiner(n) for n in entity.names} | entity.surfaces) - {name})
        sentences = attribution[attribution["speaker"] == name]
        speakers.append(
            dict(
                speaker=name,
                kind=entity.kind,
                role="; ".join(entity.roles),
                aliases="; ".join(aliases),
                status="speaker" if said else "mentioned",
                n_direct=sum(r["type"] == "direct" for r in said),
                n_indirect=sum(r["type"] == "indirect" for r in said),
                words_quoted=sum(r["words"] for r in said if r["type"] == "direct"),
                n_sentences=len(sentences),
            )
        )
    speaker_table = pd.DataFrame(speakers, columns=SPEAKER_COLUMNS)
    speaker_table = speaker_table.sort_values(
        ["status", "n_sentences", "speaker"], ascending=[False, False, True]
    ).reset_index(drop=True)
    return {
        "quotes": quote_table.drop(columns="words").assign(words=quote_table["words"]),
        "attribution": attribution,
        "speakers": speaker_table,
    }


def normalise_speaker(name: str) -> str:
    """Key for comparing speaker names: lower case, no leading determiner, single spaces."""
    name = re.sub(r"\s+", " ", str(name or "").strip().lower())
    return re.sub(r"^(les|le|la|l')\s*", "", name)
