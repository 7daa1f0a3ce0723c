r"""Executed examples in the logs: found, run (by markdown-exec), cached, and tested by pytest.

An example is a Python fence marked for execution, markdown-exec's syntax::

    ```python exec="on" result="text"
    print(1 + 1)
    ```

It may be followed by the output it must print, which pytest asserts (the site shows the real
output and hides this block)::

    ```text expect
    2
    ```

On the site, markdown-exec's public ``formatter`` runs the block and renders its output. The HTML is
cached under a key made of the block, its options and the source of the ``studylog`` package, so an
unchanged block is not run again, and any change to it or to the code it can import runs it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import signal
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from studylog.engine.scan import _FENCE_RE, fence_body, fence_end, front_matter_lines
from studylog.errors import MarkupError
from studylog.site.store import HtmlStore, digest

_ATTR = re.compile(r'([A-Za-z_][\w-]*)(?:="([^"]*)")?')
TRUE = {"1", "on", "true", "yes"}
DEFAULT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Example:
    """One executed block of a log."""

    path: str
    line: int  # 1-based line of the opening fence
    code: str
    options: dict[str, str]
    expect: str | None = None

    @property
    def session(self) -> str | None:
        return self.options.get("session") or None

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}"


def parse_info(info: str) -> dict[str, str]:
    """``exec="on" result="text"`` -> ``{"exec": "on", "result": "text"}`` (bare words map to "")."""
    return {m.group(1): m.group(2) if m.group(2) is not None else "" for m in _ATTR.finditer(info)}


def is_exec(lang: str, options: dict[str, str]) -> bool:
    return lang in ("python", "py") and options.get("exec", "").lower() in TRUE


def find_examples(text: str, path: str) -> list[Example]:
    """Every executed Python block of a log, with the expected output that follows it, if any."""
    lines = text.splitlines()
    examples: list[Example] = []
    i = front_matter_lines(lines)
    while i < len(lines):
        m = _FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, marks, lang, rest = m.group("indent", "fence", "lang", "rest")
        j = fence_end(lines, i, marks)
        if j is None:
            raise MarkupError(f"the {lang or 'code'} fence opened here is never closed", path=path, line=i + 1)
        body = fence_body(lines, i, j, indent)
        options = parse_info(rest)
        if is_exec(lang, options):
            expect = None
            k = j + 1
            while k < len(lines) and not lines[k].strip():
                k += 1
            em = _FENCE_RE.match(lines[k]) if k < len(lines) else None
            if em and is_expect_fence(em.group("lang"), em.group("rest")):
                end = fence_end(lines, k, em.group("fence"))
                expect = fence_body(lines, k, end if end is not None else len(lines), em.group("indent"))
            examples.append(Example(path, i + 1, body, options, expect))
        i = j + 1
    return examples


def is_expect_fence(lang: str, rest: str) -> bool:
    return lang == "text" and "expect" in parse_info(rest)


# ------------------------------------------------------------------------------------ running


class ExampleTimeout(Exception):
    """An example ran longer than its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the block after ``seconds`` (on the main thread, where signals can be used)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise ExampleTimeout(f"the example ran longer than {seconds:g} s and was stopped")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_example(example: Example, namespace: dict[str, Any], *, timeout: float | None = DEFAULT_TIMEOUT_S) -> str:
    """Run ``example`` in ``namespace`` as markdown-exec does (``print`` goes to the result); return it.

    Exceptions propagate with the example's ``path:line`` as the code's file name.
    """
    buffer = io.StringIO()
    namespace["print"] = partial(print, file=buffer)
    namespace.setdefault("__name__", "studylog_example")
    code = compile(example.code, f"{example.name} (example)", "exec")
    with time_limit(timeout):
        exec(code, namespace)  # noqa: S102 - running the log's own examples is the point
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ cache


def source_fingerprint(packages: list[Path]) -> str:
    """A hash of every ``.py`` file under ``packages`` (the code an example can import)."""
    h = hashlib.sha256()
    for pkg in packages:
        for path in sorted(pkg.rglob("*.py")):
            h.update(path.as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class ExampleCache:
    """Rendered HTML of examples (an `HtmlStore`), and which examples this build ran or reused."""

    folder: Path | None
    fingerprint: str
    executed_names: set[str] = field(default_factory=set)
    cached_names: set[str] = field(default_factory=set)
    memory: dict[str, str] = field(default_factory=dict)  # this build's results (pages render twice)

    def __post_init__(self) -> None:
        self.store = HtmlStore(self.folder)

    @property
    def executed(self) -> int:
        """How many distinct examples ran in this build."""
        return len(self.executed_names)

    @property
    def cached(self) -> int:
        """How many distinct examples came from the cache of an earlier build."""
        return len(self.cached_names - self.executed_names)

    def key(self, code: str, options: dict[str, str], markdown_exec_version: str) -> str:
        return digest({"code": code, "options": options, "src": self.fingerprint, "mx": markdown_exec_version})

    def get(self, key: str) -> str | None:
        return self.store.get(key)

    def put(self, key: str, html: str) -> None:
        self.store.put(key, html)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_example(md: Any, example: Example, lang: str, cache: ExampleCache, timeout: float | None) -> tuple[str, str | None]:
    """Render one example with markdown-exec (or from the cache). Returns ``(html, error or None)``."""
    import markdown_exec
    from importlib.metadata import version

    options_in = {k: v for k, v in example.options.items() if k != "exec"}
    key = cache.key(example.code, options_in, version("markdown-exec"))
    if key in cache.memory:
        return cache.memory[key], None
    cached = cache.get(key)
    if cached is not None:
        cache.cached_names.add(example.name)
        cache.memory[key] = cached
        return cached, None
    inputs = dict(example.options)
    inputs.setdefault("id", example.name)
    options: dict[str, Any] = {}
    attrs: dict[str, Any] = {}
    markdown_exec.validator(lang, inputs, options, attrs, md)
    capture = _Capture()
    mx_logger = logging.getLogger("mkdocs.plugins.markdown_exec")
    mx_logger.addHandler(capture)
    try:
        with time_limit(timeout):
            html = str(markdown_exec.formatter(example.code, lang, "", options, md))
    except ExampleTimeout as exc:
        return "", str(exc)
    except Exception:  # noqa: BLE001 - a crash inside the formatter is the example's failure
        return "", traceback.format_exc(limit=3)
    finally:
        mx_logger.removeHandler(capture)
    cache.executed_names.add(example.name)
    if capture.messages:
        first = capture.messages[0]
        detail = first.split("Output is:", 1)[-1].strip() if "Output is:" in first else first
        return html, detail.splitlines()[-1].strip() if detail else "the example failed"
    from studylog.site.sanitize import sanitize

    trusted = next((ext.trusted for ext in md.registeredExtensions if hasattr(ext, "trusted")), ())
    html, _ = sanitize(html, keep=trusted)  # what the example printed is the log's content: make it inert
    cache.put(key, html)
    cache.memory[key] = html
    return html, None
