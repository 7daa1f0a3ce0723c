"""One worker at a time for a project, reused across ``mkdocs serve`` rebuilds only while it is fresh.

`Runner.worker` hands out the current worker if it is unused (it ran no example itself: where it can
fork, each chain runs in a forked child) and nothing it loaded has changed on disk; otherwise it stops
it and starts a new one. `Runner.prewarm` starts the next worker
in the background after a build (it imports the implementation packages while the author reads), so
a rebuild after an edit does not wait for the imports.
"""

from __future__ import annotations

from pathlib import Path

from studylog.engine.records import Verdicts, from_json
from studylog.runner.client import Worker
from studylog.runner.protocol import ExampleJob, ExampleOutcome

VERIFY_TIMEOUT_S = 900.0
SLACK_S = 30.0  # on top of an example's own limit: the worker stops it itself; this is for a hung worker


class Runner:
    """The worker of the project at ``root`` whose implementations are ``packages``."""

    def __init__(self, root: Path, packages: tuple[str, ...], *, python: str | None = None) -> None:
        self.root = root
        self.packages = packages
        self.python = python
        self._worker: Worker | None = None
        self.started = 0  # workers started (a serve benchmark reads it)
        self.code_seen: dict[str, str] = {}  # every project file a worker loaded for this runner, with its hash
        self.checks: dict[str, int] = {}  # of the last verify: bindings checked ("run") and taken from the memo

    def worker(self) -> Worker:
        """A worker that has loaded nothing now stale and has run no example."""
        if self._worker is not None and not self._worker.fresh():
            self._worker.close()
            self._worker = None
        if self._worker is None:
            self._worker = Worker(self.root, python=self.python)
            self._worker.send({"op": "preload", "packages": list(self.packages)})  # what every child starts from
            self.started += 1
        return self._worker

    def verify(self, logs: dict[str, str], *, seed: int = 0) -> Verdicts:
        """Verdicts on every formula of ``logs`` (``{path: text}``), from the code on disk now."""
        payload = {"op": "verify", "logs": [{"path": p, "text": t} for p, t in logs.items()], "seed": seed,
                   "timeout": VERIFY_TIMEOUT_S - SLACK_S}  # fmt: skip
        worker = self.worker()
        try:
            reply = worker.request(payload, VERIFY_TIMEOUT_S)
        finally:
            self.code_seen.update(worker.loaded)
        self.code_seen.update(reply.get("seen", {}))  # what the child that verified imported is watched too
        self.checks = dict(reply.get("checks", {}))
        return from_json(reply)

    def examples(self, jobs: list[ExampleJob]) -> list[ExampleOutcome]:
        """Run ``jobs`` in order (sessions share a namespace per log), isolated from every other chain."""
        if not jobs:
            return []
        limit = sum((j.timeout or VERIFY_TIMEOUT_S) for j in jobs) + SLACK_S
        worker = self.worker()
        try:
            reply = worker.request({"op": "examples", "jobs": [vars(j) for j in jobs]}, limit)
        finally:
            self.code_seen.update(worker.loaded)
        outcomes = [ExampleOutcome.from_json(o) for o in reply["outcomes"]]
        for outcome in outcomes:  # what a forked child imported is watched too
            self.code_seen.update(outcome.deps)
        return outcomes

    def prewarm(self) -> None:
        """Make sure the next build finds a fresh worker with the implementations imported."""
        self.worker()

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
