"""The command line: ``python -m presse analyze PATH --out DIR``.

PATH is one article (``.txt``) or a folder of them (corpus mode, :mod:`presse.corpus`).

One article: bad input (missing file, empty, binary, not UTF-8, too large) prints one line
naming the file, the problem and what to do, exits with status 2 and writes nothing.
A folder: each bad article is reported in one line and the others go on; the exit status is 1
if any article failed (they are listed at the end), 2 if the folder itself is unusable.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from presse.loading import ArticleError, canonical_encoding, read_article

EXIT_BAD_INPUT = 2
EXIT_SOME_FAILED = 1
EXIT_INTERRUPTED = 130
#: seconds to wait for a Dask scheduler before giving up
DASK_TIMEOUT = 10


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommand ``analyze``)."""
    parser = argparse.ArgumentParser(
        prog="python -m presse", description="Analyse French news articles."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser(
        "analyze",
        help="analyse an article (UTF-8 text, one paragraph per line) or a folder of them",
    )
    analyze.add_argument("path", type=Path, help="an article (.txt) or a folder of .txt files")
    analyze.add_argument("--out", type=Path, required=True, help="folder for the CSV tables")
    analyze.add_argument("--encoding", default="utf-8", help="text encoding (default utf-8)")
    analyze.add_argument(
        "--codebook",
        type=Path,
        metavar="PATH",
        help="theme codebook (CSV with the columns of data/codebook/themes.csv; default that "
        "file), for one article or every article of a folder",
    )
    corpus = analyze.add_argument_group("folder (corpus mode)")
    corpus.add_argument(
        "--jobs", type=int, default=None, help="processes to use (default: all available cores)"
    )
    corpus.add_argument(
        "--force", action="store_true", help="redo articles whose outputs are up to date"
    )
    corpus.add_argument("--quiet", action="store_true", help="no progress bar")
    corpus.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="stop an article that takes longer and report it as failed (default: no limit)",
    )
    corpus.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        help="format of the combined corpus_*.csv tables (parquet: typed, compact; needs pyarrow)",
    )
    corpus.add_argument(
        "--tone-model",
        action="store_true",
        help="add the learned tone reading (tone_model, tone_model_p) to every article; "
        "always on for a single article; over 100 Wikinews articles it took a corpus run from "
        "74 s to 177 s (see README)",
    )
    corpus.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a Dask cluster (scheduler address, e.g. tcp://host:8786; "
        "'local' starts one on this machine); needs the dask and distributed packages",
    )
    return parser


def shown(path) -> str:
    """A path as printable text (see :func:`presse.loading.shown`)."""
    from presse.loading import shown as _shown

    return _shown(path)


def fail(message: str) -> int:
    """Print ``error: message`` (one line) and return the bad-input exit status."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def writable_folder_error(out: Path) -> str | None:
    """None if ``out`` is (or can be created as) a folder this process can write; otherwise the
    one-line reason. Creates ``out`` (and its parents) when it is missing."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".presse-write-test.{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return f"{shown(out)}: cannot write there ({reason}); choose another --out."
    return None


def run_analyze(path: Path, out: Path, encoding: str, codebook: Path | None = None) -> int:
    """Analyse one article into ``out`` (with the theme codebook at ``codebook``, default the
    project's); return the exit status."""
    from presse.pipeline import TABLE_NAMES
    from presse.themes import CodebookError, load_codebook

    try:
        article = read_article(path, encoding=encoding)
    except ArticleError as error:
        return fail(str(error))
    try:
        themes = load_codebook(codebook) if codebook is not None else None
    except CodebookError as error:
        return fail(f"--codebook: {error}")
    targets = {(out / f"{name}.csv").resolve() for name in TABLE_NAMES}
    if path.resolve() in targets:
        return fail(
            f"{shown(path)}: the tables written to {shown(out)} would overwrite the article; "
            "choose another --out."
        )
    problem = writable_folder_error(out)
    if problem:
        return fail(problem)
    from presse.parsing import load_model
    from presse.pipeline import analyze_article, remove_stale_tables, write_tables

    tables = analyze_article(article, load_model(), codebook=themes)
    remove_stale_tables(out)
    try:
        written = write_tables(tables, out)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return fail(
            f"{shown(out)}: the tables could not be written ({reason}); nothing was changed."
        )
    n = len(tables["sentences"])
    print(f"{shown(path)}: {n} sentences -> {', '.join(shown(p) for p in written)}")
    return 0


def connect_dask(address: str, workers: int):
    """``(cluster, client)`` for ``--dask ADDRESS`` (``local``: a cluster on this machine).
    Raises CorpusError (one line) if the packages are missing or the scheduler is unreachable."""
    from presse.corpus import CorpusError

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CorpusError(
            "--dask needs the packages dask and distributed; pip install them."
        ) from None
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
            return cluster, Client(cluster)
        return None, Client(address, timeout=DASK_TIMEOUT)
    except Exception as error:  # OSError, TimeoutError, ValueError for a bad address...
        if cluster is not None:
            cluster.close()
        message = " ".join(str(error).split()) or type(error).__name__
        raise CorpusError(
            f"cannot reach the Dask scheduler at {address} ({message[:200]}); check the address, "
            "or start the scheduler first."
        ) from None


def report_skipped(skipped: list) -> None:
    """One line on stderr per ``.txt`` entry of the folder that is not analysed."""
    for path, reason in skipped:
        print(f"skipped: {shown(path)}: {reason}", file=sys.stderr)


def run_corpus(args: argparse.Namespace) -> int:
    """Analyse every ``.txt`` of the folder ``args.path``; return the exit status."""
    from presse.corpus import (
        CorpusError,
        CorpusInterrupted,
        analyze_corpus,
        analyze_on_dask,
        default_jobs,
        find_articles,
        scan_folder,
    )

    try:
        paths = find_articles(args.path)
        _, skipped = scan_folder(args.path)
    except CorpusError as error:
        return fail(str(error))
    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be 1 or more.")
    if args.codebook is not None:
        from presse.themes import CodebookError, load_codebook

        try:
            load_codebook(args.codebook)  # checked once here, before any article is written
        except CodebookError as error:
            return fail(f"--codebook: {error}")
    if args.timeout is not None and not args.timeout > 0:
        return fail("--timeout must be a number of seconds above 0.")
    if args.dask and args.timeout:
        print(
            "warning: --timeout does not apply with --dask (Dask runs tasks in threads).",
            file=sys.stderr,
        )
    cores = default_jobs()
    if args.jobs is not None and args.jobs > cores and not args.dask:
        print(
            f"warning: --jobs {args.jobs} is more than the {cores} cores this process may use; "
            "each process takes about 350 MB and the run will not be faster.",
            file=sys.stderr,
        )
    options = dict(
        encoding=args.encoding,
        force=args.force,
        progress=not args.quiet,
        timeout=args.timeout,
        fmt=args.format,
        tone_model=args.tone_model,
        codebook=args.codebook,
    )
    try:
        if args.dask:
            cluster, client = connect_dask(args.dask, args.jobs or 2)
            try:
                if problem := writable_folder_error(args.out):
                    return fail(problem)
                report_skipped(skipped)
                status = analyze_on_dask(paths, args.out, client, **options)
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()
        else:
            if problem := writable_folder_error(args.out):
                return fail(problem)
            report_skipped(skipped)
            status = analyze_corpus(paths, args.out, jobs=args.jobs, **options)
    except CorpusError as error:
        return fail(str(error))
    except CorpusInterrupted as stop:
        done = int((stop.status["status"] == "ok").sum())
        left = int((stop.status["status"] == "not done").sum())
        print(
            f"interrupted: {done} of {len(stop.status)} articles analysed and kept in "
            f"{shown(args.out)} ({left} not done); rerun the same command to resume.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return fail(f"{shown(args.out)}: cannot be written ({reason}); choose another --out.")
    failed = status[status["status"] != "ok"]
    ok = len(status) - len(failed)
    extra = f", {len(skipped)} skipped" if skipped else ""
    print(
        f"{shown(args.path)}: {ok} of {len(status)} articles analysed{extra} -> {shown(args.out)}"
    )
    if len(failed):
        print(f"{len(failed)} failed: {', '.join(failed['article'])}", file=sys.stderr)
        return EXIT_SOME_FAILED
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 for bad input or bad arguments, 1 when some
    articles of a folder failed, 130 when interrupted by Ctrl-C or SIGTERM)."""
    args = build_parser().parse_args(argv)
    for name in ("SIGTERM", "SIGHUP"):  # stop as Ctrl-C does (unless told to ignore them)
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _interrupt)
    try:
        return _analyze(args)
    except KeyboardInterrupt:
        print(
            "interrupted; the tables written so far are complete, the others untouched.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED


def _analyze(args: argparse.Namespace) -> int:
    if args.command != "analyze":
        return EXIT_BAD_INPUT
    try:
        canonical_encoding(args.encoding)
    except ArticleError as error:
        return fail(f"--encoding: {error}")
    if args.out.exists() and not args.out.is_dir():
        return fail(f"{shown(args.out)}: exists and is not a folder; choose another --out.")
    if args.path.is_dir():
        return run_corpus(args)
    if args.format != "csv":
        return fail(
            f"--format {args.format} applies to a folder of articles (corpus mode); "
            "one article is written as CSV."
        )
    return run_analyze(args.path, args.out, args.encoding, args.codebook)
