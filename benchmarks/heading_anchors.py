"""Every heading anchor studylog computes for a log (formula sheet, concept index) is an id on its built page.

Run on demand, on a site made by ``studylog init`` + ``studylog import`` and built (``mkdocs build -d out``)::

    .venv/bin/python benchmarks/heading_anchors.py SITE [--out out]

For each log under ``SITE/docs/blog/posts``, `studylog.site.headings.headings` (with the ``toc`` slugify of the
site's ``mkdocs.yml``) against the ids of the headings in the page's ``<article>``. The page is found at the
blog plugin's default URL, ``blog/YYYY/MM/DD/<slug>/`` (the slug from the front matter, else the only page of
that day). Prints the count and each anchor not on its page; exit 1 when there is one.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studylog.markup import read_log  # noqa: E402
from studylog.site.headings import config_slug, headings  # noqa: E402


def _page(out: Path, log) -> Path | None:  # type: ignore[no-untyped-def]
    data = log.front_matter.data
    date = data.get("date")
    date = date.get("created") if isinstance(date, dict) else date
    day = out / "blog" / str(date)[:10].replace("-", "/")
    page = day / str(data.get("slug")) / "index.html"
    if page.is_file():
        return page
    found = list(day.glob("*/index.html"))
    return found[0] if len(found) == 1 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", default="out", help="the build folder, relative to SITE")
    args = parser.parse_args()
    config = load_config(str(args.site / "mkdocs.yml"))
    slug = config_slug(config.mdx_configs)
    total, missing, unfound = 0, [], []
    for path in sorted((args.site / "docs" / "blog" / "posts").rglob("*.md")):
        log = read_log(path, path.name)
        page = _page(args.site / args.out, log)
        if page is None:
            unfound.append(path.name)
            continue
        html = page.read_text(encoding="utf-8")
        article = html[html.find("<article") : html.find("</article>")]
        ids = set(re.findall(r'<h[1-6] id="([^"]*)"', article))
        for h in headings(log, slug):
            total += 1
            if h.anchor not in ids:
                missing.append(f"{path.name}:{h.line}: #{h.anchor} is no id of {page.relative_to(args.site)}")
    print(f"{total} heading anchors in {len(list((args.site / 'docs/blog/posts').rglob('*.md')))} logs: "
          f"{len(missing)} not on their page; {len(unfound)} pages not found")  # fmt: skip
    for line in [*missing, *unfound][:30]:
        print(" ", line)
    return 1 if missing or unfound else 0


if __name__ == "__main__":
    sys.exit(main())
