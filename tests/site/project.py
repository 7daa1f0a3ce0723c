"""A small studylog project in a temporary folder: one log, one implementation package, one helper module.

Used by the serve, portability and entry-point tests: it builds in seconds, and each test can break
the notes or the code on disk and see what every entry point says.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import ROOT

IMPL = r'''"""The implementation of the tiny log."""
from studylog.engine.binding import In, Out, Scalar, implements


@implements("scale", symbols={"y": Out(), "x": In("x"), r"\alpha": In("alpha", Scalar(0.5, 2.0))})
def scale(x, *, alpha):
    """Scale ``x`` by ``alpha``."""
    return alpha * x
'''

HELPER = 'GREETING = "hello from helpers"\n'

LOG = r'''---
date: 2021-08-11
title: Tiny
---
# Tiny

The scaled input is

```math {#scale}
y = \alpha x
```

```python exec="on" result="text"
import helpers
from impl.ops import scale
print(helpers.GREETING, scale(2.0, alpha=3.0))
```
'''

MKDOCS = """site_name: tiny
theme:
  name: material
  font: false
{watch}plugins:
  - search
  - blog
  - studylog
markdown_extensions:
  - studylog
  - pymdownx.superfences
"""


def make_project(root: Path, *, watch: bool = True) -> Path:
    """Write the tiny project under ``root`` and return it."""
    (root / "docs" / "blog" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "impl").mkdir(exist_ok=True)
    (root / "impl" / "__init__.py").write_text("", encoding="utf-8")
    (root / "impl" / "ops.py").write_text(IMPL, encoding="utf-8")
    (root / "helpers.py").write_text(HELPER, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Tiny site\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (root / "docs" / "blog" / "posts" / "tiny.md").write_text(LOG, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS.format(watch="watch:\n  - impl\n" if watch else ""), encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.studylog]\nimplementations = ["impl"]\n', encoding="utf-8")
    if not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in ``path`` and move its modification time forward (coarse clocks)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


POST_URL = "blog/2021/08/11/tiny/"
