"""Every executed example of every log is a pytest item (named log:line) that runs it."""

from __future__ import annotations

import pytest

from studylog.site.example_items import assert_output, collect, run_with_session
from tests.conftest import ROOT

EXAMPLES = collect(ROOT / "docs", ROOT)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example(example) -> None:
    assert_output(example, run_with_session(example, EXAMPLES))


def test_collector_finds_every_block_of_a_known_log() -> None:
    """Guard against a collector that silently finds nothing: count the fences independently."""
    log = ROOT / "docs/blog/posts/2021-08-10-day07-optimization.md"
    text = log.read_text(encoding="utf-8")
    expected = sum(1 for line in text.splitlines() if line.strip().startswith("```python") and 'exec="on"' in line)
    found = [e for e in EXAMPLES if e.path.endswith(log.name)]
    assert len(found) == expected
    assert expected >= 1, "the Day-7 log has no executed example"
