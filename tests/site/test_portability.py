"""The Day-7 site under ProperDocs and Zensical: checked math, or a failed build naming FILE:LINE.

Material for MkDocs reaches end of life on 2027-05-05. ProperDocs (a drop-in fork of MkDocs) runs the
studylog plugin as MkDocs does; Zensical runs Markdown extensions but no MkDocs plugin, so there the
studylog extension checks the whole docs folder itself. Neither may ever build a green site whose
formulas were not checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Build
from tests.site.test_build import DAY7

BIN = Path(sys.executable).parent
LOG = "docs/blog/posts/2021-08-10-day07-optimization.md"


def _copy(tmp_path: Path) -> Path:
    """The real site in a temporary folder; code, npm packages and caches are shared, not copied."""
    root = tmp_path / "site-src"
    root.mkdir()
    for name in ("docs",):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    for name in ("studylog", "node_modules", ".studylog-cache"):
        (root / name).symlink_to(ROOT / name)
    return root


def _run(cmd: list[str], cwd: Path) -> tuple[int, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=900, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _break_sgd(root: Path) -> None:
    log = root / LOG
    text = log.read_text(encoding="utf-8")
    assert r"W_{t+1} \leftarrow W_t - \eta g_t" in text
    log.write_text(text.replace(r"W_{t+1} \leftarrow W_t - \eta g_t", r"W_{t+1} \leftarrow W_t + \eta g_t", 1), "utf-8")


def _checked(page: str) -> int:
    assert 'class="katex' in page and "\\leftarrow" not in re.sub(r"<annotation.*?</annotation>|<span class=\"sl-tex\".*?</span>", "", page, flags=re.S)
    return page.count("✓ verified")


HOSTS = {
    "properdocs": lambda out: [str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
    "zensical": lambda out: [str(BIN / "zensical"), "build", "--clean", "-f", "mkdocs.yml"],
}


@pytest.mark.parametrize("host", list(HOSTS))
def test_the_day7_site_is_checked_under_each_host(host: str, tmp_path: Path, built_site: Build) -> None:
    assert built_site.returncode == 0, built_site.output  # warms the shared caches
    root = _copy(tmp_path)
    out = root / "site" if host == "zensical" else tmp_path / "out"
    rc, output = _run(HOSTS[host](out), root)
    assert rc == 0, output[-3000:]
    page = (out / DAY7).read_text(encoding="utf-8")
    reference = (built_site.site / DAY7).read_text(encoding="utf-8")
    assert _checked(page) == _checked(reference) >= 80, "the same checker's verdicts as under MkDocs"


@pytest.mark.parametrize("host", list(HOSTS))
def test_a_wrong_formula_fails_each_host_with_file_and_line(host: str, tmp_path: Path, built_site: Build) -> None:
    root = _copy(tmp_path)
    _break_sgd(root)
    rc, output = _run(HOSTS[host](tmp_path / "out"), root)
    assert rc != 0, output[-3000:]
    assert re.search(rf"{re.escape(LOG)}:\d+: sgd\.w: W_{{t\+1}} differs from studylog\.optim\.sgd\.sgd_step", output), output[-3000:]


def test_zensical_refuses_a_site_whose_code_it_would_not_watch(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"\nwatch:\n  - studylog\n", "\n", config.read_text(encoding="utf-8")), encoding="utf-8")
    rc, output = _run(HOSTS["zensical"](root / "site"), root)
    assert rc != 0 and "under 'watch:' in mkdocs.yml" in output, output[-3000:]
