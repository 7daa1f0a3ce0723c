r"""File names of logs: a slug that keeps ASCII letters, digits and Hangul, and a path that stays in ``docs/``.

A slug only ever holds ``a-z``, ``0-9``, ``-`` and Hangul, so no title, however hostile (``../``, ``/``,
``\``, an absolute path, control characters), can move the file out of the posts folder;
`log_path` checks it once more after resolving the path.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from studylog.authoring.errors import AuthoringError

__all__ = ["MAX_SLUG_LENGTH", "POSTS_DIR", "log_path", "slugify"]

#: where mkdocs-material's blog plugin reads posts, relative to the docs folder
POSTS_DIR = Path("blog") / "posts"
#: at most this many characters (a Hangul syllable is 3 bytes of UTF-8; file names allow 255 bytes)
MAX_SLUG_LENGTH = 60

_HANGUL_RANGES = (
    (0xAC00, 0xD7A3),  # syllables
    (0x1100, 0x11FF),  # jamo
    (0x3131, 0x318E),  # compatibility jamo
)
_DASHES = re.compile(r"-+")


def _is_hangul(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _HANGUL_RANGES)


def _fold(ch: str) -> str:
    r"""One character of a slug: Hangul kept, ASCII letters/digits lower-cased, accents dropped, anything else '-'."""
    if _is_hangul(ch):
        return ch
    ascii_part = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    kept = "".join(c for c in ascii_part.lower() if c.isascii() and c.isalnum())
    return kept or "-"


def slugify(text: str, *, default: str = "log") -> str:
    r"""A file-name-safe slug of ``text``: ASCII letters and digits (lower case), Hangul, and single dashes.

    Hangul is normalized to composed syllables (NFC) so that a title typed on macOS (NFD) gives the
    same slug; other letters lose their accents; everything else, including ``.``, ``/``, ``\`` and
    control characters, becomes a dash. The result is at most `MAX_SLUG_LENGTH` characters.

    Args:
        text: a title or a file name stem.
        default: the slug when nothing is left of ``text``.

    Returns:
        The slug; never empty, never containing a path separator or a dot.

    Examples:
        >>> slugify("[Boostcamp AI Tech] 7일차 학습정리")
        'boostcamp-ai-tech-7일차-학습정리'
        >>> slugify("../../etc/passwd")
        'etc-passwd'
        >>> slugify("Crème brûlée")
        'creme-brulee'
        >>> slugify("///")
        'log'
    """
    folded = "".join(_fold(ch) for ch in unicodedata.normalize("NFC", text))
    slug = _DASHES.sub("-", folded).strip("-")
    slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    return slug or default


def log_path(docs_dir: Path, date: dt.date, slug: str) -> Path:
    r"""Where the log of ``date`` named ``slug`` lives: ``DOCS/blog/posts/YYYY-MM-DD-SLUG.md``.

    Args:
        docs_dir: the site's docs folder.
        date: the log's date.
        slug: a slug made by `slugify`.

    Returns:
        The path (not created).

    Raises:
        AuthoringError: if ``slug`` is not a slug (it would name a file outside the posts folder).

    Examples:
        >>> import datetime
        >>> log_path(Path("docs"), datetime.date(2021, 8, 10), "optimization").as_posix()
        'docs/blog/posts/2021-08-10-optimization.md'
    """
    if slug != slugify(slug, default="") or not slug:
        raise AuthoringError(f"slug={slug!r} is not a slug (use slugify())")
    posts = docs_dir / POSTS_DIR
    path = posts / f"{date.isoformat()}-{slug}.md"
    if not path.resolve().is_relative_to(posts.resolve()):  # defence in depth: a slug has no separators
        raise AuthoringError(f"slug={slug!r} would write outside {posts}")
    return path
