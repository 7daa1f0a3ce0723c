"""The site-build benchmark's parts (``benchmarks/site_build.py`` runs them).

* `synthetic`: the synthetic logs and sites;
* `builds`: timing ``mkdocs build`` subprocesses (wall, CPU, peak memory of the process tree);
* `memory`: sampling the resident memory of a process and its children;
* `engines`: the math engines' raw throughput and cache-hit cost;
* `profile`: where a cold build spends its time (cProfile);
* `report`: the tables, the verdicts against the targets, and ``benchmarks/README.md``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE_ORDER = ["none", "katex", "markdown-katex"]
