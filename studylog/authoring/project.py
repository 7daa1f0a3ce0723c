r"""``studylog init``: a new site of your own, using studylog as an installed package.

The new project holds only what is yours: ``mkdocs.yml`` with your site's name, URL and repository,
``pyproject.toml`` depending on ``studylog`` and naming your own implementation package, that
package with one implemented formula, a first log that links it, the blog's index and tag pages,
``package.json`` for the KaTeX the build renders with, and a test file that makes every formula a
pytest item. With ``showcase`` the Day-7 log of studylog's own site comes along, checked against
studylog's own implementations. The site builds with ``mkdocs build --strict`` as it is; then
``studylog import path/to/_posts`` moves a Jekyll blog in.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import keyword
import re
import sys
from pathlib import Path

from studylog.authoring.errors import AuthoringError

__all__ = ["SHOWCASE", "STUDYLOG_IMPLEMENTATIONS", "create_project", "package_name"]

#: studylog's own implementation packages (the showcase log's formulas are checked against them)
STUDYLOG_IMPLEMENTATIONS = ("studylog.optim", "studylog.learning", "studylog.regularization", "studylog.nn")
#: the showcase log, shipped with the package
SHOWCASE = "2021-08-10-day07-optimization.md"
_SHOWCASE_CATEGORY = "Boostcamp AI Tech"
_KATEX = {"katex": "0.16.25", "katex-0.15.1": "npm:katex@0.15.1"}

_MKDOCS = """\
site_name: {name}
site_url: {url}
repo_url: {repo}
repo_name: {repo_name}
edit_uri: edit/main/docs/

# The implementation package: `mkdocs serve` (and Zensical) rebuild when its code changes.
watch:
  - {package}

theme:
  name: material
  custom_dir: overrides
  font: false  # no Google Fonts: the site loads nothing from third-party hosts
  features:
    - navigation.tabs
    - navigation.indexes
    - search.highlight
    - content.code.copy

nav:
  - Home: index.md
  - Logs:
      - blog/index.md
  - Tags: tags.md

plugins:
  - search
  - blog:
      blog_dir: blog
      post_url_format: "{{date}}/{{slug}}"
      categories_allowed:  # `studylog import` adds the categories of the posts it imports
{categories}
  - tags
  - studylog:
      engine: katex

markdown_extensions:
  # The formula work of every page (the studylog plugin drives it under MkDocs; Zensical runs it alone).
  - studylog
  - toc:
      permalink: true
  - admonition
  - attr_list
  - md_in_html  # imported blockquotes holding display math are <blockquote markdown>
  - tables
  - footnotes
  - pymdownx.details
  - pymdownx.superfences:
      preserve_tabs: true  # a tab in a code block stays a tab (a Makefile copied from the page still works)

validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "{name}: study logs whose formulas are checked against their implementations"
requires-python = ">=3.11"
dependencies = ["studylog"]

[tool.setuptools.packages.find]
include = ["{package}*"]

[tool.studylog]
# Packages whose modules declare formula implementations with @implements.
implementations = [{implementations}]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

_IMPLEMENTATION = '''\
r"""A first implementation: one gradient step (formula ``first.step`` of the first log)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, In, Out, Scalar, implements


class Step(NamedTuple):
    """The result of `gradient_step`."""

    w: np.ndarray


@implements(
    "first.step",
    symbols={{r"w_t": In("w", Array()), r"g_t": In("g", Array()), r"\\eta": In("lr", Scalar(0.01, 0.5)), r"w_{{t+1}}": Out("w")}},
)
def gradient_step(w: np.ndarray, g: np.ndarray, *, lr: float) -> Step:
    """Move ``w`` against the gradient ``g`` by ``lr`` times it."""
    return Step(np.asarray(w, dtype=float) - lr * np.asarray(g, dtype=float))
'''

_FIRST_LOG = """\
---
date: {date}
title: "First log"
categories:
  - "{category}"
tags: []
---

# First log

What a log looks like: prose, and formulas checked against the code in `{package}/`.

<!-- more -->

One gradient step moves the weights against the gradient:

```math {{#first.step}}
w_{{t+1}} = w_t - \\eta g_t
```

with learning rate $`\\eta`$. Change the formula or `{package}/first.py` so that they disagree, and
`mkdocs build --strict` fails naming this line.
"""

_TESTS = '''\
"""Every formula of the logs is its own test item, named by its id (``pytest -k first``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.engine.pytest_items import check_formula, formula_params

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("formula_id", formula_params(ROOT))
def test_formula(formula_id: str) -> None:
    check_formula(formula_id, ROOT)
'''

_README = """\
# {name}

Study logs built into a site by [studylog](https://pypi.org/project/studylog/): every formula is
checked against the code that implements it, in `{package}/`.

    python3 -m venv .venv && .venv/bin/pip install -e .
    npm install                          # KaTeX, which renders the formulas at build time
    .venv/bin/mkdocs build --strict      # or: .venv/bin/mkdocs serve
    .venv/bin/studylog new --title "Day 1"
    .venv/bin/studylog import path/to/your/jekyll/_posts --old-url https://you.github.io
    .venv/bin/studylog verify --report   # every formula and its status ('imported': not yet checked)
"""


def package_name(text: str) -> str:
    r"""A Python package name made of ``text`` (e.g. a folder's name).

    Examples:
        >>> package_name("My Study-Log"), package_name("2021 logs"), package_name("class"), package_name("site")
        ('my_study_log', 'logs_2021_logs', 'class_logs', 'site_logs')
    """
    name = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "logs"
    if name[0].isdigit():
        name = f"logs_{name}"
    taken = keyword.iskeyword(name) or name in sys.stdlib_module_names or name in ("studylog", "tests", "docs")
    return f"{name}_logs" if taken else name


def _repo_name(repo: str) -> str:
    path = re.sub(r"\.git$", "", repo.rstrip("/")).split("://", 1)[-1]
    return "/".join(path.split("/")[1:3]) or path


def create_project(
    target: Path,
    *,
    name: str,
    url: str,
    repo: str,
    package: str | None = None,
    showcase: bool = False,
    categories: list[str] | None = None,
    today: dt.date | None = None,
) -> list[Path]:
    r"""Create a new studylog project in ``target`` (a new or empty folder).

    Args:
        target: the project's folder.
        name: the site's name.
        url: the site's address (``site_url``, e.g. ``https://me.github.io/logs/``).
        repo: the repository's address (``repo_url``: the pages' "source" links go there).
        package: the implementation package's name (default: made of the folder's name).
        showcase: also copy studylog's Day-7 log, checked against studylog's own implementations.
        categories: the blog's categories (default: ``Study log``).
        today: the first log's date (default: today).

    Returns:
        The files written, in order.

    Raises:
        AuthoringError: if ``target`` holds files already, or ``package`` is no Python package name.
    """
    package = package or package_name(target.resolve().name)
    if not package.isidentifier() or package != package_name(package):
        raise AuthoringError(f"{package!r} cannot be the implementation package's name", path=str(target))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise AuthoringError("the folder exists and is not empty: studylog init never overwrites", path=str(target))
    cats = list(dict.fromkeys(categories or ["Study log"]))
    implementations = [package, *(STUDYLOG_IMPLEMENTATIONS if showcase else ())]
    if showcase and _SHOWCASE_CATEGORY not in cats:
        cats.append(_SHOWCASE_CATEGORY)
    site_url = url if url.endswith("/") else url + "/"
    files = {
        "mkdocs.yml": _MKDOCS.format(
            package=package,
            name=json.dumps(name, ensure_ascii=False),
            url=site_url,
            repo=repo,
            repo_name=json.dumps(_repo_name(repo), ensure_ascii=False),
            categories="\n".join(f"        - {json.dumps(c, ensure_ascii=False)}" for c in cats),
        ),
        "pyproject.toml": _PYPROJECT.format(
            dist=package.replace("_", "-"),
            name=name.replace('"', "'"),
            package=package,
            implementations=", ".join(f'"{p}"' for p in implementations),
        ),
        "package.json": json.dumps({"name": f"{package.replace('_', '-')}-site", "private": True,
                                    "dependencies": _KATEX}, indent=2) + "\n",  # fmt: skip
        ".gitignore": "site/\n.studylog-cache/\nnode_modules/\n.venv/\n__pycache__/\n*.egg-info/\n",
        "README.md": _README.format(name=name, package=package),
        # the package's partial, copied: a site's custom_dir must be a folder of the site
        "overrides/partials/source.html": (importlib.resources.files("studylog.site") / "theme" / "partials" / "source.html")
        .read_text(encoding="utf-8"),
        f"{package}/__init__.py": f'"""The implementations of the formulas of {name}."""\n',
        f"{package}/first.py": _IMPLEMENTATION.format(),
        "tests/test_formulas.py": _TESTS,
        "docs/index.md": f"# {name}\n\nStudy logs whose formulas are checked against their implementations.\n\n"
        "- [All logs](blog/index.md)\n- [Tags](tags.md)\n",
        "docs/blog/index.md": "# Logs\n",
        "docs/tags.md": "# Tags\n\n<!-- material/tags -->\n",
        f"docs/blog/posts/{(today or dt.date.today()).isoformat()}-first-log.md": _FIRST_LOG.format(
            date=(today or dt.date.today()).isoformat(), category=cats[0], package=package
        ),
    }
    if showcase:
        source = importlib.resources.files("studylog.authoring") / "showcase" / SHOWCASE
        files[f"docs/blog/posts/{SHOWCASE}"] = source.read_text(encoding="utf-8")
    written: list[Path] = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
