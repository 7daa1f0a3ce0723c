r"""Import real Jekyll blogs into fresh ``studylog init`` projects and measure what arrives.

For each blog (a Jekyll site's folder holding ``_posts/``): ``studylog init`` into a temporary
folder, ``studylog import`` the posts, then count formulas in every post and its log with
`formula_count` (markdown-it-py, independent of the importer's scanner and the engine's). With
``--build``, also ``mkdocs build --strict`` the imported site (KaTeX) and the same site with math
off (``engine: none``), and check the built HTML's internal links and images with `crawl`. Third-party
text stays where it is: only numbers are printed.

    .venv/bin/python benchmarks/import_blogs.py /work/thirdparty/ratsgo /work/thirdparty/geochum \
        --old-url angeloyeo=https://angeloyeo.github.io --build
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl import crawl  # noqa: E402
from formula_count import count_log, count_post  # noqa: E402

from studylog.authoring.importer import run_import  # noqa: E402
from studylog.authoring.project import create_project  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _build(site: Path, out: Path) -> tuple[float, int, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml"), "-d", str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=site, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def _exempt_imported(docs: Path) -> None:
    for log in (docs / "blog" / "posts").glob("*.md"):
        text = log.read_text(encoding="utf-8")
        log.write_text(text.replace("{imported}", '{exempt="imported"}'), encoding="utf-8")


def measure(blog: Path, work: Path, *, old_url: str | None, build: bool, exempt: bool = False) -> dict[str, object]:
    site = work / blog.name
    create_project(site, name=blog.name, url="https://example.org/", repo="https://example.org/repo")
    (site / "node_modules").symlink_to(ROOT / "node_modules")
    start = time.perf_counter()
    report = run_import([blog / "_posts"], site / "docs", old_url=old_url, mkdocs_config=site / "mkdocs.yml")
    seconds = time.perf_counter() - start
    ok = [r for r in report.results if r.ok]
    source = logged = 0
    differ: list[tuple[str, int, int, int]] = []
    for r in ok:
        s = count_post(Path(r.source).read_text(encoding="utf-8"))
        lg = count_log(r.target.read_text(encoding="utf-8"))
        source, logged = source + s, logged + lg
        if not s == lg == r.found:
            differ.append((Path(r.source).name, s, r.found, lg))
    row: dict[str, object] = {
        "blog": blog.name,
        "posts": len(report.results),
        "imported": len(ok),
        "failed": [str(r.error) for r in report.results if not r.ok],
        "found": sum(r.found for r in ok),
        "written": sum(r.written for r in ok),
        "marked": sum(r.marked for r in ok),
        "source count": source,
        "log count": logged,
        "posts whose counts differ": differ,
        "files copied": len(report.copied),
        "warnings": dict(Counter({k.value: n for k, n in report.warnings_by_kind().items()}).most_common()),
        "import s": round(seconds, 2),
    }
    if build:
        if exempt:
            _exempt_imported(site / "docs")
        katex_s, code, output = _build(site, work / f"{blog.name}-site")
        row["strict build s"] = round(katex_s, 2)
        row["strict build ok"] = code == 0
        problems = [ln for ln in output.splitlines() if ln.startswith(("WARNING", "ERROR"))]
        row["strict build problems"] = f"{len(problems)}: " + " | ".join(problems[:5])
        rendered = re.search(r"formulas rendered: (\d+)", output)
        row["formulas rendered"] = int(rendered.group(1)) if rendered else None
        if code == 0:
            result = crawl(work / f"{blog.name}-site")
            posts = {page: n for page, n in result.formulas.items() if re.match(r"blog/\d{4}/\d{2}/\d{2}/", page)}
            row["site formulas (KaTeX, post pages)"] = sum(posts.values()) - 2  # less init's own first log
            row["broken links"], row["broken images"] = result.broken_links[:10], result.broken_images[:10]
            row["pages crawled"] = result.pages
        config = site / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("engine: katex", "engine: none"), encoding="utf-8")
        none_s, none_code, _ = _build(site, work / f"{blog.name}-none")
        row["math-off build s"] = round(none_s, 2)
        row["(import + build) / math-off build"] = round((seconds + katex_s) / none_s, 2) if none_code == 0 else None
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("blogs", nargs="+", type=Path)
    parser.add_argument("--old-url", action="append", default=[], metavar="NAME=URL")
    parser.add_argument("--build", action="store_true", help="also build strictly, with math off, and crawl")
    parser.add_argument(
        "--exempt-imported",
        action="store_true",
        help="build with every {imported} mark spelled exempt=\"imported\" (a trial of the rendering path "
        "before the site reads {imported})",
    )
    args = parser.parse_args(argv)
    urls = dict(item.split("=", 1) for item in args.old_url)
    with tempfile.TemporaryDirectory(prefix="import-blogs-") as tmp:
        for blog in args.blogs:
            row = measure(blog.resolve(), Path(tmp), old_url=urls.get(blog.name), build=args.build, exempt=args.exempt_imported)
            for key, value in row.items():
                print(f"{key}: {value}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
