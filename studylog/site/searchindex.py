"""Korean substrings in Material's search without single-syllable false hits.

Hangul writes compound words without spaces (경사하강법, "gradient descent"), and a reader searches
for any part of one (하강법). Material's search (Lunr) only matches tokens from their start, and each
query word is matched on its own (any word may match). Splitting every syllable into its own token,
as this site did, finds 하강법 but also every page with 하, 강 or 법 anywhere. Instead:

* the separator (``mkdocs.yml``) keeps a Hangul word whole, so a query word is one token;
* every section gets one more field, ``korean``, holding each Hangul word's suffixes (하강법, 강법,
  법 of 경사하강법), so a query matches a word by any part of it, as a prefix of one of its suffixes,
  and only where those syllables stand together. The field is indexed but never shown (Material's
  result list shows the title and the text only).

The field is added to ``search/search_index.json`` after Material's search plugin wrote it
(`add_korean_field`, from the reading hooks' ``on_post_build``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

__all__ = ["FIELD", "add_korean_field", "korean_suffixes"]

FIELD = "korean"
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_TAGS = re.compile(r"<[^>]+>")


def korean_suffixes(text: str) -> list[str]:
    """Each Hangul word's proper suffixes (the word itself is in the text already), once each.

    >>> korean_suffixes("확률적 경사하강법 (SGD), 경사하강법")
    ['률적', '적', '사하강법', '하강법', '강법', '법']
    """
    out: dict[str, None] = {}
    for word in _HANGUL_WORD.findall(_TAGS.sub(" ", text)):
        for i in range(1, len(word)):
            out.setdefault(word[i:], None)
    return list(out)


def add_korean_field(index_file: Path) -> int:
    """Add the ``korean`` field to a Material search index; return how many sections got one."""
    try:
        index: dict[str, Any] = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    docs = index.get("docs")
    config = index.get("config")
    if not isinstance(docs, list) or not isinstance(config, dict):
        return 0
    n = 0
    for doc in docs:
        suffixes = korean_suffixes(f"{doc.get('title', '')} {doc.get('text', '')}")
        if suffixes:
            doc[FIELD] = " ".join(suffixes)
            n += 1
    if n:
        config.setdefault("fields", {}).setdefault(FIELD, {"boost": 1.0})
        index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return n
