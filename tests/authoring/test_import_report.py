"""`studylog import` marks the imported equations that still need an implementation, and says how many."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from studylog.cli import main

SEED = Path(__file__).parent / "fixtures" / "day07-optimization-jekyll.md"


def test_import_marks_exactly_the_equations_that_need_an_id_and_sums_them_up(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    post = tmp_path / "2021-08-10-day07.md"
    shutil.copy(SEED, post)
    assert main(["import", str(post), "--docs-dir", "docs", "--category", "Boostcamp AI Tech"]) == 0
    out = capsys.readouterr().out
    assert "26 formulas found, 26 written" in out
    log = (tmp_path / "docs/blog/posts/2021-08-10-day07.md").read_text(encoding="utf-8")
    marked = re.findall(r"\$`([^`]*)`\$\{imported\}", log)
    # the oracle: the formulas holding '=' or '\leftarrow' outside braces, read off the log by hand
    # (the seed's 14 update rules; its other 12 formulas are symbols such as \eta or \epsilon)
    assert len(marked) == 14
    assert all(("=" in m or r"\leftarrow" in m) for m in marked)
    unmarked = re.findall(r"\$`([^`]*)`\$(?!\{)", log)
    assert len(unmarked) == 12 and not any(("=" in m or r"\leftarrow" in m) for m in unmarked)
    assert "14 marked imported (shown 'not yet checked' until linked)" in out.splitlines()[-1]


@pytest.mark.parametrize("title", ["../../etc/evil", "/abs/path", "a\x00b\x1b[31m", "..", "/"])
def test_new_never_writes_outside_docs(tmp_path: Path, monkeypatch, title: str) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["new", "--date", "2021-08-12", "--title", title, "--docs-dir", "docs"])
    written = [p for p in tmp_path.rglob("*.md")]
    assert all(p.resolve().is_relative_to((tmp_path / "docs").resolve()) for p in written), written
    assert code in (0, 1)
