"""The runner: walks the article in reading order, tries the sieves in their order, commits.

Input: the parsed paragraphs of an article and its text. Output (:func:`attribute_quotes`): the
quotes table (one row per direct quote and indirect report, with the sieve that fired at each
stage and a confidence), the per-sentence attribution and the speakers table.

The runner is the only code that changes the discourse state: it commits the proposal a chain of
sieves made (:func:`commit`) to the speaker registry and records speakers and subjects for the
pronouns that follow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from spacy.tokens import Doc, Token

from presse.codebooks import (
    NOT_SPEAKERS,
    load_document_nouns,
    load_report_detector,
    load_reporting_verbs,
    load_sieve_precision,
    load_speaker_ranker,
    load_title_markers,
    read_codebook,
)
from presse.quotes.confidence import sieve_levels, with_confidence
from presse.quotes.context import (
    Candidate,
    Context,
    in_prepositional_phrase,
    is_object,
    source_marker,
)
from presse.quotes.detector import (
    FEATURES,
    plain_content,
    report_features,
    report_probabilities,
    verb_lemma,
    with_lemma_rates,
)
from presse.quotes.mentions import (
    load_not_speakers,
    lower_determiner,
    mention_from,
    not_a_speaker,
    phrase_tokens,
)
from presse.quotes.order import CUE_REGIONS, ORDER
from presse.quotes.ranker import (
    candidate_features,
    rank_direct_quotes,
    ranked_level,
    rule_precision,
)
from presse.quotes.registry import Entity
from presse.quotes.sieves import (
    INDIRECT_CUES,
    SIEVES,
    VERB_SIEVES,
    Attribution,
    EntityProposal,
    describe,
    report_span,
)
from presse.quotes.text import (
    OPENING,
    PRONOUNS,
    TITLES,
    ArticleIndex,
    article_quote_spans,
    bare,
    feature,
    offset,
    token_id,
)

MIN_QUOTE_WORDS = 3

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
TRACE_COLUMNS = ["sieve_cue", "sieve_mention", "sieve_entity", "sieve_fallback", "confidence"]
RANKER_COLUMNS = ["speaker_p"]
SENTENCE_COLUMNS = ["sentence_id", "speaker", "quote_type", "rule", "confidence"]
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


@dataclass
class Quote:
    """A direct quote span and its tokens (the opening mark left out)."""

    start: int
    end: int
    tokens: list


# --------------------------------------------------------------------------- chains of sieves


def resolve_head(ctx: Context, head: Token | None, exclude=()) -> EntityProposal | None:
    """Stage 3: the first entity sieve that proposes a speaker for the phrase ``head``."""
    if head is None:
        return None
    for sieve_id in ORDER["entity"]:
        proposal = SIEVES[sieve_id].run(ctx, head, exclude)
        if proposal is not None:
            return proposal
    return None


def chain(trace: list, rules: list[str], entity: EntityProposal) -> Attribution:
    how = [r for r in rules if r] + ([entity.how] if entity.how else [])
    return Attribution(
        entity.entity,
        entity.mention,
        entity.text,
        trace + [("entity", entity.sieve)],
        "; ".join(how),
    )


def speaker_for(ctx: Context, verb: Token, after_quote: bool = False) -> Attribution | None:
    """Stages 2 and 3 for a reporting verb: the first mention sieve whose phrase resolves."""
    for sieve_id in ORDER["mention"]:
        proposal = SIEVES[sieve_id].run(ctx, verb, after_quote)
        if proposal is None:
            continue
        if proposal.no_speaker:
            trace = [("mention", proposal.sieve)]
            return Attribution(None, None, "", trace, describe(proposal.sieve), no_speaker=True)
        if proposal.resolved is not None:
            found = proposal.resolved
            found.trace = [("mention", proposal.sieve)] + found.trace
            return found
        entity = resolve_head(ctx, proposal.head, proposal.exclude)
        if entity is not None:
            return chain([("mention", proposal.sieve)], [describe(proposal.sieve)], entity)
    return None


def direct_speaker(ctx: Context, quote: Quote) -> tuple[Attribution | None, Token | None, list]:
    """Stage 1 (and 2, 3) for a direct quote: the cue regions in order; within a region the
    nearest proposal first. Returns the attribution, the cue token and the incise to cut."""
    for region in CUE_REGIONS:
        proposals = []
        for rank, sieve_id in enumerate(ORDER["cue"]):
            if SIEVES[sieve_id].region == region:
                proposals += [(p.distance, rank, p) for p in SIEVES[sieve_id].run(ctx, quote)]
        for _, _, p in sorted(proposals, key=lambda x: (x[0], x[1])):
            cue_trace = [("cue", p.sieve)]
            if p.head is not None:
                entity = resolve_head(ctx, p.head)
                found = (
                    chain(cue_trace + [("mention", p.sieve)], [describe(p.sieve)], entity)
                    if entity is not None
                    else None
                )
            elif p.verb is not None:
                found = speaker_for(ctx, p.verb, after_quote=(region == "after"))
                if found is not None and not found.no_speaker:
                    found.trace = cue_trace + found.trace
                    found.rule = f"{describe(p.sieve)}; {found.rule}"
            else:
                found = None
            if found is not None and not found.no_speaker:
                return found, p.verb, p.cut
            if p.blocks:
                break
    return None, None, []


def commit(ctx: Context, found: Attribution) -> Entity:
    """Commit a proposed attribution: a new or merged mention joins the registry."""
    if found.entity is None and found.mention is not None:
        found.entity, _ = ctx.registry.add(found.mention)
    return found.entity


def remember(ctx: Context, token: Token, entity: Entity, speaker: bool) -> None:
    """Keep ``entity`` as a possible antecedent for the pronouns that follow: as a speaker, a
    subject, or a subject introduced by a possessive (``Son parti lui reproche …``: the phrase
    is about someone else, the possessor, who stays the topic)."""
    possessed = any(c.dep_ == "det" and feature(c, "Poss") == "Yes" for c in token.children)
    role = "speaker" if speaker else ("possessed subject" if possessed else "subject")
    ctx.candidates.append(Candidate(token_id(token), ctx.sentence_of(token), entity, role))


def governs(cue: Token | None, quoted: list[Token]) -> bool:
    """Is the (short) quote inside the syntactic domain of its cue (``a promis un «…»``)?"""
    if cue is None or not quoted:
        return False
    return any(cue in t.ancestors for t in quoted)


# --------------------------------------------------------------------------- the walk


def short_quote(ctx: Context, quoted: list[Token], cue: Token | None, text: str) -> bool:
    """Are one or two words in quotation marks someone's words (``a jugé «inacceptables»``) rather
    than a term held at a distance (``les «gilets jaunes»``)? An adjective, a participle or an
    adverb is someone's words when a cue introduces it; a noun phrase only when the cue governs
    it (``a promis un «sursaut»``) and the article does not quote the same words elsewhere (a
    term is quoted again and again), or when ``selon X`` gives it."""
    if not quoted or cue is None:
        return False
    content = [t for t in quoted if t.pos_ not in ("DET", "ADP", "CCONJ")] or quoted
    if content[0].pos_ in ("ADJ", "VERB", "ADV") or feature(content[0], "VerbForm") == "Part":
        return True
    words = " ".join(t.text for t in quoted)
    repeated = sum(1 for a, b in ctx.index.quote_spans if words in text[a:b]) > 1
    if repeated:
        return False
    return governs(cue, quoted) or (bool(source_marker(cue)) and len(quoted) > 1)


def direct_quotes(ctx: Context, n: int, done: set, text: str) -> list[dict]:
    """The direct quotes opening in sentence ``n``, attributed."""
    index, found_quotes = ctx.index, []
    for s, e in index.quotes_starting_in(n):
        if (s, e) in done:
            continue
        done.add((s, e))
        tokens = [
            t
            for t in index.tokens_between(s, e)
            if s < offset(t) < e - 1 or (offset(t) == s and t.text not in OPENING)
        ]
        if tokens and ctx.is_title(tokens[0], s):
            continue  # a name or title: "la loi dite « … »"
        quote = Quote(s, e, tokens)
        found, cue, cut = direct_speaker(ctx, quote) if tokens else (None, None, [])
        quoted = index.words(s, e, cut)
        if len(quoted) < MIN_QUOTE_WORDS and not short_quote(ctx, quoted, cue, text):
            continue  # a term or title in guillemets, not someone's words
        if found is not None:
            commit(ctx, found)
        found_quotes.append(
            dict(
                type="direct",
                start=s,
                end=e,
                cut=cut,
                found=found,
                cue_token=cue,
                cue=ctx.cue_lemma(cue) if cue is not None else "",
                words=len(quoted),
                sentences=index.sentences_of_span(s, e),
                order=s,
            )
        )
    return found_quotes


def indirect_reports(ctx: Context, n: int, sent, quotes: list[dict], sentence_rules: dict):
    """Indirect reports of sentence ``n`` from its reporting verbs outside quotes."""
    cues_of_direct = {
        (id(q["cue_token"].doc), q["cue_token"].i)
        for q in quotes
        if q["type"] == "direct" and q.get("cue_token") is not None
    }
    found_reports = []
    verbs = [
        (t, sieve_id)
        for sieve_id in ORDER["indirect"]
        if sieve_id in VERB_SIEVES
        for t in SIEVES[sieve_id].run(ctx, sent)
    ]
    for t, sieve_id in sorted(verbs, key=lambda x: x[0].i):
        enclosing = next(
            (
                q
                for q in quotes + found_reports
                if q["type"] == "indirect"
                and n in q["sentences"]
                and q["start"] <= offset(t) < q["end"]
            ),
            None,
        )
        if enclosing is not None and (
            in_reported_clause(enclosing, t) or ctx.detector is None and not ctx.collect_verbs
        ):
            continue  # a report inside reported content ("que X devait reconnaître")
        rule_content = ctx.indirect_content(t)
        cue_of_direct = (id(t.doc), t.i) in cues_of_direct
        found = speaker_for(ctx, t)
        if enclosing is not None and enclosing["found"] is not None and not own_subject(t):
            found = continued(enclosing["found"])  # "a déclaré que …, précisant que …"
        content = decide_report(
            ctx, n, t, rule_content, found, cue_of_direct, inside_report=enclosing is not None
        )
        if content is not None and enclosing is not None:
            end_before(ctx, enclosing, t)
        if content is None:
            if found is not None and found.no_speaker:
                sentence_rules.setdefault(n, dict(rule=found.rule))
            continue
        if found is not None and found.no_speaker:
            found = None  # kept by the detector: the fallback sieves look for its speaker
        if found is not None:
            found.trace = [("indirect", sieve_id)] + found.trace
            remember(ctx, t, commit(ctx, found), speaker=True)
        s, e = content
        found_reports.append(
            dict(
                type="indirect",
                start=s,
                end=e,
                cut=[],
                found=found,
                cue=verb_lemma(ctx, t),
                verb_sieve=sieve_id,
                cue_token=t,
                words=len(ctx.index.words(s, e)),
                sentences=[n],
                order=offset(t),
            )
        )
    for sieve_id in (s for s in ORDER["indirect"] if s not in VERB_SIEVES):
        for marker, head, which in SIEVES[sieve_id].run(ctx, sent):
            if any(q["start"] <= offset(marker) < q["end"] for q in found_reports):
                continue
            entity = resolve_head(ctx, head)
            span = report_span(ctx, sent, marker, head)
            if entity is None or entity.entity is None and entity.mention is None or span is None:
                continue
            found = chain([("indirect", which), ("mention", which)], [describe(which)], entity)
            remember(ctx, marker, commit(ctx, found), speaker=True)
            found_reports.append(
                dict(
                    type="indirect",
                    start=span[0],
                    end=span[1],
                    cut=[],
                    found=found,
                    cue=INDIRECT_CUES[which] or source_marker(marker),
                    words=len(ctx.index.words(*span)),
                    sentences=[n],
                    order=offset(marker),
                )
            )
    return found_reports


def in_reported_clause(report: dict, verb: Token) -> bool:
    """Does ``verb`` belong to what ``report`` reports (``a déclaré que les pays devaient
    reconnaître …``), rather than stand as a report of its own (``a déclaré que …, précisant
    que …``, ``a déclaré que … et a ajouté que …``)? A verb stands on its own when it is a present
    participle, when its clause opens after a comma or with a conjunction, or when it hangs on the
    cue as an adverbial clause, a conjunct or a parataxis (the parser often attaches such clauses
    inside the reported one)."""
    cue = report.get("cue_token")
    if cue is None or cue.doc is not verb.doc:
        return True
    edge = verb.left_edge
    before = verb.doc[edge.i - 1] if edge.i > 0 else None
    if (
        feature(verb, "VerbForm") == "Part"
        and feature(verb, "Tense") == "Pres"
        or edge.dep_ == "cc"
        or before is not None
        and before.text in (",", ";")
    ):
        return False
    token = verb
    while token.head.i != token.i:
        if token.head.i == cue.i:
            return token.dep_ not in ("advcl", "conj", "parataxis")
        token = token.head
    return True


def own_subject(verb: Token) -> bool:
    """Does ``verb`` have a subject of its own (``et elle a ajouté``, not ``précisant``)?"""
    return any(c.dep_ in ("nsubj", "nsubj:pass", "expl:subj") for c in verb.children)


def continued(found: Attribution) -> Attribution:
    """The attribution of a report, for a report that continues it without a subject of its own:
    the same speaker, by the same sieves (the runner prefixes the verb's sieve)."""
    trace = [step for step in found.trace if step[0] != "indirect"]
    return replace(found, trace=trace)


def end_before(ctx: Context, report: dict, verb: Token) -> None:
    """End ``report`` before the clause of a report kept inside its span (``X a déclaré que …,
    précisant que …``: two reports), when three words or more are left to it."""
    edge = offset(verb.left_edge)
    if edge <= report["start"]:
        return
    words = [w for w in ctx.index.words(report["start"], edge) if w.is_alpha or w.is_digit]
    if len(words) >= 3:
        report["end"] = offset(words[-1]) + len(words[-1])
        report["words"] = len(ctx.index.words(report["start"], report["end"]))


def decide_report(
    ctx: Context,
    n: int,
    verb: Token,
    rule_content,
    found,
    cue_of_direct: bool,
    inside_report: bool = False,
) -> tuple[int, int] | None:
    """The content of the report that ``verb`` introduces, or None when it introduces none.

    With a report detector (:mod:`presse.quotes.detector`), the detector decides from the
    sieves' proposals (a verb without a speaker may be kept: its speaker is then left to the
    fallback sieves; so may a verb inside another report's span); without one, the sieve's own
    rule: a content and a speaker, never inside another report, and the cue of a direct quote
    only with a que-clause or three words outside the marks. Either way, the
    verb's features are recorded in ``ctx.report_candidates``."""
    proposed = rule_content if rule_content is not None else plain_content(ctx, verb)
    row = report_features(ctx, verb, rule_content, proposed, found, cue_of_direct, inside_report)
    lemma = verb_lemma(ctx, verb)
    p = float("nan")
    if ctx.detector is not None:
        scored = with_lemma_rates(pd.DataFrame([row]), [lemma], ctx.detector["lemmas"])
        p = float(report_probabilities(scored, ctx.detector["weights"])[0])
    start, end = proposed if proposed is not None else (None, None)
    ctx.report_candidates.append(
        dict(sentence=n, cue_start=offset(verb), start=start, end=end, lemma=lemma, p=p, **row)
    )
    if ctx.detector is not None:
        return proposed if proposed is not None and p >= ctx.detector["threshold"] else None
    if inside_report or not row["in_lexicon"] or rule_content is None or found is None:
        return None
    if found.no_speaker:
        return None
    if cue_of_direct and not row["after_que"]:
        # the cue of a direct quote reports more only with a que-clause or a partial quote
        # of its own ("ont déclaré que … «…»"), not with its subject's apposition
        outside = [w for w in ctx.index.words(*rule_content) if not ctx.in_quote(w)]
        if len(outside) < 3:
            return None
    return rule_content


def remember_subjects(ctx: Context, n: int, sent) -> None:
    """Subjects and named people of sentence ``n``, kept for the pronouns that follow."""
    for t in sent:
        if ctx.in_quote(t):
            continue
        if t.dep_ == "nsubj" and bare(t) in PRONOUNS and not t.text.startswith("-"):
            found = SIEVES["pronoun"].run(ctx, t)
            if found is not None:
                remember(ctx, t, found.entity, speaker=False)
                ctx.sentence_subject.setdefault(n, (found.entity, offset(t)))
        elif t.dep_ in ("nsubj", "nsubj:pass") and t.pos_ in ("NOUN", "PROPN"):
            mention = mention_from(t, n)
            if mention is not None and not not_a_speaker(
                mention, phrase_tokens(t), ctx.not_speakers
            ):
                entity, _ = ctx.registry.add(mention)  # merges new names into a known one
                remember(ctx, t, entity, speaker=False)
                if entity.kind == "person" or any(
                    c.entity is entity and c.role == "speaker" for c in ctx.candidates
                ):
                    ctx.sentence_subject.setdefault(n, (entity, offset(t)))
        elif t.ent_type_ == "PER" and t.ent_iob_ == "B":
            mention = mention_from(t, n)
            if (
                mention is not None
                and mention.kind == "person"
                and not not_a_speaker(mention, phrase_tokens(t), ctx.not_speakers)
            ):
                entity, _ = ctx.registry.add(mention)
                previous = t.doc[t.i - 1] if t.i > sent.start else None
                opens_clause = (
                    previous is None
                    or previous.text in (",", ";", ":")
                    or (previous.pos_ == "DET" or previous.text.lower() in TITLES)
                ) and not in_prepositional_phrase(t)
                role = "subject" if opens_clause else ("object" if is_object(t) else "named")
                ctx.candidates.append(Candidate(token_id(t), n, entity, role))
                if opens_clause and entity.kind == "person":
                    ctx.sentence_subject.setdefault(n, (entity, offset(t)))


def fill_floating(ctx: Context, quotes: list[dict]) -> None:
    """Stage 4 for quotes with no cue: the fallback sieves in order."""
    ordered = sorted(quotes, key=lambda q: q["order"])
    ctx.quoted_sentences = {n for q in quotes if q["type"] == "direct" for n in q["sentences"]}
    for i, q in enumerate(ordered):
        if q["found"] is not None:
            continue
        for sieve_id in ORDER["fallback"]:
            found = SIEVES[sieve_id].run(ctx, q, ordered, i)
            if found is not None:
                if q.get("verb_sieve"):  # a report the detector kept without a speaker
                    found.trace = [("indirect", q["verb_sieve"])] + found.trace
                q["found"] = found
                break


def attribute_quotes(
    docs: list[Doc],
    text: str,
    lexicon: pd.DataFrame | None = None,
    title_markers: set[str] | None = None,
    document_nouns: set[str] | None = None,
    sieve_precision: pd.DataFrame | None = None,
    ranker: dict | bool | None = None,
    detector: dict | bool | str | None = None,
) -> dict[str, pd.DataFrame]:
    """Find quotes and speakers in the parsed paragraphs of an article.

    Input: Docs from :func:`presse.parsing.parse_article` or
    :func:`presse.parsing.docs_from_tokens`, the article text (offsets index it), the
    reporting-verb lexicon and the other codebooks (default: the project's, see
    :mod:`presse.codebooks`), and the measured precision of each sieve (default:
    ``data/codebook/sieve_precision.csv``), from which each attribution's confidence is derived,
    and the speaker ranker (default: ``data/models/speaker_ranker.json``; ``False``: the sieves'
    choices stand), which chooses each direct quote's speaker among its candidates, and the
    report detector (default: ``data/models/report_detector.json``; ``False``: the
    indirect-speech sieve's own rule; ``"collect"``: that rule, with every verb that takes a
    complement recorded, to train the detector), which decides which verbs introduce a report.
    Output: ``{"quotes": …, "attribution": …, "speakers": …, "rejected": …, "candidates": …,
    "entities": …, "report_candidates": …}`` with columns ``QUOTE_COLUMNS + ["words"] +
    TRACE_COLUMNS + RANKER_COLUMNS``, ``SENTENCE_COLUMNS`` (one row per sentence),
    ``SPEAKER_COLUMNS``, the phrases no sieve could propose as speakers (with why), every
    quote's candidate speakers with their features
    (:func:`presse.quotes.ranker.candidate_features`), the entities, and every reporting verb
    met with its features and probability (:func:`presse.quotes.detector.report_features`).
    """
    paragraphs = [
        (d.user_data.get("offset", 0), d.user_data.get("offset", 0) + len(d.text)) for d in docs
    ]
    index = ArticleIndex(docs, article_quote_spans(text, paragraphs))
    ctx = Context(
        index=index,
        lexicon=lexicon if lexicon is not None else load_reporting_verbs(),
        title_markers=title_markers if title_markers is not None else load_title_markers(),
        document_nouns=document_nouns if document_nouns is not None else load_document_nouns(),
        not_speakers=load_not_speakers(read_codebook(NOT_SPEAKERS, {"lemma", "kind"})),
    )
    ctx.speaker_for = lambda verb, after_quote: speaker_for(ctx, verb, after_quote)
    ctx.collect_verbs = detector == "collect"
    if isinstance(detector, dict) or detector is None:
        ctx.detector = detector if detector is not None else load_report_detector()
    quotes: list[dict] = []
    sentence_rules: dict[int, dict] = {}
    done: set = set()
    for n, sent in enumerate(index.sentences, start=1):
        quotes += direct_quotes(ctx, n, done, text)
        quotes += indirect_reports(ctx, n, sent, quotes, sentence_rules)
        remember_subjects(ctx, n, sent)
        for q in quotes:  # the speakers of this sentence's quotes, for the pronouns that follow
            if q["type"] == "direct" and q["found"] is not None and not q.get("remembered"):
                q["remembered"] = True
                ctx.candidates.append(Candidate(token_id(sent[0]), n, q["found"].entity, "speaker"))
    fill_floating(ctx, quotes)
    levels = sieve_levels(
        sieve_precision if sieve_precision is not None else load_sieve_precision()
    )
    quotes = sorted(quotes, key=lambda q: (q["start"], q["type"]))  # the order of the quote ids
    drop_impossible_speakers(ctx, quotes)
    candidates = candidate_features(ctx, quotes, docs, levels)
    candidates = candidates[~candidates["entity"].map(ctx.rejected_entity).astype(bool)]
    model = load_speaker_ranker() if ranker is None else (ranker or None)
    if model is not None:
        apply_ranker(ctx, quotes, candidates, levels, model)
    tables = build_tables(ctx, quotes, sentence_rules, text, levels)
    tables["candidates"] = candidates.assign(quote_id=[f"q{i + 1}" for i in candidates["quote"]])
    tables["entities"] = entity_table(ctx)
    tables["report_candidates"] = pd.DataFrame(
        ctx.report_candidates,
        columns=["sentence", "cue_start", "start", "end", "lemma", "p", *FEATURES],
    )
    tables["rejected"] = pd.DataFrame(ctx.rejected, columns=["mention", "reason"]).drop_duplicates()
    return tables


def drop_impossible_speakers(ctx: Context, quotes: list[dict]) -> None:
    """The last check on names (:func:`presse.quotes.mentions.name_not_a_speaker`): an
    attribution whose entity's settled name cannot be a speaker is withdrawn, and the entity
    is recorded in ``ctx.rejected`` (the ranker does not propose it either)."""
    for q in quotes:
        found = q["found"]
        if found is None or found.entity is None:
            continue
        if ctx.rejected_entity(found.entity.key):
            q["found"] = None


def apply_ranker(ctx: Context, quotes: list[dict], candidates, levels, model: dict) -> None:
    """Stage 5: for each direct quote, the ranker's choice replaces the sieves' where they differ
    and the sieves' chain was measured less precise than the model's ``override_below``; every
    ranked quote keeps the probability of its speaker and the confidence the ranker gives it."""
    ranked = rank_direct_quotes(candidates, [q["type"] for q in quotes], model)
    for r in ranked.itertuples():
        q = quotes[r.quote]
        before = q["found"]
        chain = rule_precision(before, levels)
        keep = not r.agrees and chain >= model["thresholds"]["override_below"]
        q["speaker_p"] = round(float(r.p_rule if keep else r.p), 4)
        q["ranked_level"] = ranked_level(r.p, r.agrees, chain, model)
        if r.agrees or keep:
            continue
        entity = ctx.registry.entities[r.entity]
        was = before.rule if before is not None else "no sieve named a speaker"
        q["found"] = Attribution(
            entity,
            None,
            entity.canonical,
            [("ranker", "ranker")],
            f"speaker ranker (p = {r.p:.2f}) over the sieves ({was})",
        )


# --------------------------------------------------------------------------- the tables


def trace_columns(found: Attribution | None) -> dict[str, str]:
    """The sieve that fired at each stage (empty where none did)."""
    row = {c: "" for c in TRACE_COLUMNS[:-1]}
    for stage, sieve_id in found.trace if found is not None else []:
        column = "sieve_cue" if stage in ("cue", "indirect") else f"sieve_{stage}"
        if column in row and not row[column]:
            row[column] = sieve_id
    return row


def entity_aliases(entity: Entity) -> str:
    """The other names of an entity, ``; ``-separated, as the speakers table lists them."""
    names = {lower_determiner(n) for n in entity.names} | entity.surfaces
    return "; ".join(sorted(names - {entity.canonical}))


def entity_table(ctx: Context) -> pd.DataFrame:
    """Every entity of the registry: ``entity`` (its key), ``speaker`` (its canonical name),
    ``aliases``; the candidates table refers to entities by key."""
    rows = [(k, e.canonical, entity_aliases(e)) for k, e in ctx.registry.entities.items()]
    return pd.DataFrame(rows, columns=["entity", "speaker", "aliases"])


def build_tables(ctx: Context, quotes: list[dict], sentence_rules: dict, text: str, levels):
    """The quotes, per-sentence attribution and speakers tables (see :func:`attribute_quotes`)."""
    quotes = sorted(quotes, key=lambda q: (q["start"], q["type"]))
    rows = []
    for i, q in enumerate(quotes, start=1):
        found = q["found"]
        entity = found.entity if found is not None else None
        speaker = entity.canonical if entity is not None else ""
        pieces, cursor = [], q["start"]
        for a, b in q["cut"]:
            pieces.append(text[cursor:a])
            cursor = b
        pieces.append(text[cursor : q["end"]])
        if q["type"] == "direct":
            pieces = [p.strip().strip('«»“”"').strip() for p in pieces]
        quoted = " [...] ".join(p.strip() for p in pieces if p.strip())
        rule = found.rule if found is not None else "no cue and no neighbouring quote"
        rows.append(
            dict(
                quote_id=f"q{i}",
                type=q["type"],
                speaker=speaker,
                cue=q["cue"],
                rule=rule,
                text=quoted,
                start=q["start"],
                end=q["end"],
                sentence_ids=";".join(str(n) for n in q["sentences"]),
                mention=found.text if found is not None else "",
                words=q["words"],
                **trace_columns(found),
                speaker_p=q.get("speaker_p", float("nan")),
            )
        )
    quote_table = with_confidence(
        pd.DataFrame(rows, columns=QUOTE_COLUMNS + ["words"] + TRACE_COLUMNS[:-1] + ["speaker_p"]),
        levels,
    )
    ranked = [q.get("ranked_level") for q in quotes]
    quote_table["confidence"] = [
        r if r and s else c
        for r, s, c in zip(ranked, quote_table["speaker"], quote_table["confidence"])
    ]
    quote_table = quote_table[QUOTE_COLUMNS + ["words"] + TRACE_COLUMNS + RANKER_COLUMNS]

    by_sentence: dict[int, list[dict]] = {}
    for r in quote_table.to_dict("records"):
        for n in r["sentence_ids"].split(";"):
            by_sentence.setdefault(int(n), []).append(r)
    attribution = []
    for n in range(1, len(ctx.index.sentences) + 1):
        covering = by_sentence.get(n, [])
        direct = [r for r in covering if r["type"] == "direct" and r["speaker"]]
        indirect = [r for r in covering if r["type"] == "indirect" and r["speaker"]]
        chosen = (direct or indirect or [None])[0]
        if chosen is not None:
            attribution.append(
                (n, chosen["speaker"], chosen["type"], chosen["rule"], chosen["confidence"])
            )
        else:
            attribution.append((n, "", "none", sentence_rules.get(n, {}).get("rule", ""), ""))
    attribution = pd.DataFrame(attribution, columns=SENTENCE_COLUMNS)

    speaking: dict[str, list[dict]] = {}
    for r in rows:
        if r["speaker"]:
            speaking.setdefault(r["speaker"], []).append(r)
    sentence_counts = attribution["speaker"].value_counts().to_dict()
    speakers = []
    for entity in ctx.registry.entities.values():
        name = entity.canonical
        said = speaking.get(name, [])
        if not said and entity.kind != "person" or ctx.rejected_entity(entity.key):
            continue
        speakers.append(
            dict(
                speaker=name,
                kind=entity.kind,
                role="; ".join(entity.roles),
                aliases=entity_aliases(entity),
                status="speaker" if said else "mentioned",
                n_direct=sum(r["type"] == "direct" for r in said),
                n_indirect=sum(r["type"] == "indirect" for r in said),
                words_quoted=sum(r["words"] for r in said if r["type"] == "direct"),
                n_sentences=int(sentence_counts.get(name, 0)) if name else 0,
            )
        )
    speaker_table = pd.DataFrame(speakers, columns=SPEAKER_COLUMNS)
    speaker_table = speaker_table.drop_duplicates("speaker")
    speaker_table = speaker_table.sort_values(
        ["status", "n_sentences", "speaker"], ascending=[False, False, True]
    ).reset_index(drop=True)
    return {"quotes": quote_table, "attribution": attribution, "speakers": speaker_table}
