"""A content-addressed store of rendered HTML inside the project (formulas, executed examples).

Entries live at ``folder/<key[:2]>/<key>.json`` and carry the hash of their HTML: a lookup opens one
file (no scan), a corrupted or foreign entry is detected, deleted and reported as a miss, and a write
goes to a temporary file renamed into place, so an interrupted build never leaves half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def digest(payload: object) -> str:
    """The key of ``payload`` (anything JSON can encode; dict keys are sorted)."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _sha(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


class HtmlStore:
    """Rendered HTML by key; ``folder=None`` stores nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The HTML stored under ``key``, or None (absent, or corrupted and now removed)."""
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            html = entry["html"]
            if entry.get("key") != key or _sha(html) != entry.get("sha256"):
                raise ValueError("checksum")
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            path.unlink(missing_ok=True)
            return None
        return str(html)

    def put(self, key: str, html: str) -> None:
        """Store ``html`` under ``key`` atomically."""
        if self.folder is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "sha256": _sha(html), "html": html}, fh)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
