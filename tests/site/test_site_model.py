"""Pieces of the site layer on their own: the build's terminal output, the caches' bounds, formulas.json."""

from __future__ import annotations

import io
import json
from pathlib import Path

from studylog.cli import main
from studylog.engine.status import Status
from studylog.site.report import ProgressPrinter
from studylog.site.store import JsonStore
from tests.conftest import Build


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_printed_on_a_terminal_only() -> None:
    tty, pipe = _Tty(), io.StringIO()
    for stream in (tty, pipe):
        p = ProgressPrinter(stream=stream, every=0.0)
        for done in range(1, 4):
            p("formulas rendered", done, 3)
    assert "studylog: 1/3 formulas rendered" in tty.getvalue() and "3/3" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_a_store_keeps_its_most_recently_used_entries_under_its_bound(tmp_path: Path) -> None:
    store = JsonStore(tmp_path / "cache")
    for i in range(10):
        store.put_json(f"{i:064x}", "x" * 1000)
    import os
    import time

    now = time.time()
    for i in range(10):  # entry i was used i seconds ago ... the oldest are evicted first
        os.utime(store._path(f"{i:064x}"), (now - 100 + i, now - 100 + i))
    assert store.get_json(f"{0:064x}") is not None  # a hit makes entry 0 the most recent
    size = store.info().bytes // 10
    removed = store.prune(size * 4)
    kept = {i for i in range(10) if store._path(f"{i:064x}").exists()}
    assert removed == 6 and kept == {0, 7, 8, 9}


def test_cache_clear_empties_both_caches(tmp_path: Path, capsys) -> None:
    for name in ("katex", "examples"):
        JsonStore(tmp_path / ".studylog-cache" / name).put_json("ab" * 32, {"x": 1})
    assert main(["cache", "info", "--root", str(tmp_path)]) == 0
    assert "katex: 1 entries" in capsys.readouterr().out
    assert main(["cache", "clear", "--root", str(tmp_path)]) == 0
    assert not list((tmp_path / ".studylog-cache").rglob("*.json"))


def test_formulas_json_keeps_its_fields_and_status_values(built_site: Build) -> None:
    rows = json.loads((built_site.site / "formulas.json").read_text(encoding="utf-8"))
    assert rows and all(set(r) == {"id", "source", "page", "number", "status", "implementations"} for r in rows)
    assert {r["status"] for r in rows} <= {"verified", "mismatch", "invalid", "missing", "unlinked", "exempt", "imported"}
    assert {s.value for s in Status} >= {"verified", "mismatch", "invalid", "missing", "unlinked", "exempt", "prose"}
    sgd = next(r for r in rows if r["id"] == "sgd.w")
    assert sgd["status"] == "verified" and sgd["implementations"] == ["studylog.optim.sgd.sgd_step"]
    assert sgd["page"] == "blog/2021/08/10/day-7-optimization/" and sgd["source"].startswith("docs/blog/posts/")
