"""Links both ways between formulas and their implementations' API entries.

* Formula anchors: every formula with an id is registered with mkdocs-autorefs as ``eq:<id>``, so a
  reference (``[eq:adam.m]``) and a back-link resolve to a URL relative to whichever page shows them.
* API back-links: a Griffe extension (``extensions: [studylog.site.backlinks]`` in mkdocstrings'
  Python handler options) appends to each implementation's docstring the list of the formulas it
  implements, as references with their verdicts; mkdocstrings renders them with the rest.

Both read the site model of the current build (`current_context`), set by the MkDocs plugin.
"""

from __future__ import annotations

from typing import Any

import griffe

from studylog.site.context import RenderContext
from studylog.site.render import STATUS_TEXT

_CURRENT: RenderContext | None = None


def set_current_context(context: RenderContext | None) -> None:
    """Set (or clear) the build whose model the back-links read."""
    global _CURRENT  # noqa: PLW0603 - one build at a time, set by the plugin
    _CURRENT = context


def current_context() -> RenderContext | None:
    return _CURRENT


def implemented_by(context: RenderContext) -> dict[str, list[tuple[str, str]]]:
    """Implementation path -> ``[(formula id, verdict word)]`` in site order."""
    out: dict[str, list[tuple[str, str]]] = {}
    model = context.model
    for page in model.pages.values():
        for formula in page.scanned.formulas:
            verdict = model.verdict(formula)
            if verdict is None or formula.id is None:
                continue
            mark, word, _ = STATUS_TEXT.get(verdict.status, ("✗", verdict.status.value, ""))
            for impl in verdict.impls:
                entry = (formula.id, f"{mark} {word}")
                if entry not in out.setdefault(impl.path, []):
                    out[impl.path].append(entry)
    return out


def backlinks_markdown(items: list[tuple[str, str]]) -> str:
    """The Markdown appended to an implementation's docstring: one reference per formula, with its verdict."""
    lines = ["", "**Implements the formulas:**", ""]
    lines += [f"- [eq:{fid}] `{fid}` {verdict}" for fid, verdict in items]
    return "\n".join(lines) + "\n"


class Backlinks(griffe.Extension):
    """Griffe extension: each implementation's docstring lists the formulas it implements."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:  # noqa: ARG002
        context = current_context()
        if context is None:
            return
        table = getattr(context, "_implemented_by", None)
        if table is None:
            table = implemented_by(context)
            context._implemented_by = table  # type: ignore[attr-defined]
        items = table.get(obj.path)
        if not items:
            return
        text = backlinks_markdown(items)
        if obj.docstring is None:
            obj.docstring = griffe.Docstring(text.strip(), parent=obj)
        else:
            obj.docstring.value = obj.docstring.value.rstrip() + "\n" + text


def register_anchors(autorefs: Any, pages_by_src: dict[str, Any], context: RenderContext) -> None:
    """Register ``eq:<id>`` for every formula with an id, with mkdocs-autorefs' public `register_anchor`."""
    for page in context.model.pages.values():
        host_page = pages_by_src.get(page.src_uri)
        if host_page is None:
            continue
        for formula in page.scanned.formulas:
            if formula.id is None:
                continue
            title = f"{page.title} ({formula.number})" if formula.number else f"{page.title}: {formula.id}"
            autorefs.register_anchor(host_page, f"eq:{formula.id}", anchor=f"eq-{formula.id}", title=title, primary=True)
