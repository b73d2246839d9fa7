"""The book (make html): built with Sphinx from the committed outputs, offline; every page has
navigation, search and alt text for every figure; nothing comes from a CDN; the students' edition
has no worked solutions. Headless Chromium opens the pages and checks what a reader sees: each
page's title, its figures loaded, the annotated view's chips and sentence numbers styled."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

from presse.book import build

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Both editions, built once: ``{"teacher": folder, "student": folder}``."""
    base = tmp_path_factory.mktemp("book")
    return {
        edition: build(ROOT, base / edition, student=edition == "student").parent
        for edition in ("teacher", "student")
    }


def pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html") if "_static" not in p.parts)


def test_every_notebook_has_a_page_with_navigation_and_search(books):
    assert sorted(p.name for p in books["teacher"].parent.iterdir()) == ["student", "teacher"]
    for edition, folder in books.items():
        assert (folder / "search.html").is_file() and (folder / "searchindex.js").is_file()
        for nb in NOTEBOOKS:
            page = (folder / "notebooks" / f"{nb.stem}.html").read_text(encoding="utf-8")
            assert 'class="bd-sidebar-primary' in page, f"{edition}/{nb.stem}: no navigation"
            for other in (o for o in NOTEBOOKS if o != nb):
                assert f"{other.stem}.html" in page, f"{edition}/{nb.stem}: no link to {other}"
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert "figures.html" in index and "article.html" in index
        assert "docs/evaluation.html" in index and "docs/schema.html" in index


def test_nothing_is_loaded_from_the_network(books):
    remote = re.compile(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=\"(?:https?:)?//", re.I)
    for folder in books.values():
        for page in pages(folder):
            text = page.read_text(encoding="utf-8")
            assert not remote.search(text), f"{page.name} loads something from the network"
            assert "require.js" not in text and "mathjax" not in text.lower(), page.name


def test_every_image_has_alt_text(books):
    image = re.compile(r"<img\b[^>]*>", re.I)
    for folder in books.values():
        count = 0
        for page in pages(folder):
            for tag in image.findall(page.read_text(encoding="utf-8")):
                alt = re.search(r'alt="([^"]*)"', tag)
                assert alt and alt.group(1).strip(), f"{page.name}: {tag[:80]} has no alt text"
                assert "No description has been provided" not in alt.group(1)
                count += 1
        assert count >= 2 * len(list((ROOT / "figures").glob("*.png")))  # gallery + notebooks


def test_the_students_edition_has_no_worked_solutions(books):
    for nb in NOTEBOOKS:
        teacher = (books["teacher"] / "notebooks" / f"{nb.stem}.html").read_text(encoding="utf-8")
        student = (books["student"] / "notebooks" / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert "Worked solutions" in teacher, nb.stem
        assert "Worked solutions" not in student and "# Exercise 1:" not in student, nb.stem
        assert "References and further reading" in student and "Exercises" in student
    front = (books["student"] / "index.html").read_text(encoding="utf-8")
    assert re.search(r"students.{1,8}edition", front)


def test_the_annotated_article_page_embeds_the_styled_view(books):
    page = (books["teacher"] / "article.html").read_text(encoding="utf-8")
    assert page.count('data-kind="s"') == page.count('data-kind="sid"') > 0
    assert 'data-kind="chip" style="display:inline-block' in page
    assert ">organised crime</span>" in page  # the codebook's label, not its id


# -- in a browser ----------------------------------------------------------------------------

#: Appended to a copy of each page: what the reader sees, as JSON in the dumped DOM.
PROBE = """
<script>
window.addEventListener("load", () => {
  const style = (el) => el ? getComputedStyle(el) : null;
  const chips = [...document.querySelectorAll('[data-kind="chip"]')];
  const sids = [...document.querySelectorAll('[data-kind="sid"]')];
  const images = [...document.querySelectorAll("article img, main img")];
  const result = {
    title: (document.querySelector("main h1") || {}).textContent || "",
    images: images.length,
    images_loaded: images.filter((i) => i.complete && i.naturalWidth > 0).length,
    chips: chips.length,
    chips_styled: chips.filter((c) => style(c).display === "inline-block"
      && parseFloat(style(c).borderTopWidth) > 0 && parseFloat(style(c).borderTopLeftRadius) > 0
      && parseFloat(style(c).marginLeft) > 0).length,
    sids: sids.length,
    sids_super: sids.filter((s) => style(s).verticalAlign === "super").length,
    search: !!document.querySelector("form.bd-search, .search-button, input[type=search]"),
  };
  const out = document.createElement("pre");
  out.id = "presse-probe";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
});
</script>
"""


def chromium() -> str:
    """The path of Chromium, installing Debian's package when it is absent and this is root."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and cannot be installed here (needs root and "
                    "apt-get): apt-get install chromium to run the browser tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:]
            pytest.skip(f"Chromium could not be installed ({' '.join(command)}: {last})")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get install chromium left no chromium on the PATH")
    return found


@pytest.fixture(scope="module")
def browser():
    return chromium()


def run_chromium(browser: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="presse-chromium-") as profile:
        return subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def probe(browser: str, page: Path) -> dict:
    """Open a copy of ``page`` (beside it, so its links resolve) and return what PROBE saw."""
    copy = page.with_name(f".probe-{page.name}")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                    encoding="utf-8")
    try:
        done = run_chromium(browser, "--virtual-time-budget=10000", "--dump-dom", copy.as_uri())
    finally:
        copy.unlink()
    found = re.search(r'<pre id="presse-probe"[^>]*>(.*?)</pre>', done.stdout, flags=re.S)
    assert found, f"{page.name}: the page did not finish loading in Chromium ({done.stderr[-300:]})"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_pages_render_in_chromium_with_titles_figures_and_styled_chips(books, browser):
    folder = books["teacher"]
    for nb in NOTEBOOKS:
        seen = probe(browser, folder / "notebooks" / f"{nb.stem}.html")
        assert seen["title"].startswith(nb.stem[:2]), (nb.stem, seen)
        assert seen["search"], f"{nb.stem}: no search box"
        assert seen["images"] >= 1 and seen["images_loaded"] == seen["images"], (nb.stem, seen)
        if nb.stem.startswith("05"):
            assert seen["chips"] > 0 and seen["chips_styled"] == seen["chips"], seen
            assert seen["sids"] > 0 and seen["sids_super"] == seen["sids"], seen
    gallery = probe(browser, folder / "figures.html")
    assert gallery["images"] == len(list((ROOT / "figures").glob("*.png")))
    assert gallery["images_loaded"] == gallery["images"], gallery
    for page in ("index.html", "docs/evaluation.html", "docs/schema.html"):
        seen = probe(browser, folder / page)
        assert seen["title"].strip() and seen["search"], (page, seen)
    article = probe(browser, folder / "article.html")
    assert article["chips"] > 0 and article["chips_styled"] == article["chips"], article
    assert article["sids_super"] == article["sids"] > 0, article


def test_screenshots_of_the_annotated_article_are_kept(books, browser):
    """Kept in test-artifacts/ to look at: notebook 05's page and the annotated article."""
    ARTIFACTS.mkdir(exist_ok=True)
    for page, height in (("notebooks/05_stances.html", 1600), ("article.html", 2400)):
        shot = ARTIFACTS / f"book_{Path(page).stem}.png"
        shot.unlink(missing_ok=True)
        target = (books["teacher"] / page).as_uri()
        done = run_chromium(browser, f"--window-size=1280,{height}", f"--screenshot={shot}", target)
        assert shot.is_file() and shot.stat().st_size > 50_000, done.stderr[-300:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
