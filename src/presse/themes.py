"""Themes: a codebook of cue words matched on words and spaCy lemmas, and distinctive keywords.

The codebook (``data/codebook/themes.csv``) gives each theme an id, French and English labels, a
``kind`` (``harm``, ``response`` or ``issue``, used by :mod:`presse.stances`), a one-line
definition, its cue words and phrases (``;``-separated) and ``not_with``: words that cancel a cue
when they stand within four words of it (the drug trade is not trade).

A cue word matches a token when their normalised forms are equal, comparing both the token's
form and its lemma: lower case, accents removed, a final ``s``/``x`` and then up to two final
``e`` dropped (so ``organisés``, ``organisées`` and ``organisé`` meet). Phrases match as consecutive
tokens, punctuation skipped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd
import unidecode

from presse.codebooks import THEMES
from presse.loading import shown
from presse.parsing import tokens_within

CODEBOOK = THEMES
NOT_WITH_WINDOW = 4
CONTENT_POS = {"NOUN", "ADJ", "VERB"}


@lru_cache(maxsize=65536)
def normalise_word(word: str) -> str:
    """Comparable form of a French word: ``Organisées`` -> ``organise``."""
    w = unidecode.unidecode(str(word).lower().strip())
    if len(w) > 3 and w[-1] in "sx":
        w = w[:-1]
    for _ in range(2):  # organisée(s) -> organise -> organis
        if len(w) > 3 and w.endswith("e"):
            w = w[:-1]
    return w


def split_cue(cue: str) -> list[str]:
    """``partage d'informations`` -> ``["partag", "d'", "information"]`` (normalised words)."""
    return [normalise_word(w) for w in re.findall(r"\w+['’]|\w+(?:-\w+)*", cue)]


#: the columns a theme codebook must have (``label_fr`` and ``definition`` may be empty)
CODEBOOK_COLUMNS = ("theme_id", "label_fr", "label_en", "kind", "definition", "cues", "not_with")
#: the kinds of theme :mod:`presse.stances` knows how to read
THEME_KINDS = ("harm", "response", "issue")


class CodebookError(ValueError):
    """A theme codebook that cannot be used; the message is one line naming the file, the
    problem and what to do."""


def check_codebook(table: pd.DataFrame, name: str) -> None:
    """Raise :class:`CodebookError` unless ``table`` (read as text, empty cells ``""``) is a
    usable theme codebook: the :data:`CODEBOOK_COLUMNS`, at least one theme, unique non-empty
    ``theme_id`` and ``label_en``, a ``kind`` among :data:`THEME_KINDS` and at least one cue per
    theme. ``name`` is the file as shown in the message."""
    missing = [c for c in CODEBOOK_COLUMNS if c not in table.columns]
    fix = "see data/codebook/themes.csv for the format"
    if missing:
        raise CodebookError(f"{name}: not a theme codebook, missing columns {missing}; {fix}.")
    if table.empty:
        raise CodebookError(f"{name}: the codebook has no theme; add one row per theme.")
    for column in ("theme_id", "label_en"):
        blank = table[column].str.strip().eq("")
        if blank.any():
            row = int(blank.idxmax()) + 2
            raise CodebookError(f"{name}, line {row}: {column} is empty; give every theme one.")
    duplicated = table["theme_id"][table["theme_id"].duplicated()]
    if len(duplicated):
        raise CodebookError(
            f"{name}: theme_id {duplicated.iloc[0]!r} appears twice; theme ids must be unique."
        )
    for line, (theme, kind, cues) in enumerate(
        zip(table["theme_id"], table["kind"], table["cues"]), start=2
    ):
        if kind not in THEME_KINDS:
            raise CodebookError(
                f"{name}, line {line}: kind {kind!r} of {theme!r} is not one of "
                f"{', '.join(THEME_KINDS)}; choose one."
            )
        if not any(c.strip() for c in cues.split(";")):
            raise CodebookError(
                f"{name}, line {line}: theme {theme!r} has no cue; list its cue words in "
                "'cues', separated by ';'."
            )


def read_codebook_file(path: str | Path) -> pd.DataFrame:
    """The theme codebook at ``path`` as text cells, checked (:func:`check_codebook`). Raises
    :class:`CodebookError` (one line) for a missing, unreadable or malformed file."""
    name = shown(path)
    try:
        table = pd.read_csv(path, keep_default_na=False, dtype=str, encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"{name}: no such codebook file; check the path.") from None
    except IsADirectoryError:
        raise CodebookError(f"{name}: is a folder; give the codebook's CSV file.") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{name}: not valid UTF-8; save the codebook as UTF-8.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as error:
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        raise CodebookError(
            f"{name}: not a readable CSV file ({reason}); save it as a CSV with a header row."
        ) from None
    check_codebook(table, name)
    return table


def load_codebook(path: str | Path = CODEBOOK) -> pd.DataFrame:
    """Read the theme codebook (checked: raises :class:`CodebookError`, one line, for a bad
    file); adds ``cue_words`` (list of normalised word lists) and ``blockers`` (set of
    normalised words)."""
    table = read_codebook_file(path)
    table["cue_words"] = [
        [split_cue(c) for c in cues.split(";") if c.strip()] for cues in table["cues"]
    ]
    table["blockers"] = [
        {normalise_word(w) for w in s.split(";") if w.strip()} for s in table["not_with"]
    ]
    return table


def compile_cues(codebook: pd.DataFrame) -> list[tuple]:
    """The codebook as a list of ``(theme_id, cue text, cue words, blockers)``, one per cue,
    in codebook order: built once, then matched against many sentences."""
    return [
        (theme_id, cue_text, cue, blockers)
        for theme_id, cues, cue_words, blockers in zip(
            codebook["theme_id"], codebook["cues"], codebook["cue_words"], codebook["blockers"]
        )
        for cue_text, cue in zip(cues.split(";"), cue_words)
    ]


def _cue_matches(tokens: pd.DataFrame, cues: list[tuple]) -> list[tuple]:
    """``(theme_id, cue, words, token_id)`` for each cue found in ``tokens``, longest cue first
    at a position (a longer cue covering the same words wins over a shorter one inside it)."""
    keep = [pos != "PUNCT" for pos in tokens["pos"]]
    texts = [str(t) for t, k in zip(tokens["text"], keep) if k]
    lemmas = [str(t) for t, k in zip(tokens["lemma"], keep) if k]
    token_ids = [int(t) for t, k in zip(tokens["token_id"], keep) if k]
    keys = [{normalise_word(f), normalise_word(lem)} for f, lem in zip(texts, lemmas)]
    positions: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        for key in k:
            positions.setdefault(key, []).append(i)
    rows, seen = [], set()
    for theme_id, cue_text, cue, blockers in cues:
        n = len(cue)
        for i in positions.get(cue[0], []) if n else []:
            if (theme_id, token_ids[i]) in seen:
                continue
            if i + n > len(keys) or not all(cue[k] in keys[i + k] for k in range(n)):
                continue
            window = keys[max(0, i - NOT_WITH_WINDOW) : i + n + NOT_WITH_WINDOW]
            if blockers and any(k & blockers for k in window):
                continue
            seen.add((theme_id, token_ids[i]))
            rows.append((theme_id, cue_text, " ".join(texts[i : i + n]), token_ids[i]))
    return rows


def find_themes(tokens: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Theme cues found in a run of tokens (one sentence, in order, punctuation included).

    Output: one row per match: ``theme_id, cue, words, token_id``; where a longer cue and a
    shorter one start at the same word, the one listed first in the codebook is kept.
    """
    rows = _cue_matches(tokens, compile_cues(codebook))
    return pd.DataFrame(rows, columns=["theme_id", "cue", "words", "token_id"])


def tag_sentences(
    sentences: pd.DataFrame, tokens: pd.DataFrame, codebook: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add ``themes`` (``;``-separated ids, codebook order) and ``theme_evidence``
    (``theme: matched words, …``) to a sentences table."""
    codebook = codebook if codebook is not None else load_codebook()
    cues = compile_cues(codebook)
    order = {t: i for i, t in enumerate(codebook["theme_id"])}
    themes, evidence = [], []
    for start, end in zip(sentences["start"], sentences["end"]):
        found = _cue_matches(tokens_within(tokens, start, end), cues)
        ids = sorted({row[0] for row in found}, key=order.get)
        themes.append(";".join(ids))
        evidence.append(
            " | ".join(
                f"{t}: " + ", ".join(dict.fromkeys(w for tid, _c, w, _i in found if tid == t))
                for t in ids
            )
        )
    return sentences.assign(themes=themes, theme_evidence=evidence)


def theme_long(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, theme) from the ``themes`` column."""
    rows = [
        (s.sentence_id, t)
        for s in sentences.itertuples()
        for t in str(s.themes if isinstance(s.themes, str) else "").split(";")
        if t
    ]
    return pd.DataFrame(rows, columns=["sentence_id", "theme_id"])


def theme_scores(predicted: pd.DataFrame, hand: pd.DataFrame, theme_ids: list[str]) -> pd.DataFrame:
    """Per-theme precision, recall and F1 of the tagger against a hand reading.

    Input: two tables with ``sentence_id, themes`` (``;``-separated). Output: one row per theme
    with ``tp, fp, fn, precision, recall, f1, support`` (support: hand-tagged sentences), and a
    final ``all themes`` row (micro-averaged).
    """
    p = set(map(tuple, theme_long(predicted).to_numpy()))
    h = set(map(tuple, theme_long(hand).to_numpy()))
    rows = []
    for theme in [*theme_ids, None]:
        pp = {x for x in p if theme is None or x[1] == theme}
        hh = {x for x in h if theme is None or x[1] == theme}
        tp, fp, fn = len(pp & hh), len(pp - hh), len(hh - pp)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        f1 = (
            2 * precision * recall / (precision + recall)
            if tp and precision + recall
            else (0.0 if tp + fp + fn else float("nan"))
        )
        rows.append(
            dict(
                theme_id=theme or "all themes",
                tp=tp,
                fp=fp,
                fn=fn,
                precision=precision,
                recall=recall,
                f1=f1,
                support=tp + fn,
            )
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- keywords


def content_lemmas(tokens: pd.DataFrame, exclude: set[str] = frozenset()) -> list[str]:
    """Lower-case lemmas of content words (nouns, adjectives, verbs), minus stop words, names
    and the lemmas in ``exclude`` (e.g. the reporting verbs, which say who speaks, not about
    what)."""
    from spacy.lang.fr.stop_words import STOP_WORDS

    keep = tokens["pos"].isin(CONTENT_POS)
    lemmas = tokens.loc[keep, "lemma"].astype(str).str.lower()
    return [
        w
        for w in lemmas
        if w not in STOP_WORDS and w not in exclude and len(w) > 2 and w.replace("-", "").isalpha()
    ]


def tfidf_keywords(documents: dict[str, list[str]], top: int = 8) -> pd.DataFrame:
    """Distinctive terms of each document among the others (TF-IDF, smoothed idf).

    Input: ``{document name: list of terms}``. Output: ``document, term, count, tfidf`` with the
    ``top`` terms of each document, ties broken alphabetically (deterministic).
    """
    df = Counter(term for terms in documents.values() for term in set(terms))
    n = len(documents)
    rows = []
    for name, terms in documents.items():
        counts = Counter(terms)
        total = sum(counts.values()) or 1
        scored = [
            (term, c, (c / total) * (math.log((1 + n) / (1 + df[term])) + 1))
            for term, c in counts.items()
        ]
        scored.sort(key=lambda x: (-x[2], x[0]))
        rows += [(name, term, c, round(score, 4)) for term, c, score in scored[:top]]
    return pd.DataFrame(rows, columns=["document", "term", "count", "tfidf"])


def noun_adjective_runs(tokens: pd.DataFrame) -> list[tuple[list[str], int]]:
    """Maximal runs of alphabetic nouns, proper nouns and adjectives, lower case.

    Output: ``[(words, position), …]`` in text order; ``position`` counts the words before the
    run (punctuation excluded). Stop words inside a run are kept (callers decide)."""
    runs, run, position = [], [], 0
    for text, pos in zip(tokens["text"].astype(str), tokens["pos"]):
        if pos in ("NOUN", "PROPN", "ADJ") and text.isalpha():
            run.append(text.lower())
        else:
            if run:
                runs.append((run, position - len(run)))
            run = []
        if pos != "PUNCT":
            position += 1
    if run:
        runs.append((run, position - len(run)))
    return runs


def candidate_phrases(tokens: pd.DataFrame, max_words: int = 3) -> list[str]:
    """Keyphrase candidates: runs of nouns, proper nouns and adjectives (at most ``max_words``,
    no stop word in them), lower case, as written."""
    from spacy.lang.fr.stop_words import STOP_WORDS

    phrases = []
    for words, _ in noun_adjective_runs(tokens):
        part: list[str] = []
        for word in [*words, None]:  # a stop word (or the end) closes a part
            if word is not None and word not in STOP_WORDS:
                part.append(word)
                continue
            phrases += [
                " ".join(part[i : i + n])
                for n in range(1, max_words + 1)
                for i in range(len(part) - n + 1)
            ]
            part = []
    return phrases


def keyphrases(documents: dict[str, pd.DataFrame], top: int = 10) -> dict[str, list[str]]:
    """Top keyphrases of each document by TF-IDF over the collection.

    Input: ``{document: tokens table}``. A candidate scores its frequency in the document times
    its inverse document frequency, times its length in words (longer phrases are more specific);
    a candidate contained in a better-ranked one is skipped. Output: ``{document: phrases}``.
    """
    candidates = {name: candidate_phrases(tokens) for name, tokens in documents.items()}
    df = Counter(p for phrases in candidates.values() for p in set(phrases))
    n = len(documents)
    result = {}
    for name, phrases in candidates.items():
        counts = Counter(phrases)
        scored = sorted(
            counts,
            key=lambda p: (-counts[p] * math.log((1 + n) / (1 + df[p])) * len(p.split()), p),
        )
        chosen: list[str] = []
        for phrase in scored:
            if any(phrase in c for c in chosen):
                continue
            chosen.append(phrase)
            if len(chosen) == top:
                break
        result[name] = chosen
    return result


def longest_candidates(tokens: pd.DataFrame) -> list[tuple[str, int]]:
    """TopicRank's candidates: the longest runs of nouns, proper nouns and adjectives with no
    stop word at either end, lower case, with the word position where each occurrence starts.

    Output: ``[(phrase, position), …]`` in text order (positions count words, punctuation
    excluded)."""
    from spacy.lang.fr.stop_words import STOP_WORDS

    found = []
    for words, start in noun_adjective_runs(tokens):
        while words and words[-1] in STOP_WORDS:
            words = words[:-1]
        while words and words[0] in STOP_WORDS:
            words, start = words[1:], start + 1
        if words:
            found.append((" ".join(words), start))
    return found


def topicrank(tokens: pd.DataFrame, top: int = 10, threshold: float = 0.74) -> list[str]:
    """Keyphrases of one document by TopicRank (Bougouin, Boudin & Daille, IJCNLP 2013),
    reimplemented: candidates (:func:`longest_candidates`) are grouped into topics by
    average-linkage clustering on the Jaccard distance of their word stems (``threshold`` as in
    the reference implementation, pke); topics are ranked by PageRank (damping 0.85) on the
    complete graph weighted by the reciprocal word distances between their candidates'
    occurrences; each of the ``top`` best topics gives its candidate that occurs first.
    """
    import numpy as np

    occurrences: dict[str, list[int]] = {}
    for phrase, position in longest_candidates(tokens):
        occurrences.setdefault(phrase, []).append(position)
    phrases = list(occurrences)
    if not phrases:
        return []
    stems = [{normalise_word(w) for w in p.split()} for p in phrases]
    clusters = [[i] for i in range(len(phrases))]

    def distance(a: list[int], b: list[int]) -> float:
        return sum(
            1 - len(stems[i] & stems[j]) / len(stems[i] | stems[j]) for i in a for j in b
        ) / (len(a) * len(b))

    while len(clusters) > 1:  # average-linkage agglomerative clustering
        best = min(
            (
                (distance(a, b), x, y)
                for x, a in enumerate(clusters)
                for y, b in enumerate(clusters)
                if x < y
            ),
        )
        if best[0] > threshold:
            break
        _, x, y = best
        clusters[x] = clusters[x] + clusters[y]
        del clusters[y]
    n = len(clusters)
    weights = np.zeros((n, n))
    for x in range(n):
        for y in range(x + 1, n):
            w = sum(
                1 / abs(p - q)
                for i in clusters[x]
                for j in clusters[y]
                for p in occurrences[phrases[i]]
                for q in occurrences[phrases[j]]
                if p != q
            )
            weights[x, y] = weights[y, x] = w
    out = weights.sum(axis=1)
    transition = np.divide(
        weights, out[:, None], out=np.zeros_like(weights), where=out[:, None] > 0
    )
    scores = np.full(n, 1.0 / n)
    for _ in range(100):  # PageRank by power iteration
        updated = (1 - 0.85) / n + 0.85 * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-9:
            scores = updated
            break
        scores = updated
    order = sorted(
        range(n), key=lambda x: (-scores[x], min(min(occurrences[phrases[i]]) for i in clusters[x]))
    )
    return [
        min((phrases[i] for i in clusters[x]), key=lambda p: occurrences[p][0]) for x in order[:top]
    ]


def suggest_cues(tokens: pd.DataFrame, codebook: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Candidate cues for a codebook on another topic: the article's keyphrases by
    :func:`topicrank` (best first), each with the theme one of whose cues already is that
    phrase (``""`` if none: a candidate for a new cue or theme).

    Names of people, places and organisations (phrases made only of proper nouns) are left
    out: a cue names what is talked about, not who talks. Input: a tokens table and a codebook
    (:func:`load_codebook`). Output: columns ``rank, phrase, covered_by``, at most ``top`` rows
    (none for an article without noun phrases).
    """
    names = {str(t).lower() for t, pos in zip(tokens["text"], tokens["pos"]) if pos == "PROPN"}
    cue_owner = {
        tuple(cue): theme
        for theme, cues in zip(codebook["theme_id"], codebook["cue_words"])
        for cue in cues
    }
    phrases = [p for p in topicrank(tokens, top=2 * top) if not set(p.split()) <= names][:top]
    return pd.DataFrame(
        {
            "rank": range(1, len(phrases) + 1),
            "phrase": phrases,
            "covered_by": [cue_owner.get(tuple(split_cue(p)), "") for p in phrases],
        }
    )
