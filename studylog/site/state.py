"""What the Markdown extension needs to know about the whole site while it renders one page.

It is built once per build (the MkDocs plugin builds it before any page renders; used on its own,
the extension builds it lazily), so every page knows every formula's number, page and verdict.
"""

from __future__ import annotations

import json
import logging
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from studylog.engine.check import VERIFIED
from studylog.engine.scan import Formula
from studylog.engine.verify import FormulaIndex, FormulaStatus, Report
from studylog.site.examples import ExampleCache
from studylog.site.katex import MathRenderer

log = logging.getLogger("studylog")


@dataclass(frozen=True, kw_only=True)
class SiteOptions:
    """Options of the site integration (``plugins: - studylog: …`` in ``mkdocs.yml``)."""

    engine: str = "katex"
    cache_dir: Path | None = None
    verify: bool = True
    repo_url: str | None = None
    branch: str = "main"
    macros: dict[str, str] = field(default_factory=dict)


@dataclass
class PageContext:
    """The page being rendered: its source path (relative to the project root), URL and line offset."""

    src_path: str
    url: str
    line_offset: int = 0
    title: str = ""


@dataclass
class SiteState:
    """Cross-page knowledge: formula index, verification verdicts, page URLs, rendering."""

    options: SiteOptions
    project_root: Path
    renderer: MathRenderer
    index: FormulaIndex = field(default_factory=FormulaIndex)
    report: Report = field(default_factory=Report)
    page_urls: dict[str, str] = field(default_factory=dict)  # source path -> page URL
    page_titles: dict[str, str] = field(default_factory=dict)
    page: PageContext | None = None
    problems: list[str] = field(default_factory=list)
    on_problem: Callable[[str], None] | None = None
    on_note: Callable[[str], None] | None = None
    notes: list[str] = field(default_factory=list)
    pages_only: bool = False  # under MkDocs: Markdown rendered outside a page (blog excerpts) repeats a page
    examples: ExampleCache | None = None  # None: executed examples are left to other extensions
    example_timeout: float | None = 60.0

    def note(self, message: str) -> None:
        """Report something the user may want to know that is not an error (logged at INFO)."""
        if message not in self.notes:
            self.notes.append(message)
            (self.on_note or log.info)(message)

    def problem(self, message: str, *, site_wide: bool = False) -> None:
        """Report a build problem (the MkDocs plugin turns these into warnings, fatal with --strict).

        Problems found while rendering Markdown outside any page (blog excerpts repeat their post) are
        dropped under MkDocs; ``site_wide`` problems (from the verification pass) are always reported.
        """
        if message in self.problems or (self.pages_only and self.page is None and not site_wide):
            return
        self.problems.append(message)
        if self.on_problem is not None:
            self.on_problem(message)
        else:
            log.warning(message)

    def status(self, formula_id: str) -> FormulaStatus | None:
        return self.report.by_id().get(formula_id)

    def formula(self, formula_id: str) -> Formula | None:
        return self.index.by_id.get(formula_id)

    def url_of(self, formula: Formula) -> str:
        """The link to ``formula`` from the current page (relative, so the site works under a sub-path)."""
        anchor = f"#eq-{formula.id}"
        target = self.page_urls.get(formula.path)
        here = self.page.url if self.page else None
        if target is None or here is None or target == here:
            return anchor
        return relative_url(target, here) + anchor

    def source_url(self, path: str | None, line: int | None) -> str | None:
        """The link to ``path:line`` in the published repository, or None when none is configured."""
        if not self.options.repo_url or not path:
            return None
        try:
            rel = Path(path).resolve().relative_to(self.project_root.resolve()).as_posix()
        except ValueError:
            return None
        suffix = f"#L{line}" if line else ""
        return f"{self.options.repo_url.rstrip('/')}/blob/{self.options.branch}/{rel}{suffix}"

    def export(self, path: Path) -> None:
        """Write the formula index as JSON (for other tools: id, page, number, status, implementations)."""
        statuses = self.report.by_id()
        rows = []
        for f in self.index.formulas:
            if f.id is None:
                continue
            s = statuses.get(f.id)
            rows.append({
                "id": f.id, "source": f.location, "page": self.page_urls.get(f.path), "number": f.number,
                "status": s.status if s else None,
                "implementations": [b.path for b in s.bindings] if s else [],
            })  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")

    def backlinks(self) -> dict[str, list[Formula]]:
        """Implementation path -> the formulas it implements (verified or not)."""
        out: dict[str, list[Formula]] = {}
        for s in self.report.statuses:
            for b in s.bindings:
                if s.formula not in out.setdefault(b.path, []):
                    out[b.path].append(s.formula)
        return out

    def is_verified(self, formula_id: str) -> bool:
        s = self.status(formula_id)
        return s is not None and s.status == VERIFIED


def relative_url(target: str, here: str) -> str:
    """``target`` page URL relative to the page URL ``here`` (both site-relative, directory style)."""
    base = posixpath.dirname(here) if not here.endswith("/") and here else here.rstrip("/")
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel
