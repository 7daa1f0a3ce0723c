"""Figures of the logs, drawn by studylog code and embedded as deterministic SVG."""

from studylog.figures.svg import figure_html

__all__ = ["figure_html"]
