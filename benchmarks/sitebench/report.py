r"""The benchmark's tables, its verdicts against the targets, and the "Site build" section of benchmarks/README.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from sitebench import ENGINE_ORDER, ROOT
from sitebench.builds import SiteRun
from sitebench.engines import Throughput
from sitebench.synthetic import formulas_per_log

README = ROOT / "benchmarks" / "README.md"
SECTION = "## Site build"

TARGET_THROUGHPUT = 2000.0  # katex, formulas/s cold (start-up included), as a build renders them (batch)
TARGET_COLD_RATIO = 1.5  # cold build vs the no-math build, at these sizes:
COLD_SIZES = (300, 1000)
TARGET_REBUILD_RATIO = 1.1  # no-change rebuild vs the no-math build, at this size:
REBUILD_SIZE = 300
MEMORY_SLACK = 1.25  # "no faster than linearly": MiB per added log may not grow by more than sampling noise
TARGET_MK_THROUGHPUT = 10.0  # markdown-katex formulas/s cold


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    return f"nproc {os.cpu_count()}, {cpu}{mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def ratio(x: float, floor: float | None) -> str:
    return f"{x / floor:.2f}×" if floor else "–"


def site_table(runs: list[SiteRun]) -> list[str]:
    floors = {r.size: r for r in runs if r.engine == "none"}
    rows = [
        "| logs | engine | cold s | ×none | no-change s | ×none | edit-one s | ×none | ×none by CPU time "
        "(cold / no-change / edit) | peak MiB (cold / no-change) | rendered (cold / no-change / edit) "
        "| HTML bytes / formula | search index bytes |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|",
    ]
    for r in sorted(runs, key=lambda r: (r.size, ENGINE_ORDER.index(r.engine))):
        f = floors.get(r.size)
        cpu = " / ".join(ratio(r.min_cpu(k), f.min_cpu(k) if f else None) for k in ("cold", "nochange", "edit"))
        rows.append(
            f"| {r.size} | {r.engine} | {r.cold.seconds:.2f} | {ratio(r.cold.seconds, f and f.cold.seconds)} "
            f"| {r.nochange.seconds:.2f} | {ratio(r.nochange.seconds, f and f.nochange.seconds)} "
            f"| {r.edit.seconds:.2f} | {ratio(r.edit.seconds, f and f.edit.seconds)} | {cpu} "
            f"| {r.peak_mib('cold'):.0f} / {r.peak_mib('nochange'):.0f} "
            f"| {r.renders('cold')} / {r.renders('nochange')} / {r.renders('edit')} "
            f"| {r.html_bytes / r.n_formulas:,.0f} | {r.search_bytes:,} |"
        )
    return rows


def engine_table(tps: list[Throughput], cache_sizes: list[int]) -> list[str]:
    sizes = sorted(cache_sizes)
    head = " | ".join(f"hit µs @{s:,}" for s in sizes)
    rows = [
        f"| engine | requests | formulas | KaTeX | start-up s | formulas/s cold (incl. start-up) | formulas/s after start-up "
        f"| formulas per CPU s | {head} |",
        "|---|---|---:|---|---:|---:|---:|---:|" + "---:|" * len(sizes),
    ]
    for t in tps:
        warm = " | ".join(f"{t.warm_us[s]:.0f}" if s in t.warm_us else "–" for s in sizes)
        rows.append(f"| {t.engine} | {t.mode} | {t.n:,} | {t.version} | {t.startup_s:.3f} | {t.cold_per_s:,.0f} "
                    f"| {t.steady_per_s:,.0f} | {t.cpu_per_s:,.0f} | {warm} |")  # fmt: skip
    return rows


def memory_growth(runs: list[SiteRun], engine: str) -> list[tuple[int, int, float]]:
    """(from size, to size, MiB per added log) of the cold builds' peak memory, between consecutive sizes."""
    pts = sorted((r.size, r.peak_mib("cold")) for r in runs if r.engine == engine)
    return [(a, b, (mb - ma) / (b - a)) for (a, ma), (b, mb) in zip(pts, pts[1:])]


def verdicts(runs: list[SiteRun], tps: list[Throughput]) -> list[str]:  # noqa: C901 - one block per target
    out: list[str] = []
    by = {(r.engine, r.size): r for r in runs}

    def line(ok: bool | None, text: str) -> None:
        mark = {True: "met", False: "**not met**", None: "not measured"}[ok]
        out.append(f"- {text}: {mark}")

    batch = [t for t in tps if t.engine == "katex" and t.mode == "batch"]
    k = max(batch, key=lambda t: t.n) if batch else None
    line(None if k is None else k.cold_per_s >= TARGET_THROUGHPUT,
         f"katex ≥ {TARGET_THROUGHPUT:,.0f} formulas/s cold, as a build renders them"
         + (f" — {k.cold_per_s:,.0f}/s over {k.n:,} formulas incl. Node start-up ({k.steady_per_s:,.0f}/s after "
            f"start-up, {k.cpu_per_s:,.0f} per CPU second)" if k else ""))  # fmt: skip
    for size in COLD_SIZES:
        if ("katex", size) in by and ("none", size) in by:
            r, f = by[("katex", size)], by[("none", size)]
            q, c = r.cold.seconds / f.cold.seconds, r.min_cpu("cold") / f.min_cpu("cold")
            line(q <= TARGET_COLD_RATIO, f"{size}-log katex cold build ≤ {TARGET_COLD_RATIO}× the no-math build — "
                                         f"{q:.2f}× ({c:.2f}× by CPU time)")  # fmt: skip
        else:
            line(None, f"{size}-log katex cold build ≤ {TARGET_COLD_RATIO}× the no-math build")
    if ("katex", REBUILD_SIZE) in by and ("none", REBUILD_SIZE) in by:
        r, f = by[("katex", REBUILD_SIZE)], by[("none", REBUILD_SIZE)]
        q, c = r.nochange.seconds / f.nochange.seconds, r.min_cpu("nochange") / f.min_cpu("nochange")
        others = ", ".join(f"{by[('katex', s)].nochange.seconds / by[('none', s)].nochange.seconds:.2f}× at N={s}"
                           for s in sorted({r.size for r in runs}) if s != REBUILD_SIZE and ("katex", s) in by
                           and ("none", s) in by)  # fmt: skip
        line(q <= TARGET_REBUILD_RATIO, f"{REBUILD_SIZE}-log no-change rebuild ≤ {TARGET_REBUILD_RATIO}× the no-math "
                                        f"build — {q:.2f}× ({c:.2f}× by CPU time)" + (f"; {others}" if others else ""))  # fmt: skip
    else:
        line(None, f"{REBUILD_SIZE}-log no-change rebuild ≤ {TARGET_REBUILD_RATIO}× the no-math build")
    growth = memory_growth(runs, "katex")
    if len(growth) >= 2:
        steps = [g for _, _, g in growth]
        ok = all(b <= max(a, 0.05) * MEMORY_SLACK for a, b in zip(steps, steps[1:]))
        line(ok, "peak memory of a katex cold build grows no faster than linearly in the logs — MiB per added log: "
                 + ", ".join(f"{g:.2f} ({a}→{b})" for a, b, g in growth))  # fmt: skip
    else:
        line(None, "peak memory grows no faster than linearly (needs three sizes)")
    per_log = formulas_per_log()
    checks = [(r, all(b.rendered == r.distinct for b in r.colds) and all(b.rendered == 0 for b in r.nochanges)
               and all(1 <= b.rendered <= per_log for b in r.edits)) for r in runs if r.engine != "none"]  # fmt: skip
    if checks:
        bad = [f"{r.engine} N={r.size}: {r.renders('cold')} / {r.renders('nochange')} / {r.renders('edit')} "
               f"(distinct: {r.distinct})" for r, ok in checks if not ok]  # fmt: skip
        line(not bad, "editing one log re-renders only that log's formulas (cold renders each distinct formula once, "
                      f"no-change renders 0, the edit renders 1..{per_log})" + (f" — failures: {'; '.join(bad)}" if bad else ""))  # fmt: skip
    else:
        line(None, "editing one log re-renders only that log's formulas")
    mk = [t for t in tps if t.engine == "markdown-katex"]
    m = mk[0] if mk else None
    line(None if m is None else m.cold_per_s >= TARGET_MK_THROUGHPUT,
         f"markdown-katex ≥ {TARGET_MK_THROUGHPUT:.0f} formulas/s cold"
         + (f" — {m.cold_per_s:.1f}/s ({m.cpu_per_s:.1f} per CPU second)" if m else ""))  # fmt: skip
    if m is not None and m.warm_us:
        sizes_ = sorted(m.warm_us)
        small, large = m.warm_us[sizes_[0]], m.warm_us[sizes_[-1]]
        # "never slower": allow 25 % timing noise between runs of a few hundred microseconds
        line(large <= small * 1.25,
             "markdown-katex never slower per formula as its cache grows — cache hit "
             + ", ".join(f"{m.warm_us[s]:.0f} µs @{s:,}" for s in sizes_) + " entries")
    else:
        line(None, "markdown-katex never slower per formula as its cache grows")
    return out


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n\nRun on demand; not part of the test suite.\n"
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip() == SECTION), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("## ")), len(lines))
        new = "\n".join(lines[:start] + section.rstrip("\n").splitlines() + ([""] + lines[end:] if end < len(lines) else [])) + "\n"
    README.write_text(new, encoding="utf-8")
