"""The site-build benchmark runs end to end on a tiny site, and what it checks holds there: a cold build
renders each distinct formula once (the prefetch included), a no-change rebuild renders none, an edit
renders only the edited log's; every build's peak memory is measured. (Its timings are not asserted.)"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT


@pytest.fixture
def site_build():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import site_build

        yield site_build
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_the_benchmark_runs_and_its_render_counts_hold(site_build, capsys) -> None:  # type: ignore[no-untyped-def]
    from sitebench.synthetic import distinct_formulas

    assert site_build.main(["--sizes", "2,4", "--engines", "none,katex", "--repeat", "1", "--throughput-n", "8",
                            "--cache-sizes", "8", "--no-readme"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "- editing one log re-renders only that log's formulas" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("- editing one log"))
    assert line.endswith(": met"), line
    row = next(ln for ln in out.splitlines() if ln.startswith("| 4 | katex |"))
    assert f"| {len(distinct_formulas(4))} / 0 / " in row, row
    peaks = row.split("|")[10].split("/")
    assert all(float(p) > 20 for p in peaks), row  # MiB: mkdocs alone is more than that
