"""Sphinx configuration of the book (``make html``; see ``presse.book``).

The book is built from a staged copy of the collection (``presse.book.stage``): the notebooks
with their committed outputs (nothing is executed), the figures gallery, the annotated article,
and the documentation pages. ``-t student`` marks the students' build, staged without the worked
solutions. Everything the pages load is in the build itself: no CDN, no web font.
"""

project = "Who says what about organised crime"
author = "the presse project contributors"
copyright = "the presse project contributors; code under the MIT licence"
language = "en"

extensions = ["myst_nb"]
nb_execution_mode = "off"  # pages show the committed outputs of make run
nb_merge_streams = True
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.xref_missing", "myst.header", "misc.highlighting_failure"]

html_theme = "sphinx_book_theme"
html_title = "Who says what about organised crime"
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": True,
    "home_page_in_toc": True,
}

if tags.has("student"):  # noqa: F821 (Sphinx provides `tags`)
    html_title += " (student edition)"
