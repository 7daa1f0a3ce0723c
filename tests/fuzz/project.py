r"""The small fixed project the fuzzer checks logs against: an implementation package and its formulas.

`RIGHT` holds the LaTeX each bound id computes and `WRONG` a formula its code does not compute, so
that a generated log linking one of them has an oracle: the right one must be verified, the wrong one
must never be.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

PACKAGE = "fuzzimpl"

RIGHT = {"fz.lin": "y = a x + 1", "fz.sum": r"s = \sum_{i=1}^{4} x_i"}
WRONG = {"fz.lin": "y = a x + 2", "fz.sum": r"s = \sum_{i=1}^{4} x_i^2"}

IMPL = textwrap.dedent(r'''
    """Implementations bound to the fuzzer's formula ids."""
    import numpy as np

    from studylog.engine.binding import Array, In, Index, Out, Scalar, implements


    @implements("fz.lin", symbols={"y": Out(), "x": In("x", Array(shape=(4,))), "a": In("a", Scalar(0.5, 2.0))})
    def lin(x, a):
        """An affine map."""
        return a * np.asarray(x) + 1


    @implements("fz.sum", symbols={"s": Out(), "x_i": In("x", Array(shape=(4,))), "i": Index()})
    def total(x):
        """A sum."""
        return np.sum(x)


    @implements("fz.sys.u", "fz.sys.v", symbols={"u": Out("u"), "v": Out("v"), "a": In("a", Scalar())})
    def system(a):
        """A system of two formulas."""
        return {"u": 2 * a, "v": 3 * a}
''').lstrip()

#: bindings no formula can satisfy: one returns a string, one raises
BROKEN = textwrap.dedent(r'''


    @implements("fz.str", symbols={"y": Out(), "x": In("x")})
    def text(x):
        """Returns a string: never a number."""
        return "0.5"


    @implements("fz.raise", symbols={"y": Out(), "x": In("x")})
    def broken(x):
        """Raises."""
        raise ValueError("broken on purpose")
''')

#: a log linking every formula of the package but the broken ones, as it computes them
BASE_LOG = f"""---
date: 2021-08-09
title: Base
---
# Base

```math {{#fz.lin}}
{RIGHT["fz.lin"]}
```

```math {{#fz.sum}}
{RIGHT["fz.sum"]}
```

$`u = 2 a`${{#fz.sys.u}} and $`v = 3 a`${{#fz.sys.v}}.
"""

MKDOCS = """\
site_name: fuzz
theme:
  name: material
  font: false
plugins:
  - search
  - blog
  - studylog:
      cache_dir: ""
      examples_cache_dir: ""
      example_timeout: {timeout}
markdown_extensions:
  - pymdownx.superfences
  - tables
  - md_in_html
  - attr_list
"""


def write_project(root: Path, logs: dict[str, str], *, timeout: float = 2.0, broken: bool = True) -> Path:
    """Write the project under ``root``: ``pyproject.toml``, the package, ``docs/`` with ``logs``, ``mkdocs.yml``.

    ``logs`` maps paths under ``docs/`` to their text, written as UTF-8 exactly (CR and CRLF stay as
    drawn); a text holding lone surrogates is written with ``surrogatepass`` (bytes that are not UTF-8,
    as a broken file would hold). ``broken=False`` leaves out the bindings no formula can satisfy, so
    that a site can build green.
    """
    (root / PACKAGE).mkdir(parents=True, exist_ok=True)
    (root / PACKAGE / "__init__.py").write_text(IMPL + (BROKEN if broken else ""), encoding="utf-8")
    (root / "pyproject.toml").write_text(f'[tool.studylog]\nimplementations = ["{PACKAGE}"]\n', encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS.format(timeout=timeout), encoding="utf-8")
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Fuzz\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    for rel, text in logs.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
    return root
