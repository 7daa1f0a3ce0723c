"""Tabs in code blocks survive with SuperFences' ``preserve_tabs``, and every formula and example still renders.

With ``preserve_tabs`` SuperFences stashes fenced blocks before Python-Markdown expands tabs, so studylog
replaces formulas and examples before that too (`studylog.site.extension.EarlyMath`). The oracle for
the rest of the page is the same site built without ``preserve_tabs``: outside code blocks, the two
pages must be identical.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import mkdocs_build

POST = """---
date: 2021-08-10
title: Tabs
---
# Tabs

Prose\twith a tab, then $`a+b`$ and $`c`$ inline.

<!-- more -->

## The $`L^p`$ norm

```math
\\|f\\|_p = \\left(\\int |f|^p\\right)^{1/p}
```

```math
y = a x
```

- a list item with a formula:

\t```math
\tz = 2 y
\t```

```python exec="on" result="text"
print("out", 6 * 7)
```

```make
all:
\tcc -o x x.c
```

```python
if True:
\tprint(1)
```
"""

_CODE = re.compile(r'<div class="[^"]*highlight"><pre>.*?</pre></div>', re.S)


def _article(site: Path) -> str:
    page = (site / "blog/2021/08/10/tabs/index.html").read_text(encoding="utf-8")
    return page[page.index("<article") : page.index("</article>")]


def test_tabs_stay_in_code_blocks_and_the_rest_of_the_page_is_unchanged(fixture_site) -> None:
    root = fixture_site({"blog/posts/tabs.md": POST})
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    superfences = "markdown_extensions:\n  - toc\n  - pymdownx.superfences"
    (root / "mkdocs.yml").write_text(config + superfences + "\n", encoding="utf-8")
    plain = mkdocs_build(root, root / "plain")
    assert plain.returncode == 0, plain.output
    (root / "mkdocs.yml").write_text(config + superfences + ":\n      preserve_tabs: true\n", encoding="utf-8")
    tabs = mkdocs_build(root, root / "tabs")
    assert tabs.returncode == 0, tabs.output
    with_tabs, without = _article(root / "tabs"), _article(root / "plain")
    code = _CODE.findall(with_tabs)
    assert len(code) == 3  # the example's output, the recipe, the Python
    assert '<span class="w">\t</span>cc' in code[1] and "\n\t<span" in code[2]
    assert "\t" not in "".join(_CODE.findall(without))  # what preserve_tabs is for: without it, spaces
    assert _CODE.sub("", with_tabs) == _CODE.sub("", without)
    assert with_tabs.count("<math") == 6  # three display formulas (one in the list) and three inline
    assert "out 42" in with_tabs and "```math" not in with_tabs and "$`" not in with_tabs
    assert 'id="the-lp-norm"' in with_tabs
    # a fence indented by a tab under a list item belongs to the item, with or without preserve_tabs
    assert re.search(r'<li>\s*<p>a list item with a formula:</p>\s*<div class="sl-formula">', without)
