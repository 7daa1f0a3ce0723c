r"""A Python-Markdown extension: server-side KaTeX for markdown-katex's syntax, checked formulas, examples.

* ```` ```math {#id} ```` fences and $`…`$ spans become KaTeX HTML rendered at build time;
* a display formula shows its number, its verdict, links to its implementation and its source;
* ``[eq:ID]`` in text becomes the formula's number, linking to it;
* an executed example shows its output (run in the worker, laid out by markdown-exec);
* a page with a problem says so at its top.

Everything comes from the site model (`studylog.site.model`), in which the page is found by its lines:
the extension never re-reads a log. It works in any Python-Markdown host: under MkDocs the plugin
hands it the model of the build; elsewhere (Zensical, a script) it assembles the model itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import ETX, STX

from studylog.engine.scan import Formula
from studylog.markup import BlockKind, Fence, InlineMath, Ref, inline_tokens, parse_log
from studylog.site import render
from studylog.site.context import RenderContext
from studylog.site.examples import format_output
from studylog.site.headings import headings, md_slug
from studylog.site.model import PageModel
from studylog.site.sanitize import sanitize, sanitize_markdown
from studylog.site.sheet import formula_sheet, sheet_line
from studylog.site.tocmath import InlineTex, register as register_toc_math

# SuperFences registers pymdownx's normalization bypass with preserve_tabs: before normalization (which
# deletes STX and ETX) a placeholder is written with SOH and EOT, which it turns into STX and ETX after
SOH, EOT = "\x01", "\x04"


class MathPreprocessor(Preprocessor):
    """Replace formulas, references and examples by stashed HTML, from the site model's records."""

    def __init__(self, md: Markdown, ext: StudylogExtension) -> None:
        super().__init__(md)
        self.ext = ext
        self.inline_tex = InlineTex()  # the TeX of the inline formulas stashed, for headings' ids
        self.early = False  # run by `EarlyMath`, before whitespace normalization: placeholders must bypass it
        self.done = False  # `EarlyMath` did this document's work already

    def _stash(self, html: str, tex: str | None = None) -> str:
        """Stash HTML studylog made itself: trusted by value, so the sanitizer leaves it alone; ``tex``: the
        inline formula it renders (a heading's id is made from it, `studylog.site.tocmath`)."""
        self.ctx.trusted[html] = None
        placeholder = self.md.htmlStash.store(html)
        if tex is not None:
            self.inline_tex.record(len(self.md.htmlStash.rawHtmlBlocks) - 1, tex)
        return placeholder.replace(STX, SOH).replace(ETX, EOT) if self.early else placeholder

    @property
    def ctx(self) -> RenderContext:
        return self.ext.context(self.md)

    def run(self, lines: list[str]) -> list[str]:
        if self.done:
            self.done = False
            return lines
        self.inline_tex.reset()
        ctx = self.ctx
        found = ctx.locate(lines)
        if found is None:
            return self._foreign(lines)
        page, offset = found
        return list(self._page(page, offset, lines))

    # ------------------------------------------------------------------ a log of the site
    def _page(self, page: PageModel, offset: int, lines: list[str]) -> Iterator[str]:
        n = len(lines)
        fences = {f.line - 1 - offset: f for f in page.log.fences if offset <= f.line - 1 and f.end_line - 1 < offset + n}
        whole = offset + n >= len(page.log.lines) - 1 or all(not s.strip() for s in page.log.lines[offset + n :])
        banner = self._banner(page) if whole else ""
        banner_at = _after_title(page, offset, lines) if banner else -1  # under the page's title: it stays the page's first element
        after_example = False
        sheet_at = sheet_line(page) if whole else None  # the formula sheet, before the first section
        i = 0
        while i < n:
            if i == banner_at:
                yield from ("", self._stash(banner), "")
            if offset + i + 1 == sheet_at and (sheet := formula_sheet(page, self.ctx.model, md_slug(self.md))):
                yield from (self._stash(sheet), "")
            fence = fences.get(i)
            if fence is not None:
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip(" \t"))]  # as the host gives it (tabs expanded or not)
                if fence.kind is BlockKind.MATH:
                    yield from ("", indent + self._stash(self._display(page, fence)), "")
                elif fence.kind is BlockKind.EXAMPLE:
                    yield from ("", indent + self._stash(self._example(page, fence)), "")
                elif not (fence.kind is BlockKind.EXPECT and after_example):
                    yield from lines[i : fence.end_line - offset]
                after_example = fence.kind is BlockKind.EXAMPLE
                i = fence.end_line - offset
                continue
            if lines[i].strip():
                after_example = False
            src = page.log.lines
            yield self._prose(page, offset + i + 1, lines[i], src[offset + i] if offset + i < len(src) else "")
            i += 1
        if banner_at >= n:  # the page is its title alone
            yield from ("", self._stash(banner), "")

    def _banner(self, page: PageModel) -> str:
        model = self.ctx.model
        failing = []
        for f in page.scanned.formulas:
            v = model.verdict(f)
            if v is not None and v.status.failed:
                failing.append((f, v))
        imported = sum(1 for f in page.scanned.formulas if f.imported)
        return render.page_banner(model.problems_of(page.path), failing, imported)

    def _katex(self, formula: Formula) -> str:
        model = self.ctx.model
        key = (formula.latex, formula.display)
        if key in model.rendered:
            return render.searchable_once(model.rendered[key], formula.latex)
        message = model.render_errors.get(key, "not rendered")
        where = f"{formula.path}:{formula.line}: " + (f"{formula.id}: " if formula.id else "")
        return render.error_block(f"{where}KaTeX cannot render the formula: {message}", inline=not formula.display)

    def _display(self, page: PageModel, fence: Fence) -> str:
        formula = next(f for f in page.scanned.formulas if f.display and f.line == fence.line)
        ctx = self.ctx
        return render.display_formula(formula, self._katex(formula), ctx.verdict(formula), ctx.links,
                                      str(ctx.model.root), verify=ctx.model.options.verify)  # fmt: skip

    def _example(self, page: PageModel, fence: Fence) -> str:
        ctx = self.ctx
        view = ctx.model.examples.get((page.path, fence.line))
        if view is None:
            return render.error_block(f"{page.path}:{fence.line}: the example did not run (see the build's problems)")
        out = view.outcome
        if not out.ok:
            return render.error_block(f"{page.path}:{out.error_line or fence.line}: the example failed: {out.error}")
        key = (page.path, fence.line)
        if key not in ctx.formatted:
            with _markdown_setup(ctx.md_setup, self.ext):
                html = format_output(self.md, fence, out)
            clean, removed = sanitize(html, keep=ctx.trusted)  # the log's content: same policy; KaTeX kept
            if removed:
                ctx.note(f"{page.path}:{fence.line}: removed unsafe HTML from the example's output: "
                         f"{', '.join(sorted(set(removed)))}")  # fmt: skip
            ctx.formatted[key] = clean
        return ctx.formatted[key]

    def _prose(self, page: PageModel, line_no: int, line: str, source: str) -> str:
        if "$`" not in line and "[eq:" not in line:
            return line
        if line == source:  # the records of this line apply as they are
            tokens: list[InlineMath | Ref] = [t for t in page.log.inline if t.line == line_no]
            tokens += [t for t in page.log.refs if t.line == line_no]
            tokens.sort(key=lambda t: t.start)
        else:  # the host changed the line (tabs): read it again, same lexer
            tokens = []
            with contextlib.suppress(Exception):
                tokens = list(inline_tokens(line, line=line_no, path=page.path))
        relexed = line != source
        mine = [f for f in page.scanned.formulas if not f.display and f.line == line_no] if relexed else []
        out, pos, k = [], 0, 0
        for token in tokens:
            out.append(line[pos : token.start])
            if isinstance(token, InlineMath):
                if relexed:  # the k-th span of the line the host changed is the k-th formula of the source line
                    formula = mine[k] if k < len(mine) and mine[k].latex == token.latex else None
                    k += 1
                else:
                    formula = self.ctx.inline_formula(page, line_no, token.start)
                if formula is not None:
                    out.append(self._stash(self._inline(formula), formula.latex))
                else:
                    out.append(line[token.start : token.end])
            else:
                out.append(self._stash(self._ref(token.id, page)))
            pos = token.end
        out.append(line[pos:])
        return "".join(out)

    def _inline(self, formula: Formula) -> str:
        ctx = self.ctx
        return render.inline_formula(formula, self._katex(formula), ctx.verdict(formula), verify=ctx.model.options.verify)

    def _ref(self, formula_id: str, here: PageModel | None) -> str:
        ctx = self.ctx
        formula = ctx.model.formulas.get(formula_id)
        if formula is None:
            return render.error_block(f"reference to an unknown formula id {formula_id!r}", inline=True)
        label = f"({formula.number})" if formula.number else formula.id or ""
        if here is None or formula.path != here.path:
            target = ctx.model.pages.get(formula.path)
            label = f"{target.title if target else Path(formula.path).stem} {label}"
        return ctx.links.formula(formula_id, label, ctx.formula_href(formula, here))

    # ------------------------------------------------------------------ Markdown from elsewhere
    def _foreign(self, lines: list[str]) -> list[str]:
        """Markdown that is no log of the site (a docstring, generated text): math and references only."""
        text = "\n".join(lines)
        if "$`" not in text and "```math" not in text and "[eq:" not in text:
            return lines
        try:
            log = parse_log(text, "<markdown>")
        except Exception:  # noqa: BLE001 - foreign text keeps its own rendering
            return lines
        out = list(lines)
        by_line: dict[int, list[InlineMath | Ref]] = {}
        for t in [*log.inline, *log.refs]:
            by_line.setdefault(t.line, []).append(t)
        for line_no, tokens in by_line.items():
            line = lines[line_no - 1]
            parts, pos = [], 0
            for t in sorted(tokens, key=lambda t: t.start):
                parts.append(line[pos : t.start])
                if isinstance(t, InlineMath):
                    parts.append(self._stash(self._foreign_math(t.latex, False), t.latex))
                else:
                    parts.append(self._stash(self._ref(t.id, None)))
                pos = t.end
            parts.append(line[pos:])
            out[line_no - 1] = "".join(parts)
        # fences last: replacing one changes the number of lines, which the inline tokens' line numbers assume
        for fence in reversed(log.math):
            html = self._foreign_math(fence.body, True)
            out[fence.line - 1 : fence.end_line] = ["", fence.indent + self._stash(f'<div class="sl-formula"><div class="sl-math">{html}</div></div>'), ""]
        return out

    def _foreign_math(self, tex: str, display: bool) -> str:
        from studylog.errors import RenderError

        try:
            return render.searchable_once(self.ctx.renderer.render(tex, display), tex)
        except RenderError as exc:
            self.ctx.note(f"{self.ctx.current or '<markdown>'}: KaTeX cannot render {tex!r}: {exc.message}")
            return render.error_block(f"KaTeX cannot render the formula: {exc.message}", inline=not display)


class EarlyMath(Preprocessor):
    """With SuperFences' ``preserve_tabs`` (tabs kept in code blocks), fenced blocks are stashed before
    whitespace is normalized (its ``fenced_raw_block``, 31.05), so formulas and examples must be replaced
    before that: then `MathPreprocessor` runs here, on the lines as written, and not again at 27."""

    def __init__(self, md: Markdown, math: MathPreprocessor) -> None:
        super().__init__(md)
        self.math = math

    def run(self, lines: list[str]) -> list[str]:
        if "fenced_raw_block" not in self.md.preprocessors:
            return lines
        self.math.early = True
        try:
            out = self.math.run(lines)
        finally:
            self.math.early = False
        self.math.done = True
        return out


class SanitizePostprocessor(Postprocessor):
    """Clean the author's HTML (`studylog.site.sanitize.sanitize_markdown`) before the stash is restored.

    The author's stashed blocks are cleaned in place, as one document; the blocks studylog stashed
    itself (KaTeX output, made with ``trust`` off) are passed through by value.
    """

    def __init__(self, md: Markdown, ext: StudylogExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        ctx = self.ext.context(self.md)
        clean, removed = sanitize_markdown(self.md, text, ctx.trusted)
        if removed:
            ctx.note(f"{ctx.current or '<markdown>'}: removed unsafe HTML: {', '.join(sorted(set(removed)))}")
        return clean


def _after_title(page: PageModel, offset: int, lines: list[str]) -> int:
    """The index in ``lines`` the page banner goes before: after the log's ``#`` title when the page opens
    with one (MkDocs takes a page's title, and the blog's excerpt its heading, from a first ``<h1>``), else 0."""
    first = next(iter(headings(page.log)), None)
    at = first.line - 1 - offset if first is not None and first.level == 1 else -1
    return at + 1 if 0 <= at < len(lines) and not any(line.strip() for line in lines[:at]) else 0


@contextlib.contextmanager
def _markdown_setup(setup: tuple[list[Any], dict[str, Any]] | None, ext: StudylogExtension) -> Iterator[None]:
    """markdown-exec lays out output with the host's extensions (this one included, so that Markdown an
    example prints shows its formulas): set them for the call only."""
    import markdown_exec

    config = markdown_exec.markdown_config
    old = (config.exts, config.exts_config)
    exts, configs = setup or (["pymdownx.superfences", "tables", "md_in_html", "attr_list"], {})
    config.save([*(e for e in exts if not isinstance(e, StudylogExtension)), ext], configs)
    try:
        yield
    finally:
        config.exts, config.exts_config = old


class StudylogExtension(Extension):
    """``markdown_extensions: - studylog`` (the MkDocs plugin creates and shares its own instance)."""

    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.config = {
            "engine": ["katex", "math engine: 'katex' (npm's KaTeX, one process), 'markdown-katex' or 'none'"],
            "project_root": [".", "folder holding pyproject.toml and node_modules"],
            "cache_dir": [".studylog-cache/katex", "rendered-formula cache (relative to project_root); '' disables"],
            "examples_cache_dir": [".studylog-cache/examples", "example-output cache; '' disables"],
            "verify": [True, "check every formula against its implementation"],
            "strict": [True, "fail (raise) at set-up when the logs have any problem: a build is checked or fails"],
        }
        super().__init__(**kwargs)
        self._context = context

    def context(self, md: Markdown | None = None) -> RenderContext:
        if self._context is not None:
            return self._context
        from studylog.site.standalone import standalone_context

        return standalone_context(self, md)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        # standalone, the whole docs folder is assembled and checked when the first page renders (not
        # here: MkDocs instantiates extensions to validate its configuration, before its plugins run)
        # after whitespace normalization (30), before fenced code (25) and HTML blocks (20)
        math = MathPreprocessor(md, self)
        md.preprocessors.register(math, "studylog_math", 27)
        md.preprocessors.register(EarlyMath(md, math), "studylog_math_early", 31.1)  # only with preserve_tabs
        register_toc_math(md, math.inline_tex)  # a heading's id from its formulas' TeX (around toc, 5)
        # before the raw-HTML stash is restored (30): the author's HTML is cleaned, studylog's is not
        md.postprocessors.register(SanitizePostprocessor(md, self), "studylog_sanitize", 35)


def makeExtension(**kwargs: Any) -> StudylogExtension:  # noqa: N802 - Python-Markdown's API
    return StudylogExtension(**kwargs)
