r"""A Python-Markdown extension: server-side KaTeX for markdown-katex's syntax, plus formula links.

* ```` ```math {#id} ```` fences and $`…`$ spans are rendered to KaTeX HTML at build time;
* a linked display formula gets its number, its verdict, a link to its implementation's API entry
  (resolved by mkdocs-autorefs) and to its source;
* ``[eq:ID]`` in text becomes the formula's number, linking to it.

It runs in any Python-Markdown host (MkDocs, or Zensical/ProperDocs which run extensions but not
MkDocs plugins); the MkDocs plugin only hands it the `SiteState` of the whole site.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from studylog.engine.check import EXEMPT, VERIFIED
from studylog.engine.scan import _FENCE_RE, ID_RE, REF_RE, Formula, _inline_spans, _parse_attrs, fence_body, fence_end
from studylog.errors import RenderError, StudylogError
from studylog.site.sanitize import sanitize_markdown
from studylog.site.examples import Example, is_exec, is_expect_fence, parse_info, render_example
from studylog.site.state import SiteState

_INLINE_ATTRS = re.compile(r"\{(?:#" + ID_RE + r'|exempt="[^"]*")(?:\s+(?:#' + ID_RE + r'|exempt="[^"]*"))*\}')

STATUS_TEXT = {
    VERIFIED: ("✓", "verified"),
    EXEMPT: ("–", "exempt"),
    "mismatch": ("✗", "mismatch"),
    "invalid": ("✗", "invalid"),
    "missing": ("✗", "no implementation"),
    "unlinked": ("✗", "unlinked"),
}


def searchable_once(rendered: str, tex: str) -> str:
    """Keep KaTeX's HTML and MathML out of the search index and index the formula once, as its TeX.

    Without this the search plugin indexes each formula three times: the glyphs of the HTML, the
    MathML, and the TeX annotation. The excluded wrapper is a custom element because Material's
    search parser lifts an exclusion at the first closing tag of the same name (KaTeX nests spans).
    """
    return f'<sl-katex data-search-exclude>{rendered}</sl-katex><span class="sl-tex" hidden>{html.escape(tex)}</span>'


class MathPreprocessor(Preprocessor):
    """Replace math fences, inline math and formula references by stashed HTML."""

    def __init__(self, md: Markdown, ext: StudylogExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def _trusted(self, html_: str) -> str:
        """Stash HTML that studylog made itself (KaTeX, formula links, escaped errors): not re-sanitized.

        Trust is by value and shared by every Markdown instance of the build (the blog plugin renders
        each post again, in other instances, for its excerpts).
        """
        self.ext.trusted.add(html_)
        return self.md.htmlStash.store(html_)

    # -------------------------------------------------------------------- context
    @property
    def state(self) -> SiteState:
        return self.ext.get_state()

    def _where(self, index: int) -> tuple[str, int]:
        page = self.state.page
        if page is None:
            return "<markdown>", index + 1
        return page.src_path, page.line_offset + index + 1

    def _fail(self, message: str, index: int, formula_id: str | None = None, *, inline: bool = False) -> str:
        path, line = self._where(index)
        prefix = f"{path}:{line}: " + (f"{formula_id}: " if formula_id else "")
        self.state.problem(prefix + message)
        tag = "span" if inline else "div"
        return f'<{tag} class="sl-error" role="alert">{html.escape(prefix + message)}</{tag}>'

    # -------------------------------------------------------------------- rendering
    def _katex(self, tex: str, display: bool, index: int, formula_id: str | None = None, *, inline: bool = False) -> str:
        try:
            rendered = self.state.renderer.render(tex, display)
        except RenderError as exc:
            return self._fail(f"KaTeX cannot render the formula: {exc.message}", index, formula_id, inline=inline)
        return searchable_once(rendered, tex)

    def _display(self, tex: str, info: str, index: int) -> str:
        path, line = self._where(index)
        try:
            formula_id, exempt = _parse_attrs(info, path=path, line=line) if info.strip() else (None, None)
        except StudylogError as exc:
            return self._fail(exc.message, index)
        rendered = self._katex(tex, True, index, formula_id)
        formula = self.state.formula(formula_id) if formula_id else None
        number = formula.number if formula is not None else None
        attrs = f' id="eq-{html.escape(formula_id)}"' if formula_id else ""
        meta = self._meta(formula_id, exempt, formula, index)
        num = f'<span class="sl-number">({number})</span>' if number else ""
        return (f'<div class="sl-formula"{attrs}><div class="sl-math">{rendered}</div>'
                f'<div class="sl-meta">{num}{meta}</div></div>')  # fmt: skip

    def _meta(self, formula_id: str | None, exempt: str | None, formula: Formula | None, index: int) -> str:
        state = self.state
        if exempt is not None and formula_id is None:
            return f'<span class="sl-status sl-exempt" title="exempt">exempt: {html.escape(exempt)}</span>'
        if formula_id is None:
            return ""  # the unlinked formula is reported by the verification pass
        status = state.status(formula_id)
        if status is None:
            if not self.ext.verify:
                return ""
            return '<span class="sl-status sl-failed">not checked</span>'
        mark, word = STATUS_TEXT.get(status.status, ("✗", status.status))
        if status.status == EXEMPT:
            return f'<span class="sl-status sl-exempt">exempt: {html.escape(status.message)}</span>'
        cls = "sl-verified" if status.status == VERIFIED else "sl-failed"
        title = html.escape(status.message, quote=True)
        parts = [f'<span class="sl-status {cls}" title="{title}">{mark} {word}</span>']
        for b in status.bindings:
            name = html.escape(b.qualname)
            parts.append(f'<span class="sl-impl"><autoref identifier="{html.escape(b.path)}">'
                         f"<code>{name}</code></autoref></span>")  # fmt: skip
            src = state.source_url(b.source_file, b.source_line)
            if src:
                parts.append(f'<a class="sl-source" href="{html.escape(src)}" title="source of {name}">source</a>')
        return "".join(parts)

    def _inline(self, line: str, index: int) -> str:
        out: list[str] = []
        pos = 0
        for start, end, tex in _inline_spans(line):
            out.append(self._refs(line[pos:start], index))
            attrs = _INLINE_ATTRS.match(line, end)
            formula_id = None
            if attrs:
                try:
                    formula_id, _ = _parse_attrs(attrs.group(0), path=self._where(index)[0], line=self._where(index)[1])
                except StudylogError as exc:
                    out.append(self._trusted(self._fail(exc.message, index)))
                    pos = attrs.end()
                    continue
                end = attrs.end()
            rendered = self._katex(tex, False, index, formula_id, inline=True)
            if formula_id:
                status = self.state.status(formula_id)
                mark = ""
                if status is not None:
                    sym, word = STATUS_TEXT.get(status.status, ("✗", status.status))
                    cls = "sl-verified" if status.status == VERIFIED else "sl-failed"
                    mark = f'<span class="sl-status sl-inline-status {cls}" title="{word}">{sym}</span>'
                rendered = f'<span class="sl-inline" id="eq-{html.escape(formula_id)}">{rendered}{mark}</span>'
            out.append(self._trusted(rendered))
            pos = end
        out.append(self._refs(line[pos:], index))
        return "".join(out)

    def _refs(self, text: str, index: int) -> str:
        def link(m: re.Match[str]) -> str:
            formula = self.state.formula(m.group("id"))
            if formula is None:
                return self._trusted(self._fail("reference to an unknown formula id", index, m.group("id")))
            label = f"({formula.number})" if formula.number else formula.id or ""
            here = self.state.page.src_path if self.state.page else None
            if formula.path != here:
                title = self.state.page_titles.get(formula.path) or Path(formula.path).stem
                label = f"{title} {label}"
            href = html.escape(self.state.url_of(formula), quote=True)
            return self._trusted(f'<a class="sl-ref" href="{href}">{html.escape(label)}</a>')

        return REF_RE.sub(link, text)

    def _example(self, lang: str, options: dict[str, str], code: str, index: int) -> str:
        path, line = self._where(index)
        example = Example(path, line, code, options)
        cache = self.state.examples
        assert cache is not None
        rendered, error = render_example(self.md, example, lang, cache, self.state.example_timeout)
        if error is not None:
            return self._trusted(self._fail(f"the example failed: {error}", index))
        return self._trusted(rendered)

    # -------------------------------------------------------------------- driver
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            fence = _FENCE_RE.match(lines[i])
            if not fence:
                out.append(self._inline(lines[i], i) if ("$`" in lines[i] or "[eq:" in lines[i]) else lines[i])
                i += 1
                continue
            indent, marks, lang, rest = fence.group("indent", "fence", "lang", "rest")
            end = fence_end(lines, i, marks)
            if end is None:  # never closed
                if lang == "math":
                    out.append(indent + self._trusted(self._fail("the math fence opened here is never closed", i)))
                    i += 1
                    continue
                out.extend(lines[i:])
                break
            j = end
            if lang != "math":
                options = parse_info(rest)
                if is_exec(lang, options) and self.state.examples is not None:
                    out.extend(["", indent + self._example(lang, options, fence_body(lines, i, j, indent), i), ""])
                elif is_expect_fence(lang, rest) and self.state.examples is not None:
                    pass  # the expected output is asserted by pytest; the page shows the real output
                else:
                    out.extend(lines[i : j + 1])
                i = j + 1
                continue
            placeholder = self._trusted(self._display(fence_body(lines, i, j, indent), rest, i))
            out.extend(["", indent + placeholder, ""])
            i = j + 1
        return out


class SanitizePostprocessor(Postprocessor):
    """Make the log's own HTML inert (see `sanitize_markdown`) before the raw-HTML stash is restored.

    The author's stashed HTML is cleaned in place, as one document; the blocks studylog stashed
    itself (KaTeX output, generated with ``trust`` off) are passed through by value.
    """

    def __init__(self, md: Markdown, ext: StudylogExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        clean, removed = sanitize_markdown(self.md, text, self.ext.trusted)
        if removed:
            state = self.ext.get_state()
            where = state.page.src_path if state.page else "<markdown>"
            state.note(f"{where}: removed unsafe HTML: {', '.join(sorted(set(removed)))}")
        return clean


class StudylogExtension(Extension):
    """``markdown_extensions: - studylog`` (the MkDocs plugin configures and shares it)."""

    def __init__(self, state: SiteState | None = None, **kwargs: Any) -> None:
        self.config = {
            "engine": ["katex", "math engine: 'katex' (npm's KaTeX, one process) or 'markdown-katex'"],
            "project_root": [".", "folder holding pyproject.toml and node_modules"],
            "cache_dir": [".studylog-cache/katex", "rendered-formula cache (relative to project_root); '' disables"],
            "verify": [False, "verify formulas when used without the MkDocs plugin"],
        }
        super().__init__(**kwargs)
        self._state = state
        self.trusted: set[str] = set()  # HTML studylog made or already cleaned, by value
        self.verify = state.options.verify if state is not None else bool(self.getConfig("verify"))

    def get_state(self) -> SiteState:
        if self._state is None:
            self._state = standalone_state(
                engine=self.getConfig("engine"),
                project_root=Path(self.getConfig("project_root")),
                cache_dir=self.getConfig("cache_dir"),
                verify=self.verify,
            )
        return self._state

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        # after whitespace normalization (30), before fenced code (25) and HTML blocks (20)
        md.preprocessors.register(MathPreprocessor(md, self), "studylog_math", 27)
        # before the raw-HTML stash is restored (30): the author's HTML is cleaned, studylog's is not
        md.postprocessors.register(SanitizePostprocessor(md, self), "studylog_sanitize", 35)


def standalone_state(*, engine: str, project_root: Path, cache_dir: str, verify: bool) -> SiteState:
    """A `SiteState` for use outside MkDocs (no page URLs; verification optional)."""
    from studylog.engine.verify import build_index, check_all, discover, load_config
    from studylog.engine.scan import markdown_files
    from studylog.site.katex import MathRenderer
    from studylog.site.state import SiteOptions

    root = project_root.resolve()
    cache = (root / cache_dir) if cache_dir else None
    state = SiteState(SiteOptions(engine=engine, cache_dir=cache, verify=verify), root,
                      MathRenderer(engine, root, cache))  # fmt: skip
    config = load_config(root)
    if config.docs_dir.is_dir():
        state.index = build_index(markdown_files([config.docs_dir]), root)
        if verify:
            state.report = check_all(state.index, discover(config.implementations, root))
    return state


def makeExtension(**kwargs: Any) -> StudylogExtension:  # noqa: N802 - Python-Markdown's API
    return StudylogExtension(**kwargs)
