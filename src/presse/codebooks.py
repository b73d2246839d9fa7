"""Where the project's codebooks and trained models live (one place for their paths).

- ``CODEBOOK``: ``data/codebook/``, the hand-written tables the rules read (reporting verbs,
  news overrides of the sentiment lexicon, themes);
- ``MODELS``: ``data/models/``, small trained files with their model cards;
- ``TONE_MODEL``: the learned tone reading's classifier (``tone_model.json``, card
  ``tone_model.md``), written by ``benchmarks/train_tone_model.py`` from the development sets.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
CODEBOOK = DATA / "codebook"
MODELS = DATA / "models"
TONE_MODEL = MODELS / "tone_model.json"
