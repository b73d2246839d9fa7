"""presse: helpers for a notebook collection that studies French news articles.

One module per stage: ``loading`` (read and check an article), ``parsing`` (spaCy, once),
``quotes`` (who says what), ``pipeline`` (all stages, tables in and out), ``cli`` (the command
line), ``notebooks`` (execute the collection headless, reproducibly).
"""

__version__ = "0.1.0"
