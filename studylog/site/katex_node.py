"""npm's KaTeX in one long-lived Node process (``katex_server.js``): one JSON line per request and reply.

A page asking for one formula costs one round trip; a build's prefetch sends all its formulas in
pipelined batches (`NodeKatex.render_many`), which is how a cold build renders them.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import threading
from pathlib import Path

from studylog.errors import RenderError

SERVER_JS = Path(__file__).with_name("katex_server.js")
RENDER_TIMEOUT_S = 20.0
#: formulas per request line of a batch; small enough that the next batch is rendered while this one's
#: reply is parsed, large enough that the per-line costs vanish (measured: benchmarks/README.md)
BATCH = 64


def clean_katex_message(message: str) -> str:
    """KaTeX's error without its ``KaTeX parse error:`` prefix."""
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
        )
        assert self._proc.stdout is not None
        self._fd = self._proc.stdout.fileno()
        self._buf = bytearray()  # read but not yet returned: replies can arrive back to back
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._fd, selectors.EVENT_READ)
        hello = json.loads(self._read_line(what="starting KaTeX"))
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
                self.close()
                raise RenderError(f"KaTeX took more than {RENDER_TIMEOUT_S:g} s {what}; stopped it")
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                raise RenderError("the KaTeX process ended unexpectedly")
            self._buf += chunk

    def _send(self, request: object) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        self._proc.stdin.flush()

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        if self._proc.poll() is not None:
            raise RenderError("the KaTeX process is not running")
        self._send({"tex": tex, "display": display, "macros": macros})
        reply = json.loads(self._read_line(what=f"rendering a formula of {len(tex)} characters"))
        if "error" in reply:
            raise RenderError(clean_katex_message(reply["error"]))
        return str(reply["html"])

    def render_many(self, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[tuple[bool, str]]:
        """Render ``formulas`` in batches, pipelined: ``(True, html)`` or ``(False, error)`` for each, in order.

        A thread writes the batches while this one reads the replies, so Node always has the next batch
        queued and neither side can block the other on a full pipe.
        """
        if self._proc.poll() is not None:
            raise RenderError("the KaTeX process is not running")
        batches = [formulas[i : i + BATCH] for i in range(0, len(formulas), BATCH)]

        def write() -> None:
            try:
                for batch in batches:
                    self._send({"batch": batch, "macros": macros})
            except (OSError, ValueError):
                pass  # the process died or was stopped: the reader reports it

        writer = threading.Thread(target=write, name="katex-writer", daemon=True)
        writer.start()
        out: list[tuple[bool, str]] = []
        try:
            for batch in batches:
                reply = json.loads(self._read_line(what=f"rendering {len(batch)} formulas"))
                if "results" not in reply:
                    raise RenderError(clean_katex_message(str(reply.get("error", "no results in the reply"))))
                out += [(bool(ok), str(text) if ok else clean_katex_message(str(text))) for ok, text in reply["results"]]
        finally:
            writer.join(RENDER_TIMEOUT_S)
        return out

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._sel.close()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
