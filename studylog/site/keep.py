"""HTML that studylog made itself, kept out of the sanitizer by value (`studylog.site.sanitize`).

`protect` replaces each occurrence of a kept value in a fragment by a marker the HTML parser sees as
text, with a nonce no input can forge; `restore` puts the values back after cleaning.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Collection
from typing import Any

_KEY = 16  # kept values are looked up by their first characters
_index_cache: dict[str, Any] = {}


def _index(keep: Collection[str]) -> dict[str, list[str]]:
    """Kept values (HTML, so starting with ``<``) by their first `_KEY` characters, longest first: of a dict
    (a build's `RenderContext.trusted`, which only grows) only the values added since the last call are indexed."""
    size = len(keep)
    if _index_cache.get("of") is not keep or not isinstance(keep, dict) or size < _index_cache["size"]:
        _index_cache.update(of=keep, size=0, by_prefix={})
    elif size == _index_cache["size"]:
        return _index_cache["by_prefix"]
    by_prefix: dict[str, list[str]] = _index_cache["by_prefix"]
    for v in itertools.islice(keep, _index_cache["size"], None):
        if len(v) >= _KEY and v.startswith("<"):
            bucket = by_prefix.setdefault(v[:_KEY], [])
            bucket.append(v)
            bucket.sort(key=len, reverse=True)
    _index_cache["size"] = size
    return by_prefix


def protect(fragment: str, keep: Collection[str]) -> tuple[str, list[str], str]:
    """Replace each occurrence of a kept value by a marker that the parser sees as text."""
    if not keep:
        return fragment, [], ""
    index = _index(keep)
    nonce = secrets.token_hex(8)
    kept: list[str] = []
    out: list[str] = []
    pos = start = 0
    while (pos := fragment.find("<", pos)) != -1:
        for value in index.get(fragment[pos : pos + _KEY], ()):
            if fragment.startswith(value, pos):
                out += [fragment[start:pos], f"\x02sl-keep:{nonce}:{len(kept)}\x03"]
                kept.append(value)
                pos = start = pos + len(value)
                break
        else:
            pos += 1
    out.append(fragment[start:])
    return "".join(out), kept, nonce


def restore(clean: str, kept: list[str], nonce: str) -> str:
    if not kept:
        return clean
    return re.sub(f"\x02sl-keep:{nonce}:(\\d+)\x03", lambda m: kept[int(m.group(1))], clean)
