r"""Crawl a built site's HTML: every internal link and image must name a file of the site; count KaTeX formulas.

Static (no browser): each page's ``href``/``src`` that stays on the site is resolved like a web
server would (``dir/`` → ``dir/index.html``, percent-decoded) against the page's own URL. A formula
is a ``.katex`` element that is not nested in another (KaTeX's own markup nests them).

    .venv/bin/python benchmarks/crawl.py site/
"""

from __future__ import annotations

import sys
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["CrawlResult", "crawl"]


@dataclass
class CrawlResult:
    pages: int = 0
    formulas: dict[str, int] = field(default_factory=dict)  # page (relative path) -> KaTeX formulas on it
    broken_links: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []
        self.formulas = 0
        self.stack: list[bool] = []  # for each open element: whether it is a .katex one
        self.in_katex = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "img" and values.get("src"):
            self.images.append(values["src"] or "")
        if tag in ("br", "img", "hr", "meta", "link", "input", "source", "wbr", "col", "area", "base", "embed"):
            return
        katex = "katex" in (values.get("class") or "").split()
        if katex and not self.in_katex:
            self.formulas += 1
        self.stack.append(katex)
        self.in_katex += katex

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.in_katex -= self.stack.pop()


def _target(site: Path, page: Path, url: str) -> Path | None:
    """The file ``url`` on ``page`` names in ``site``, or None when it leaves the site."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "javascript:", "data:")):
        return None
    path = urllib.parse.unquote(parts.path)
    if not path:
        return None
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def crawl(site: Path) -> CrawlResult:
    """Check every page of the built ``site`` (see the module)."""
    result = CrawlResult()
    for page in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        result.pages += 1
        result.formulas[page.relative_to(site).as_posix()] = parser.formulas
        for url, broken in [(u, result.broken_links) for u in parser.links] + [
            (u, result.broken_images) for u in parser.images
        ]:
            target = _target(site, page, url)
            if target is not None and not target.exists():
                broken.append(f"{page.relative_to(site)}: {url}")
    return result


if __name__ == "__main__":
    r = crawl(Path(sys.argv[1]))
    print(f"pages {r.pages}, formulas {sum(r.formulas.values())}, broken links {len(r.broken_links)}, images {len(r.broken_images)}")
    for line in r.broken_links + r.broken_images:
        print(" ", line)
