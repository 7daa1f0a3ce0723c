"""The anchors studylog computes for a log's headings are the ids Python-Markdown's ``toc`` gives them.

The oracle is Python-Markdown itself: the same headings converted with ``toc`` (and ``attr_list``), ids read
back from its HTML.
"""

from __future__ import annotations

import re

import markdown
import pytest

from studylog.markup import parse_log
from studylog.site.headings import headings

HEADINGS = [
    "# Day 7 — Optimization",
    "## **Vitali Convergence THM**<sup>비탈리 수렴정리</sup>",
    "## Hölder's inequality &amp; Minkowski",
    "## `nn.Module.modules()` and [a link](https://example.org) *emphasis*",
    "## Optimization",  # the same text as above, after the first: toc makes it unique
    "## Optimization",
    "### <span>Tagged</span> heading <!-- a comment -->",
    "## Explicit {#my-anchor}",
    "## 경사하강법 (gradient descent)",
]


def test_heading_anchors_are_the_ids_toc_gives() -> None:
    text = "---\ndate: 2021-08-10\n---\n\n" + "\n\nSome text.\n\n".join(HEADINGS) + "\n"
    ours = [h.anchor for h in headings(parse_log(text, "docs/log.md"))]
    body = text.split("---\n", 2)[2]
    html = markdown.markdown(body, extensions=["toc", "attr_list"])
    theirs = re.findall(r'<h[1-6] id="([^"]*)"', html)
    assert ours == theirs


MATH_HEADINGS = [
    "## $`L^p`$ spaces",
    "## Definition of $`f \\in \\mathcal{D}^p`$",
    "## $`L^p`$ spaces",  # repeated: toc makes it unique, and so must we
    "## Lp spaces",  # plain text with the same slug as the formula's TeX
    "### $`\\|x\\|_2 < 1`$ and <sup>more</sup>",
    "## $`\\alpha`$ {#alpha-section}",
    "### 1. $`\\lambda=\\cos(\\theta)`${imported}인 경우",  # an imported formula's braces are no text
    "## Ratio $`\\frac{a}{b}`$",  # the formula's closing brace is no attribute list
    "## Defined $`y = 2x`${#twice}",  # the formula's id is not the heading's
]


def _toc_ids(body: str) -> tuple[list[str], str]:
    from tests.conftest import ROOT
    from studylog.site.extension import StudylogExtension

    ext = StudylogExtension(engine="katex", project_root=str(ROOT), cache_dir="", verify=False)
    md = markdown.Markdown(extensions=["toc", "attr_list", ext])
    html = md.convert(body)
    return re.findall(r'<h[1-6] id="([^"]*)"', html), html


def test_a_heading_with_math_gets_the_anchor_we_compute_whatever_the_engine_renders() -> None:
    """toc makes an id from the heading's rendered text: KaTeX's MathML letters and TeX annotation gave
    ``lplplp-spaces``; the id is now made from the formula's TeX, which is what the sheet links to."""
    text = "---\ndate: 2021-08-10\n---\n\n" + "\n\nSome text.\n\n".join(MATH_HEADINGS) + "\n"
    ours = [h.anchor for h in headings(parse_log(text, "docs/log.md"))]
    theirs, html = _toc_ids(text.split("---\n", 2)[2])
    assert ours == theirs
    assert ours == ["lp-spaces", "definition-of-f-in-mathcaldp", "lp-spaces_1", "lp-spaces_2", "x_2-1-and-more", "alpha-section",
                    "1-lambdacostheta", "ratio-fracab", "defined-y-2x"]  # fmt: skip
    # the page still shows the rendered formula in the heading, not its TeX
    h2 = re.search(r'<h2 id="lp-spaces">(.*?)</h2>', html, re.S)
    assert h2 and "<math" in h2.group(1) and "L^p" not in h2.group(1).split("<annotation")[0]


# ---------------------------------------------------------------------------------- a built site
POST = """---
date: 2022-02-24
title: Lebesgue
concepts: [Lp 공간, Hölder]
---
# Lebesgue

Opening.

<!-- more -->

## $`L^p`$ 공간에 대한 정리

```math
\\|f\\|_p = \\left(\\int |f|^p \\, d\\mu\\right)^{1/p}
```

## Hölder 부등식 $`\\frac1p + \\frac1q = 1`$

```math
\\|fg\\|_1 \\le \\|f\\|_p \\|g\\|_q
```

## 정리 $`L^p`${imported} 공간에 대한 정리

```math
\\|f+g\\|_p \\le \\|f\\|_p + \\|g\\|_p
```
"""

TOC_CONFIGS = {
    "default": "",
    "unicode slugs": "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n      separator: _\n",
}


@pytest.mark.parametrize("toc", list(TOC_CONFIGS))
def test_sheet_and_concept_links_reach_headings_that_hold_math(fixture_site, toc: str) -> None:
    """The ddangchani crawl found formula-sheet links to ``## $`L^p`$공간…`` that missed the heading's id."""
    from tests.conftest import mkdocs_build

    root = fixture_site({"blog/posts/lp.md": POST})
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(TOC_CONFIGS[toc])
    site = mkdocs_build(root, root / "site").site
    page = (site / "blog/2022/02/24/lebesgue/index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]*)"', page))
    sheet_file = re.search(r'<details class="sl-sheet" data-src="([^"]+)"', page)
    assert sheet_file, "no formula sheet"
    sheet = (site / "blog/2022/02/24/lebesgue" / sheet_file.group(1)).resolve().read_text(encoding="utf-8")
    sections = re.findall(r'<tr class="sl-sheet-section"><th[^>]*><a href="[^"#]*#([^"]+)"', sheet)
    assert len(sections) == 3 and len(set(sections)) == 3
    assert set(sections) <= ids, f"sheet links {sections} missing from the page's ids"
    concepts = (site / "journal/concepts/index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'href="[^"#]*lebesgue/#([^"]+)"', concepts)
    assert anchors and set(anchors) <= ids
    if toc == "unicode slugs":  # the configured slugify keeps the Korean words
        assert "lp_공간에_대한_정리" in ids
