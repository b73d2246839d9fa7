"""Writing tables: all or nothing, even when a rename fails; the umask's permissions."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from presse import pipeline
from presse.pipeline import remove_stale_tables, staged_file, write_tables


def tables(value):
    return {name: pd.DataFrame({"x": [value]}) for name in ("sentences", "quotes", "speakers")}


def test_a_failed_rename_leaves_the_previous_tables_whole(tmp_path, monkeypatch):
    write_tables(tables("old"), tmp_path)
    real_replace, calls = os.replace, []

    def replace_failing_the_second(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(pipeline.os, "replace", replace_failing_the_second)
    with pytest.raises(OSError):
        write_tables(tables("new"), tmp_path)
    monkeypatch.undo()
    for name in ("sentences", "quotes", "speakers"):
        assert pd.read_csv(tmp_path / f"{name}.csv")["x"].tolist() == ["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "quotes.csv",
        "sentences.csv",
        "speakers.csv",
    ]


def test_a_failed_first_write_leaves_no_table(tmp_path, monkeypatch):
    monkeypatch.setattr(
        pipeline.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied"))
    )
    with pytest.raises(OSError):
        write_tables(tables("new"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_staged_file_removes_its_temporary_file_when_the_rename_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(
        pipeline.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(18, "Cross-device link"))
    )
    with pytest.raises(OSError), staged_file(tmp_path / "a.csv") as tmp:
        tmp.write_text("x\n", encoding="utf-8")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_tables_get_the_permissions_the_umask_gives(tmp_path, mask):
    previous = os.umask(mask)
    try:
        write_tables(tables("x"), tmp_path)
        with staged_file(tmp_path / "combined.csv") as tmp:
            tmp.write_text("x\n", encoding="utf-8")
    finally:
        os.umask(previous)
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path.name


def test_stale_temporary_tables_are_removed(tmp_path):
    (tmp_path / ".sentences.csv.abc123.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".notes.tmp").write_text("not ours", encoding="utf-8")
    assert [p.name for p in remove_stale_tables(tmp_path)] == [".sentences.csv.abc123.tmp"]
    assert [p.name for p in tmp_path.iterdir()] == [".notes.tmp"]
