"""The attribution sieves: small named rules that each propose, never commit.

Four stages, as in the sieve systems for quote attribution (Muzny et al. 2017; CoreNLP's
QuoteAnnotator):

- **cue** (direct quote → its cue): an incise inside the marks, a reporting verb right after the
  quote (alone or shared by a list of quotes), a colon, a clause opener, ``pour X,``, a verb
  before the quote, ``selon X`` / ``d'après X`` after or before it;
- **mention** (reporting verb → the phrase that names its speaker): the inverted subject, the
  issuer of a document, the subject, the agent of a passive, a postposed subject, the controller
  of an infinitive, the subject of a governing verb, the subject of the clause before;
- **entity** (phrase → speaker): a pronoun, *l'intéressé*, *on* standing for a body, a relative
  pronoun's antecedent, a name or description already seen (alias, description), a new one;
- **fallback** (a quote with no cue): the subject of its own sentence, of the sentence before,
  the speaker of the neighbouring quote.

Each sieve is a function registered with :func:`sieve` under an id; the order in which the runner
tries them is one list per stage, :data:`presse.quotes.order.ORDER`. A sieve reads the
:class:`~presse.quotes.context.Context` and returns a proposal (or None); only the runner
(:mod:`presse.quotes.runner`) commits a proposal to the speaker registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Token

from presse.quotes.context import (
    Context,
    is_object,
    source_marker,
    source_of,
)
from presse.quotes.mentions import Mention, mention_from, not_a_speaker, phrase_tokens
from presse.quotes.registry import Entity
from presse.quotes.text import (
    CLAUSE_OPENERS,
    DEMONSTRATIVES,
    PRONOUNS,
    SENTENCE_END,
    TITLES,
    bare,
    feature,
    is_one_of,
    is_word,
    offset,
    token_id,
)

# --------------------------------------------------------------------------- proposals


@dataclass
class CueProposal:
    """What a cue sieve found for a direct quote: a reporting ``verb`` whose speaker the mention
    stage will find, or a ``head`` that names the speaker directly (``selon X``, the subject of
    the clause before a colon). ``distance`` orders proposals of one region (nearest first);
    ``blocks``: if it cannot be resolved, no later proposal of its region is tried."""

    sieve: str
    verb: Token | None = None
    head: Token | None = None
    cut: list = field(default_factory=list)
    distance: int = 0
    blocks: bool = False


@dataclass
class MentionProposal:
    """What a mention sieve found for a reporting verb: the ``head`` of the phrase that names the
    speaker (``exclude``: subtrees to leave out of it), or ``no_speaker`` (a passive without
    agent), or an attribution already ``resolved`` through another verb."""

    sieve: str
    head: Token | None = None
    exclude: tuple = ()
    no_speaker: bool = False
    resolved: Attribution | None = None


@dataclass
class EntityProposal:
    """What an entity sieve found for a phrase: an ``entity`` already in the registry (a pronoun's
    antecedent) or a ``mention`` the runner will commit; ``how`` explains the match."""

    sieve: str
    entity: Entity | None
    mention: Mention | None
    text: str
    how: str


@dataclass
class Attribution:
    """A speaker proposed for a quote or a report, with the sieve that fired at each stage."""

    entity: Entity | None  # None with a mention to commit, or for "no speaker"
    mention: Mention | None
    text: str  # the mention as written
    trace: list  # [(stage, sieve id), …]
    rule: str  # the sieves' descriptions, in prose
    no_speaker: bool = False


# --------------------------------------------------------------------------- the registry of sieves


@dataclass(frozen=True)
class Sieve:
    id: str
    stage: str
    description: str
    run: Callable
    region: str = ""  # cue sieves: inside, after, colon, before


SIEVES: dict[str, Sieve] = {}
STAGES = ("cue", "mention", "entity", "fallback", "indirect")


def sieve(stage: str, description: str, region: str = "", also: tuple = ()):
    """Register the decorated function as the sieve ``function.__name__`` of ``stage``.
    ``also`` names other ids the same function reports (with their descriptions)."""

    def register(function):
        SIEVES[function.__name__] = Sieve(function.__name__, stage, description, function, region)
        for other, text in also:
            SIEVES[other] = Sieve(other, stage, text, function, region)
        return function

    return register


def describe(sieve_id: str) -> str:
    return SIEVES[sieve_id].description if sieve_id in SIEVES else sieve_id


# =========================================================================== stage 1: cue


def _incise_end(verb: Token, quote_end: int) -> int:
    doc = verb.doc
    end = verb.i
    while (
        end + 1 < len(doc)
        and doc[end + 1].text not in SENTENCE_END | {",", ";", "»", "”", '"'}
        and offset(doc[end + 1]) < quote_end - 1
    ):
        end += 1
    if end + 1 < len(doc) and doc[end + 1].text in SENTENCE_END | {",", ";"}:
        end += 1
    return end


@sieve("cue", "incise inside the quote", region="inside")
def incise(ctx: Context, quote) -> list[CueProposal]:
    """``«…, a-t-il indiqué. …»``: a reporting verb after a comma inside the marks, with an
    inverted or postposed subject; the incise is cut out of the quoted words."""
    found = []
    for t in quote.tokens:
        if (
            ctx.is_cue(t)
            and ctx.is_incise(t)
            and (ctx.inverted_pronoun(t) is not None or ctx.postposed_subject(t) is not None)
        ):
            doc = t.doc
            aux = min([c.i for c in t.children if c.dep_.startswith("aux")] + [t.i])
            end = doc[_incise_end(t, quote.end)]
            cut = [(offset(doc[aux - 1]), offset(end) + len(end))]
            found.append(CueProposal("incise", verb=t, cut=cut, distance=len(found)))
    return found


def tokens_after(ctx: Context, quote, skip_quotes: bool = False) -> list[Token]:
    """The tokens after the closing mark in the same sentence, up to another quote, a ``;`` or
    ``:``, or a coordinated clause (``«…» et pense que``). With ``skip_quotes``, the tokens after
    a list of further quotes joined only by commas or *et* (``«…», «…», scandaient-ils``), or
    nothing when no such list follows."""
    if not quote.tokens:
        return []
    last = quote.tokens[-1]
    doc = last.doc
    closing = next((t for t in ctx.index.tokens_between(quote.end - 1, quote.end)), None)
    if closing is not None and closing.doc is doc and closing.sent.end > last.sent.end:
        last = closing  # "«… ?» se questionne X": the sentence went on past the closing mark
    window = [
        t for t in doc[last.i + 1 : min(last.sent.end, last.i + 60)] if offset(t) >= quote.end
    ]
    out: list[Token] = []
    listed = False  # another quote seen (the list of quotes)
    for t in window:
        span = ctx.in_quote(t)
        if span is not None and span[0] >= quote.end:
            if not skip_quotes or out:
                break
            listed = True
            continue
        if skip_quotes and not out and t.text in (",", "et", "ou", "»", "”", '"'):
            continue  # between the quotes of the list
        if skip_quotes and not listed:
            return []
        if t.text in (";", ":") or (t.pos_ == "CCONJ" and t.head.pos_ in ("VERB", "AUX")):
            break
        out.append(t)
    return out if (listed or not skip_quotes) else []


@sieve("cue", "cue after the quote", region="after")
def cue_after(ctx: Context, quote) -> list[CueProposal]:
    """``«…», ont-ils ajouté``: the first reporting verb after the closing mark."""
    for n, t in enumerate(tokens_after(ctx, quote)):
        if ctx.is_cue(t):
            return [CueProposal("cue_after", verb=t, distance=n, blocks=True)]
    return []


#: verbs that, in an incise after a quote, do not say who spoke (``«…», est-il``)
NOT_INCISE_VERBS = {"être", "avoir", "pouvoir", "devoir", "falloir", "sembler", "rester"}
REFLEXIVES = ("se", "s'", "s’")


@sieve("cue", "any verb in an incise right after the quote", region="after")
def incise_verb(ctx: Context, quote) -> list[CueProposal]:
    """``«…», avertit l'un des activistes``, ``«…», sourit-elle``, ``«…» se fâche Amina``: a
    verb that opens the words after the closing mark (past a comma, a reflexive pronoun or an
    auxiliary) with its subject after it is the quote's cue whatever its lemma, since the incise
    is the form French gives a quote's cue; the lexicon's verbs are ``cue_after``'s."""
    after = tokens_after(ctx, quote)
    lead = [t for t in after[:4] if t.text != ","]
    for n, t in enumerate(lead[:3]):
        reflexive = n > 0 and bare(lead[n - 1]) in REFLEXIVES
        if t.pos_ == "VERB" or reflexive or ctx.inverted_pronoun(t) is not None:
            if t.lemma_.lower() in NOT_INCISE_VERBS or ctx.is_cue(t):
                return []
            if ctx.inverted_pronoun(t) is not None or ctx.postposed_subject(t) is not None:
                return [CueProposal("incise_verb", verb=t, distance=n)]
            return []
        if not (t.pos_ == "AUX" or bare(t) in REFLEXIVES):
            return []
    return []


@sieve("cue", "cue after a list of quotes that share it", region="after")
def shared_cue_after(ctx: Context, quote) -> list[CueProposal]:
    """``«…», «…», «…», scandaient les grévistes``: every quote of the list gets the cue that
    follows the last one."""
    following = tokens_after(ctx, quote, skip_quotes=True)
    for n, t in enumerate(following[:4]):
        if ctx.is_cue(t):
            return [CueProposal("shared_cue_after", verb=t, distance=100 + n, blocks=True)]
    return []


@sieve("cue", "selon/d'après X after the quote", region="after")
def source_after(ctx: Context, quote) -> list[CueProposal]:
    """``«…», selon le ministre``."""
    found = []
    for n, t in enumerate(tokens_after(ctx, quote)):
        if ctx.is_cue(t):
            break
        if source_marker(t):
            head = source_of(t)
            if head is not None:
                found.append(CueProposal("source_after", head=head, verb=t, distance=n))
    return found


def tokens_before(ctx: Context, quote) -> list[Token]:
    """The tokens before the opening mark in the same sentence, outside other quotes."""
    if not quote.tokens:
        return []
    first = quote.tokens[0]
    return [
        t
        for t in first.doc[first.sent.start : first.i]
        if offset(t) < quote.start and not ctx.in_quote(t)
    ]


@sieve("cue", "quote introduced by a colon", region="colon")
def colon(ctx: Context, quote) -> list[CueProposal]:
    """``X a défendu sa décision : «…»``: a colon and no reporting verb before the quote; the
    speaker is the subject of the clause before."""
    before = tokens_before(ctx, quote)
    content_cue = any(
        ctx.is_cue(t) and ctx.requires.get(ctx.cue_lemma(t)) != "quote" for t in before
    )  # a verb that reports only quotes (a défendu sa réforme :) leaves the colon to speak
    if before and before[-1].text == ":" and not content_cue:
        head, kind = clause_subject_head(before)
        if head is not None:
            return [CueProposal("colon", head=head, verb=None, distance=0)]
    return []


@sieve("cue", "subject of the clause the quote is in", region="before")
def clause_opener(ctx: Context, quote) -> list[CueProposal]:
    """``… lorsque le pape l'a nommé «…»``: the quote belongs to the subject of the clause it is
    in, not to a reporting verb before ``lorsque``/``quand``."""
    before = tokens_before(ctx, quote)
    for n, t in enumerate(reversed(before)):
        if t.lower_ in CLAUSE_OPENERS:
            inside = [x for x in before if x.i > t.i]
            head, _ = clause_subject_head(inside)
            return [CueProposal("clause_opener", head=head, distance=n, blocks=True)]
    return []


@sieve("cue", "pour X, before the quote", region="before")
def pour_before(ctx: Context, quote) -> list[CueProposal]:
    """``Mais pour Obama, «…»``; ``Pour la fédération …, l'ACR : «…»`` (the name speaks)."""
    before = tokens_before(ctx, quote)
    found = []
    for n, t in enumerate(reversed(before)):
        if t.lower_ != "pour" or t.i + 1 >= len(t.doc):
            continue
        doc, first = t.doc, quote.tokens[0]
        head = source_of(t)
        phrase = phrase_tokens(head) if head is not None else []
        after = doc[phrase[-1].i + 1] if phrase and phrase[-1].i + 1 < len(doc) else None
        named = (
            [x for x in doc[after.i + 1 : first.i] if offset(x) < quote.start]
            if after is not None and after.text == ","
            else []
        )
        if (
            named
            and named[-1].text == ":"
            and len(named) <= 5
            and len(named) >= 2
            and named[-2].text[:1].isupper()
            and named[-2].pos_ in ("NOUN", "PROPN")
        ):
            found.append(CueProposal("pour_before", head=named[-2], verb=t, distance=n))
        elif (
            after is not None
            and (after.text == "," or (after.text == ":" and after.i == first.i - 2))
            and ctx.is_known_or_person(head)
        ):
            found.append(CueProposal("pour_before", head=head, verb=t, distance=n))
    return found


@sieve("cue", "cue before the quote", region="before")
def cue_before(ctx: Context, quote) -> list[CueProposal]:
    """``X a déclaré : «…»``, ``X a déclaré que … «…»``: a reporting verb before the quote in
    its sentence (a verb that only introduces quotes, *lancer*, needs a colon after it)."""
    doc = quote.tokens[0].doc if quote.tokens else None
    found = []
    for n, t in enumerate(reversed(tokens_before(ctx, quote))):
        colon_follows = t.i + 1 < len(doc) and doc[t.i + 1].text == ":"
        if ctx.is_cue(t) and (ctx.requires.get(ctx.cue_lemma(t)) != "quote" or colon_follows):
            found.append(CueProposal("cue_before", verb=t, distance=n))
    return found


@sieve("cue", "selon/d'après X before the quote", region="before")
def source_before(ctx: Context, quote) -> list[CueProposal]:
    """``Selon le ministre, «…»``."""
    found = []
    for n, t in enumerate(reversed(tokens_before(ctx, quote))):
        if source_marker(t):
            head = source_of(t)
            if head is not None:
                found.append(CueProposal("source_before", head=head, verb=t, distance=n))
    return found


# =========================================================================== stage 2: mention


@sieve("mention", "inverted subject")
def inverted_subject(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``a-t-il indiqué``, ``ajoute-t-elle``, ``ont-ils ajouté``."""
    pronoun = ctx.inverted_pronoun(verb)
    return MentionProposal("inverted_subject", pronoun) if pronoun is not None else None


def _document(ctx: Context, verb: Token) -> Token | None:
    if (
        verb.dep_.startswith("acl")
        and not verb.dep_.startswith("acl:relcl")
        and verb.head.pos_ in ("NOUN", "PROPN")
        and 0 < verb.i - verb.head.i <= 4
        and all(is_word(t) for t in verb.doc[verb.head.i + 1 : verb.i])
    ):
        return verb.head
    return None


@sieve("mention", "participle clause → the document it describes → who issued it")
def document_issuer(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``TVE a émis un communiqué affirmant …``: TVE speaks through its communiqué."""
    document = _document(ctx, verb)
    if document is None or document.lemma_.lower() not in ctx.document_nouns:
        return None
    if document.dep_ != "obj":
        return None
    issuer = next(
        (c for c in document.head.children if c.dep_ == "nsubj" and c.i < document.i), None
    )
    return MentionProposal("document_issuer", issuer) if issuer is not None else None


@sieve("mention", "participle clause → the noun it describes")
def participle_noun(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``un message disant «…»``: a message, a person, a group or a named body speaks; ``l'idée
    d'un prêt affirmant`` does not (the main clause's subject speaks)."""
    document = _document(ctx, verb)
    if document is None:
        return None
    mention = mention_from(document, ctx.sentence_of(verb), exclude=[verb])
    if mention is not None and (
        document.lemma_.lower() in ctx.document_nouns
        or mention.kind in ("person", "group")
        or mention.proper
    ):
        return MentionProposal("participle_noun", document, exclude=(verb,))
    return None


@sieve("mention", "subject after verb (comme … inversion)")
def comme_inversion(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``comme le rappelle HRW``."""
    window = verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]
    if any(t.lower_ == "comme" for t in window):
        head = ctx.postposed_subject(verb)
        if head is not None:
            return MentionProposal("comme_inversion", head)
    return None


def is_passive(ctx: Context, verb: Token) -> bool:
    return any(c.dep_ in ("aux:pass", "nsubj:pass") and not ctx.in_quote(c) for c in verb.children)


@sieve("mention", "agent of passive reporting verb")
def passive_agent(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``a été annoncé par le préfet``."""
    passive = is_passive(ctx, verb)
    for child in verb.children:
        if child.dep_ == "obl:agent" or (
            passive
            and child.dep_.startswith("obl")
            and any(g.lower_ == "par" for g in child.children)
        ):
            return MentionProposal("passive_agent", child)
    return None


@sieve("mention", "subject after a verb that ends the sentence (…, a indiqué X)")
def incise_subject(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``Les manifestations ont refroidi les touristes, a indiqué vendredi Atout France``: a
    verb after a comma with no complement of its own has its subject after it, whatever the
    parse attached before it."""
    if after_quote or not ctx.is_incise(verb) or ctx.inverted_pronoun(verb) is not None:
        return None  # after a quote, postposed_subject reads the same order
    aux = min([c.i for c in verb.children if c.dep_.startswith("aux")] + [verb.i])
    before = verb.doc[verb.sent.start : aux - 1]
    if not any(t.pos_ in ("VERB", "AUX") for t in before):
        return None  # "La maire, Claire Dumont, a annoncé": the comma closes an apposition
    head = ctx.postposed_subject(verb)
    if head is None:
        return None
    ids = {t.i for t in head.subtree} | {head.i}
    if any(
        c.dep_ in ("ccomp", "obj", "xcomp") and c.i > verb.i and c.i not in ids
        for c in verb.children
    ):  # a complement of its own: the verb reports it (the parser may call the subject obj)
        return None
    return MentionProposal("incise_subject", head)


@sieve("mention", "subject of reporting verb")
def subject(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``X a déclaré``; the parser often calls ``Il a déclaré`` impersonal (``expl:subj``): with
    an active reporting verb it is a person."""
    for child in verb.children:
        if (
            (child.dep_ == "nsubj" or (child.dep_ == "expl:subj" and bare(child) in PRONOUNS))
            and child.i < verb.i
            and not bare(child).startswith("-")
            and not ctx.in_quote(child)
        ):
            return MentionProposal("subject", child)
    return None


@sieve("mention", "passive reporting verb without agent: no speaker")
def passive_no_agent(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``ont été soulignés``: nobody is named; the sentence stays narration, and says why."""
    return MentionProposal("passive_no_agent", no_speaker=True) if is_passive(ctx, verb) else None


@sieve("mention", "subject after verb")
def postposed_subject(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``«…», a mentionné M. X``, ``…, a dit le ministre``: after a quote or in an incise, the
    first noun phrase after the verb (adverbials of time skipped: ``a exhorté vendredi soir le
    ministre``)."""
    if after_quote or ctx.is_incise(verb):
        head = ctx.postposed_subject(verb)
        if head is not None:
            return MentionProposal("postposed_subject", head)
    return None


@sieve("mention", "subject after verb (parsed)")
def subject_after(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """A subject the parse places after the verb."""
    for child in verb.children:
        if child.dep_ == "nsubj" and child.i > verb.i and not ctx.in_quote(child):
            return MentionProposal("subject_after", child)
    return None


@sieve("mention", "object of the governing verb (X … de + infinitive)")
def controller(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``convaincre la veuve … de demander``: the object of the governing verb speaks."""
    if verb.dep_ != "xcomp" or feature(verb, "VerbForm") != "Inf":
        return None
    obj = next(
        (
            c
            for c in verb.head.children
            if c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN") and c.i < verb.i
        ),
        None,
    )
    return MentionProposal("controller", obj) if obj is not None else None


GOVERNING = {
    "conj": "subject of the coordinated verb",
    "xcomp": "subject of the governing verb",
    "advcl": "subject of the main verb (gerund or participle clause)",
}


@sieve("mention", "subject of the governing or coordinated verb")
def governing_verb(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """``a salué … et appelé à``, ``a tenu à rappeler``, ``en affirmant``: the speaker of the
    verb this one depends on."""
    if verb.dep_ not in GOVERNING or verb.head is verb or ctx.depth >= 3:
        return None
    head = verb.head
    if ctx.in_quote(head) or head.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    ctx.depth += 1
    try:
        found = ctx.speaker_for(head, False)
    finally:
        ctx.depth -= 1
    if found is None or found.no_speaker:
        return None
    found.rule += f"; {GOVERNING[verb.dep_]}"
    return MentionProposal("governing_verb", resolved=found)


def clause_subject_head(tokens: list[Token]) -> tuple[Token | None, str]:
    """The subject nearest the end of ``tokens`` (``X a défendu sa décision :``), with which
    of three kinds it is: ``clause_subject``, ``clause_opening_person`` (a name that opens the
    clause, where the parse lost the subject), ``clause_named_person`` (any person named)."""
    for t in reversed(tokens):
        if (
            t.dep_ == "nsubj"
            and (t.pos_ in ("NOUN", "PROPN") or bare(t) in PRONOUNS)
            and not any(c.dep_ == "case" for c in t.children)  # "de son côté"
        ):
            return t, "clause_subject"
        if (
            t.ent_type_ == "PER"
            and t.ent_iob_ == "B"
            and (t.i == t.sent.start or t.doc[t.i - 1].text in (",", ";"))
            and not any(c.dep_ == "case" for c in t.children)
            and not is_object(t)
            and t.i < t.sent.root.i  # after the main verb, a name is a complement
        ):
            return t, "clause_opening_person"
    for t in reversed(tokens):
        if t.ent_type_ == "PER" and t.ent_iob_ == "B":
            return t, "clause_named_person"
    return None, ""


@sieve(
    "mention",
    "subject of the clause before (the parse links no subject to the verb)",
    also=(
        ("clause_opening_person", "person who opens the clause before"),
        ("clause_named_person", "person named in the clause before"),
    ),
)
def clause_subject(ctx: Context, verb: Token, after_quote: bool) -> MentionProposal | None:
    """The parse links no subject to the verb: the subject of the clause before it."""
    before = [t for t in verb.doc[verb.sent.start : verb.i] if not ctx.in_quote(t)]
    head, kind = clause_subject_head(before)
    return MentionProposal(kind, head) if head is not None else None


# =========================================================================== stage 3: entity


@sieve("entity", "pronoun → nearest compatible speaker or subject")
def pronoun(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """The antecedent of ``il``, ``elle``, ``ils``, ``elles``, ``lui``, ``eux``: a compatible
    candidate (gender, number), looking back sentence by sentence; within a sentence a speaker or
    subject comes before a person only named there, and people, groups and named institutions
    before other phrases."""
    word = bare(head)
    if (
        word in DEMONSTRATIVES
        and head.i + 1 < len(head.doc)
        and head.doc[head.i + 1].lower_ == "qui"
    ):
        gender, number = DEMONSTRATIVES[word]
    elif word in PRONOUNS:
        gender, number = PRONOUNS[word]
    else:
        return None
    return _antecedent(ctx, head, gender, number, f"pronoun {word}", "pronoun")


def _antecedent(ctx, head, gender, number, label, sieve_id) -> EntityProposal | None:
    here, sentence = token_id(head), ctx.sentence_of(head)

    def compatible(entity: Entity) -> bool:
        if entity.number and entity.number != number:
            return False
        if gender == "Fem":  # a named institution has no gender in the parse ("Moody's …
            return entity.gender == "Fem" or (entity.gender is None and bool(entity.proper))
        if gender == "Masc":
            return entity.gender in ("Masc", None)
        return entity.gender != "Fem" or number != "Plur"

    def salient(entity: Entity) -> bool:
        return entity.kind in ("person", "group") or bool(entity.proper)

    speaking = head.head is not head and ctx.is_cue(head.head)

    def can_speak(c) -> int:
        """0 a person or a speaker, 1 a group or a named institution, 2 any other phrase."""
        if c.entity.kind == "person" or c.role == "speaker":
            return 0
        return 1 if salient(c.entity) else 2

    def rank(c) -> tuple:
        return (
            # the subject of a reporting verb speaks: who can speak comes before nearness
            # ("«…», explique-t-elle" after "la municipalité", with Mevlüde a sentence before)
            can_speak(c) if speaking else 0,
            # nearer sentences first; a subject introduced by a possessive counts as two
            # sentences further ("Son franc-parler lui a valu …  il avait lâché")
            sentence - c.sentence + (2 if c.role == "possessed subject" else 0),
            0 if salient(c.entity) or c.role == "speaker" else 1,
            # then a subject over a name; the subject of a reporting verb refers back to a
            # speaker before a subject ("selon M. Mérand, … Macron soit … », avance-t-il")
            {"speaker": 0, "subject": 1 if speaking else 0, "object": 3}.get(c.role, 2),
            -c.position,  # then the most recent
        )

    pool = [c for c in ctx.recent_candidates(here, sentence) if compatible(c.entity)]
    if not pool:
        return None
    best = min(pool, key=rank)
    desc = {"Masc": "masculine ", "Fem": "feminine ", None: ""}[gender]
    num, target = ("singular", "person") if number == "Sing" else ("plural", "group")
    return EntityProposal(
        sieve_id,
        best.entity,
        None,
        head.text,
        f"{label} → nearest {desc}{num} {target} ({best.role})",
    )


@sieve("entity", "l'intéressé(e) → the person it stands for")
def interesse(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """``l'intéressé``, ``l'intéressée``: the person the article is about, like a pronoun."""
    if head.lower_ not in ("intéressé", "intéressée", "intéressés", "intéressées"):
        return None
    if not any(c.dep_ == "det" for c in head.children):
        return None
    gender = "Fem" if head.lower_.rstrip("s").endswith("ée") else "Masc"
    number = "Plur" if head.lower_.endswith("s") else "Sing"
    return _antecedent(ctx, head, gender, number, f"{head.lower_}", "interesse")


INSTITUTION_FRAMES = (("du", "côté", "de"), ("chez",), ("au", "sein", "de"), ("à",))


@sieve("entity", "on → the body named at the head of the sentence")
def on_institution(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """``Du côté de la mairie, on explique …``, ``Chez Renault, on assure …``: ``on`` stands for
    the body the sentence opens on."""
    if bare(head) != "on":
        return None
    sent = head.sent
    words = [t for t in sent if t.i < head.i]
    lowered = [t.lower_ for t in words]
    for frame in INSTITUTION_FRAMES:
        if tuple(lowered[: len(frame)]) == frame and "," in lowered:
            comma = lowered.index(",")
            inside = words[len(frame) : comma]
            nouns = [t for t in inside if t.pos_ in ("NOUN", "PROPN") and t.head not in inside]
            nouns = nouns or [t for t in inside if t.pos_ in ("NOUN", "PROPN")]
            if nouns:
                found = _noun_phrase(ctx, nouns[0], ())
                if found is not None:
                    mention, how, reason = found
                    if mention is not None and not reason:
                        return EntityProposal(
                            "on_institution", None, mention, mention.text, "on → " + mention.text
                        )
    return None


@sieve("entity", "relative pronoun → its antecedent")
def relative(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """``la direction du port, qui affirme …``: the antecedent, climbing noun complements after a
    comma when the verb agrees with them."""
    if not (head.pos_ == "PRON" and feature(head, "PronType") == "Rel"):
        return None
    if head.head.head is head.head:
        return None
    antecedent = head.head.head
    after_comma = head.i > 0 and head.doc[head.i - 1].text == ","
    verb_number = feature(head.head, "Number")
    while (
        after_comma
        and antecedent.dep_ == "nmod"
        and antecedent.head.pos_ in ("NOUN", "PROPN")
        and feature(antecedent.head, "Number") in (None, verb_number)
    ):
        antecedent = antecedent.head
    if antecedent.pos_ not in ("NOUN", "PROPN"):
        return None
    found = _noun_phrase(ctx, antecedent, ())
    if found is None or found[2]:
        return None
    mention, how, _ = found
    return EntityProposal("relative", None, mention, mention.text, "relative pronoun → antecedent")


def _noun_phrase(ctx: Context, head: Token, exclude) -> tuple[Mention | None, str, str] | None:
    """The mention headed by ``head``, how the registry would match it, and why it cannot be a
    speaker (``""`` if it can); None when ``head`` heads no noun phrase."""
    one_of = is_one_of(head)  # "l'un des activistes" is a noun phrase headed by a pronoun
    if (
        bare(head) in PRONOUNS or bare(head) in DEMONSTRATIVES or head.pos_ == "PRON"
    ) and not one_of:
        return None
    if not (
        one_of
        or head.pos_ in ("NOUN", "PROPN", "X")
        or head.text.lower() in TITLES
        or head.text[:1].isupper()
    ):
        return None
    mention = mention_from(head, ctx.sentence_of(head), exclude)
    if mention is None:
        return None
    tokens = phrase_tokens(head, exclude)
    reason = not_a_speaker(mention, tokens, ctx.not_speakers)
    if reason:
        ctx.rejected.append((mention.text, reason))
        return mention, "", reason
    _, match = ctx.registry.peek(mention)
    return mention, match, ""


def _phrase_proposal(ctx, head, exclude, wanted: str) -> EntityProposal | None:
    found = _noun_phrase(ctx, head, exclude)
    if found is None or found[2] or found[1] != wanted:
        return None
    mention, match, _ = found
    how = {
        "alias": "alias of a name seen before",
        "description": "description of a speaker seen before",
        "new": "",
    }[match]
    if mention.kind == "person" and mention.role:
        how = "; ".join(x for x in ("name in apposition, role from the phrase", how) if x)
    if wanted != "new":
        return EntityProposal(wanted, None, mention, mention.text, how)
    if mention.kind == "person":
        sieve_id = "new_person"
    elif mention.proper:
        sieve_id = "new_named"
    else:
        sieve_id = "new_description"
    return EntityProposal(sieve_id, None, mention, mention.text, how)


@sieve("entity", "a name seen before (alias)")
def alias(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """``M. Morel`` after ``Julien Morel``; ``l'ONG`` after ``l'ONG Human Rights Watch``."""
    return _phrase_proposal(ctx, head, exclude, "alias")


@sieve("entity", "a description of a speaker seen before")
def description(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """``le ministre`` after ``le ministre de l'Intérieur, X``; ``les ministres`` after ``les
    ministres du G7``."""
    return _phrase_proposal(ctx, head, exclude, "description")


@sieve(
    "entity",
    "a new person, group or institution",
    also=(
        ("new_person", "a new person, by name"),
        ("new_named", "a new group or institution, by its name"),
        ("new_description", "a new group or institution, by a description"),
    ),
)
def new_entity(ctx: Context, head: Token, exclude=()) -> EntityProposal | None:
    """A phrase that names no one seen before."""
    return _phrase_proposal(ctx, head, exclude, "new")


# =========================================================================== stage 4: fallback


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[k : k + n] == shorter for k in range(len(longer) - n + 1))


@sieve("fallback", "unattributed quote → speaker of a quote that repeats its words")
def echoed_quote(ctx: Context, quote, ordered, i) -> Attribution | None:
    """``« La fin du monde »`` as a sub-heading or a headline, and elsewhere ``«… la fin du monde
    …», a dit X``: the press heads a passage with words said in it. The speaker of a quote
    attributed by a cue whose words hold this quote's words (two or more, in the same order)."""
    words = [t.lower_ for t in ctx.index.words(quote["start"], quote["end"], quote["cut"])]
    if len(words) < 2:
        return None
    for other in ordered:
        found = other["found"]
        if other is quote or other["type"] != "direct" or found is None or found.entity is None:
            continue
        if not any(stage == "cue" for stage, _ in found.trace):
            continue
        theirs = [t.lower_ for t in ctx.index.words(other["start"], other["end"], other["cut"])]
        if len(theirs) > len(words) and _contains(theirs, words):
            return _fallback(found.entity, found.text, "echoed_quote")
    return None


@sieve("fallback", "unattributed quote → subject of its own sentence")
def own_sentence_subject(ctx: Context, quote, ordered, i) -> Attribution | None:
    """``X est intervenu, trouvant le «…»``: the person (or known speaker) that is the subject of
    the quote's own sentence, before the quote."""
    own = quote["sentences"][0]
    if own in ctx.sentence_subject and ctx.sentence_subject[own][1] < quote["start"]:
        entity = ctx.sentence_subject[own][0]
        return _fallback(entity, entity.canonical, "own_sentence_subject")
    return None


@sieve("fallback", "unattributed quote → the person the sentence before is about")
def previous_sentence_subject(ctx: Context, quote, ordered, i) -> Attribution | None:
    """The subject of the sentence before, when that sentence is not itself a quote."""
    before = quote["sentences"][0] - 1
    if before in ctx.sentence_subject and before not in ctx.quoted_sentences:
        entity = ctx.sentence_subject[before][0]
        return _fallback(entity, entity.canonical, "previous_sentence_subject")
    return None


@sieve(
    "fallback",
    "unattributed quote → speaker of the preceding quote",
    also=(("following_quote", "unattributed quote → speaker of the following quote"),),
)
def preceding_quote(ctx: Context, quote, ordered, i) -> Attribution | None:
    """The speaker of the nearest attributed quote before, else after."""
    previous = next((p for p in reversed(ordered[:i]) if p["found"] is not None), None)
    following = next((p for p in ordered[i + 1 :] if p["found"] is not None), None)
    neighbour = previous or following
    if neighbour is None or neighbour["found"].entity is None:
        return None
    return _fallback(
        neighbour["found"].entity,
        neighbour["found"].text,
        "preceding_quote" if previous else "following_quote",
    )


def _fallback(entity: Entity, text: str, sieve_id: str) -> Attribution:
    return Attribution(entity, None, text, [("fallback", sieve_id)], describe(sieve_id))


# =========================================================================== indirect speech


@sieve("indirect", "reporting verb with content of its own")
def reporting_verb(ctx: Context, sent) -> list[Token]:
    """The reporting verbs of a sentence outside quotation marks, in reading order; the runner
    finds each one's content (:meth:`Context.indirect_content`) and speaker (stages 2 and 3)."""
    return [t for t in sent if ctx.is_cue(t) and not ctx.in_quote(t)]


@sieve("indirect", "other verb with a complement (the report detector decides)")
def complement_verb(ctx: Context, sent) -> list[Token]:
    """Verbs outside the lexicon that take a clause or an object (``a martelé que``, ``a
    fustigé la réforme``), outside quotation marks; proposed only to the report detector, which
    keeps those whose lemma and syntax make a report likely (none without a detector, unless the
    verbs are collected to train it)."""
    if ctx.detector is None and not ctx.collect_verbs:
        return []
    return [
        t
        for t in sent
        if t.pos_ == "VERB"
        and not ctx.is_cue(t)
        and not ctx.in_quote(t)
        and any(c.dep_ in ("ccomp", "xcomp", "obj") for c in t.children)
    ]


#: the indirect sieves that propose verbs (the runner finds each one's content and speaker);
#: the others propose a source marker and its head
VERB_SIEVES = ("reporting_verb", "complement_verb")


@sieve("indirect", "selon X / d'après X")
def source_marker_report(ctx: Context, sent) -> list[tuple[Token, Token, str]]:
    """``selon X``, ``d'après X`` anywhere in a sentence, outside quotes."""
    found = []
    for t in sent:
        if ctx.in_quote(t) or not source_marker(t):
            continue
        head = source_of(t)
        if head is not None and head.pos_ in ("NOUN", "PROPN", "PRON"):
            found.append((t, head, "source_marker_report"))
    return found


@sieve("indirect", "Pour X, at the start of a sentence")
def pour_report(ctx: Context, sent) -> list[tuple[Token, Token, str]]:
    """``Pour le syndicat, la réforme …``: X is a person or a known speaker."""
    t = sent[0]
    if t.lower_ != "pour" or ctx.in_quote(t):
        return []
    head = source_of(t)
    if head is None or head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return []
    phrase = phrase_tokens(head)
    after = t.doc[phrase[-1].i + 1] if phrase and phrase[-1].i + 1 < sent.end else None
    if after is None or after.text != ",":
        return []
    definite = any(c.dep_ == "det" and c.lower_ in ("le", "la", "l'", "les") for c in head.children)
    body = head.pos_ == "NOUN" and definite and feature(head, "Number") != "Plur"
    if not (ctx.is_known_or_person(head) or body):  # "Pour le gouvernement, il s'agit …"
        return []
    return [(t, head, "pour_report")]


@sieve("indirect", "de source(s) X / auprès de X (a-t-on appris)")
def source_of_report(ctx: Context, sent) -> list[tuple[Token, Token, str]]:
    """``a-t-on appris de sources policières``, ``selon ce qu'a appris … auprès du parquet``:
    the source after ``de source(s)`` or ``auprès de``."""
    found = []
    for t in sent:
        if ctx.in_quote(t) or t.lemma_.lower() != "apprendre":
            continue
        for c in t.subtree:
            if c.i <= t.i or c.pos_ not in ("NOUN", "PROPN"):
                continue
            cases = [g.lower_ for g in c.children if g.dep_ == "case"]
            if c.lemma_.lower() == "source" or "auprès" in cases:
                found.append((t, c, "source_of_report"))
                break
    return found


# the cue lemma shown for indirect reports found by the sieves above
INDIRECT_CUES = {
    "source_marker_report": None,
    "pour_report": "pour",
    "source_of_report": "apprendre",
}


def report_span(ctx: Context, sent, marker: Token, head: Token) -> tuple[int, int] | None:
    """The reported content of a ``selon X`` / ``pour X`` / ``de source X`` report: the words of
    the sentence outside the source phrase and the marker (at least three)."""
    phrase = {p.i for p in phrase_tokens(head)}
    prev = marker.doc[marker.i - 1] if marker.i > sent.start else None
    skip = {marker.i, prev.i if prev is not None and source_marker(marker) == "d'après" else -1}
    rest = [x for x in sent if is_word(x) and x.i not in phrase and x.i not in skip]
    if len(rest) < 3:
        return None
    return (offset(rest[0]), offset(rest[-1]) + len(rest[-1]))
