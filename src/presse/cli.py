"""The command line: ``python -m presse analyze PATH --out DIR``.

PATH is one article (``.txt``) or a folder of them (corpus mode, :mod:`presse.corpus`).

One article: bad input (missing file, empty, binary, not UTF-8, too large) prints one line
naming the file, the problem and what to do, exits with status 2 and writes nothing.
A folder: each bad article is reported in one line and the others go on; the exit status is 1
if any article failed (they are listed at the end), 2 if the folder itself is unusable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presse.loading import ArticleError, read_article

EXIT_BAD_INPUT = 2
EXIT_SOME_FAILED = 1


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
    corpus = analyze.add_argument_group("folder (corpus mode)")
    corpus.add_argument(
        "--jobs", type=int, default=None, help="processes to use (default: all available cores)"
    )
    corpus.add_argument(
        "--force", action="store_true", help="redo articles whose outputs are up to date"
    )
    corpus.add_argument("--quiet", action="store_true", help="no progress bar")
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


def run_analyze(path: Path, out: Path, encoding: str) -> int:
    """Analyse one article into ``out``; return the exit status."""
    try:
        article = read_article(path, encoding=encoding)
    except ArticleError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from presse.parsing import load_model
    from presse.pipeline import analyze_article, write_tables

    tables = analyze_article(article, load_model())
    written = write_tables(tables, out)
    n = len(tables["sentences"])
    print(f"{path}: {n} sentences -> {', '.join(str(p) for p in written)}")
    return 0


def run_corpus(args: argparse.Namespace) -> int:
    """Analyse every ``.txt`` of the folder ``args.path``; return the exit status."""
    from presse.corpus import CorpusError, analyze_corpus, analyze_on_dask, find_articles

    try:
        paths = find_articles(args.path)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be 1 or more.", file=sys.stderr)
        return EXIT_BAD_INPUT
    options = dict(
        encoding=args.encoding,
        force=args.force,
        progress=not args.quiet,
        tone_model=args.tone_model,
    )
    if args.dask:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            print(
                "error: --dask needs the packages dask and distributed; pip install them.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        if args.dask == "local":
            cluster = LocalCluster(n_workers=args.jobs or 2, threads_per_worker=1)
            client = Client(cluster)
        else:
            cluster, client = None, Client(args.dask)
        try:
            status = analyze_on_dask(paths, args.out, client, **options)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    else:
        status = analyze_corpus(paths, args.out, jobs=args.jobs, **options)
    failed = status[status["status"] != "ok"]
    ok = len(status) - len(failed)
    print(f"{args.path}: {ok} of {len(status)} articles analysed -> {args.out}")
    if len(failed):
        print(f"{len(failed)} failed: {', '.join(failed['article'])}", file=sys.stderr)
        return EXIT_SOME_FAILED
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 for bad input or bad arguments, 1 when some
    articles of a folder failed)."""
    args = build_parser().parse_args(argv)
    if args.command == "analyze":
        if args.out.exists() and not args.out.is_dir():
            print(
                f"error: {args.out}: exists and is not a folder; choose another --out.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        if args.path.is_dir():
            return run_corpus(args)
        return run_analyze(args.path, args.out, args.encoding)
    return EXIT_BAD_INPUT
