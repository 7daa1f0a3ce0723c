"""README's "Binding your own notation" walkthrough, followed literally in a new project.

Each fence with ``title="path"`` is written to that path; each ``sh`` block's ``$ command`` lines are
run (``studylog`` as this interpreter's console script), and the ``text`` block after it is what the
last command must print. The README's own fences are read with the page model, so the test sees the
blocks exactly as a reader of the README does.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from studylog.markup import BlockKind, fences
from tests.conftest import ROOT

SECTION = "## Binding your own notation"


def _steps() -> list:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    lines = text[start:end].split("\n")
    return [f for f in fences(lines, path="README.md") if f.kind is BlockKind.CODE]


def _run(command: str, cwd: Path) -> str:
    argv = shlex.split(command)
    if argv[0] == "studylog":
        argv = [sys.executable, "-m", "studylog", *argv[1:]]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300, check=False)  # fmt: skip
    return proc.stdout


def test_the_walkthrough_works_as_written(tmp_path: Path) -> None:
    steps = _steps()
    assert sum(1 for f in steps if "title=" in f.info) >= 6 and sum(1 for f in steps if f.lang == "sh") >= 3
    (tmp_path / "docs" / "blog" / "posts").mkdir(parents=True)
    output, checked = "", 0
    for fence in steps:
        title = fence.options.get("title")
        if title:
            target = tmp_path / title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fence.body + "\n", encoding="utf-8")
        elif fence.lang == "sh":
            for line in fence.body.splitlines():
                if line.startswith("$ "):
                    output = _run(line[2:], tmp_path)
        elif fence.lang == "text":
            assert output.strip() == fence.body.strip(), f"README.md:{fence.line}: the walkthrough says\n{fence.body}\nbut got\n{output}"
            checked += 1
    assert checked == 3
