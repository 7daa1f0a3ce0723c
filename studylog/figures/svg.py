"""Matplotlib figures as byte-identical SVG ``<img>`` tags with alt text.

The SVG is embedded as a data URI: it needs no file beside the page (so it works under any sub-path),
its drawing never reaches the search index, and ``alt`` carries the description. Text is drawn as
paths and ids come from a fixed salt, and the date is left out, so two builds give the same bytes.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

RC = {
    "svg.hashsalt": "studylog",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def svg_bytes(fig: plt.Figure) -> bytes:
    """The figure as SVG without timestamps or random ids."""
    buf = io.BytesIO()
    with plt.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buf.getvalue()


def figure_html(fig: plt.Figure, alt: str, caption: str | None = None) -> str:
    """An HTML ``<figure>`` showing ``fig`` (closed afterwards) with ``alt`` text and an optional caption.

    Raises:
        ValueError: when ``alt`` is empty (every figure needs a description).
    """
    if not alt.strip():
        raise ValueError("alt: every figure needs a text description")
    data = base64.b64encode(svg_bytes(fig)).decode("ascii")
    plt.close(fig)
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="sl-figure"><img alt="{html.escape(alt, quote=True)}" '
            f'src="data:image/svg+xml;base64,{data}">{cap}</figure>')  # fmt: skip


def new_figure(width: float = 6.4, height: float = 3.6, **kwargs: object) -> tuple[plt.Figure, object]:
    """A figure and axes with the site's style."""
    with plt.rc_context(RC):
        return plt.subplots(figsize=(width, height), **kwargs)  # type: ignore[arg-type]
