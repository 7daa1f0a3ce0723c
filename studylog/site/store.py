"""A content-addressed store inside the project (rendered formulas, executed examples' output).

Entries live at ``folder/<key[:2]>/<key>.json`` and carry the hash of their payload: a lookup opens one
file (no scan), a corrupted or foreign entry is detected, deleted and reported as a miss, and a write
goes to a temporary file renamed into place, so an interrupted build never leaves half an entry.

Eviction: a hit touches its entry, and `prune` deletes the least recently used entries until the
folder is under its size bound (called at the end of every build).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def digest(payload: object) -> str:
    """The key of ``payload`` (anything JSON can encode; dict keys are sorted)."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _sha(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoreInfo:
    """How much a store holds."""

    folder: Path
    entries: int
    bytes: int


class JsonStore:
    """JSON payloads by key; ``folder=None`` stores nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get_json(self, key: str) -> Any | None:
        """The payload stored under ``key``, or None (absent, or corrupted and now removed)."""
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            payload = entry["payload"]
            if entry.get("key") != key or _sha(payload) != entry.get("sha256"):
                raise ValueError("checksum")
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, OSError):
            path.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used: kept longest by `prune`
        return payload

    def put_json(self, key: str, payload: Any) -> None:
        """Store ``payload`` under ``key`` atomically."""
        if self.folder is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "sha256": _sha(payload), "payload": payload}, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _entries(self) -> list[tuple[float, int, Path]]:
        if self.folder is None or not self.folder.is_dir():
            return []
        out = []
        for path in self.folder.glob("??/*.json"):
            with contextlib.suppress(OSError):
                st = path.stat()
                out.append((st.st_mtime, st.st_size, path))
        return out

    def info(self) -> StoreInfo:
        entries = self._entries()
        return StoreInfo(self.folder or Path(), len(entries), sum(size for _, size, _ in entries))

    def prune(self, max_bytes: int) -> int:
        """Delete least recently used entries until the store holds at most ``max_bytes``; return how many."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in entries:
            if total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed

    def clear(self) -> None:
        """Delete every entry."""
        if self.folder is not None and self.folder.is_dir():
            shutil.rmtree(self.folder)


class HtmlStore(JsonStore):
    """Rendered HTML by key."""

    def get(self, key: str) -> str | None:
        payload = self.get_json(key)
        return payload if isinstance(payload, str) else None

    def put(self, key: str, html: str) -> None:
        self.put_json(key, html)
