"""The one analysis of an article that every notebook reads: computed once, cached on disk.

A notebook explains its own stage by running that stage's functions, but what it needs from the
stages before it comes from :func:`article_analysis`: the tables of
:func:`presse.pipeline.analyze_article` (``sentences``, ``quotes``, ``speakers``, ``stances``,
``tokens``) for an article and a theme codebook. No notebook reads a table another notebook
wrote, so each runs on its own, in any order, from a fresh kernel.

The analysis is cached in ``cache_dir/<article id>-<article hash>-<codebook hash>/`` with the
``manifest.json`` of corpus mode (:func:`presse.corpus.write_article_folder`): it is reused
while the manifest records the same article bytes, the same encoding and the same fingerprint
(:func:`analysis_fingerprint`: the ``presse`` code, the codebook files, the package versions, the
learned tone reading and the codebook given), and the tables still have the hashes it lists;
otherwise it is computed again, with one line saying so. The tables are always read back from
the cache (:func:`presse.tables.read_table`), so a notebook shows the same values, with the same
types, whether the analysis was just computed or found.

:func:`publish_analysis` copies the cached tables, byte for byte, to a folder of results (the
committed ``data/processed/``, written by ``python -m presse.notebooks``, i.e. ``make run``).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from presse.codebooks import THEMES
from presse.corpus import (
    article_id,
    current_manifest,
    pipeline_fingerprint,
    write_article_folder,
)
from presse.loading import read_article, shown
from presse.pipeline import TABLE_NAMES, analyze_article, staged_file
from presse.themes import load_codebook


def analysis_fingerprint(codebook_path: str | Path = THEMES) -> str:
    """A short hash of what shapes an article's analysis: the pipeline (code, codebook folder,
    package versions, the learned tone reading: :func:`presse.corpus.pipeline_fingerprint`) and
    the bytes of the theme codebook at ``codebook_path``."""
    digest = hashlib.sha256(pipeline_fingerprint(tone_model=True).encode() + b"\0")
    digest.update(Path(codebook_path).read_bytes())
    return digest.hexdigest()[:16]


def analysis_folder(
    article_sha256: str, article_path: str | Path, codebook_path: str | Path, cache_dir: str | Path
) -> Path:
    """Where the analysis of this article (by its bytes' SHA-256) with this codebook is cached:
    ``cache_dir/<article id>-<10 hex of the article>-<8 hex of the codebook>``."""
    codebook_hash = hashlib.sha256(Path(codebook_path).read_bytes()).hexdigest()
    name = f"{article_id(article_path)}-{article_sha256[:10]}-{codebook_hash[:8]}"
    return Path(cache_dir) / name


def article_analysis(
    article_path: str | Path,
    codebook_path: str | Path | None = None,
    cache_dir: str | Path = "runs/analysis",
    encoding: str = "utf-8",
    report: Callable[[str], None] = print,
) -> dict[str, pd.DataFrame]:
    """The analysis of the article at ``article_path`` with the theme codebook at
    ``codebook_path`` (default the project's ``data/codebook/themes.csv``).

    Inputs: the article (raises :class:`presse.loading.ArticleError`, one line, if it is bad),
    the codebook (raises :class:`presse.themes.CodebookError`), ``cache_dir`` (created if
    missing). If the cache holds no up-to-date analysis, ``report`` gets one line
    (``Analysing <file> (no up-to-date analysis in <folder>)…``) and the analysis is computed
    (about 15 s for a short article: spaCy and the tone encoder are loaded) and cached.

    Output: ``{name: table}`` for ``TABLE_NAMES``, read from the cache with their schema types
    (:func:`presse.tables.read_table`: ids as integers, narration's speaker ``""``).
    """
    from presse.tables import read_table

    article_path = Path(article_path)
    codebook_path = Path(codebook_path) if codebook_path is not None else THEMES
    article = read_article(article_path, encoding=encoding)
    codebook = load_codebook(codebook_path)
    folder = analysis_folder(article.sha256, article_path, codebook_path, cache_dir)
    fingerprint = analysis_fingerprint(codebook_path)
    if current_manifest(article_path, folder, fingerprint, encoding, names=TABLE_NAMES) is None:
        report(f"Analysing {shown(article_path.name)} (no up-to-date analysis in {shown(folder)})…")
        from presse.parsing import load_model

        tables = analyze_article(article, load_model(), codebook=codebook)
        manifest = dict(
            article=shown(article_path.name),
            sha256=article.sha256,
            encoding=article.encoding,
            codebook=shown(codebook_path.name),
            pipeline=fingerprint,
        )
        folder.parent.mkdir(parents=True, exist_ok=True)
        write_article_folder({name: tables[name] for name in TABLE_NAMES}, manifest, folder)
    return {name: read_table(folder / f"{name}.csv") for name in TABLE_NAMES}


def publish_analysis(
    article_path: str | Path,
    out_dir: str | Path,
    codebook_path: str | Path | None = None,
    cache_dir: str | Path = "runs/analysis",
    report: Callable[[str], None] = print,
) -> list[Path]:
    """Write the analysis of the article (:func:`article_analysis`, computed if needed) to
    ``out_dir/<table>.csv``, byte for byte as cached, plus ``entities.csv`` (the named entities
    of :func:`presse.parsing.entities_table`). Each file is replaced in one rename, and only when
    its bytes change. Output: the paths written."""
    from presse.parsing import entities_table

    tables = article_analysis(article_path, codebook_path, cache_dir, report=report)
    article = read_article(article_path)
    codebook_path = Path(codebook_path) if codebook_path is not None else THEMES
    folder = analysis_folder(article.sha256, article_path, codebook_path, cache_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLE_NAMES:
        written.append(_replace_if_changed(out_dir / f"{name}.csv", folder / f"{name}.csv"))
    target = out_dir / "entities.csv"
    with staged_file(target) as tmp:
        entities_table(tables["tokens"]).to_csv(tmp, index=False, lineterminator="\n")
    written.append(target)
    return written


def _replace_if_changed(target: Path, source: Path) -> Path:
    """Copy ``source`` onto ``target`` in one rename unless their bytes are already equal."""
    data = source.read_bytes()
    if not (target.exists() and target.read_bytes() == data):
        with staged_file(target) as tmp:
            shutil.copyfile(source, tmp)
    return target


def figures_folder(figures_dir: str | Path | None, scratch_dir: str | Path) -> Path:
    """The folder a notebook saves its figures in: ``figures_dir`` when given (``make run`` gives
    the committed ``figures/``, ``make run ARTICLE=…`` its run's folder), otherwise
    ``scratch_dir/figures``, so that a notebook run by hand, or an exercise that changes its
    inputs, never rewrites committed figures. Created if missing."""
    folder = Path(figures_dir) if figures_dir else Path(scratch_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
