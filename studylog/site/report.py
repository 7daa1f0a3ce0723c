"""What the terminal says: progress during a long build, and one summary line after every build.

Progress goes to stderr at most every `PROGRESS_EVERY_S` seconds and only when stderr is a terminal
(quiet in CI logs). The summary says what is wrong, or that all is well, and under ``mkdocs serve``
what the last rebuild fixed (``all 91 formulas verified — fixed: sgd.w``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from studylog.engine.status import Status
from studylog.site.model import SiteModel

PROGRESS_EVERY_S = 2.0


@dataclass
class ProgressPrinter:
    """A `studylog.site.assemble.Progress` callback printing ``studylog: 120/900 formulas rendered``."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    every: float = PROGRESS_EVERY_S
    _last: float = field(default_factory=time.monotonic)
    shown: bool = False

    @property
    def enabled(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < self.every and done < total):
            return
        if done >= total and not self.shown:
            return  # finished before the first report was due: say nothing
        self._last = now
        self.shown = True
        self.stream.write(f"\rstudylog: {done}/{total} {what}" + (" " * 8) + ("\n" if done >= total else ""))
        self.stream.flush()


def failing_ids(model: SiteModel) -> set[str]:
    """Ids (or ``path:line``) of the formulas and examples that fail now."""
    out = {f.id or f.location for f in model.failing_formulas()}
    out |= {f"{p}:{line}" for (p, line), v in model.examples.items() if not v.outcome.ok}
    return out


def summary(model: SiteModel, previous: set[str] | None = None) -> tuple[bool, str]:
    """``(all good, one line)`` for the end of a build."""
    counts = model.counts()
    failing_formulas = sum(n for s, n in counts.items() if s.failed)
    failed_examples = sum(1 for v in model.examples.values() if not v.outcome.ok)
    other = len(model.problems) - failing_formulas - failed_examples
    parts = []
    for status in (Status.MISMATCH, Status.INVALID, Status.MISSING, Status.UNLINKED):
        if counts.get(status):
            word = {Status.MISMATCH: "mismatched", Status.INVALID: "invalid", Status.MISSING: "without implementation",
                    Status.UNLINKED: "unlinked"}[status]  # fmt: skip
            parts.append(f"{counts[status]} formula{'s' if counts[status] != 1 else ''} {word}")
    if failed_examples:
        parts.append(f"{failed_examples} example{'s' if failed_examples != 1 else ''} failed")
    if other > 0:
        parts.append(f"{other} other problem{'s' if other != 1 else ''}")
    extra = []
    if counts.get(Status.IMPORTED):
        extra.append(f"{counts[Status.IMPORTED]} imported formula(s) not yet checked")
    if not model.options.verify:
        extra.append("formulas NOT checked (verify: false)")
    fixed = ""
    if previous is not None:
        now = failing_ids(model)
        gone = sorted(previous - now)
        if gone:
            fixed = " — fixed: " + ", ".join(gone[:8]) + (" …" if len(gone) > 8 else "")
    tail = (f"; {', '.join(extra)}" if extra else "") + fixed
    if parts:
        return False, "studylog: " + ", ".join(parts) + tail
    verified = counts.get(Status.VERIFIED, 0)
    return True, f"studylog: all {verified} formulas verified" + tail


def stats_line(model: SiteModel) -> str:
    s = model.stats
    return f"studylog: examples executed: {s.executed}, from cache: {s.cached}; formulas rendered: {s.rendered}"
