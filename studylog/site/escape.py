"""Text into HTML, for every piece of HTML studylog writes itself."""

from __future__ import annotations

import html
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: str, quote: bool = True) -> str:
    r"""``text`` HTML-escaped, its control characters shown as ``\xNN``: a log may hold STX or ETX, which
    Python-Markdown takes for its own placeholders and no page should carry.

    Examples:
        >>> esc("a < b\x03")
        'a &lt; b\\x03'
    """
    return html.escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text), quote=quote)
