"""Server-side KaTeX: two engines behind one interface, and a content-addressed cache.

* ``katex`` (default): one long-lived Node process running npm's ``katex`` (pinned in
  ``package.json``) renders every formula of a build.
* ``markdown-katex``: the binary bundled with the markdown-katex package (KaTeX 0.15.1), called once
  per formula, but directly: no ``npx`` probe, no cache in the shared temp folder.

Both render with ``trust: false`` and report bad LaTeX as `RenderError`.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from studylog.errors import RenderError
from studylog.site.escape import esc
from studylog.site.katex_node import BATCH, RENDER_TIMEOUT_S, WINDOW, NodeKatex, Pending, clean_katex_message
from studylog.site.mathtext import TEXT_VERSION, annotate
from studylog.site.store import HtmlStore, digest

__all__ = ["BATCH", "ENGINES", "Engine", "MarkdownKatex", "MathRenderer", "NoMath", "NodeKatex", "RenderCache",
           "css_package", "find_node_modules", "used_macros"]  # fmt: skip


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


class NoMath:
    """No rendering: the TeX is shown as code (the floor of the build-speed benchmark)."""

    name = "none"
    version = "none"

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        tag = "pre" if display else "code"
        return f'<{tag} class="sl-nomath">{esc(tex)}</{tag}>'

    def render_many(self, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[tuple[bool, str]]:
        return [(True, self.render(tex, display, macros)) for tex, display in formulas]

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
            raise RenderError(clean_katex_message(text))
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
        self._writer: ThreadPoolExecutor | None = None
        self._writes: list[Future[None]] = []

    def key(self, *, tex: str, display: bool, engine: str, version: str, macros: dict[str, str]) -> str:
        return digest({"tex": tex, "display": display, "engine": engine, "version": version, "macros": macros,
                       "options": {"trust": False, "strict": "ignore", "output": "htmlAndMathml", "text": TEXT_VERSION}})  # fmt: skip

    def get(self, key: str) -> str | None:
        html = super().get(key)
        if html is not None:
            self.hits += 1
        return html

    def put_later(self, key: str, html: str) -> None:
        """`put` on a writer thread: a cold build's thousands of small files are written while it goes
        on (creating a file costs ~0.2-2 ms on a busy disk). `flush` waits for them."""
        if self.folder is None:
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studylog-cache")
        self._writes.append(self._writer.submit(self.put, key, html))

    def flush(self) -> None:
        """Wait for the writes `put_later` queued; a failed one is reported here."""
        writer, writes = self._writer, self._writes
        self._writer, self._writes = None, []
        if writer is None:
            return
        writer.shutdown(wait=True)
        for done in writes:
            exc = done.exception()
            if exc is not None:
                raise RenderError(f"cannot write the formula cache: {exc}", path=str(self.folder)) from None


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
        self._renders = 0
        self._memory: dict[tuple[str, bool], str] = {}  # this build: the blog renders each post 4 times
        self._failed: dict[tuple[str, bool], str] = {}  # prefetched formulas the engine refused, and why
        self._cond = threading.Condition()  # guards _pending and _renders
        self._pending: set[tuple[str, bool]] = set()  # sent to the engine by the prefetch, not yet back
        self._feeder: threading.Thread | None = None

    @property
    def renders(self) -> int:
        """How many formulas the engine rendered (a prefetch still under way is waited for)."""
        self._join_feeder()
        return self._renders

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
        item = (tex, display)
        html = self._memory.get(item)
        if html is None:
            with self._cond:  # the prefetch may have it in flight: wait for it rather than ask again
                while item in self._pending:
                    self._cond.wait()
            html = self._memory.get(item)  # _settle stores a formula before it leaves _pending
        if html is not None:
            return html
        failed = self._failed.get(item)
        if failed is not None:
            raise RenderError(failed)
        html = self._render(tex, display)
        self._memory[item] = html
        return html

    def _key(self, tex: str, display: bool) -> str | None:
        if self.cache is None:
            return None
        return self.cache.key(tex=tex, display=display, engine=self.engine_name, version=self.version,
                              macros=used_macros(tex, self.macros))  # fmt: skip

    def _accept(self, tex: str, html: str, key: str | None, *, later: bool = False) -> str:
        """Check a fresh render, add its readable text (`annotate`) and store it in the cache (now, or on
        the writer thread)."""
        refused = _UNTRUSTED.search(html)
        if refused:
            raise RenderError(
                f"{refused.group(1)} is not allowed: KaTeX runs with trust off, so a formula cannot make links, "
                "ids, classes, styles or images"
            )
        html = annotate(html, tex)
        if self.cache is not None and key is not None:
            (self.cache.put_later if later else self.cache.put)(key, html)
        return html

    def _render(self, tex: str, display: bool) -> str:
        key = self._key(tex, display)
        if key is not None:
            assert self.cache is not None
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        html = self.engine.render(tex, display, self.macros)
        with self._cond:
            self._renders += 1
        return self._accept(tex, html, key)

    def prefetch(self, formulas: Iterable[tuple[str, bool]]) -> None:
        """Get every formula of ``formulas`` ready while the pages are being built.

        Cached formulas are read from the cache now; the others go to Node in batches on a feeder
        thread (`WINDOW` in flight), so Node renders while Python builds pages; a page asking for a
        formula still in flight waits for it. A formula that fails is remembered and its error raised
        when a page asks for it (the page reports it with its file and line). markdown-katex starts a
        process per formula anyway and renders on demand, and so does every formula when the engine
        cannot run at all (each page then reports why).
        """
        todo: list[tuple[str, bool]] = []
        keys: dict[tuple[str, bool], str | None] = {}
        for item in dict.fromkeys(formulas):
            if item in self._memory or item in self._failed or item in self._pending:
                continue
            key = self._key(*item)
            if key is not None:
                assert self.cache is not None
                cached = self.cache.get(key)
                if cached is not None:
                    self._memory[item] = cached
                    continue
            keys[item] = key
            todo.append(item)
        if not todo or self.engine_name == "markdown-katex":
            return
        try:
            engine = self.engine
        except RenderError:
            return  # the engine cannot run: each page reports it for its formulas, as without a prefetch
        if not isinstance(engine, NodeKatex):
            self._settle(todo, engine.render_many(todo, self.macros), keys)  # type: ignore[attr-defined]
            return
        self._join_feeder()
        with self._cond:
            self._pending.update(todo)
        self._feeder = threading.Thread(target=self._feed, args=(engine, todo, keys), name="katex-feeder", daemon=True)
        self._feeder.start()

    def _feed(self, engine: NodeKatex, todo: list[tuple[str, bool]], keys: dict[tuple[str, bool], str | None]) -> None:
        window: deque[tuple[list[tuple[str, bool]], Pending]] = deque()
        try:
            for i in range(0, len(todo), BATCH):
                window.append((todo[i : i + BATCH], engine.submit(todo[i : i + BATCH], self.macros)))
                if len(window) >= WINDOW:
                    batch, pending = window.popleft()
                    self._settle(batch, engine.wait(pending), keys)
            while window:
                batch, pending = window.popleft()
                self._settle(batch, engine.wait(pending), keys)
        except RenderError:
            pass  # Node stopped: what is left renders on demand, and each page reports the error
        finally:
            with self._cond:
                self._pending.clear()
                self._cond.notify_all()

    def _settle(self, batch: list[tuple[str, bool]], replies: list[tuple[bool, str]],
                keys: dict[tuple[str, bool], str | None]) -> None:  # fmt: skip
        for item, (ok, out) in zip(batch, replies, strict=True):
            try:
                if not ok:
                    raise RenderError(out)
                self._memory[item] = self._accept(item[0], out, keys[item], later=True)
            except RenderError as exc:
                self._failed[item] = exc.message
        with self._cond:
            self._renders += len(batch)
            self._pending.difference_update(batch)
            self._cond.notify_all()

    def _join_feeder(self) -> None:
        feeder = self._feeder
        if feeder is not None and feeder is not threading.current_thread():
            feeder.join()
            self._feeder = None

    def close(self) -> None:
        self._join_feeder()  # Node finishes what the prefetch sent: the cache gets it all
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        if self.cache is not None:
            self.cache.flush()
