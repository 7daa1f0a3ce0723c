r"""Build-speed benchmark of the site (issues 8 and 17): how much server-side math costs a ``mkdocs build``.

Run on demand (it is not part of the test suite)::

    .venv/bin/python benchmarks/site_build.py                       # sizes 10,100,300,1000; all engines
    .venv/bin/python benchmarks/site_build.py --sizes 10,100 --engines none,katex
    .venv/bin/python benchmarks/site_build.py --profile-size 300    # also profile katex builds

For each size N it generates a synthetic site of N logs (about 20 formulas each, display fences and
inline math in an optimizer-log mix, varied per log, plus two small executed examples per log) and
times, each as a fresh ``mkdocs build`` subprocess:

* the cold build (empty formula and example caches),
* the no-change rebuild,
* the rebuild after one formula of one log was edited,

for the engines ``none`` (TeX shown as code: the floor), ``katex`` and ``markdown-katex`` (slow:
by default only for sizes <= 100, see ``--markdown-katex-max``). Every time is also given as a
ratio to the ``none`` build of the same size and kind, measured in the same run, by wall clock and by
CPU time; each build's peak memory is the largest resident memory of mkdocs and its children
together (sampled from /proc). The number of formulas each build actually rendered is read from the
plugin's log line (``studylog: … formulas rendered: R``), which checks that a rebuild after an edit
re-renders only the edited log's formulas.

Each build is repeated (``--repeat``, default 3; the fastest counts, and the CPU seconds are reported
too) because the machine may be shared. Every build runs from a copy of the ``studylog`` package made
at the start, so edits to the working tree during the run cannot mix code versions.

It also measures the raw cold throughput of each engine (formulas/s over N distinct formulas, through
``studylog.site.katex`` directly, no cache; one round trip per formula and, for katex, the pipelined
batches a build's prefetch sends) and the per-formula cost of a cache hit as the rendered-formula
cache grows (200, 2,000, 20,000 entries).

The results are printed and written to ``benchmarks/README.md``, section "Site build" (only that
section is replaced; ``--no-readme`` leaves the file alone). The parts live in ``benchmarks/sitebench/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sitebench import ENGINE_ORDER, builds
from sitebench.builds import SiteRun, git_head, run_size, snapshot_source
from sitebench.engines import Throughput, fixed_formulas, measure_cache_hits, measure_engine
from sitebench.profile import profile_builds
from sitebench.report import README, SECTION, engine_table, machine, site_table, verdicts, write_readme
from sitebench.synthetic import distinct_formulas, formulas_per_log


def _ints(text: str) -> list[int]:
    return sorted({int(s) for s in text.split(",") if s.strip()})


def measure_engines(engines: list[str], ns: list[int], cache_sizes: list[int], repeat: int, work: Path,
                    say: builds.Say) -> list[Throughput]:  # fmt: skip
    """Each engine's cold throughput at each formula count; the cache-hit cost at the smallest count."""
    tps: list[Throughput] = []
    for n in ns:
        formulas = fixed_formulas(n)
        for e in engines:
            if e == "markdown-katex" and n > ns[0]:
                continue  # ~13 formulas/s: the smallest count only
            # markdown-katex takes ~20 s per pass over 200 formulas: at most 2 passes
            reps = max(1, min(repeat, 2) if e == "markdown-katex" else repeat)
            for mode in ("one",) if e == "markdown-katex" else ("one", "batch"):
                tp, htmls = measure_engine(e, mode, formulas, reps)
                if n == ns[0] and mode == "one" and e != "none":
                    tp.warm_us = measure_cache_hits(e, tp.version, formulas, htmls, cache_sizes, work)
                tps.append(tp)
                say(f"  {e:>14} {mode:<5} N={n:<5} {tp.cold_per_s:>12,.1f} formulas/s cold "
                    f"(start-up {tp.startup_s:.3f} s, {tp.steady_per_s:,.0f}/s after it)")  # fmt: skip
    return tps


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915 - the run, in order
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,300,1000", help="numbers of logs (default 10,100,300,1000)")
    ap.add_argument("--engines", default="none,katex,markdown-katex", help="engines (default all three)")
    ap.add_argument("--markdown-katex-max", type=int, default=100,
                    help="largest size built with markdown-katex (default 100: ~10 formulas/s, N=300 would take ~10 min cold)")  # fmt: skip
    ap.add_argument("--repeat", type=int, default=3,
                    help="repetitions of each build; the fastest counts (default 3; markdown-katex's cold build runs once)")  # fmt: skip
    ap.add_argument("--throughput-n", default="200,3000",
                    help="distinct formulas for the raw throughput (default 200,3000: 3,000 is about what a 300-log "
                         "cold build renders; markdown-katex only at the first)")  # fmt: skip
    ap.add_argument("--cache-sizes", default="200,2000,20000", help="cache entries at which a cache hit is timed")
    ap.add_argument("--profile-size", type=int, default=0, help="also cProfile katex cold and no-change builds of this many logs")
    ap.add_argument("--workdir", type=Path, default=None, help="where the sites are built (default: a temporary folder)")
    ap.add_argument("--no-readme", action="store_true", help=f"do not write the results to {README.name}")
    args = ap.parse_args(argv)

    sizes, ns, cache_sizes = _ints(args.sizes), _ints(args.throughput_n), _ints(args.cache_sizes)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINE_ORDER:
            ap.error(f"unknown engine {e!r} (choose from {', '.join(ENGINE_ORDER)})")
    engines = [e for e in ENGINE_ORDER if e in engines]
    if cache_sizes and ns and cache_sizes[0] < ns[0]:
        ap.error("--cache-sizes must be at least the first --throughput-n")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="studylog-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - began:7.1f} s] {msg}", flush=True)

    notes: list[str] = []
    if "markdown-katex" in engines and any(s > args.markdown_katex_max for s in sizes):
        skipped = [s for s in sizes if s > args.markdown_katex_max]
        notes.append(f"markdown-katex was built only for sizes ≤ {args.markdown_katex_max} (skipped N = "
                     f"{', '.join(map(str, skipped))}: at ~10 formulas/s a cold build would take "
                     f"~{max(skipped) * len(distinct_formulas(1)) // 10 // 60 + 1} min; "
                     "raise --markdown-katex-max to include them)")  # fmt: skip
        say("note: " + notes[-1])
    try:
        source, head = snapshot_source(work), git_head()
        say(f"studylog source {source} ({head}), copied to {builds.SNAPSHOT}: the whole run uses this copy")
        say(f"engine throughput over {', '.join(f'{n:,}' for n in ns)} distinct formulas (no cache) and cache-hit cost ...")
        tps = measure_engines(engines, ns, cache_sizes, args.repeat, work, say)
        runs: list[SiteRun] = []
        for size in sizes:
            say(f"site of {size} logs ({size * formulas_per_log()} formulas, {len(distinct_formulas(size))} distinct, "
                f"{2 * size} examples)")  # fmt: skip
            here = [e for e in engines if not (e == "markdown-katex" and size > args.markdown_katex_max)]
            runs += run_size(work, size, here, args.repeat, say)
        profile = profile_builds(work, args.profile_size) if args.profile_size else ""
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - began

    per_log = formulas_per_log()
    out = [
        SECTION,
        "",
        f"`.venv/bin/python benchmarks/site_build.py --sizes {','.join(map(str, sizes))} --engines {','.join(engines)} "
        f"--repeat {args.repeat} --markdown-katex-max {args.markdown_katex_max} --throughput-n {','.join(map(str, ns))}"
        + (f" --profile-size {args.profile_size}" if args.profile_size else "") + "`"
        f" — {dt.date.today().isoformat()}, {machine()}; studylog source {source} ({head}); "
        f"the whole run took {total / 60:.1f} min.",
        "",
        f"Synthetic sites of N logs, each with {per_log} formulas (8 display fences, 12 inline; an optimizer-log mix "
        "varied per log, so most are distinct) and 2 executed examples; mkdocs-material with the blog and search "
        "plugins, `verify: false`. Each build is a fresh `mkdocs build` subprocess: cold (empty formula and example "
        "caches), no-change rebuild, and rebuild after changing one formula of one log. ×none: the time divided by "
        "the `engine: none` build (TeX shown as code, no formula cache) of the same size and kind, measured in the "
        f"same run. Each time is the fastest of {args.repeat} repetitions (the engines take turns, so load from other "
        "work on the machine hits all of them); *×none by CPU time* compares user + system CPU seconds of the build "
        "and everything it ran (Node, the KaTeX binary), which shared load disturbs less. *peak MiB*: the largest "
        "resident memory of the build and its children together (sampled every 20 ms from /proc), the largest over "
        "the repetitions. *rendered*: the formulas the engine rendered, from the plugin's log line (every repetition; "
        "`a/b` when they differed); `none` has no formula cache, so its count includes the formulas of rebuilds.",
        "",
        *site_table(runs),
        "",
        *([f"Note: {n}" for n in notes] + [""] if notes else []),
        "Raw engine throughput through `studylog.site.katex` (no cache; a fresh engine each pass, the best pass counts; "
        "*cold* includes starting the engine, *after start-up* does not but includes V8's warm-up of KaTeX's code). "
        "*one*: a round trip per formula (a page asking for a formula); *batch*: all at once in pipelined batches "
        "(how a build renders: `MathRenderer.prefetch`). The cost of a cache hit (`MathRenderer.render` served from "
        "the rendered-formula cache) is measured as the cache grows:",
        "",
        *engine_table(tps, cache_sizes),
        "",
        "Targets:",
        "",
        *verdicts(runs, tps),
    ]
    if profile:
        out += ["", "<details><summary>Where katex builds spend their time (cProfile)</summary>", "", "```text",
                profile.strip(), "```", "", "</details>"]  # fmt: skip
    section = "\n".join(out) + "\n"
    print()
    print(section)
    if not args.no_readme:
        write_readme(section)
        print(f"written to {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
