"""The strength suites record what they tried; the counts are printed at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest

#: (suite, kind) -> [tried, caught or passed]
COUNTS: dict[tuple[str, str], Counter[str]] = {}


def record(suite: str, kind: str, ok: bool) -> None:
    """Count one mutant (``ok``: it was caught) or one rewrite (``ok``: it verified)."""
    counter = COUNTS.setdefault((suite, kind), Counter())
    counter["tried"] += 1
    counter["ok"] += int(ok)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COUNTS:
        return
    terminalreporter.section("formula strength: mutants caught, rewrites verified")
    for (suite, kind), counter in sorted(COUNTS.items()):
        verb = "caught" if suite.startswith("mutant") else "verified" if suite.startswith("rewrite") else "said so"
        terminalreporter.write_line(f"{suite:<22} {kind:<34} {counter['ok']:>5} / {counter['tried']:<5} {verb}")
