"""Execute the notebooks headless, reproducibly: ``python -m presse.notebooks NB [NB ...]``.

Each notebook runs in its own folder with the ``python3`` kernel (so relative paths such as
``../data/raw`` work as they do in JupyterLab) and is written back with its outputs. Run
metadata that would change at every run (timings, kernel versions) is removed, so rerunning an
unchanged collection leaves ``git status`` clean.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

#: Notebook-level metadata kept after execution; everything else is run-specific.
KEPT_METADATA = ("kernelspec", "language_info")
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata (timings, versions, widget state); keep the python3 kernel."""
    nb.metadata = nbformat.from_dict({k: v for k, v in nb.metadata.items() if k in KEPT_METADATA})
    nb.metadata["kernelspec"] = nbformat.from_dict(KERNEL)
    nb.metadata["language_info"] = nbformat.from_dict({"name": "python"})
    for cell in nb.cells:
        for key in ("execution", "ExecuteTime", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)
    return nb


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove every output and execution count (for student copies and clean diffs)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return clean_metadata(nb)


def execute_notebook(path: Path, output: Path | None = None, timeout: int = 600) -> None:
    """Execute the notebook at ``path`` in its own folder and write it (to ``output`` or back).

    Raises nbclient's CellExecutionError when a cell fails; nothing is written then.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,
    )
    client.execute()
    nbformat.write(clean_metadata(nb), output or path)


def main(argv: list[str] | None = None) -> int:
    """Execute the given notebooks in order; stop at the first failure (exit status 1)."""
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print("usage: python -m presse.notebooks NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for path in paths:
        print(f"executing {path}", flush=True)
        try:
            execute_notebook(path)
        except CellExecutionError as error:
            last = str(error).strip().splitlines()[-1] if str(error).strip() else "error"
            print(
                f"{path}: a cell failed ({last}); the notebook was not rewritten.", file=sys.stderr
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
