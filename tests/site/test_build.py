"""The real site builds with --strict, renders KaTeX on the server, and loads nothing from other hosts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import yaml

from tests.conftest import ROOT, Build

DAY7 = Path("blog/2021/08/10/day-7-optimization/index.html")


def test_strict_build_passes_without_warnings(built_site: Build) -> None:
    assert built_site.returncode == 0, built_site.output
    assert "WARNING" not in built_site.output, built_site.output


def test_day7_page_has_server_rendered_katex(built_site: Build) -> None:
    page = (built_site.site / DAY7).read_text(encoding="utf-8")
    assert 'class="katex"' in page
    assert 'class="katex-display"' in page
    # the SGD update is display math, rendered (the TeX source survives only as MathML annotation)
    assert 'id="eq-sgd.w"' in page
    assert "```math" not in page and "$`" not in page


class _Resources(HTMLParser):
    """Collect URLs the browser would load: <link> (not <a>), <script src>, <img>, <source>, <iframe>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            self.urls.append((f"<link rel={a.get('rel')}>", a["href"] or ""))
        elif tag in ("script", "img", "source", "iframe", "audio", "video", "embed") and a.get("src"):
            self.urls.append((f"<{tag}>", a["src"] or ""))
        elif tag == "object" and a.get("data"):
            self.urls.append(("<object>", a["data"] or ""))
        if a.get("style"):
            self.styles.append(a["style"] or "")
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def _external(url: str, own_host: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("", "data", "blob") and not url.startswith("//"):
        return False
    return (parsed.hostname or "") not in ("", own_host)


def test_no_resource_from_a_third_party_host(built_site: Build) -> None:
    own_host = urlparse(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:")[0])["site_url"]).hostname
    offenders: list[str] = []
    for path in built_site.site.rglob("*"):
        rel = path.relative_to(built_site.site)
        if path.suffix == ".html":
            parser = _Resources()
            parser.feed(path.read_text(encoding="utf-8"))
            offenders += [f"{rel}: {what} {url}" for what, url in parser.urls if _external(url, own_host or "")]
            css_chunks = parser.styles
        elif path.suffix == ".css":
            css_chunks = [path.read_text(encoding="utf-8")]
        else:
            continue
        for css in css_chunks:
            for url in _CSS_URL.findall(css):
                if _external(url, ""):
                    offenders.append(f"{rel}: css {url}")
    assert not offenders, "\n".join(offenders[:20])


def test_katex_css_and_fonts_are_served_by_the_site(built_site: Build) -> None:
    import json

    css = built_site.site / "assets/studylog/katex/katex.min.css"
    assert css.is_file()
    fonts = re.findall(r"url\((fonts/[^)]+\.woff2)\)", css.read_text(encoding="utf-8"))
    assert fonts, "the KaTeX stylesheet references no woff2 fonts"
    for font in fonts:
        assert (css.parent / font).is_file(), font
    # the same KaTeX version renders the formulas and provides the CSS
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["katex"]
    installed = json.loads((ROOT / "node_modules/katex/package.json").read_text())["version"]
    assert installed == pinned


def test_journal_views_are_built(built_site: Build) -> None:
    site = built_site.site
    calendar = (site / "journal/calendar/index.html").read_text(encoding="utf-8")
    assert "August 2021" in calendar
    assert 'href="../../blog/2021/08/10/day-7-optimization/"' in calendar  # the day links to its log
    assert "longest streak 2 day(s)" in calendar  # Day 7 and Day 8 are consecutive
    week = (site / "journal/week-2/index.html").read_text(encoding="utf-8")
    assert "Week 2" in week and "Day 7 — Optimization" in week
    concepts = (site / "journal/concepts/index.html").read_text(encoding="utf-8")
    for concept in ("Adam", "bias–variance trade-off", "dropout"):
        assert f"<strong>{concept}</strong>: introduced" in concepts, concept


def test_formulas_are_numbered_linked_and_marked(built_site: Build) -> None:
    page = (built_site.site / DAY7).read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r'<span class="sl-number">\((\d+)\)</span>', page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 80
    assert page.count("✓ verified") >= 80 and "✗" not in page
    assert 'href="../../../../../api/optim/#studylog.optim.adam.adam_step"' in page
    assert 'class="sl-source" href="https://github.com/studylog/studylog/blob/main/studylog/optim/adam.py#L' in page
    assert "exempt: " in page  # the exemption's reason is shown
    api = (built_site.site / "api/optim/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="autorefs autorefs-internal sl-ref" href="../../blog/2021/08/10/day-7-optimization/#eq-adam.m">'
                     r'Day 7 — Optimization \(\d+\)</a> <code>adam.m</code> ✓ verified', api)
