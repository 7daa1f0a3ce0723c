"""A log's formula sheet: every numbered formula on one compact, collapsible table at the top of the log.

Generated from the site model, so it cannot disagree with the page: each row is a formula of the log
with its number (a link to it), the formula as rendered (MathML, laid out inline so fractions stay
compact), a one-line name and its verdict. The name is the formula's ``title="…"`` attribute, else the
heading of the section it stands in; rows are grouped under the log's sections.
"""

from __future__ import annotations

from studylog.engine.scan import Formula
from studylog.site.escape import esc
from studylog.site.headings import Heading, Slug, default_slug, headings, section_of
from studylog.site.lightpage import inline_math, mathml_only
from studylog.site.model import PageModel, SiteModel
from studylog.site.render import NOT_CHECKED, STATUS_TEXT

__all__ = ["MIN_FORMULAS", "formula_sheet", "sheet_rows"]

MIN_FORMULAS = 3  # a log with fewer numbered formulas gets no sheet


def sheet_rows(page: PageModel, slug: Slug = default_slug) -> list[tuple[Formula, str, Heading | None]]:
    """``(formula, one-line name, section)`` for each numbered formula of the log, in order."""
    titles = {f.line: f.attrs.title for f in page.log.math}
    all_headings = headings(page.log, slug)
    rows = []
    for formula in page.scanned.formulas:
        if not formula.display or formula.number is None:
            continue
        section = section_of(all_headings, formula.line, deepest=4)
        name = titles.get(formula.line) or (section.text if section is not None else formula.id or "")
        rows.append((formula, name, section))
    return rows


def _verdict(model: SiteModel, formula: Formula) -> str:
    verdict = model.verdict(formula)
    if verdict is None:
        mark, word, cls = NOT_CHECKED if model.options.verify else ("", "", "")
    else:
        mark, word, cls = STATUS_TEXT.get(verdict.status, ("✗", verdict.status.value, "sl-failed"))
    status = verdict.status.value if verdict is not None else ""
    return f'<span class="sl-status sl-inline-status {cls}" title="{esc(word, quote=True)}" data-status="{status}">{mark}</span>'


def formula_sheet(page: PageModel, model: SiteModel, slug: Slug = default_slug) -> str:
    """The sheet's HTML (empty for a log with fewer than `MIN_FORMULAS` numbered formulas); ``slug`` is the
    page's ``toc`` slug, for the links to its sections."""
    rows = sheet_rows(page, slug)
    if len(rows) < MIN_FORMULAS:
        return ""
    body: list[str] = []
    current: Heading | None = None
    verified = 0
    for formula, name, section in rows:
        if section is not None and section != current:
            current = section
            body.append(f'<tr class="sl-sheet-section"><th colspan="4" scope="colgroup">'
                        f'<a href="#{esc(section.anchor, quote=True)}">{esc(section.text)}</a></th></tr>')  # fmt: skip
        rendered = model.rendered.get((formula.latex, True))
        math = inline_math(mathml_only(rendered)) if rendered is not None else f"<code>{esc(formula.latex)}</code>"
        href = f"#eq-{esc(formula.id, quote=True)}" if formula.id else ""
        number = f'<a href="{href}">({formula.number})</a>' if href else f"({formula.number})"
        verdict = model.verdict(formula)
        verified += verdict is not None and verdict.status.value == "verified"
        body.append(f'<tr data-id="{esc(formula.id or "", quote=True)}"><td class="sl-sheet-no">{number}</td>'
                    f'<td class="sl-sheet-math">{math}</td><td class="sl-sheet-name">{esc(name)}</td>'
                    f"<td>{_verdict(model, formula)}</td></tr>")  # fmt: skip
    summary = f"Formula sheet: {len(rows)} numbered formulas"
    if model.verified:
        summary += f", {verified} verified"
    # kept out of the search index: each formula is indexed once, where it stands
    return (f'<details class="sl-sheet" data-search-exclude><summary>{esc(summary)}</summary><div class="sl-sheet-scroll">'
            f'<table class="sl-sheet-table"><thead><tr><th scope="col">#</th><th scope="col">formula</th><th scope="col">name</th>'
            f'<th scope="col"><span class="sl-visually-hidden">verdict</span></th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div></details>')  # fmt: skip


def sheet_line(page: PageModel) -> int | None:
    """The line the sheet goes before: the log's first ``##`` heading (after the opening summary and the
    excerpt separator, so blog listings never show it); None when the log has no such heading."""
    return next((h.line for h in headings(page.log) if h.level == 2), None)
