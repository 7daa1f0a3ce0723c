"""The build's side of the worker: start it, ask it, time it out, and know when it is stale.

A worker is *stale* as soon as any project file it has loaded differs on disk from what it loaded
(compared by content hash), and *used* once it has run examples itself (they may have changed the state
of the modules it imported; where it can fork, it runs each chain in a child and stays unused, see
`studylog.runner.isolate`). The site never asks a stale or used worker anything: it starts a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from studylog.errors import StudylogError

START_TIMEOUT_S = 120.0


class WorkerError(StudylogError):
    """The worker could not start, crashed, or ran past a time limit."""


def fingerprint(files: dict[str, str], root: Path) -> bool:
    """Whether every file of ``files`` (``{relative path: sha256}``) still has that content."""
    for rel, sha in files.items():
        try:
            if hashlib.sha256((root / rel).read_bytes()).hexdigest() != sha:
                return False
        except OSError:
            return False
    return True


class Worker:
    """One worker process for the project at ``root``."""

    def __init__(self, root: Path, *, python: str | None = None) -> None:
        self.root = root.resolve()
        self.loaded: dict[str, str] = {}  # project files the worker has imported, with their content hash
        self.used = False  # it ran examples
        self._stderr = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - kept for the worker's life
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
        env["PYTHONPATH"] = os.pathsep.join([str(self.root), *filter(None, [env.get("PYTHONPATH")])])
        self._proc = subprocess.Popen(  # noqa: S603 - our own module, fixed command line
            [python or sys.executable, "-m", "studylog.runner.worker", str(self.root)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, cwd=self.root, env=env,
            text=True, encoding="utf-8",
        )  # fmt: skip
        self._sel = selectors.DefaultSelector()
        assert self._proc.stdout is not None
        self._sel.register(self._proc.stdout, selectors.EVENT_READ)
        self._ready = False
        self._pending = 0  # replies to requests sent without waiting (see `send`)

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def fresh(self) -> bool:
        """Whether the worker may be asked again: alive, no example run, nothing it loaded changed.

        Replies still pending (a preload) are read first: what they loaded counts too.
        """
        try:
            while self._pending and self.alive:
                self._pending -= 1
                self._take(self._read(START_TIMEOUT_S, "an earlier request"))
        except WorkerError:
            return False
        return self.alive and not self.used and fingerprint(self.loaded, self.root)

    def send(self, payload: dict[str, Any]) -> None:
        """Send a request without waiting for its reply (read, and checked, before the next one's)."""
        self._write(payload)
        self._pending += 1

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait at most ``timeout`` seconds for its reply.

        Raises:
            WorkerError: on a crash or a timeout (the worker is then stopped).
        """
        self._write(payload)
        while self._pending:
            self._pending -= 1
            self._take(self._read(START_TIMEOUT_S, "an earlier request"))
        reply = self._take(self._read(timeout, payload.get("op", "?")))
        if reply.get("isolated"):  # the examples ran in a child forked from the worker: it is still as it was
            self.used = False
        return reply

    def _take(self, reply: dict[str, Any]) -> dict[str, Any]:
        self.loaded.update(reply.get("loaded", {}))
        if "error" in reply:
            raise WorkerError(f"internal error in the worker: {reply['error']}")
        if "failed" in reply:  # the child that ran the code ended (see studylog.runner.isolate)
            raise WorkerError(reply["failed"])
        return reply

    def _write(self, payload: dict[str, Any]) -> None:
        if not self._ready:
            self._read(START_TIMEOUT_S, "starting")
            self._ready = True
        if not self.alive:
            raise WorkerError(f"the worker has stopped{self._why()}")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(payload, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerError(f"the worker has stopped{self._why()}") from None
        if payload.get("op") == "examples":
            self.used = True

    def _read(self, timeout: float, what: str) -> dict[str, Any]:
        assert self._proc.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self._sel.select(left):
                self.close()
                raise WorkerError(f"the worker took more than {timeout:g} s ({what}) and was stopped")
            line = self._proc.stdout.readline()
            if not line:
                why = self._why(ended=True)  # read before close() discards the worker's stderr
                self.close()
                raise WorkerError(f"the worker ended unexpectedly ({what}){why}")
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue  # not a protocol line

    def _why(self, *, ended: bool = False) -> str:
        """The end of what the worker wrote to stderr (and its exit status, once it has ended)."""
        status = ""
        if ended:
            try:
                code = self._proc.wait(timeout=5)
                status = f" with exit status {code}" if code >= 0 else f" by signal {-code}"
            except subprocess.TimeoutExpired:
                pass
        try:
            self._stderr.seek(0)
            tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        except (OSError, ValueError):
            tail = []
        return status + ((": " + " | ".join(tail)) if tail else "")

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
        self._sel.close()
        self._stderr.close()
