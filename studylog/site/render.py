"""The HTML a page shows for a formula, a reference, an example and the page's problems.

Pure functions of the site model's records; the Markdown extension stashes what they return. Links to
implementations, and (under MkDocs) to formulas, are ``<autoref>`` elements that mkdocs-autorefs
resolves into URLs relative to whichever page shows them (a post, or a blog listing with its excerpt).
"""

from __future__ import annotations

from dataclasses import dataclass

from studylog.engine.records import ImplRef, Verdict
from studylog.engine.scan import Formula
from studylog.engine.status import Status
from studylog.errors import StudylogError
from studylog.site.escape import esc
from studylog.site.lightpage import mathml_only

#: mark, word and CSS class of each verdict as a page shows it
STATUS_TEXT: dict[Status, tuple[str, str, str]] = {
    Status.VERIFIED: ("✓", "verified", "sl-verified"),
    Status.EXEMPT: ("–", "exempt", "sl-exempt"),
    Status.MISMATCH: ("✗", "mismatch", "sl-failed"),
    Status.INVALID: ("✗", "invalid", "sl-failed"),
    Status.MISSING: ("✗", "no implementation", "sl-failed"),
    Status.UNLINKED: ("✗", "unlinked", "sl-failed"),
    Status.IMPORTED: ("?", "not yet checked", "sl-unchecked"),
}
NOT_CHECKED = ("?", "not checked", "sl-unchecked")



def searchable_once(rendered: str, tex: str) -> str:
    """Keep KaTeX's MathML out of the search index and index the formula once, as its TeX.

    The page shows KaTeX's MathML only (`studylog.site.lightpage.mathml_only`: browsers lay it out;
    KaTeX's HTML copy is most of a page's weight). The excluded wrapper is a custom element because
    Material's search parser lifts an exclusion at the first closing tag of the same name.
    """
    return f'<sl-katex data-search-exclude>{mathml_only(rendered)}</sl-katex><span class="sl-tex" hidden>{esc(tex)}</span>'


@dataclass(frozen=True)
class Links:
    """How links are written: ``<autoref>`` for mkdocs-autorefs, or plain hrefs computed by studylog."""

    autorefs: bool
    repo_url: str | None = None
    branch: str = "main"

    def implementation(self, impl: ImplRef) -> str:
        name = esc(impl.qualname)
        return f'<autoref identifier="{esc(impl.path)}" class="sl-impl-link"><code>{name}</code></autoref>'

    def source(self, impl: ImplRef, project_root: str) -> str:
        if not self.repo_url or not impl.source_file:
            return ""
        from pathlib import Path

        try:
            rel = Path(impl.source_file).resolve().relative_to(Path(project_root).resolve()).as_posix()
        except ValueError:
            return ""
        line = f"#L{impl.source_line}" if impl.source_line else ""
        url = f"{self.repo_url.rstrip('/')}/blob/{self.branch}/{rel}{line}"
        return f'<a class="sl-source" href="{esc(url, quote=True)}" title="source of {esc(impl.qualname)}">source</a>'

    def formula(self, formula_id: str, label: str, href: str | None) -> str:
        if self.autorefs:
            return f'<autoref identifier="eq:{esc(formula_id)}" class="sl-ref">{esc(label)}</autoref>'
        return f'<a class="sl-ref" href="{esc(href or "#eq-" + formula_id, quote=True)}">{esc(label)}</a>'


def status_mark(verdict: Verdict | None, *, inline: bool = False, verify: bool = True) -> str:
    """The verdict badge of a formula (``✓ verified``, ``✗ mismatch`` …); empty for unchecked sites."""
    if verdict is None:
        if not verify:
            return ""
        mark, word, cls = NOT_CHECKED
        title = "not checked"
    else:
        mark, word, cls = STATUS_TEXT.get(verdict.status, ("✗", verdict.status.value, "sl-failed"))
        title = verdict.message or word
    if inline:
        return f'<span class="sl-status sl-inline-status {cls}" title="{esc(title, quote=True)}">{mark}</span>'
    if verdict is not None and verdict.status is Status.EXEMPT:
        return f'<span class="sl-status sl-exempt">exempt: {esc(verdict.message)}</span>'
    return f'<span class="sl-status {cls}" title="{esc(title, quote=True)}">{mark} {word}</span>'


def display_formula(formula: Formula, katex: str, verdict: Verdict | None, links: Links, root: str, *, verify: bool) -> str:
    """A numbered display formula: the math, then one line with its number, verdict and links."""
    attrs = f' id="eq-{esc(formula.id)}"' if formula.id else ""
    meta: list[str] = []
    if formula.number:
        meta.append(f'<span class="sl-number">({formula.number})</span>')
    if formula.exempt is not None and formula.id is None:
        meta.append(f'<span class="sl-status sl-exempt">exempt: {esc(formula.exempt)}</span>')
    elif formula.id is not None or formula.same or formula.imported or (verdict is not None and verdict.status.failed):
        meta.append(status_mark(verdict, verify=verify))
    if verdict is not None:
        seen: set[str] = set()
        for impl in verdict.impls:
            if impl.path in seen:  # a system lists its implementation once
                continue
            seen.add(impl.path)
            meta.append(f'<span class="sl-impl">{links.implementation(impl)}</span>')
            meta.append(links.source(impl, root))
    return (f'<div class="sl-formula"{attrs}><div class="sl-math">{katex}</div>'
            f'<div class="sl-meta">{"".join(meta)}</div></div>')  # fmt: skip


def inline_formula(formula: Formula, katex: str, verdict: Verdict | None, *, verify: bool) -> str:
    """Inline math; a linked, imported or failing one carries its verdict mark and anchor."""
    needs_mark = formula.id is not None or formula.same or formula.imported or (verdict is not None and verdict.status.failed)
    if not needs_mark:
        return katex
    anchor = f' id="eq-{esc(formula.id)}"' if formula.id else ""
    return f'<span class="sl-inline"{anchor}>{katex}{status_mark(verdict, inline=True, verify=verify)}</span>'


def error_block(message: str, *, inline: bool = False) -> str:
    tag = "span" if inline else "div"
    return f'<{tag} class="sl-error" role="alert">{esc(message)}</{tag}>'


def page_banner(problems: list[StudylogError], failing: list[tuple[Formula, Verdict]], imported: int = 0) -> str:
    """What a page with problems says at its top: a count, and a link to each failing formula.

    Imported formulas not yet linked are counted in a note of their own (they are no problem, but no
    reader should take them for checked).
    """
    note = ""
    if imported:
        note = (f'<div class="sl-page-unchecked admonition note"><p>{imported} formula{"s" if imported != 1 else ""} '
                f'on this page {"were" if imported != 1 else "was"} imported and {"are" if imported != 1 else "is"} '
                "not yet checked against an implementation (marked ?).</p></div>")  # fmt: skip
    if not problems and not failing:
        return note
    items = []
    for formula, verdict in failing:
        target = f"#eq-{esc(formula.id)}" if formula.id else ""
        label = f"({formula.number}) {formula.id}" if formula.number and formula.id else formula.id or f"line {formula.line}"
        link = f'<a href="{target}">{esc(label)}</a>' if target else esc(label)
        items.append(f"<li>{link}: {esc(STATUS_TEXT.get(verdict.status, ('', verdict.status.value, ''))[1])} — "
                     f"{esc(verdict.message)}</li>")  # fmt: skip
    seen_lines = {(f.path, f.line) for f, _ in failing}
    for p in problems:
        if (p.path, p.line) in seen_lines and p.formula_id:
            continue
        items.append(f"<li><code>{esc(str(p))}</code></li>")
    n = len(items)
    return (f'<div class="sl-page-problems admonition failure" role="alert"><p class="admonition-title">'
            f'This page has {n} problem{"s" if n != 1 else ""}</p><ul>{"".join(items)}</ul></div>' + note)  # fmt: skip
