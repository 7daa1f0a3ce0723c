"""Truth while writing: under ``mkdocs serve`` (and ``zensical serve``) the page follows the code on disk.

The poisoning sequence of the serve issue, end to end: serve a project, break its implementation, see
the formula marked mismatched; fix it, see it verified (and the terminal say what was fixed); change a
module the example imports from outside the implementation packages, see the new output; then a cold
and a warm ``mkdocs build`` both show the current output, never a cached stale one.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import mkdocs_build
from tests.site.project import POST_URL, edit, make_project

WAIT_S = 120  # a rebuild on this shared 2-core machine can take a while: generous, and polled


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(cmd: list[str], cwd: Path, log: Path) -> Iterator[subprocess.Popen]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, ok: Callable[[str], bool], log: Path, what: str) -> str:
    deadline = time.monotonic() + WAIT_S
    page = ""
    while time.monotonic() < deadline:
        page = _get(url)
        if page and ok(page):
            return page
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}; server log:\n{log.read_text()[-3000:]}")


def _mark(page: str) -> str:
    m = re.search(r'<div class="sl-formula" id="eq-scale">.*?<span class="sl-status [^"]*"[^>]*>([^<]*)<', page, re.S)
    return m.group(1) if m else ""


def test_mkdocs_serve_follows_the_code_and_builds_never_show_stale_output(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    port = _port()
    url = f"http://127.0.0.1:{port}/{POST_URL}"
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with _serving(cmd, root, log):
        page = _wait_for(url, lambda p: "✓ verified" in _mark(p), log, "the first build")
        assert "hello from helpers 6.0" in page
        edit(root / "impl" / "ops.py", "return alpha * x", "return alpha + x")  # a bug in the implementation
        page = _wait_for(url, lambda p: "mismatch" in _mark(p), log, "the formula to be marked mismatched")
        assert "sl-page-problems" in page, "the page says at its top that it has a problem"
        assert "hello from helpers 5.0" in page, "the example ran against the code on disk"
        edit(root / "impl" / "ops.py", "return alpha + x", "return alpha * x")
        page = _wait_for(url, lambda p: "✓ verified" in _mark(p), log, "the formula to be verified again")
        assert "sl-page-problems" not in page and "hello from helpers 6.0" in page
        edit(root / "helpers.py", "hello from helpers", "hello again")  # outside the implementation packages
        _wait_for(url, lambda p: "hello again 6.0" in p, log, "the example to show the helper's new text")
    output = log.read_text()
    assert "studylog: 1 formula mismatched" in output, output[-3000:]
    assert re.search(r"studylog: all 1 formulas? verified — fixed: scale", output), output[-3000:]
    for name in ("cold", "warm"):  # the caches kept by serve hold the current output, not the first one
        build = mkdocs_build(root, tmp_path / name)
        assert build.returncode == 0, build.output
        html = (tmp_path / name / POST_URL / "index.html").read_text(encoding="utf-8")
        assert "hello again 6.0" in html and "hello from helpers" not in html, name
    assert "examples executed: 0, from cache: 1" in build.output  # the warm build reused the fresh output


def test_zensical_serve_rechecks_an_implementation_edit(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    port = _port()
    url = f"http://127.0.0.1:{port}/{POST_URL}"
    log = tmp_path / "zensical.log"
    zensical = Path(sys.executable).with_name("zensical")
    with _serving([str(zensical), "serve", "--dev-addr", f"127.0.0.1:{port}"], root, log):
        _wait_for(url, lambda p: "✓ verified" in _mark(p), log, "zensical's first build")
        edit(root / "impl" / "ops.py", "return alpha * x", "return alpha + x")
        page = _wait_for(url, lambda p: "mismatch" in _mark(p), log, "zensical to re-check the formula")
        assert "sl-page-problems" in page
    assert "scale: y differs from impl.ops.scale" in log.read_text()
