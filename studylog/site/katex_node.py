"""npm's KaTeX in one long-lived Node process (``katex_server.js``): one JSON line per request and reply.

Requests are batches of formulas (a page asking for one formula sends a batch of one). Any thread may
`NodeKatex.submit` a batch and `NodeKatex.wait` for it; a reader thread, running while anything is in
flight, hands each reply line to the oldest request (Node answers in order). A build's prefetch keeps
a few batches in flight so Node never waits on Python, and a page's own request waits behind at most
those few, not behind the whole site.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import threading
from collections import deque
from pathlib import Path

from studylog.errors import RenderError

SERVER_JS = Path(__file__).with_name("katex_server.js")
RENDER_TIMEOUT_S = 20.0
#: formulas per request line of a batch; small enough that the next batch is rendered while this one's
#: reply is parsed, large enough that the per-line costs vanish (measured: benchmarks/README.md)
BATCH = 64
#: batches a bulk render keeps in flight: Node renders one while Python reads another; a page's own
#: request waits behind at most these (and the requests stay far below a pipe's 64 KiB)
WINDOW = 3


def clean_katex_message(message: str) -> str:
    """KaTeX's error without its ``KaTeX parse error:`` prefix."""
    return message.replace("KaTeX parse error: ", "").strip()


class Pending:
    """One request line in flight; ``results`` (or ``error``) is set when Node answers it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.results: list[tuple[bool, str]] | None = None
        self.error: str | None = None


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
        )
        assert self._proc.stdout is not None
        self._fd = self._proc.stdout.fileno()
        self._buf = bytearray()  # read but not yet returned: replies can arrive back to back
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._fd, selectors.EVENT_READ)
        self._cond = threading.Condition()
        self._inflight: deque[Pending] = deque()
        self._reader: threading.Thread | None = None
        self._dead: str | None = None
        try:
            hello = json.loads(self._read_line(what="starting KaTeX"))
        except RenderError:
            self.close()
            raise
        self.version = str(hello["version"])

    def _read_line(self, what: str) -> bytes:
        """The next reply line (raw bytes, without the newline)."""
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[: end + 1]
                return line
            if not self._sel.select(RENDER_TIMEOUT_S):
                raise RenderError(f"KaTeX took more than {RENDER_TIMEOUT_S:g} s {what}; stopped it")
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                raise RenderError("the KaTeX process ended unexpectedly")
            self._buf += chunk

    def submit(self, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> Pending:
        """Send one batch; `wait` for its results."""
        line = json.dumps({"batch": formulas, "macros": macros}).encode("utf-8") + b"\n"
        pending = Pending(len(formulas))
        with self._cond:
            if self._dead is None and self._proc.poll() is not None:
                self._dead = "the KaTeX process is not running"
            if self._dead is not None:
                raise RenderError(self._dead)
            assert self._proc.stdin is not None
            self._inflight.append(pending)
            try:
                self._proc.stdin.write(line)
                self._proc.stdin.flush()
            except (OSError, ValueError):
                self._inflight.pop()
                self._dead = "the KaTeX process ended unexpectedly"
                raise RenderError(self._dead) from None
            if self._reader is None:
                self._reader = threading.Thread(target=self._read_replies, name="katex-reader", daemon=True)
                self._reader.start()
        return pending

    def wait(self, pending: Pending) -> list[tuple[bool, str]]:
        """``(True, html)`` or ``(False, error)`` for each formula of a submitted batch, in order."""
        with self._cond:
            while pending.results is None and pending.error is None:
                self._cond.wait()  # the reader gives up on Node after RENDER_TIMEOUT_S
        if pending.error is not None:
            raise RenderError(pending.error)
        assert pending.results is not None
        return pending.results

    def _read_replies(self) -> None:
        """The reader thread: hand each reply to the oldest request in flight; exit when none is left."""
        while True:
            with self._cond:
                if not self._inflight:
                    self._reader = None
                    return
                size = self._inflight[0].size
            try:
                reply = json.loads(self._read_line(what=f"rendering {size} formula(s)"))
            except (RenderError, ValueError) as exc:
                message = exc.message if isinstance(exc, RenderError) else "the KaTeX process sent a broken reply"
                if self._proc.poll() is None:
                    self._proc.kill()
                with self._cond:
                    self._dead = message
                    for p in self._inflight:
                        p.error = message
                    self._inflight.clear()
                    self._reader = None
                    self._cond.notify_all()
                return
            results = [(bool(ok), str(text) if ok else clean_katex_message(str(text))) for ok, text in reply.get("results", [])]
            with self._cond:
                p = self._inflight.popleft()
                if len(results) == p.size:
                    p.results = results
                else:
                    p.error = clean_katex_message(str(reply.get("error", "KaTeX's reply does not match the request")))
                self._cond.notify_all()

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        with self._cond:
            if self._reader is None and self._dead is None and self._proc.poll() is None:
                # nothing in flight: one round trip on this thread (a reader thread would cost a
                # handoff per formula: 0.85 CPU s per 3,000 formulas against 0.26)
                results = self._round_trip([(tex, display)], macros)
            else:
                results = None
        if results is None:
            results = self.wait(self.submit([(tex, display)], macros))
        ((ok, out),) = results
        if not ok:
            raise RenderError(out)
        return out

    def _round_trip(self, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[tuple[bool, str]]:
        """Send one batch and read its reply here (the caller holds the lock and no reader runs)."""
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps({"batch": formulas, "macros": macros}).encode("utf-8") + b"\n")
            self._proc.stdin.flush()
            reply = json.loads(self._read_line(what=f"rendering {len(formulas)} formula(s)"))
        except (OSError, ValueError, RenderError) as exc:
            self._dead = exc.message if isinstance(exc, RenderError) else "the KaTeX process ended unexpectedly"
            if self._proc.poll() is None:
                self._proc.kill()
            raise RenderError(self._dead) from None
        results = [(bool(ok), str(text) if ok else clean_katex_message(str(text))) for ok, text in reply.get("results", [])]
        if len(results) != len(formulas):
            raise RenderError(clean_katex_message(str(reply.get("error", "KaTeX's reply does not match the request"))))
        return results

    def render_many(self, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[tuple[bool, str]]:
        """Render ``formulas`` in batches, `WINDOW` in flight: ``(True, html)`` or ``(False, error)`` for each."""
        out: list[tuple[bool, str]] = []
        window: deque[Pending] = deque()
        for i in range(0, len(formulas), BATCH):
            window.append(self.submit(formulas[i : i + BATCH], macros))
            if len(window) >= WINDOW:
                out += self.wait(window.popleft())
        while window:
            out += self.wait(window.popleft())
        return out

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        reader = self._reader
        if reader is not None and reader is not threading.current_thread():
            reader.join()  # it reads the end of the pipe and fails what was in flight
        self._sel.close()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
