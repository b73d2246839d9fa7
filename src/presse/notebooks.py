"""Execute the notebooks headless, reproducibly, with papermill.

``python -m presse.notebooks NB [NB ...]`` executes the collection in place: each notebook runs
in its own folder with the ``python3`` kernel (so relative paths such as ``../data/raw`` work as
in JupyterLab) and is written back with its outputs. Run metadata that would change at every run
(papermill's timings and parameters, kernel versions) is removed, so rerunning an unchanged
collection leaves ``git status`` clean. The kernel talks over local IPC sockets, not TCP.

Before the first notebook runs, the driver writes the analysis of the article the first
notebook's ``parameters`` cell names (with its ``codebook_path``), through
:func:`presse.analysis.publish_analysis` (computed once and cached in the notebooks'
``cache_dir``), to ``data/processed/`` beside the notebooks' folder: that is the one step that
writes the committed tables; no notebook writes a table. The notebooks then read the same cached
analysis. ``figures_dir`` is given to each notebook as ``../figures`` (a notebook run by hand
leaves it ``None`` and saves its figures in its ``scratch_dir``); the cell papermill injects to
say so is removed again, so the committed notebooks keep their own parameters cell only.

``python -m presse.notebooks --article PATH [--codebook CSV] --out DIR NB [NB ...]`` runs the
same notebooks on another article (or codebook): papermill injects a cell after each notebook's
``parameters`` cell setting ``article_path``, ``codebook_path``, ``figures_dir`` (``DIR/figures``)
and ``scratch_dir`` (``DIR/scratch``) and every ``hand_*`` annotation to ``None``, and other
relative paths of the cell (the corpus folder, the analysis cache) made absolute; executed
notebooks go to ``DIR/notebooks``, the tables to ``DIR/data/processed``. The committed outputs
are not touched. A bad article or codebook is one line on stderr, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import nbformat

#: Notebook-level metadata kept after execution; everything else is run-specific.
KEPT_METADATA = ("kernelspec", "language_info")
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
#: where the committed run's tables and figures go, from the notebooks' folder
PROCESSED = Path("..") / "data" / "processed"
FIGURES = Path("..") / "figures"
INJECTED = "injected-parameters"


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata (timings, versions, papermill's records, empty tags); keep the
    python3 kernel."""
    nb.metadata = nbformat.from_dict({k: v for k, v in nb.metadata.items() if k in KEPT_METADATA})
    nb.metadata["kernelspec"] = nbformat.from_dict(KERNEL)
    nb.metadata["language_info"] = nbformat.from_dict({"name": "python"})
    for cell in nb.cells:
        if INJECTED in cell.metadata.get("tags", []):
            cell["id"] = INJECTED  # papermill gives it a random id at every run
        for key in ("execution", "ExecuteTime", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if not cell.metadata.get("tags", True):  # papermill adds an empty list
            del cell.metadata["tags"]
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)
        if cell.get("outputs"):
            cell.outputs = coalesce_streams(cell.outputs)
    return nb


def coalesce_streams(outputs: list) -> list:
    """Join consecutive outputs of the same stream (stdout, stderr) into one: the kernel cuts
    printed text into pieces at moments that vary from run to run, which would make a rerun's
    outputs differ from the committed ones."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            joined.append(output)
    return joined


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove every output and execution count (for student copies and clean diffs)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return clean_metadata(nb)


def _parameters_index(nb: nbformat.NotebookNode) -> int | None:
    """Position of the cell tagged ``parameters`` (None if the notebook has none)."""
    return next(
        (
            i
            for i, c in enumerate(nb.cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )


def parameters_cell_values(nb: nbformat.NotebookNode) -> dict:
    """The names assigned in the notebook's ``parameters`` cell, in order, with their literal
    values (``None`` where the value is not a literal); ``{}`` if there is no such cell."""
    index = _parameters_index(nb)
    values = {}
    for node in ast.parse(nb.cells[index].source).body if index is not None else []:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    values[target.id] = None
    return values


def _override_for(name: str, values: dict) -> str | None:
    """The key of ``values`` that sets ``name`` (itself, or a ``prefix*`` pattern), if any."""
    for key in values:
        if name == key or (key.endswith("*") and name.startswith(key[:-1])):
            return key
    return None


def parameters_for(nb: nbformat.NotebookNode, values: dict, home: Path | None = None) -> dict:
    """The parameters to give papermill for this notebook: ``{name: value}``.

    ``values`` maps names to values; a name ending in ``*`` (``hand_*``) applies to every
    parameter with that prefix. Names the notebook's ``parameters`` cell does not define are
    left out (papermill would only warn about them). With ``home`` (the notebook's own folder,
    when it runs from another one), each relative path (``../…``) the cell sets and ``values``
    does not is made absolute from ``home``, so that it still points where it did (e.g. the
    corpus folder).
    """
    chosen = {}
    for name, default in parameters_cell_values(nb).items():
        key = _override_for(name, values)
        if key is not None:
            chosen[name] = values[key]
        elif home is not None and isinstance(default, str) and default.startswith(".."):
            chosen[name] = str((Path(home) / default).resolve())
    return chosen


def _kernel_manager_class(runtime: Path):
    """A ``python3`` kernel manager class talking to its kernel over local IPC sockets (files in
    ``runtime``) instead of unencrypted TCP ports: nothing listens on the network and the kernel
    has nothing to warn about. nbclient creates, owns and shuts down the kernel it manages, with
    a shutdown request and no interrupt first."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.update(transport="ipc", connection_file=str(runtime / "kernel.json"))
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts before every shutdown; the kernel, idle after the last
            # cell, then only logs "KeyboardInterrupt caught in kernel". The shutdown request
            # that follows stops it cleanly.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


def execute_notebook(
    path: Path,
    output: Path | None = None,
    timeout: int = 600,
    parameters: dict | None = None,
    cwd: Path | None = None,
    keep_injected: bool = True,
) -> None:
    """Execute the notebook at ``path`` with papermill and write it (to ``output`` or back).

    It runs in ``cwd`` (default: its own folder) with the ``python3`` kernel; ``parameters``
    (see :func:`parameters_for`) go into a cell papermill inserts after the ``parameters``
    cell (removed before writing when ``keep_injected`` is false). The run metadata papermill
    and the kernel add is removed (:func:`clean_metadata`). Raises papermill's
    PapermillExecutionError when a cell fails; nothing is written then.
    """
    import tempfile

    import papermill

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    if parameters:
        home = path.parent if cwd is not None and cwd.resolve() != path.parent.resolve() else None
        parameters = parameters_for(nb, parameters, home=home)
    with tempfile.TemporaryDirectory(prefix="presse-kernel-") as runtime:
        executed = papermill.execute_notebook(
            nb,
            None,
            parameters=parameters or None,
            kernel_name="python3",
            language="python",
            progress_bar=False,
            log_output=False,
            cwd=str((cwd or path.parent).resolve()),
            execution_timeout=timeout,
            kernel_manager_class=_kernel_manager_class(Path(runtime)),
        )
    if not keep_injected:
        executed.cells = [c for c in executed.cells if INJECTED not in c.metadata.get("tags", [])]
    nbformat.write(clean_metadata(executed), output or path)


def notebook_default(path: Path, name: str) -> Path | None:
    """The path the notebook's ``parameters`` cell gives ``name``, resolved from the notebook's
    folder (None if the cell does not set it to a text)."""
    value = parameters_cell_values(nbformat.read(path, as_version=4)).get(name)
    return (Path(path).parent / value).resolve() if isinstance(value, str) else None


def publish_for(first: Path, article: Path, codebook: Path | None, out: Path) -> None:
    """Write the analysis of ``article`` (with ``codebook``) to ``out``, through the analysis
    cache the notebook ``first`` names (its ``cache_dir``), so that the notebooks find it."""
    from presse.analysis import publish_analysis

    cache = notebook_default(first, "cache_dir") or Path(first).parent / ".." / "runs" / "analysis"
    publish_analysis(article, out, codebook, cache, report=lambda line: print(line, flush=True))


def main(argv: list[str] | None = None) -> int:
    """Execute the given notebooks in order; stop at the first failure (exit status 1)."""
    parser = argparse.ArgumentParser(prog="python -m presse.notebooks")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--article", type=Path, help="run on this article instead")
    parser.add_argument("--out", type=Path, help="with --article: folder for the run")
    parser.add_argument(
        "--codebook", type=Path, help="with --article: theme codebook (CSV) instead of the default"
    )
    parser.add_argument(
        "--no-publish",
        action="store_true",
        help="without --article: do not write the analysis to data/processed/ first",
    )
    args = parser.parse_args(argv)
    from papermill.exceptions import PapermillExecutionError

    from presse.loading import ArticleError, read_article
    from presse.themes import CodebookError, load_codebook

    parameters, out_notebooks = None, None
    if args.codebook is not None and args.article is None:
        print("error: --codebook needs --article (the committed run uses the project's "
              "codebook); give --article too.", file=sys.stderr)
        return 2
    if args.article is not None:
        try:
            read_article(args.article)
            if args.codebook is not None:
                load_codebook(args.codebook)
        except ArticleError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        except CodebookError as error:
            print(f"error: --codebook: {error}", file=sys.stderr)
            return 2
        out = (args.out or Path("runs") / args.article.stem).resolve()
        out_notebooks = out / "notebooks"
        for folder in (out_notebooks, out / "data" / "processed", out / "figures"):
            folder.mkdir(parents=True, exist_ok=True)
        parameters = {
            "article_path": str(args.article.resolve()),
            "figures_dir": str(out / "figures"),
            "scratch_dir": str(out / "scratch"),
            "hand_*": None,
        }
        if args.codebook is not None:
            parameters["codebook_path"] = str(args.codebook.resolve())
        print(f"running on {args.article} into {out}", flush=True)
        codebook = args.codebook.resolve() if args.codebook is not None else None
        publish_for(args.notebooks[0], args.article.resolve(), codebook, out / "data" / "processed")
    elif not args.no_publish:
        first = args.notebooks[0]
        article = notebook_default(first, "article_path")
        if article is not None:
            codebook = notebook_default(first, "codebook_path")
            publish_for(first, article, codebook, (first.parent / PROCESSED).resolve())
    for path in args.notebooks:
        print(f"executing {path}", flush=True)
        try:
            if parameters:
                execute_notebook(
                    path, out_notebooks / path.name, parameters=parameters, cwd=out_notebooks
                )
            else:
                execute_notebook(path, parameters={"figures_dir": str(FIGURES)},
                                 keep_injected=False)
        except PapermillExecutionError as error:
            last = f"{error.ename}: {error.evalue}"
            print(
                f"{path}: a cell failed ({last}); the notebook was not rewritten.", file=sys.stderr
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
