"""The order in which the runner tries the sieves: one list per stage, in one place.

Reorder, remove or add an id here (the sieves themselves are in :mod:`presse.quotes.sieves`);
``benchmarks/quotes_benchmark.py`` prints each sieve's precision so that the effect of a change
is measured (a sieve right 0 times in 4 on the development sets, the inversion of a
finite verb without a quote, was removed that way). Cue sieves are grouped by where they
look (inside the marks, after the quote, a
colon, before the quote); within a region the nearest proposal is tried first, ties in list
order.
"""

ORDER = {
    "cue": [
        "incise",
        "cue_after",
        "incise_verb",
        "source_after",
        "shared_cue_after",
        "colon",
        "clause_opener",
        "pour_before",
        "cue_before",
        "source_before",
    ],
    "mention": [
        "inverted_subject",
        "document_issuer",
        "participle_noun",
        "comme_inversion",
        "passive_agent",
        "incise_subject",
        "subject",
        "passive_no_agent",
        "postposed_subject",
        "subject_after",
        "controller",
        "governing_verb",
        "clause_subject",
    ],
    "entity": [
        "pronoun",
        "interesse",
        "on_institution",
        "relative",
        "alias",
        "description",
        "new_entity",
    ],
    "fallback": [
        "echoed_quote",
        "own_sentence_subject",
        "previous_sentence_subject",
        "preceding_quote",
    ],
    "indirect": [
        "reporting_verb",
        "complement_verb",
        "source_marker_report",
        "pour_report",
        "source_of_report",
    ],
}

#: The regions of the cue stage, in the order they are tried.
CUE_REGIONS = ("inside", "after", "colon", "before")
