"""The messages between the build and its worker: one JSON object per line, each way.

Requests: ``{"op": "verify", "root": …, "logs": [{"path", "text"}], "seed": 0}`` and
``{"op": "examples", "root": …, "jobs": [ExampleJob …]}``. Every reply carries ``"loaded"``: the
project files the worker has imported so far (what the build must watch for a restart). A reply to
"verify" also carries ``"seen"`` (the files the check imported) and ``"checks"``: ``{"run": n,
"remembered": m}``, the bindings checked and those whose result the worker's memo gave
(`studylog.engine.memo`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExampleJob:
    """One executed block to run: where it is, its code, its session and its time limit."""

    path: str
    line: int  # the opening fence
    code: str
    session: str | None = None
    timeout: float | None = 60.0

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ExampleOutcome:
    """What an example printed, or why it failed, and what its output depends on.

    ``deps`` maps each project file loaded in the interpreter when the example finished to the
    SHA-256 of its content; ``dists`` maps each installed distribution it had loaded to its version.
    A cached output is valid exactly as long as both still hold.
    """

    path: str
    line: int
    ok: bool
    output: str = ""
    error: str = ""
    error_line: int | None = None  # the line of the log the error points at
    deps: dict[str, str] = field(default_factory=dict)
    dists: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExampleOutcome:
        return cls(**data)
