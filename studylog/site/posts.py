"""What the blog plugin will refuse in a post's front matter, said first with ``FILE:LINE``.

mkdocs-material's blog plugin reads each post's front matter again and stops the build on anything its
schema refuses, naming the file but not the line (and one value, ``links: 5``, makes it raise an
``AttributeError``). The studylog plugin checks each post with the blog's own schema
(`material.plugins.blog.structure.config.PostConfig`) when it reads the logs, and reports the line
of the key.
"""

from __future__ import annotations

from typing import Any

from mkdocs.utils.meta import YAML_RE

from studylog.errors import MarkupError
from studylog.markup import LogPage


def post_problems(log: LogPage) -> list[MarkupError]:
    """Why the blog plugin would refuse this post (empty when it will take it)."""
    from material.plugins.blog.structure.config import PostConfig

    fm = log.front_matter
    if fm.lines and not YAML_RE.match(log.text):
        return [MarkupError("the blog plugin cannot find this front matter: it needs at least one key, and a line "
                            "after its closing '---'", path=log.path, line=1)]  # fmt: skip
    if "date" not in fm.data:
        return [MarkupError("a blog post needs a date: begin it with '---', 'date: YYYY-MM-DD', '---'", path=log.path,
                            line=1)]  # fmt: skip
    known = {k: v for k, v in fm.data.items() if k in PostConfig(log.path).keys()}

    def refusals(meta: dict[str, Any]) -> list[tuple[str, str]]:
        config = PostConfig(log.path)
        config.load_dict(meta)
        errors, _ = config.validate()
        return [(key, str(error)) for key, error in errors]

    try:
        found = refusals(known)
    except Exception:  # noqa: BLE001 - the blog's schema crashed on a value: find which key, one at a time
        found = []
        for key, value in known.items():
            try:
                found += [(k, e) for k, e in refusals({"date": known["date"], key: value}) if k == key]
            except Exception as exc:  # noqa: BLE001
                found.append((key, f"the blog plugin cannot read {value!r} ({type(exc).__name__})"))
    return [MarkupError(f"{key}: {error}", path=log.path, line=fm.key_line(key)) for key, error in found]
