"""How long the fuzzer runs: a bounded, derandomized run in ``make test``; a long one with ``make fuzz``.

``STUDYLOG_FUZZ_EXAMPLES=N`` (what ``make fuzz`` sets, 10,000 by default) turns every property into a
random run of ``N`` examples (slow properties take a stated fraction), with Hypothesis's example
database in ``.hypothesis/`` so that a failure found once is replayed first next time.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

LONG = int(os.environ.get("STUDYLOG_FUZZ_EXAMPLES", "0") or 0)
_DB = Path(__file__).resolve().parents[2] / ".hypothesis" / "examples"


def budget(bounded: int, *, long_share: float = 1.0) -> settings:
    """Settings of one property: ``bounded`` examples in ``make test``, ``LONG * long_share`` in the long run."""
    common = {"deadline": None, "suppress_health_check": list(HealthCheck), "print_blob": True}
    if LONG:
        return settings(max_examples=max(1, int(LONG * long_share)), database=DirectoryBasedExampleDatabase(_DB), **common)
    return settings(max_examples=bounded, derandomize=True, database=None, **common)


class Hang(BaseException):
    """One example ran past its time limit (a BaseException: code under test cannot swallow it)."""


@contextlib.contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Fail with `Hang` if the block takes longer than ``seconds`` (wall clock, main thread only)."""

    def stop(signum: int, frame: object) -> None:
        raise Hang(f"{what} took more than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
