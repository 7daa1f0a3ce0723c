"""The figures' shared look: colour-blind-safe palettes and a style that survives the site's dark mode.

In dark mode the site shows every figure through ``filter: invert(0.88) hue-rotate(180deg)`` (see
``studylog/site/studylog.css``): lightness is inverted and hues are kept. So figures are drawn on white, with
dark grey (not pure black) text and axes, and with colours of medium lightness that stay readable both ways.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib.pyplot as plt
from cycler import cycler

from studylog.figures.svg import RC

#: Okabe & Ito's colour-blind-safe palette (without its black), for plots with a few series
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
}
#: Paul Tol's "muted" qualitative palette: nine colour-blind-safe colours (one per optimizer)
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
BLUE, VERMILLION, GREEN, ORANGE = (OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange"))
"""The four Okabe & Ito colours most figures use, by name."""
INK = "#333333"
"""Text and data drawn in "black": dark grey, so nothing is pure black on pure white."""
MUTED = "#777777"
"""Secondary lines: reference levels, contours, grid."""
LIGHT = "#E5E5E5"
"""Backgrounds of cells and panels that should recede."""

STYLE = {
    **RC,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "axes.edgecolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "axes.prop_cycle": cycler(color=[OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "sky")]),
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "image.cmap": "viridis",
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Draw inside this block: artists take their colours and sizes from `STYLE` when they are created."""
    with plt.rc_context(STYLE):
        yield
