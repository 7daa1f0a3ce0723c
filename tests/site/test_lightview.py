r"""The light view: search reads formulas as readable text, read time counts the prose, excerpts stop at
the separator, and the written page keeps every formula's KaTeX."""

from __future__ import annotations

import html
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError

from studylog.site.lightpage import mathml_only
from studylog.site.extension import StudylogExtension
from studylog.site.render import searchable_once
from studylog.site.katex import MathRenderer
from studylog.site.lightview import MORE, LightView, cut_excerpt_lines, formulas, reading_view, search_view
from studylog.site.mathtext import command_names
from tests.conftest import ROOT, mkdocs_build


@pytest.fixture(scope="module")
def katex() -> MathRenderer:
    r = MathRenderer("katex", ROOT, None)
    yield r
    r.close()


# ------------------------------------------------------------------------------------- readable text
# Each expected text is written by hand from how the formula reads (the oracle), not from the code.
READABLE = [
    (r"\rho_t = \beta \rho_{t-1}", r"ρₜ = β ρₜ₋₁ (rho beta)"),
    (r"W_{t+1} \leftarrow W_t - \eta g_t", r"Wₜ₊₁ ← Wₜ − η gₜ (leftarrow eta)"),
    (r"\hat m_t = \frac{m_t}{1-\beta_1^t}", r"m̂ₜ = mₜ/(1 − β₁ᵗ) (hat frac beta)"),
    (r"x \in \mathbb{R}^{n}", r"x ∈ ℝⁿ (in mathbb)"),
    (r"\mathcal{L}(\theta)", r"ℒ(θ) (mathcal theta)"),
    (r"\sqrt[3]{x} + \sqrt{\hat v_t}", r"³√x + √v̂ₜ (sqrt hat)"),
    (r"\kappa(H) = \frac{\lambda_{\max}}{\lambda_{\min}}", r"κ(H) = λₘₐₓ/λₘᵢₙ (kappa frac lambda max min)"),
    (r"H = \begin{pmatrix} 2 & 1 \\ 1 & 3 \end{pmatrix}", r"H = (2, 1; 1, 3)"),
    (r"\mathbb{E}_{x \sim p}[f(x)]", r"𝔼_{x ∼ p}[f(x)] (mathbb sim)"),
    (r"\sum_{i=1}^{N} x_i", r"∑ᵢ₌₁ᴺ xᵢ (sum)"),
    (r"\operatorname{softmax}(z)_i", r"softmax(z)ᵢ (operatorname)"),
    (r"\theta \leftarrow \theta - \eta\, \nabla_\theta \mathcal{L}",
     r"θ ← θ − η ∇_θ ℒ (theta leftarrow eta nabla mathcal)"),
]


@pytest.mark.parametrize(("tex", "text"), READABLE)
def test_search_holds_each_formula_as_readable_text_and_its_command_names(katex: MathRenderer, tex: str, text: str) -> None:
    for display in (False, True):
        page = f"<p>before {searchable_once(katex.render(tex, display), tex)} after</p>"
        assert search_view(page) == f"<p>before {text.replace('<', '&lt;')} after</p>"


def test_the_extension_writes_formulas_the_light_view_recognises(katex: MathRenderer) -> None:
    """The light view's markers and the extension's wrapper must not drift apart."""
    for tex in (r"a < b \text{ \& } c > d", r"\frac{1}{2}", "x"):
        rendered = katex.render(tex, True)
        wrapped = "<p>" + searchable_once(rendered, tex) + "</p>"
        ((start, middle, end, escaped),) = formulas(wrapped)
        assert (start, end) == (3, len(wrapped) - 4)
        shown = mathml_only(rendered)  # the page shows KaTeX's MathML only (studylog.site.lightpage)
        assert wrapped[middle - len(shown) : middle] == shown and html.unescape(escaped) == tex


def test_command_names_skip_layout_commands() -> None:
    assert command_names(r"\left( \frac{a}{b} \right) \qquad \big[ \alpha \big] \text{x} \alpha") == ["frac", "alpha"]


def test_light_and_reading_views_keep_everything_but_the_formulas(katex: MathRenderer) -> None:
    tex = r"\eta"
    page = (f'<h2 id="x">Rate 경사하강법</h2><p>step {searchable_once(katex.render(tex, False), tex)} and '
            f'<code>&lt;code&gt;</code></p>')  # fmt: skip
    assert search_view(page) == '<h2 id="x">Rate 경사하강법</h2><p>step η (eta) and <code>&lt;code&gt;</code></p>'
    assert reading_view(page) == '<h2 id="x">Rate 경사하강법</h2><p>step  and <code>&lt;code&gt;</code></p>'
    # the formula sheet (excluded from search, a copy of the page's formulas) is in neither view
    sheet = ('<details class="sl-sheet" data-search-exclude><summary>3 formulas</summary><div><table><tr><td>'
             f'{searchable_once(katex.render(tex, False), tex)}</td></tr></table></div></details>')  # fmt: skip
    own = "<details><summary>mine</summary><p>kept</p></details>"
    with_sheet = page.replace("<p>", sheet + "<p>", 1) + own
    assert search_view(with_sheet) == search_view(page) + own
    assert reading_view(with_sheet) == reading_view(page) + own


# ---------------------------------------------------------------------------- the swap around search
def _page(content: str) -> SimpleNamespace:
    return SimpleNamespace(content=content, file=SimpleNamespace(src_uri="blog/posts/x.md"))


def test_the_full_page_comes_back_after_search(katex: MathRenderer) -> None:
    full = f"<p>{searchable_once(katex.render('x^2', False), 'x^2')}</p>"
    lv, page = LightView(), _page(full)
    lv._light({}, page=page, config=None, nav=None)
    assert page.content == "<p>x² </p>".replace(" <", "<")
    lv._full({}, page=page, config=None, nav=None)
    assert page.content is full


def test_search_stripping_its_attributes_is_applied_to_the_full_page(katex: MathRenderer) -> None:
    formula = searchable_once(katex.render("y", False), "y")
    full = f'<p data-search-boost="2">{formula}</p>'
    lv, page = LightView(), _page(full)
    lv._light({}, page=page, config=None, nav=None)
    page.content = page.content.replace(' data-search-boost="2"', "")  # what Material's search plugin does
    lv._full({}, page=page, config=None, nav=None)
    assert page.content == f"<p>{formula}</p>"


def test_another_plugin_changing_the_light_page_stops_the_build(katex: MathRenderer) -> None:
    lv, page = LightView(), _page(f"<p>{searchable_once(katex.render('z', False), 'z')}</p>")
    lv._light({}, page=page, config=None, nav=None)
    page.content += "<p>added</p>"
    with pytest.raises(PluginError, match="blog/posts/x.md: a plugin changed the page"):
        lv._full({}, page=page, config=None, nav=None)


# ----------------------------------------------------------------------------------------- excerpts
SEP = "<!-- more -->"


def test_cut_stops_at_the_first_separator_outside_code() -> None:
    lines = ["Intro.", "", "```html", SEP, "```", "", "    " + SEP, "", SEP, "", "Body [b].", "", SEP, "more"]
    cut = cut_excerpt_lines(lines, SEP)
    assert cut == [*lines[:9], "", MORE, ""]


def test_cut_keeps_the_definitions_after_the_separator() -> None:
    lines = ["See [a] and[^1].", "", SEP, "", "Body.", "", "[a]: https://example.org", "  'title'", "",
             "[^1]: The note,", "", "    second paragraph.", "", "Not kept.", "*[HTML]: markup", "```", "[c]: x", "```"]  # fmt: skip
    cut = cut_excerpt_lines(lines, SEP)
    assert cut is not None
    assert cut[cut.index(MORE) + 2 :] == ["[a]: https://example.org", "  'title'", "[^1]: The note,", "",
                                          "    second paragraph.", "*[HTML]: markup"]  # fmt: skip


def test_no_separator_no_cut() -> None:
    assert cut_excerpt_lines(["a", "b", "<!-- more -->x"], SEP) is None


EXTENSIONS = ["toc", "admonition", "attr_list", "md_in_html", "tables", "footnotes", "pymdownx.details",
              "pymdownx.superfences"]  # fmt: skip
TRICKY = f"""# A post

Intro with a [link][a], a footnote[^n], $`\\eta`$ and an *[HTML]* abbreviation.

```text
{SEP}
```

!!! note
    An admonition before the cut.

{SEP}

## After

Body with $`\\beta`$.

[a]: https://example.org "Example"
[^n]: The footnote,

    in two paragraphs.

*[HTML]: Hypertext Markup Language
"""


@pytest.mark.parametrize("post", ["day7", "tricky", "benchmark"])
def test_a_cut_excerpt_renders_exactly_as_the_whole_post_before_its_separator(post: str) -> None:
    """Material's excerpt is the whole post's HTML up to the separator: the cut must not change it."""
    if post == "day7":
        text = (ROOT / "docs/blog/posts/2021-08-10-day07-optimization.md").read_text(encoding="utf-8")
        text = text.split("\n---\n", 1)[1]
    elif post == "benchmark":  # the logs benchmarks/site_build.py measures
        import sys

        if str(ROOT / "benchmarks") not in sys.path:
            sys.path.append(str(ROOT / "benchmarks"))
        from sitebench.synthetic import log_text

        text = log_text(7).split("\n---\n", 1)[1]
    else:
        text = TRICKY

    def convert(source: str) -> str:
        ext = StudylogExtension(engine="none", project_root=str(ROOT), cache_dir="", verify=False)
        md = markdown.Markdown(extensions=[*EXTENSIONS, ext])
        return md.convert(source)

    whole = convert(text)
    assert SEP in whole
    cut = cut_excerpt_lines(text.split("\n"), SEP)
    assert cut is not None and len(cut) < len(text.split("\n"))
    short = convert("\n".join(cut))
    assert short.split(SEP, 1)[0] == whole.split(SEP, 1)[0]
    assert short.split(SEP, 1)[1].strip(), "Material shows 'Continue reading' only when something follows"


# -------------------------------------------------------------------------------- a built blog site
PROSE = [
    "Gradient descent moves the weights a small step against the gradient of the loss at every iteration.",
    "오늘은 경사하강법과 모멘텀을 공부했다 그리고 학습률을 바꿔 가며 결과를 비교했다.",
    "Momentum keeps a running average of past gradients so that the steps do not zigzag across a ravine.",
    "The second moment of Adam rescales each coordinate by the root of its running mean square.",
]
FORMULAS = [r"W_{t+1} \leftarrow W_t - \eta g_t", r"\hat m_t = \frac{m_t}{1-\beta_1^t}",
            r"\mathbb{E}_{x \sim p}\big[\nabla_{\theta} \ell(x)\big] \approx \frac{1}{B} \sum_{b=1}^{B} \nabla_\theta \ell(x_b)",
            r"H = \begin{pmatrix} 2 & 1 \\ 1 & 3 \end{pmatrix}"]  # fmt: skip
WPM = 20


def _post() -> tuple[str, int]:
    """A post of prose and formulas, and the number of words of its prose (counted here, by hand's rule)."""
    body, words = ["# Reading time", ""], 2
    for k in range(6):
        sentence = PROSE[k % len(PROSE)]
        body += [f"{sentence} With $`{FORMULAS[k % 2]}`$ inline.", "", "```math", FORMULAS[k % len(FORMULAS)], "```", ""]
        words += len(sentence.split()) + 2  # "With", "inline."
        if k == 0:
            body += [SEP, ""]
    return "---\ndate: 2021-08-10\n---\n\n" + "\n".join(body), words


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def test_read_time_counts_the_prose_and_search_reads_formulas(fixture_site, tmp_path: Path) -> None:
    text, words = _post()
    root = fixture_site({"blog/posts/reading.md": text})
    yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    yml = yml.replace("  - blog\n", f"  - blog:\n      post_readtime_words_per_minute: {WPM}\n")
    (root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    build = mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.output
    page = next((tmp_path / "site").rglob("reading-time/index.html")).read_text(encoding="utf-8")
    assert page.count('class="katex-display"') == 6 and page.count('class="katex"') == 12, "the page keeps its math"
    minutes = int(re.search(r"(\d+) min read", page).group(1))
    # Material's rule: ceil(words / wpm) minutes; the prose has `words` words, give or take the split's ends
    assert minutes in {math.ceil((words + d) / WPM) for d in (-1, 0, 1)}, (minutes, words)
    # the oracle can fail: the glyphs of KaTeX's HTML would count for far more
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    parser = _Text()
    parser.feed(article)
    glyph_words = len(re.split(r"\W+", "".join(parser.chunks)))
    assert math.ceil(glyph_words / WPM) >= minutes + 3  # (MathML has fewer glyphs than KaTeX's HTML had)
    # search: each formula once, as readable text with its command names; the Korean prose intact
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    indexed = " ".join(d["text"] for d in index["docs"] if "reading-time" in d["location"])
    assert indexed.count("Wₜ₊₁ ← Wₜ − η gₜ (leftarrow eta)") == 3 + 2  # 3 inline + 2 display
    assert r"H = (2, 1; 1, 3)" in indexed and "경사하강법과" in indexed
    assert "W_{t+1}" not in indexed and "katex" not in indexed and "<math" not in indexed
    # the blog index shows the excerpt (up to the separator) with its math, and a link to the rest
    listing = (tmp_path / "site/blog/index.html").read_text(encoding="utf-8")
    assert "Continue reading" in listing
    assert listing.count('class="katex"') == 2 and listing.count('class="katex-display"') == 1  # the first sentence's
    assert PROSE[0] in listing and PROSE[1] not in listing


def test_each_rendered_formula_carries_its_text_as_a_mathml_annotation(katex: MathRenderer) -> None:
    """Computed once when rendered and cached with the HTML, so a build reads it instead of parsing MathML."""
    rendered = katex.render(r"\rho_t = \beta \rho_{t-1}", True)
    semantics = rendered[rendered.index("<semantics>") : rendered.index("</semantics>")]
    assert semantics.count('<annotation encoding="application/x-tex">') == 1  # KaTeX's own, kept
    assert semantics.count('<annotation encoding="text/plain">ρₜ = β ρₜ₋₁</annotation>') == 1


def test_the_annotation_keeps_pages_in_two_byte_strings(katex: MathRenderer) -> None:
    """𝔼 (U+1D53C) is written as a reference: one such character would double the memory of every page."""
    rendered = katex.render(r"\mathbb{E}[x]", False)
    assert max(map(ord, rendered)) <= 0xFFFF and "&#x1D53C;[x]</annotation>" in rendered
    assert search_view(searchable_once(rendered, r"\mathbb{E}[x]")) == "𝔼[x] (mathbb)"
