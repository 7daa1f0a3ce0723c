"""The built wheel holds every file the package needs besides its modules (stylesheet, scripts, KaTeX's
server, theme partials, the showcase log): a site made by ``studylog init`` uses studylog as an installed
package, not from this checkout. The oracle is the package folder itself: every non-Python file in it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_the_wheel_ships_every_data_file_of_the_package(tmp_path: Path) -> None:
    src = tmp_path / "src"  # a clean copy: setuptools would reuse an earlier build/ folder of the checkout
    shutil.copytree(ROOT / "studylog", src / "studylog", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)]
    if importlib.util.find_spec("setuptools") is not None:  # offline and faster: build with this venv's setuptools
        cmd.insert(5, "--no-build-isolation")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = tmp_path.glob("studylog-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    data = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "studylog").rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts)  # fmt: skip
    assert {"studylog/site/studylog.css", "studylog/site/theme/partials/source.html"} <= set(data)
    assert [f for f in data if f not in shipped] == []
