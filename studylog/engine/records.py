"""Verdicts as plain records: what a verification run says, without the code that produced it.

The site gets its verdicts from a worker process (`studylog.runner`), ``studylog verify --format
json`` prints them, and both read the same records. A record names a formula by its log, line and
LaTeX, so it can only ever be attached to the formula it was computed for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studylog import errors
from studylog.engine.status import Status
from studylog.engine.verify import Report


@dataclass(frozen=True)
class ImplRef:
    """Where an implementation is: its import path (the API entry) and its source."""

    path: str
    qualname: str
    source_file: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Verdict:
    """The verdict on one formula."""

    path: str
    line: int
    latex: str
    id: str | None
    status: Status
    message: str = ""
    problem_at: int | None = None  # the line of the problem, when more precise than the formula's
    impls: tuple[ImplRef, ...] = ()

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.latex)

    def problem_line(self) -> str:
        return f"{self.path}:{self.problem_at or self.line}: {self.id or '(no id)'}: {self.message}"


@dataclass
class Verdicts:
    """Every verdict of a run, and the problems not tied to one formula."""

    verdicts: list[Verdict] = field(default_factory=list)
    problems: list[errors.StudylogError] = field(default_factory=list)

    def by_key(self) -> dict[tuple[str, int, str], Verdict]:
        return {v.key: v for v in self.verdicts}

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status if s is not Status.PROSE}
        for v in self.verdicts:
            out[v.status] = out.get(v.status, 0) + 1
        return out


def from_report(report: Report) -> Verdicts:
    """The records of an in-process `Report`."""
    verdicts = []
    for s in report.statuses:
        f = s.formula
        impls = tuple(ImplRef(b.path, b.qualname, b.source_file, b.source_line) for b in s.bindings)
        verdicts.append(Verdict(f.path, f.line, f.latex, f.id, Status(s.status), s.message, s.line, impls))
    return Verdicts(verdicts, list(report.problems))


def report_to_json(report: Report) -> dict[str, Any]:
    """A JSON-able form of a report (the worker's reply to "verify")."""
    return to_json(from_report(report))


def to_json(v: Verdicts) -> dict[str, Any]:
    return {
        "verdicts": [
            {"path": x.path, "line": x.line, "latex": x.latex, "id": x.id, "status": x.status.value,
             "message": x.message, "problem_at": x.problem_at,
             "impls": [vars(i) for i in x.impls]}  # fmt: skip
            for x in v.verdicts
        ],
        "problems": [
            {"type": type(p).__name__, "message": p.message, "path": p.path, "line": p.line, "formula_id": p.formula_id}
            for p in v.problems
        ],
    }


def from_json(data: dict[str, Any]) -> Verdicts:
    verdicts = [
        Verdict(x["path"], x["line"], x["latex"], x["id"], Status(x["status"]), x["message"], x["problem_at"],
                tuple(ImplRef(**i) for i in x["impls"]))  # fmt: skip
        for x in data.get("verdicts", [])
    ]
    problems = []
    for p in data.get("problems", []):
        cls = getattr(errors, p["type"], errors.StudylogError)
        if not (isinstance(cls, type) and issubclass(cls, errors.StudylogError)):
            cls = errors.StudylogError
        problems.append(cls(p["message"], path=p["path"], line=p["line"], formula_id=p["formula_id"]))
    return Verdicts(verdicts, problems)
