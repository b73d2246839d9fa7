"""What the sieves may read about the article: reporting verbs, clauses, positions, discourse.

:class:`Context` holds the parsed article (through an
:class:`~presse.quotes.text.ArticleIndex`), the lexicons, the speaker registry and the discourse
state the walk has built so far (recent speakers and subjects, for pronouns). The sieves only
read it; the runner (:mod:`presse.quotes.runner`) is the one place that changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from spacy.tokens import Token

from presse.quotes.mentions import mention_from, name_not_a_speaker
from presse.quotes.registry import Entity, Registry
from presse.quotes.text import (
    CLOSING,
    DEMONSTRATIVES,
    GENITIVE,
    OPENING,
    PRONOUNS,
    SENTENCE_END,
    TITLES,
    ArticleIndex,
    bare,
    feature,
    is_one_of,
    is_word,
    offset,
)

SALIENCE_WINDOW = 4  # sentences back in which a pronoun looks for its antecedent


@dataclass
class Candidate:
    """An entity a later pronoun may refer to: where it was seen and in what role (``speaker``,
    ``subject``, ``possessed subject``, ``named``)."""

    position: int  # token id
    sentence: int
    entity: Entity
    role: str


@dataclass
class Context:
    """The article and the discourse state, as the sieves see them."""

    index: ArticleIndex
    lexicon: pd.DataFrame
    title_markers: set = field(default_factory=set)
    document_nouns: set = field(default_factory=set)
    not_speakers: dict = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)
    candidates: list = field(default_factory=list)  # Candidate, in reading order
    # sentence -> (the person or known speaker it is about, offset of that subject)
    sentence_subject: dict = field(default_factory=dict)
    quoted_sentences: set = field(default_factory=set)  # sentences holding a direct quote
    rejected: list = field(default_factory=list)  # (mention, why it cannot be a speaker)
    depth: int = 0  # how deep a sieve is in resolving through governing verbs
    speaker_for: object = None  # set by the runner: (verb, after_quote) -> Attribution | None
    detector: dict | None = None  # the report detector, or None: the sieve's own rule decides
    report_candidates: list = field(default_factory=list)  # every reporting verb, its features
    collect_verbs: bool = False  # propose every verb with a complement, to train the detector

    def __post_init__(self) -> None:
        lexicon = self.lexicon
        self.requires = dict(zip(lexicon["lemma"], lexicon["requires"]))
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
        for lemma in lexicon["lemma"]:  # imperfect of -er verbs: "«…», scandaient les grévistes"
            if lemma.endswith("er"):
                stem = lemma[:-2]
                stem = stem[:-1] + "ç" if stem.endswith("c") else stem
                stem = stem + "e" if stem.endswith("g") else stem
                for ending in ("ait", "aient"):
                    self.presents.setdefault(stem + ending, lemma)

    # -- positions
    def rejected_entity(self, key: str) -> bool:
        """Is the settled name of entity ``key`` one that cannot be a speaker (a day the tagger
        took for a person, …)? Recorded once in ``rejected`` with why."""
        entity = self.registry.entities.get(key)
        why = name_not_a_speaker(entity.canonical, self.not_speakers) if entity else ""
        if why and (entity.canonical, why) not in self.rejected:
            self.rejected.append((entity.canonical, why))
        return bool(why)

    def sentence_of(self, token: Token) -> int:
        return self.index.sentence_number(token)

    def in_quote(self, token: Token) -> tuple[int, int] | None:
        return self.index.in_quote(token)

    def recent_candidates(self, before: int, sentence: int) -> list[Candidate]:
        """Candidates seen before token id ``before`` within :data:`SALIENCE_WINDOW` sentences
        of ``sentence`` (read from the end, so the cost does not grow with the article)."""
        found = []
        for c in reversed(self.candidates):
            if sentence - c.sentence > SALIENCE_WINDOW:
                break
            if c.position < before:
                found.append(c)
        return found

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
        if lemma not in self.requires or token.pos_ not in ("VERB", "AUX"):
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
        skip_to = -1
        for t in verb.doc[verb.i + 1 : verb.sent.end]:
            if t.i <= skip_to:
                continue
            if t.text == "," and t.i == verb.i + 1:
                # "estime, enthousiaste, Didier Grimoin": a short incise between commas
                closing = next(
                    (x for x in verb.doc[t.i + 1 : min(t.i + 5, verb.sent.end)] if x.text == ","),
                    None,
                )
                between = verb.doc[t.i + 1 : closing.i] if closing is not None else []
                if closing is not None and all(x.pos_ in ("ADJ", "ADV") for x in between):
                    skip_to = closing.i
                    continue
            if t.text in SENTENCE_END or t.text in (",", ";", ":") or t.text in OPENING:
                return None
            if t.lower_ in ("que", "qu'", "qu’", "si") and t.pos_ in ("SCONJ", "PRON", "ADV"):
                return None  # a subordinate clause: its subject is not the speaker
            if t.pos_ == "ADP" or t.lower_ in ("au", "aux", "du", "des"):
                in_pp = True
            elif self.not_speakers.get(t.lemma_.lower()) == "time" or (
                t.like_num
                and t.i + 1 < len(t.doc)
                and self.not_speakers.get(t.doc[t.i + 1].lemma_.lower()) == "time"
            ):
                continue  # an adverbial of time: "a exhorté vendredi soir le ministre"
            elif (
                t.lower_ in DEMONSTRATIVES
                and t.i + 1 < len(t.doc)
                and t.doc[t.i + 1].lower_ == "qui"
                and not in_pp
            ):
                return t  # "ajoute celle qui a été nommée …"
            elif is_one_of(t) and not in_pp:
                return t  # "avertit l'un des activistes", "crie l'un d'eux"
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
                    and self.not_speakers.get(head.head.lemma_.lower()) != "time"
                ):  # not onto an adverbial of time the parse hung the name on
                    head = head.head
                return head
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
        requires = self.requires.get(self.cue_lemma(verb), "content")
        if requires == "quote":
            return None
        after = [t for t in verb.doc[verb.i + 1 : sent.end] if is_word(t)]
        has_subject = any(c.dep_ in ("nsubj", "expl:subj") and c.i < verb.i for c in verb.children)
        subject = self.postposed_subject(verb) if self.is_incise(verb) and not has_subject else None
        if subject is not None:
            skip = {t.i for t in subject.subtree}
            after = [t for t in after if t.i not in skip]
        passive_subject = [
            c for c in verb.children if c.dep_ == "nsubj:pass" and c.i < verb.i and is_word(c)
        ]
        if passive_subject and any(
            c.dep_ == "obl:agent" or any(g.lower_ == "par" for g in c.children)
            for c in verb.children
        ):
            # "Cette position a été confirmée par les syndicats": what was confirmed
            words = [t for t in passive_subject[0].subtree if is_word(t)]
            return (offset(words[0]), offset(words[-1]) + len(words[-1]))
        if requires == "infinitive":
            ok = any(c.dep_ == "xcomp" and feature(c, "VerbForm") == "Inf" for c in verb.children)
            return (offset(after[0]), offset(after[-1]) + len(after[-1])) if ok and after else None
        postposed = self.postposed_subject(verb) if self.is_incise(verb) else None
        own = {t.i for t in postposed.subtree} if postposed is not None else set()
        if self.is_incise(verb) and not any(
            c.dep_ in ("ccomp", "obj") and c.i not in own for c in verb.children if c.i > verb.i
        ):  # "Le tramway sera prolongé, a déclaré la maire": what comes before the comma
            before = [t for t in verb.doc[sent.start : verb.i] if is_word(t)]
            outside = [t for t in before if not self.in_quote(t)]
            if len(outside) >= 3:  # a partial quote inside the report is both (issue: direct only)
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

    def is_known_or_person(self, head: Token) -> bool:
        """Is ``head`` a pronoun, a person, a named body, or a description of a known speaker?"""
        if bare(head) in PRONOUNS:
            return True
        mention = mention_from(head, 0)
        if mention is None:
            return False
        return (
            mention.kind == "person"
            or bool(mention.proper)  # "Pour l'April : «…»"
            or bool(self.registry.by_head.get(mention.head_lemma))
        )


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
