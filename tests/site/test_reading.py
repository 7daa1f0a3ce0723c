"""Reading the built site: light pages, a phone-sized layout, the formula sheet, the home page, previews.

The site is built once per session (`built_site`) and one Chromium is shared; every page of the site
is opened at 390 px and 1280 px, light and dark.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import Build
from tests.site.test_build import DAY7

DAY7_URL = DAY7.parent.as_posix() + "/"
MAX_DAY7_BYTES = 400_000


def _pages(site: Path) -> list[str]:
    """Every page of the built site, as a URL path relative to its root (the 404 page left out)."""
    out = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        out.append("" if rel == "." else rel + "/")
    return out


class _Text(HTMLParser):
    """The text a reader sees: everything outside code, scripts, styles and MathML."""

    SKIP = {"code", "pre", "kbd", "script", "style", "math", "template", "svg", "title", "textarea"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        hidden = tag in self.SKIP or any(k == "hidden" for k, _ in attrs) or (self.stack and self.stack[-1][1])
        self.stack.append((tag, bool(hidden)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.text.append(data)


def _visible_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.text)


# ------------------------------------------------------------------------------------ the bytes
def test_day7_html_is_at_most_400_kb(built_site: Build) -> None:
    assert built_site.returncode == 0, built_site.output
    size = (built_site.site / DAY7).stat().st_size
    assert size <= MAX_DAY7_BYTES, f"{size} bytes"
    page = (built_site.site / DAY7).read_text(encoding="utf-8")
    assert "data:image/svg+xml" not in page  # the figures are files
    assert 'class="katex-html"' not in page and 'class="sl-tex"' not in page  # no hidden copies


def test_figures_are_deterministic_files_with_their_size(built_site: Build) -> None:
    page = (built_site.site / DAY7).read_text(encoding="utf-8")
    imgs = re.findall(r"<img\b[^>]*>", page)
    figures = [i for i in imgs if "assets/figures/" in i]
    assert len(figures) == 8, imgs
    for tag in figures:
        src = re.search(r'src="([^"]+)"', tag).group(1)
        file = (built_site.site / DAY7.parent / src).resolve()
        data = file.read_bytes()
        assert file.name == hashlib.sha256(data).hexdigest()[:20] + ".svg"  # named by its content
        assert data.startswith(b"<?xml") and b"<svg" in data[:400]
        assert 'loading="lazy"' in tag and re.search(r'width="\d+" height="\d+"', tag) and 'alt="' in tag
        assert f'<a class="sl-figure-open" href="{src}"' in page  # a tap opens it full size


def test_a_figure_file_holds_the_bytes_studylog_figures_draws(built_site: Build) -> None:
    from studylog.figures.day07 import kfold_figure

    html = kfold_figure()  # the notebook form: an <img> with a data URI, as before
    data = base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1))
    assert (built_site.site / "assets/figures" / (hashlib.sha256(data).hexdigest()[:20] + ".svg")).read_bytes() == data


def test_no_raw_tex_or_rest_is_visible_on_any_page(built_site: Build) -> None:
    pages = _pages(built_site.site)
    assert len(pages) >= 15 and "api/learning/" in pages
    raw = re.compile(r"\\(?:[A-Za-z]{2,}|[{}_^])|\.\. math::|:math:`|\$`|```math")
    found = {}
    for url in pages:
        text = _visible_text(built_site.site / url / "index.html")
        hits = [m.group(0) for m in raw.finditer(text)]
        if hits:
            found[url] = hits[:5]
    assert not found, found
    # the API pages render their docstrings' math
    api = (built_site.site / "api/learning/index.html").read_text(encoding="utf-8")
    assert api.count('<span class="katex-display">') >= 9


# ------------------------------------------------------------------------------- sheet and home
def _formulas(site: Path) -> list[dict]:
    return json.loads((site / "formulas.json").read_text(encoding="utf-8"))


def _sheet(site: Path) -> tuple[str, str, str]:
    """(the log's HTML, its sheet's <details>, the sheet file's HTML)."""
    page = (site / DAY7).read_text(encoding="utf-8")
    details = re.search(r'<details class="sl-sheet" data-src="([^"]+)">.*?</details>', page, re.S)
    assert details, "no formula sheet"
    return page, details.group(0), (site / DAY7.parent / details.group(1)).resolve().read_text(encoding="utf-8")


def test_formula_sheet_lists_the_numbered_formulas_with_their_verdicts(built_site: Build) -> None:
    page, details, sheet = _sheet(built_site.site)
    rows = re.findall(r'<tr data-id="([^"]*)"><td class="sl-sheet-no"><a href="[./]*blog/2021/08/10/day-7-optimization/#eq-([^"]*)">'
                      r'\((\d+)\)</a></td><td class="sl-sheet-math">(.*?)</td><td class="sl-sheet-name">([^<]+)</td>.*?'
                      r'data-status="(\w*)"', sheet, re.S)  # fmt: skip
    want = [r for r in _formulas(built_site.site) if r["page"] == DAY7_URL and r["number"] is not None]
    assert len(want) >= 90
    assert [(r[0], int(r[2]), r[5]) for r in rows] == [(w["id"], w["number"], w["status"]) for w in want]
    for fid, anchor, _number, math, name, _status in rows:
        assert fid == anchor and "<math" in math and "annotation" not in math and name.strip()
    names = {r[0]: r[4] for r in rows}
    assert names["sgd.w"] == "SGD update" and names["adam.m"] == "Adam: first moment"  # title="…"
    # it sits at the top of the log, after the opening summary and before the first section; the page
    # itself does not carry the second copy of every formula (the file is fetched when it is opened)
    assert page.index('id="day-7-optimization"') < page.index('<details class="sl-sheet"') < page.index('id="the-days-schedule"')
    assert "<math" not in details and "Open the formula sheet" in details


def test_home_page_counts_equal_formulas_json(built_site: Build) -> None:
    rows = _formulas(built_site.site)
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    counts = re.search(r'<p [^>]*id="home-counts"[^>]*>(.*?)</p>', home, re.S)
    assert counts, "no counts on the home page"
    numbers = dict((word, int(n)) for n, word in re.findall(r"<strong>(\d+)</strong> (\w+)", counts.group(1)))
    assert numbers["formulas"] == len(rows)
    assert numbers["verified"] == sum(r["status"] == "verified" for r in rows)
    assert numbers.get("exempt", 0) == sum(r["status"] == "exempt" for r in rows)
    logs = {r["page"] for r in rows if r["page"].startswith("blog/")}
    assert numbers.get("log", numbers.get("logs")) == len(logs)
    assert 'href="blog/2021/08/10/day-7-optimization/"' in home  # the latest log, linked
    assert "longest" in home and "<table>" in home  # the streak and this month's calendar


def test_concepts_link_to_the_section_that_explains_them(built_site: Build) -> None:
    concepts = (built_site.site / "journal/concepts/index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r"<strong>([^<]+)</strong>: introduced <a href=\"[^\"]*day-7-optimization/#([^\"]+)\"", concepts))
    assert links["Adam"] == "adam-adaptive-moment-estimation" and links["RAdam"] == "radam-rectified-adam"
    assert links["bagging"] == "bagging" and links["dropout"] == "dropout"
    page = (built_site.site / DAY7).read_text(encoding="utf-8")
    assert len(links) >= 20 and all(f'id="{anchor}"' in page for anchor in links.values())


# --------------------------------------------------------------------------------------- browser
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > vw + 1) bad.push('page ' + document.documentElement.scrollWidth);
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
  for (const el of document.querySelectorAll('.md-content *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= vw + 1 && r.left >= -1)) continue;
    let a = el.parentElement, held = false;
    while (a && a !== document.body) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' && s.overflowX !== 'clip') {
        const ar = a.getBoundingClientRect();
        if (ar.right <= vw + 1 && ar.left >= -1) { held = true; break; }
      }
      if (s.display === 'none') { held = true; break; }
      a = a.parentElement;
    }
    if (!held) bad.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return bad.slice(0, 8);
}"""


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")])
def test_no_page_is_wider_than_the_screen(built_site: Build, serve, browser, width: int, scheme: str) -> None:
    assert built_site.returncode == 0, built_site.output
    server = serve(built_site.site)
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    wide = {}
    for url in _pages(built_site.site):
        page.goto(server.base + url, wait_until="load")
        page.evaluate("document.fonts.ready")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if page.evaluate("document.querySelector('details.sl-sheet[data-src]') !== null"):
            page.wait_for_selector("details.sl-sheet tr[data-id]", timeout=10000)  # fetched when opened
        bad = page.evaluate(OVERFLOW)
        if bad:
            wide[url] = bad
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    context.close()
    assert not wide, wide
    assert not errors, errors


def test_toc_follows_the_reader(built_site: Build, serve, browser) -> None:
    server = serve(built_site.site)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.base + DAY7_URL, wait_until="load")
    toc = ".md-sidebar--secondary .md-sidebar__scrollwrap"
    for anchor in ("vgg-very-deep-convolutional-networks-simonyan-zisserman-2015", "retrospective"):
        page.evaluate(f"document.getElementById({anchor!r}).scrollIntoView()")
        page.wait_for_function(
            f"""() => {{ const a = document.querySelector('{toc} a.md-nav__link--active[href="#{anchor}"]');
                        if (!a) return false;
                        const r = a.getBoundingClientRect(), w = document.querySelector('{toc}').getBoundingClientRect();
                        return r.top >= w.top - 1 && r.bottom <= w.bottom + 1; }}""",
            timeout=10000,
        )  # fmt: skip
    page.close()


def test_hover_preview_shows_the_referenced_formula(built_site: Build, serve, browser) -> None:
    server = serve(built_site.site)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.base + DAY7_URL, wait_until="load")
    link = page.locator("a.sl-ref[href='#eq-bv.decomposition']").first  # (4), on this page
    link.scroll_into_view_if_needed()
    link.hover()
    preview = page.wait_for_selector(".sl-preview math", timeout=5000)
    assert preview.is_visible()
    assert page.inner_text(".sl-preview .sl-number") == "(4)"
    page.mouse.move(0, 0)
    page.wait_for_selector(".sl-preview", state="detached", timeout=5000)
    # from another page: the API's back-link to Adam's first moment fetches the log once
    page.goto(server.base + "api/optim/", wait_until="load")
    link = page.locator("a.sl-ref[href$='#eq-adam.m']").first
    link.scroll_into_view_if_needed()
    link.hover()
    page.wait_for_selector(".sl-preview math", timeout=5000)
    want = next(r["number"] for r in _formulas(built_site.site) if r["id"] == "adam.m")
    assert page.inner_text(".sl-preview .sl-number") == f"({want})"
    page.close()


def test_figures_load_lazily(built_site: Build, serve, browser) -> None:
    server = serve(built_site.site)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    svgs: list[str] = []
    page.on("request", lambda r: "/assets/figures/" in r.url and svgs.append(r.url))
    page.goto(server.base + DAY7_URL, wait_until="load")
    page.wait_for_timeout(300)
    last = page.locator(".sl-figure img").last
    src = last.evaluate("e => e.src")
    assert src not in svgs and not last.evaluate("e => e.complete && e.naturalWidth > 0")  # not loaded yet
    assert len(svgs) < 8
    last.scroll_into_view_if_needed()
    page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=last.element_handle(), timeout=10000)
    assert src in svgs
    page.close()


def test_the_sheet_opens_at_the_top_of_the_log(built_site: Build, serve, browser) -> None:
    server = serve(built_site.site)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server.base + DAY7_URL, wait_until="load")
    page.click("details.sl-sheet summary")
    page.wait_for_selector("details.sl-sheet tr[data-id]", timeout=10000)
    rows = page.eval_on_selector_all("details.sl-sheet tr[data-id]", "els => els.map(e => e.dataset.id)")
    want = [r["id"] for r in _formulas(built_site.site) if r["page"] == DAY7_URL and r["number"] is not None]
    assert rows == want
    # a number in the sheet jumps to the formula on this page
    page.click("details.sl-sheet tr[data-id='adam.m'] .sl-sheet-no a")
    page.wait_for_function("location.hash === '#eq-adam.m'")
    assert page.evaluate("document.getElementById('eq-adam.m').getBoundingClientRect().top") < 844
    page.close()


def _search(page, query: str) -> list[str]:
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.fill(query)
    box.press("End")  # a key event: Material searches on keyboard input
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")


def test_search_ranks_the_exact_word_first(built_site: Build, serve, browser) -> None:
    server = serve(built_site.site)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.base, wait_until="networkidle")
    hits = [h.split("#")[-1] for h in _search(page, "Adam") if "day-7-optimization/" in h and "#" in h]
    assert hits[:3] == ["adam-adaptive-moment-estimation", "radam-rectified-adam", "adamp"], hits
    page.close()


@pytest.mark.parametrize("query", ["하강법", "경사하강", "스무딩"])
def test_korean_search_finds_substrings_without_single_syllable_hits(built_site: Build, serve, browser, query: str) -> None:
    server = serve(built_site.site)
    index = json.loads((built_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    sections = {d["location"]: f"{d['title']} {d['text']}" for d in index["docs"]}
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.base, wait_until="networkidle")
    hrefs = []
    for h in _search(page, query):
        url = urlsplit(urljoin(server.base, h))
        hrefs.append(url.path.removeprefix(urlsplit(server.base).path) + (f"#{url.fragment}" if url.fragment else ""))
    found = [h for h in hrefs if h in sections and "#" in h]  # sections (Material adds each group's page)
    assert found, hrefs
    # every section found holds the query's syllables together (a page with only 하 or 법 is no hit)
    assert all(query in sections[h] for h in found), [h for h in found if query not in sections[h]]
    want = {loc for loc, text in sections.items() if query in text and "#" in loc}
    assert want <= set(hrefs), want - set(hrefs)
    page.close()
