"""The site-build benchmark runs end to end on a tiny site, and what it checks holds there: a cold build
renders each distinct formula once (the prefetch included), a no-change rebuild renders none, an edit
renders only the edited log's; every build's peak memory is measured. (Its timings are not asserted.)

It runs as a subprocess: the benchmark swaps the imported studylog package for a snapshot copy."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_the_benchmark_runs_and_its_render_counts_hold() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from sitebench.synthetic import distinct_formulas

        distinct = len(distinct_formulas(4))
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    cmd = [sys.executable, str(ROOT / "benchmarks/site_build.py"), "--sizes", "2,4", "--engines", "none,katex",
           "--repeat", "1", "--throughput-n", "8", "--cache-sizes", "8", "--no-readme"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,  # noqa: S603
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    line = next(ln for ln in out.splitlines() if ln.startswith("- editing one log"))
    assert line.endswith(": met"), line
    row = next(ln for ln in out.splitlines() if ln.startswith("| 4 | katex |"))
    assert f"| {distinct} / 0 / " in row, row
    peaks = row.split("|")[10].split("/")
    assert all(float(p) > 20 for p in peaks), row  # MiB: mkdocs alone is more than that
