"""What the Markdown extension renders from: the site model, how links are written, the current page.

Under MkDocs the plugin builds one `RenderContext` per build and tells it which page renders; used on
its own (Zensical, ProperDocs without the plugin, a script) the extension builds it itself
(`studylog.site.standalone`). Either way a page is found in the model by its lines, not re-read.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from studylog.engine.records import Verdict
from studylog.engine.scan import Formula
from studylog.site.katex import MathRenderer
from studylog.site.model import PageModel, SiteModel
from studylog.site.render import Links


def normalized(line: str, tab_length: int = 4) -> str:
    """A line as Python-Markdown hands it to preprocessors (tabs expanded, blank lines emptied)."""
    line = line.expandtabs(tab_length)
    return "" if not line.strip() else line


@dataclass
class RenderContext:
    """One build's rendering knowledge."""

    model: SiteModel
    renderer: MathRenderer
    links: Links
    md_setup: tuple[list[Any], dict[str, Any]] | None = None  # the host's Markdown extensions (for example output)
    current: str | None = None  # path of the page being rendered, when the host says
    current_url: str | None = None
    trusted: set[str] = field(default_factory=set)  # HTML studylog made or already cleaned, by value
    notes: list[str] = field(default_factory=list)
    formatted: dict[tuple[str, int], str] = field(default_factory=dict)  # example HTML of this build
    _inline: dict[str, dict[tuple[int, int], Formula]] = field(default_factory=dict)
    _by_first_line: dict[str, list[PageModel]] | None = None

    # ------------------------------------------------------------------ finding the page
    def locate(self, lines: list[str]) -> tuple[PageModel, int] | None:
        """The page whose body these Markdown lines are (whole, or a leading part such as an excerpt)."""
        given = [normalized(x) for x in lines]
        while given and not given[-1]:
            given.pop()
        if not given:
            return None
        hinted = self.model.pages.get(self.current or "")
        if hinted is not None and self._matches(hinted, given):
            return hinted, hinted.body_start
        for page in self._candidates(given[0]):
            if page is not hinted and self._matches(page, given):
                return page, page.body_start
        return None

    def _candidates(self, first: str) -> list[PageModel]:
        if self._by_first_line is None:
            self._by_first_line = {}
            for page in self.model.pages.values():
                lines = page.log.lines
                if page.body_start < len(lines):
                    self._by_first_line.setdefault(normalized(lines[page.body_start]), []).append(page)
        return self._by_first_line.get(first, [])

    @staticmethod
    def _matches(page: PageModel, given: list[str]) -> bool:
        src = page.log.lines
        start = page.body_start
        if start + len(given) > len(src):
            return False
        return all(normalized(src[start + k]) == g for k, g in enumerate(given))

    # ------------------------------------------------------------------ records of a page
    def inline_formula(self, page: PageModel, line: int, start: int) -> Formula | None:
        table = self._inline.get(page.path)
        if table is None:
            inline = [f for f in page.scanned.formulas if not f.display]
            table = {(s.line, s.start): f for s, f in zip(page.log.inline, inline, strict=True)}
            self._inline[page.path] = table
        return table.get((line, start))

    def verdict(self, formula: Formula) -> Verdict | None:
        return self.model.verdict(formula)

    def formula_href(self, formula: Formula, here: PageModel | None) -> str:
        """A plain link to a formula from the page rendering now (when no autorefs resolves links)."""
        anchor = f"#eq-{formula.id}"
        target = self.model.pages.get(formula.path)
        if target is None or (here is not None and here.path == target.path):
            return anchor
        target_url = target.url if target.url is not None else self.model.default_url(target.src_uri)
        here_url = self.current_url if self.current_url is not None else (
            here.url if here is not None and here.url is not None else self.model.default_url(here.src_uri) if here else ""
        )  # fmt: skip
        return relative_url(target_url, here_url) + anchor

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


def relative_url(target: str, here: str) -> str:
    """``target`` page URL relative to the page URL ``here`` (both site-relative, directory style)."""
    base = posixpath.dirname(here) if not here.endswith("/") and here else here.rstrip("/")
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel
