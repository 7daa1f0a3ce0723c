"""Server-side KaTeX: two engines behind one interface, and a content-addressed cache.

* ``katex`` (default): one long-lived Node process running npm's ``katex`` (pinned in
  ``package.json``) renders every formula of a build.
* ``markdown-katex``: the binary bundled with the markdown-katex package (KaTeX 0.15.1), called once
  per formula, but directly: no ``npx`` probe, no cache in the shared temp folder.

Both render with ``trust: false`` and report bad LaTeX as `RenderError`.
"""

from __future__ import annotations

import functools
import re
import json
import os
import selectors
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

from studylog.errors import RenderError
from studylog.site.store import HtmlStore, digest

SERVER_JS = Path(__file__).with_name("katex_server.js")
RENDER_TIMEOUT_S = 20.0


class Engine(Protocol):
    """Renders one formula to HTML."""

    name: str
    version: str

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str: ...

    def close(self) -> None: ...


def find_node_modules(start: Path) -> Path:
    """The ``node_modules`` folder holding ``katex``, searched from ``start`` upwards."""
    env = os.environ.get("STUDYLOG_NODE_MODULES")
    if env:
        return Path(env).resolve()
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "node_modules" / "katex" / "package.json").is_file():
            return folder / "node_modules"
    raise RenderError(
        "npm's katex is not installed: run 'npm ci' in the project root (the README's set-up command does)",
        path=str(start),
    )


def _clean_katex_message(message: str) -> str:
    return message.replace("KaTeX parse error: ", "").strip()


class NodeKatex:
    """npm's KaTeX in one Node child process for the whole build."""

    name = "katex"

    def __init__(self, node_modules: Path, package: str = "katex") -> None:
        node = shutil.which("node")
        if node is None:
            raise RenderError("Node.js ('node') is needed to render math; install it (e.g. apt install nodejs)")
        self.package_dir = node_modules / package
        env = dict(os.environ, STUDYLOG_KATEX=str(self.package_dir))
        self._proc = subprocess.Popen(  # noqa: S603 - fixed command line
            [node, str(SERVER_JS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self._sel = selectors.DefaultSelector()
        assert self._proc.stdout is not None
        self._sel.register(self._proc.stdout, selectors.EVENT_READ)
        hello = json.loads(self._read_line(tex=None))
        self.version = str(hello["version"])

    def _read_line(self, tex: str | None) -> str:
        assert self._proc.stdout is not None
        if not self._sel.select(RENDER_TIMEOUT_S):
            self.close()
            what = "starting KaTeX" if tex is None else f"rendering a formula of {len(tex)} characters"
            raise RenderError(f"KaTeX took more than {RENDER_TIMEOUT_S:g} s {what}; stopped it")
        line = self._proc.stdout.readline()
        if not line:
            raise RenderError("the KaTeX process ended unexpectedly")
        return line

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        if self._proc.poll() is not None:
            raise RenderError("the KaTeX process is not running")
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({"tex": tex, "display": display, "macros": macros}) + "\n")
        self._proc.stdin.flush()
        reply = json.loads(self._read_line(tex))
        if "error" in reply:
            raise RenderError(_clean_katex_message(reply["error"]))
        return str(reply["html"])

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()


class NoMath:
    """No rendering: the TeX is shown as code (the floor of the build-speed benchmark)."""

    name = "none"
    version = "none"

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        import html

        tag = "pre" if display else "code"
        return f'<{tag} class="sl-nomath">{html.escape(tex)}</{tag}>'

    def close(self) -> None:
        pass


class MarkdownKatex:
    """The KaTeX binary bundled with markdown-katex, called directly (no npx probe, own cache)."""

    name = "markdown-katex"

    def __init__(self) -> None:
        from markdown_katex import wrapper  # the package's own platform lookup of its binary

        try:
            self.binary = str(wrapper._get_pkg_bin_path())
        except NotImplementedError as exc:
            raise RenderError(f"markdown-katex has no KaTeX binary for this platform: {exc}") from None
        out = subprocess.run([self.binary, "--version"], capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
        self.version = out.stdout.strip()

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        cmd = [self.binary]
        if display:
            cmd.append("--display-mode")
        for name, value in sorted(macros.items()):
            cmd += ["--macro", f"{name}:{value}"]
        try:
            out = subprocess.run(cmd, input=tex, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise RenderError(f"KaTeX took more than {RENDER_TIMEOUT_S:g} s; stopped it") from None
        if out.returncode != 0:
            message = (out.stderr or out.stdout).strip().splitlines()
            text = next((m for m in message if "ParseError" in m or "parse error" in m), message[0] if message else "")
            text = text.split("ParseError:", 1)[-1]
            raise RenderError(_clean_katex_message(text))
        return out.stdout.strip()

    def close(self) -> None:
        pass


ENGINES = ("katex", "markdown-katex", "none")


def css_package(engine: str, version: str) -> str:
    """Which npm package's ``dist/`` holds the CSS and fonts for the engine's KaTeX version."""
    return "katex" if engine == "katex" else f"katex-{version}"


class RenderCache(HtmlStore):
    """The rendered-formula cache: keyed by formula, display mode, engine, KaTeX version, options
    and the macros the formula uses (see `HtmlStore` for integrity and atomic writes)."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder)
        self.hits = 0

    def key(self, *, tex: str, display: bool, engine: str, version: str, macros: dict[str, str]) -> str:
        return digest({"tex": tex, "display": display, "engine": engine, "version": version, "macros": macros,
                       "options": {"trust": False, "strict": "ignore", "output": "htmlAndMathml"}})  # fmt: skip

    def get(self, key: str) -> str | None:
        html = super().get(key)
        if html is not None:
            self.hits += 1
        return html


_UNTRUSTED = re.compile(r'mathcolor="#cc0000"><mtext>(\\[A-Za-z]+)</mtext>')


def used_macros(tex: str, macros: dict[str, str]) -> dict[str, str]:
    """The macros ``tex`` uses, directly or through other macros (only these belong in its cache key)."""
    used: dict[str, str] = {}
    todo = [tex]
    while todo:
        text = todo.pop()
        for name, body in macros.items():
            if name not in used and re.search(re.escape(name) + r"(?![A-Za-z])", text):
                used[name] = body
                todo.append(body)
    return used


class MathRenderer:
    """Renders formulas through an engine (started lazily) and the cache."""

    def __init__(self, engine: str, project_root: Path, cache_dir: Path | None, macros: dict[str, str] | None = None):
        if engine not in ENGINES:
            raise RenderError(f"unknown math engine {engine!r} (choose one of: {', '.join(ENGINES)})")
        self.engine_name = engine
        self.project_root = project_root
        self.macros = dict(macros or {})
        self.cache = RenderCache(cache_dir) if cache_dir is not None else None
        self._engine: Engine | None = None
        self.renders = 0
        self._memory: dict[tuple[str, bool], str] = {}  # this build: the blog renders each post 4 times

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.engine_name == "katex":
                self._engine = NodeKatex(find_node_modules(self.project_root))
            elif self.engine_name == "none":
                self._engine = NoMath()
            else:
                self._engine = MarkdownKatex()
        return self._engine

    @functools.cached_property
    def version(self) -> str:
        """The KaTeX version of the engine (read without starting it where possible)."""
        if self.engine_name == "none":
            return "none"
        if self.engine_name == "katex":
            # read from package.json: no need to start Node for a fully cached build
            pkg = find_node_modules(self.project_root) / "katex" / "package.json"
            return str(json.loads(pkg.read_text(encoding="utf-8"))["version"])
        return self.engine.version

    def render(self, tex: str, display: bool) -> str:
        remembered = self._memory.get((tex, display))
        if remembered is not None:
            return remembered
        html = self._render(tex, display)
        self._memory[(tex, display)] = html
        return html

    def _render(self, tex: str, display: bool) -> str:
        key = None
        if self.cache is not None:
            key = self.cache.key(tex=tex, display=display, engine=self.engine_name, version=self.version,
                                 macros=used_macros(tex, self.macros))  # fmt: skip
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        html = self.engine.render(tex, display, self.macros)
        self.renders += 1
        refused = _UNTRUSTED.search(html)
        if refused:
            raise RenderError(
                f"{refused.group(1)} is not allowed: KaTeX runs with trust off, so a formula cannot make links, "
                "ids, classes, styles or images"
            )
        if self.cache is not None and key is not None:
            self.cache.put(key, html)
        return html

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
