"""Light pages piece by piece: MathML-only formulas, figure files, the title attribute, concept anchors."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from studylog.errors import MarkupError
from studylog.markup import parse_formula_attrs, parse_log
from studylog.site.journal import concept_anchor
from studylog.site.katex import MathRenderer
from studylog.site.lightpage import Figures, Sheets, inert_svg, inline_math, mathml_only, strip_hidden_tex, svg_size
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def katex() -> MathRenderer:
    r = MathRenderer("katex", ROOT, None)
    yield r
    r.close()


@pytest.mark.parametrize("display", [True, False])
def test_mathml_only_keeps_katex_mathml_and_drops_its_html(katex: MathRenderer, display: bool) -> None:
    tex = r"W_{t+1} = W_t - \frac{\eta}{\sqrt{v_t + \epsilon}} m_t"
    full = katex.render(tex, display)
    light = mathml_only(full)
    math = re.search(r"<math\b.*</math>", full, re.S).group(0)  # KaTeX's own MathML
    written = strip_hidden_tex(light)  # as the page is written, once the search index has read it
    text = lambda m: re.sub(r"<[^>]+>", "", re.sub(r"<annotation[^>]*>[^<]*</annotation>", "", m))  # noqa: E731
    assert "katex-html" not in light and "annotation" not in written and text(written) == text(math)  # same symbols
    assert re.search(r"<math\b.*</math>", written, re.S).group(0).count("<") < math.count("<")  # fewer elements
    assert light.startswith('<span class="katex-display">') == display
    assert ('display="block"' in light) == display
    assert len(light) * 3 < len(full)  # the HTML layout is most of KaTeX's output
    assert 'encoding="application/x-tex"' not in light  # the TeX copy goes (search reads the TeX beside it)
    compact = inline_math(light)
    assert 'display="block"' not in compact and "annotation" not in compact and "<mfrac>" in compact


def test_other_engines_output_is_left_alone() -> None:
    assert mathml_only('<pre class="sl-nomath">x</pre>') == '<pre class="sl-nomath">x</pre>'


def test_hidden_tex_is_stripped() -> None:
    page = '<p><sl-katex data-search-exclude>M</sl-katex><span class="sl-tex" hidden>a &lt; b</span> and</p>'
    assert strip_hidden_tex(page) == "<p><sl-katex data-search-exclude>M</sl-katex> and</p>"
    # the readable text the search index read goes too, with the <semantics> that held it
    math = ('<math><semantics><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>'
            '<annotation encoding="text/plain">a &lt; b</annotation></semantics></math>')
    assert strip_hidden_tex(math + " " + math) == "<math><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow></math> " * 1 + \
        "<math><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow></math>"


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="300pt" height="150pt">%s</svg>'


@pytest.mark.parametrize(
    ("inside", "inert"),
    [
        (b'<g clip-path="url(#c1)"><path d="M0 0L1 1"/></g><defs><clipPath id="c1"><rect/></clipPath></defs>', True),
        (b'<use xlink:href="#p1"/><style>*{stroke-linejoin: round}</style>', True),
        (b'<image xlink:href="data:image/png;base64,iVBORw0KGgo="/>', True),  # matplotlib's imshow
        (b"<script>alert(1)</script>", False),
        (b'<g onload="alert(1)"/>', False),
        (b"<foreignObject><div/></foreignObject>", False),
        (b'<a xlink:href="javascript:alert(1)"><text>x</text></a>', False),
        (b'<use xlink:href="http://198.51.100.7/x.svg#a"/>', False),
        (b'<image xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/>', False),
        (b'<rect style="fill: url(http://198.51.100.7/p.png)"/>', False),
        (b"<style>@import url(http://198.51.100.7/x.css);</style>", False),
        (b'<animate attributeName="href" to="javascript:alert(1)"/>', False),
    ],
)  # fmt: skip
def test_only_an_svg_that_cannot_act_becomes_a_file(inside: bytes, inert: bool) -> None:
    assert inert_svg(SVG % inside) is inert


def test_entities_and_non_svg_stay_data_uris() -> None:
    assert not inert_svg(b'<!DOCTYPE svg [<!ENTITY a "x">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    assert not inert_svg(b"<html><script/></html>")
    assert not inert_svg(b"not xml")


def _img(svg: bytes, figure: bool = True) -> str:
    tag = f'<img alt="a plot" src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}">'
    return f'<figure class="sl-figure">{tag}</figure>' if figure else f"<p>{tag}</p>"


def test_externalized_figures_are_files_named_by_content(tmp_path: Path) -> None:
    good, bad = SVG % b'<path d="M0 0"/>', SVG % b"<script>alert(1)</script>"
    figures = Figures(tmp_path)
    page = _img(good) + _img(bad, figure=False) + _img(good)
    out = figures.externalize(page, "blog/2021/08/10/day-7/")
    names = re.findall(r'src="\.\./\.\./\.\./\.\./\.\./assets/figures/([0-9a-f]{20}\.svg)"', out)
    assert len(names) == 2 and names[0] == names[1]  # the same figure twice: one file
    assert (tmp_path / "assets/figures" / names[0]).read_bytes() == good
    assert out.count('loading="lazy"') == 2 and out.count('width="400" height="200"') == 2  # 300 pt = 400 px
    assert out.count('class="sl-figure-open"') == 2
    assert base64.b64encode(bad).decode() in out  # a scripted SVG keeps its data URI (inert in <img>)
    assert len(list((tmp_path / "assets/figures").iterdir())) == 1
    assert Figures(tmp_path).externalize(page, "index.html").count('src="assets/figures/') == 2
    assert svg_size(good) == (400, 200)


def test_the_sheet_table_moves_to_a_file_linked_from_the_page(tmp_path: Path) -> None:
    table = '<div class="sl-sheet-scroll"><table><tr><td><a href="#eq-a">(1)</a></td></tr></table></div>'
    page = f'<p>intro</p><details class="sl-sheet"><summary>Formula sheet: 1</summary>{table}</details><h2>x</h2>'
    out = Sheets(tmp_path).externalize(page, "blog/2021/08/10/day-7/", "Day 7")
    url = re.search(r'<details class="sl-sheet" data-src="([^"]+)"><summary>Formula sheet: 1</summary>', out).group(1)
    assert url.startswith("../../../../../assets/sheets/") and "<table>" not in out and f'<a href="{url}">' in out
    text = (tmp_path / url.replace("../", "")).read_text(encoding="utf-8")
    assert '<a href="../../blog/2021/08/10/day-7/#eq-a">(1)</a>' in text and "<title>Formula sheet — Day 7</title>" in text
    assert Sheets(tmp_path).externalize("<p>no sheet</p>", "x/") == "<p>no sheet</p>"


def test_title_attribute_names_a_formula() -> None:
    attrs = parse_formula_attrs('{#adam.m title="Adam:  first   moment" }', path="x.md", line=3)
    assert attrs.id == "adam.m" and attrs.title == "Adam: first moment"
    with pytest.raises(MarkupError, match='title="" needs a name') as err:
        parse_formula_attrs('{#a title=" "}', path="x.md", line=7)
    assert err.value.line == 7
    with pytest.raises(MarkupError, match="unknown formula attribute 'name'"):
        parse_formula_attrs('{#a name="x"}', path="x.md", line=1)


LOG = """---
date: 2021-08-10
---
# Day

## Lecture notes

### Generalization (일반화)

The **generalization gap** is the difference.

### Adam (Adaptive Moment Estimation)

#### AdamP

### RAdam (Rectified Adam)

```python
# Bagging in a comment is no heading
```

### Batch sizes: flat vs sharp minima

## Bagging (배깅)
"""


@pytest.mark.parametrize(
    ("concept", "anchor"),
    [("Adam", "adam-adaptive-moment-estimation"), ("RAdam", "radam-rectified-adam"), ("AdamP", "adamp"),
     ("generalization gap", "generalization"), ("batch size", "batch-sizes-flat-vs-sharp-minima"),
     ("bagging", "bagging"), ("dropout", None)],
)  # fmt: skip
def test_a_concept_links_to_the_section_that_explains_it(concept: str, anchor: str | None) -> None:
    assert concept_anchor(parse_log(LOG, "log.md"), concept) == anchor


SLIM = [r"\mathrm{gap} = R_{\mathrm{test}} - R_{\mathrm{train}}", r"\mathrm{CV}_k = \frac{1}{k} \sum_{i} E_i",
        r"\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}", r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_{j} e^{x_j}}",
        r"W_{t+1} = W_t - \frac{\eta}{\sqrt{v_t + \epsilon}} \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} m_t",
        r"\mathbb{E}[(y - \hat{f})^2] = (f - \mathbb{E}[\hat{f}])^2 + \sigma^2", r"y^{LS} = y(1-\alpha) + \frac{\alpha}{K}"]  # fmt: skip


def test_slim_mathml_lays_out_exactly_as_katex_mathml(katex: MathRenderer, browser) -> None:
    """The wrappers `mathml_only` removes change nothing a reader sees: Chromium gives both the same box."""
    rows = []
    for tex in SLIM:
        for display in (True, False):
            full = re.search(r"<math\b.*</math>", katex.render(tex, display), re.S).group(0)
            rows.append(f"<div><span>{full}</span></div><div><span>{re.search(r'<math.*</math>', mathml_only(katex.render(tex, display)), re.S).group(0)}</span></div>")
    page = browser.new_page()
    page.set_content("<!doctype html><body style='font-size:20px'>" + "".join(rows) + "</body>")
    boxes = page.eval_on_selector_all("math", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    page.close()
    assert len(boxes) == 4 * len(SLIM)
    for (w1, h1), (w2, h2) in zip(boxes[0::2], boxes[1::2], strict=True):
        assert w1 > 0 and abs(w1 - w2) < 0.5 and abs(h1 - h2) < 0.5, (w1, h1, w2, h2)
