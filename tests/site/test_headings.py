"""The anchors studylog computes for a log's headings are the ids Python-Markdown's ``toc`` gives them.

The oracle is Python-Markdown itself: the same headings converted with ``toc`` (and ``attr_list``), ids read
back from its HTML.
"""

from __future__ import annotations

import re

import markdown

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
