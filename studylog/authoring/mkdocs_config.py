r"""Edit a site's ``mkdocs.yml`` in place, keeping its comments and layout.

The import adds the blog's categories to the blog plugin's ``categories_allowed`` (the strict build
refuses a post whose category is not listed there). ruamel.yaml finds the list and its last line;
the new items are inserted there as text, so nothing else in the file changes, byte for byte. A list
written in flow style (``[a, b]``) is written back by ruamel.yaml's round trip, which keeps comments.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from studylog.authoring.errors import AuthoringError

__all__ = ["add_allowed_categories"]

_BLOG_PLUGINS = ("blog", "material/blog")
_PLAIN = re.compile(r"^[^\W\d_][\w .-]*(?<! )$")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back as the same string, else double-quoted."""
    return value if _PLAIN.match(value) and value.lower() not in _YAML_WORDS else json.dumps(value, ensure_ascii=False)


def _insert_lines(text: str, allowed: CommentedSeq, added: list[str]) -> str | None:
    """``text`` with ``added`` inserted after the last item of the block sequence ``allowed`` (None: not block style)."""
    if allowed.fa.flow_style() or not len(allowed):
        return None
    line, column = allowed.lc.item(len(allowed) - 1)
    lines = text.split("\n")
    dash = lines[line].rfind("-", 0, column)
    if dash == -1 or lines[line][:dash].strip():
        return None
    new = [f"{lines[line][:dash]}- {_scalar(c)}" for c in added]
    return "\n".join([*lines[: line + 1], *new, *lines[line + 1 :]])


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    return yaml


def _indent(text: str) -> tuple[int, int]:
    """``(sequence, offset)`` of the file's block sequences (``plugins:\\n  - x`` is (4, 2))."""
    lines = text.split("\n")
    for k, line in enumerate(lines[:-1]):
        stripped = line.rstrip()
        if stripped.endswith(":") and not stripped.lstrip().startswith("#"):
            nxt = lines[k + 1]
            if nxt.lstrip().startswith("- "):
                parent = len(line) - len(line.lstrip())
                dash = len(nxt) - len(nxt.lstrip()) - parent
                return dash + 2, dash
    return 2, 0


def _blog_options(plugins: Any) -> CommentedMap | None:
    """The options mapping of the blog plugin in ``plugins`` (created if the plugin has none), or None."""
    if isinstance(plugins, CommentedSeq):
        for k, entry in enumerate(plugins):
            if isinstance(entry, str) and entry in _BLOG_PLUGINS:
                plugins[k] = CommentedMap({entry: CommentedMap()})
                return plugins[k][entry]
            if isinstance(entry, CommentedMap):
                for name in _BLOG_PLUGINS:
                    if name in entry:
                        if entry[name] is None:
                            entry[name] = CommentedMap()
                        return entry[name]
    if isinstance(plugins, CommentedMap):
        for name in _BLOG_PLUGINS:
            if name in plugins:
                if plugins[name] is None:
                    plugins[name] = CommentedMap()
                return plugins[name]
    return None


def _allowed(data: Any) -> list[str]:
    options = _blog_options(data.get("plugins") if isinstance(data, CommentedMap) else None)
    return list(options.get("categories_allowed") or []) if options is not None else []


def add_allowed_categories(config: Path, categories: list[str]) -> list[str]:
    r"""Add ``categories`` to the blog plugin's ``categories_allowed`` in ``config``, keeping the file's comments.

    Nothing is written when the plugin has no ``categories_allowed`` (every category is allowed) or
    all are listed already.

    Args:
        config: the site's ``mkdocs.yml``.
        categories: the categories the imported logs use.

    Returns:
        The categories added, in order.

    Raises:
        AuthoringError: if the file cannot be read or parsed, or has no blog plugin.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = Path(tmp) / "mkdocs.yml"
        ...     _ = path.write_text("plugins:\n  - blog:\n      categories_allowed:\n        - A  # mine\n")
        ...     add_allowed_categories(path, ["A", "Machine Learning"])
        ...     print(path.read_text(), end="")
        ['Machine Learning']
        plugins:
          - blog:
              categories_allowed:
                - A  # mine
                - Machine Learning
    """
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthoringError(f"cannot read the site's configuration: {exc}", path=str(config)) from None
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise AuthoringError(f"cannot parse the site's configuration: {exc}", path=str(config), line=line) from None
    options = _blog_options(data.get("plugins") if isinstance(data, CommentedMap) else None)
    if options is None:
        raise AuthoringError("the site has no blog plugin (plugins: - blog) to list categories in", path=str(config))
    allowed = options.get("categories_allowed")
    if allowed is None:
        return []
    added = [c for c in dict.fromkeys(categories) if c not in list(allowed)]
    if not added:
        return []
    inserted = _insert_lines(text, allowed, added)
    if inserted is not None and _allowed(_yaml().load(inserted)) == [*allowed, *added]:
        config.write_text(inserted, encoding="utf-8")
        return added
    allowed.extend(added)
    sequence, offset = _indent(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    out = io.StringIO()
    yaml.dump(data, out)
    config.write_text(out.getvalue(), encoding="utf-8")
    return added
