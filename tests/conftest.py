"""Shared fixtures: the real site built once per session, fixture sites, a local web server, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Build:
    returncode: int
    output: str
    site: Path


def mkdocs_build(project: Path, site: Path, *, strict: bool = True, env: dict[str, str] | None = None,
                 timeout: float = 900) -> Build:  # fmt: skip
    """Run ``mkdocs build`` for ``project`` into ``site``; return its exit code and output."""
    cmd = [*MKDOCS, "build", "-d", str(site), "-f", str(project / "mkdocs.yml")]
    if strict:
        cmd.append("--strict")
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=full_env, timeout=timeout, check=False)
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site, built once with --strict (into $STUDYLOG_SITE_DIR when set: CI publishes the tested build)."""
    target = os.environ.get("STUDYLOG_SITE_DIR")
    build = mkdocs_build(ROOT, Path(target) if target else tmp_path_factory.mktemp("site") / "site")
    return build


FIXTURE_MKDOCS = """\
site_name: fixture
theme:
  name: material
  font: false
plugins:
  - search
  - blog
  - studylog:
      verify: {verify}
      cache_dir: ""
"""


@pytest.fixture
def fixture_site(tmp_path: Path):
    """Make a small site: ``fixture_site({"blog/posts/x.md": "..."}, verify=False)`` returns its root."""

    def make(pages: dict[str, str], *, verify: bool = False, implementations: list[str] | None = None) -> Path:
        (tmp_path / "mkdocs.yml").write_text(FIXTURE_MKDOCS.format(verify=str(verify).lower()), encoding="utf-8")
        impls = ", ".join(f'"{p}"' for p in (implementations or []))
        (tmp_path / "pyproject.toml").write_text(f"[tool.studylog]\nimplementations = [{impls}]\n", encoding="utf-8")
        docs = tmp_path / "docs"
        (docs / "blog" / "posts").mkdir(parents=True, exist_ok=True)
        (docs / "index.md").write_text("# Fixture\n", encoding="utf-8")
        (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
        for rel, text in pages.items():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_text(text, encoding="utf-8")
        (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
        return tmp_path

    return make


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class Server:
    base: str  # e.g. http://127.0.0.1:PORT/sub/path/
    root: Path


@pytest.fixture
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Serve a built site on 127.0.0.1 (optionally under a sub-path): ``serve(site_dir, "/a/b/")``."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(site: Path, subpath: str = "/") -> Server:
        root = tmp_path_factory.mktemp("www")
        target = root / subpath.strip("/") if subpath.strip("/") else root
        if target != root:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(site, target)
        else:
            shutil.copytree(site, root, dirs_exist_ok=True)
        handler = functools.partial(_QuietHandler, directory=str(root))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        port = httpd.server_address[1]
        return Server(f"http://127.0.0.1:{port}/{subpath.strip('/') + '/' if subpath.strip('/') else ''}", root)

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download: the system binary is used)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is not installed: run 'make test' (it installs Debian's chromium) or apt install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
