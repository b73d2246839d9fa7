"""All stages on one article: from a file to the tables the notebooks and the command line write.

``analyze_file`` is what ``python -m presse analyze`` runs; the notebooks run the same stages one
at a time and explain them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from spacy.language import Language

from presse.loading import Article, read_article
from presse.parsing import parse_article, sentences_table, tokens_table
from presse.quotes import attribute_quotes, load_reporting_verbs
from presse.sentiment import add_speaker_sentiment, load_overrides, score_units
from presse.stances import add_stance_columns, avoided_themes, fight_sentences, speaker_stances
from presse.themes import load_codebook, tag_sentences
from presse.tone_model import load_tone_model, score_tone_model


def analyze_article(
    article: Article,
    nlp: Language,
    lexicon: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    tone_model: bool = True,
    codebook: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every stage on a loaded article.

    ``codebook`` is the theme codebook (:func:`presse.themes.load_codebook`; default the
    project's ``data/codebook/themes.csv``).

    ``tone_model`` adds the learned tone reading (``tone_model, tone_model_p``, see
    :mod:`presse.tone_model`) to the sentences and quotes; corpus mode leaves it out unless asked
    (``--tone-model``), since the encoder costs more than the rest of the pipeline.

    Output: tables keyed by the file name they are written to: ``sentences`` (one row per
    sentence: speaker, quote type, the rule behind it, the sentiment readings, themes),
    ``quotes`` (with their sentiment), ``speakers`` (with their tone and stance summary),
    ``stances`` (one row per speaker and theme, citing its sentences), ``tokens``.
    """
    docs = parse_article(article, nlp)
    tokens = tokens_table(docs, article.paragraphs)
    sentences = sentences_table(tokens, article.text)
    lexicon = lexicon if lexicon is not None else load_reporting_verbs()
    found = attribute_quotes(docs, article.text, lexicon)
    sentences = sentences.merge(found["attribution"], on="sentence_id", how="left")
    overrides = overrides if overrides is not None else load_overrides()
    sentences = score_units(sentences, tokens, overrides)
    quotes = score_units(found["quotes"], tokens, overrides)
    if tone_model:
        model = load_tone_model()
        sentences = score_tone_model(sentences, model)
        quotes = score_tone_model(quotes, model)
    else:  # the same columns, empty, so that every table has one schema (docs/schema.md)
        sentences = sentences.assign(tone_model="", tone_model_p=float("nan"))
        quotes = quotes.assign(tone_model="", tone_model_p=float("nan"))
    speakers = add_speaker_sentiment(found["speakers"], sentences)
    codebook = codebook if codebook is not None else load_codebook()
    sentences = tag_sentences(sentences, tokens, codebook)
    stances = speaker_stances(sentences, codebook, fight_sentences(tokens, sentences, overrides))
    speakers = add_stance_columns(speakers, stances, avoided_themes(sentences, stances, codebook))
    return {
        "sentences": sentences,
        "quotes": quotes,
        "speakers": speakers,
        "stances": stances,
        "tokens": tokens,
    }


#: the tables ``analyze_article`` returns, each written to ``<name>.csv``
TABLE_NAMES = ("sentences", "quotes", "speakers", "stances", "tokens")


def remove_stale_tables(out_dir: str | Path) -> list[Path]:
    """Remove the hidden ``.<table>.csv.*.tmp`` files an interrupted or killed
    :func:`write_tables` left in ``out_dir``. Output: the files removed."""
    removed = []
    for name in TABLE_NAMES:
        for path in Path(out_dir).glob(f".{name}.csv.*.tmp"):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def umask() -> int:
    """This process's umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def staging_path(target: Path, kind: str = "tmp") -> Path:
    """A new, unused name beside ``target`` for a file or folder being written:
    ``.<name>.<random>.tmp`` (hidden; removed by :func:`remove_stale_staging` if left over)."""
    target = Path(target)
    return target.parent / f".{target.name}.{secrets.token_hex(4)}.{kind}"


@contextmanager
def staged_file(target: Path):
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one
    rename, on error (in the block or in the rename) it is removed and the error raised.
    Readers never see a half-written file. The file gets the permissions the umask gives a new
    file (``tempfile`` alone would make it private to its owner)."""
    target = Path(target)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table to ``out_dir/<name>.csv`` (UTF-8, no index), all or nothing.

    Every table is first written to a temporary file in ``out_dir``; only when all are written
    are they renamed into place. If a rename fails, the tables already renamed are put back as
    they were (the previous files restored), so ``out_dir`` holds either every new table or
    none, and never a half-written CSV. Raises the OSError that stopped it.
    Output: the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / f"{name}.csv" for name in tables]
    staged: list[Path] = []
    try:
        for target, table in zip(targets, tables.values()):
            staged.append(staging_path(target))
            table.to_csv(staged[-1], index=False, encoding="utf-8", lineterminator="\n")
            os.chmod(staged[-1], 0o666 & ~umask())
        _replace_all(staged, targets)
    finally:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
    return targets


def _replace_all(sources: list[Path], targets: list[Path]) -> None:
    """Rename each source onto its target; if one rename fails, undo the ones done (restoring
    the previous targets, or removing targets that did not exist) and raise."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for source, target in zip(sources, targets):
            backup = None
            if target.exists():  # keep the old file reachable until every rename is done
                backup = staging_path(target, "old.tmp")
                try:
                    os.link(target, backup)
                except OSError:  # a file system without hard links
                    shutil.copy2(target, backup)
            try:
                os.replace(source, target)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def analyze_file(
    path: str | Path, nlp: Language, encoding: str = "utf-8", codebook: str | Path | None = None
) -> dict[str, pd.DataFrame]:
    """Read ``path`` (raises ArticleError on bad input) and analyse it, with the theme codebook
    at ``codebook`` (default the project's; raises CodebookError for a bad one)."""
    themes = load_codebook(codebook) if codebook is not None else None
    return analyze_article(read_article(path, encoding=encoding), nlp, codebook=themes)
