"""The command line: ``python -m presse analyze PATH --out DIR``.

Bad input (missing file, folder, empty, binary, not UTF-8, too large) prints one line naming
the file, the problem and what to do, exits with status 2 and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presse.loading import ArticleError, read_article

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommand ``analyze``)."""
    parser = argparse.ArgumentParser(
        prog="python -m presse", description="Analyse French news articles."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser(
        "analyze", help="analyse one article (UTF-8 text, one paragraph per line)"
    )
    analyze.add_argument("path", type=Path, help="the article (.txt)")
    analyze.add_argument("--out", type=Path, required=True, help="folder for the CSV tables")
    analyze.add_argument("--encoding", default="utf-8", help="text encoding (default utf-8)")
    return parser


def run_analyze(path: Path, out: Path, encoding: str) -> int:
    """Analyse one article into ``out``; return the exit status."""
    try:
        article = read_article(path, encoding=encoding)
    except ArticleError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if out.exists() and not out.is_dir():
        print(f"error: {out}: exists and is not a folder; choose another --out.", file=sys.stderr)
        return EXIT_BAD_INPUT
    from presse.parsing import load_model
    from presse.pipeline import analyze_article, write_tables

    tables = analyze_article(article, load_model())
    written = write_tables(tables, out)
    n = len(tables["sentences"])
    print(f"{path}: {n} sentences -> {', '.join(str(p) for p in written)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 for bad input or bad arguments)."""
    args = build_parser().parse_args(argv)
    if args.command == "analyze":
        return run_analyze(args.path, args.out, args.encoding)
    return EXIT_BAD_INPUT
