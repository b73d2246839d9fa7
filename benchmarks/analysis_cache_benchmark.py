"""What the notebooks' shared analysis costs: computed once, then read from its cache.

    .venv/bin/python benchmarks/analysis_cache_benchmark.py [ARTICLE ...]

For each article (default: the project's article), in a fresh temporary cache: the seconds
:func:`presse.analysis.article_analysis` takes when it has to compute the analysis (in this
process, so the first article also pays for loading spaCy and the tone encoder), and when it
finds it cached (what every notebook after the first pays), with the peak memory of the process.
Prints one line per article and measurement.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    from presse.analysis import article_analysis

    articles = [Path(a) for a in argv] or [ROOT / "data" / "raw" / "g7_crime_organise_fr.txt"]
    with tempfile.TemporaryDirectory(prefix="presse-cache-") as cache:
        for article in articles:
            for label in ("computed", "cached"):
                start = time.perf_counter()
                tables = article_analysis(article, cache_dir=cache, report=lambda line: None)
                seconds = time.perf_counter() - start
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"{article.name}: {len(tables['sentences'])} sentences, {label} in "
                    f"{seconds:.2f} s (peak memory of the process {peak:.0f} MB)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
