"""`studylog import` lists the imported equations that still need an implementation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studylog.cli import main

SEED = Path(__file__).parent / "fixtures" / "day07-optimization-jekyll.md"


def test_import_lists_equations_needing_an_implementation(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.studylog]\nimplementations = []\n")
    post = tmp_path / "2021-08-10-day07.md"
    shutil.copy(SEED, post)
    assert main(["import", str(post), "--docs-dir", "docs", "--category", "Boostcamp AI Tech"]) == 0
    out = capsys.readouterr().out
    assert "26 formulas found, 26 written" in out
    assert "14 equation(s) need an implementation" in out
    assert "docs/blog/posts/2021-08-10-day07.md:" in out and r"W_{t+1} \leftarrow W_t - \eta g_t" in out


@pytest.mark.parametrize("title", ["../../etc/evil", "/abs/path", "a\x00b\x1b[31m", "..", "/"])
def test_new_never_writes_outside_docs(tmp_path: Path, monkeypatch, title: str) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["new", "--date", "2021-08-12", "--title", title, "--docs-dir", "docs"])
    written = [p for p in tmp_path.rglob("*.md")]
    assert all(p.resolve().is_relative_to((tmp_path / "docs").resolve()) for p in written), written
    assert code in (0, 1)
