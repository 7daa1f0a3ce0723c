"""Assemble the site model: read every log once, render every formula, verify, run the examples.

The order matters for the promise: verdicts and outputs come from a worker interpreter that has the
code on disk now (`studylog.runner`), for exactly the text the pages will show (the worker is sent
the logs' text rather than reading the files again).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studylog.engine.scan import markdown_files, scan_page
from studylog.engine.verify import FormulaIndex, add_log, check_references
from studylog.errors import MarkupError, RenderError, StudylogError
from studylog.markup import read_log
from studylog.runner.client import WorkerError
from studylog.runner.pool import Runner
from studylog.site.examples import ExampleCache, chains, expected_output_problem
from studylog.site.katex import MathRenderer
from studylog.site.model import ExampleView, PageModel, SiteModel
from studylog.site.options import SiteOptions

Progress = Callable[[str, int, int], None]  # (what, done, total)


class SiteError(StudylogError):
    """The logs cannot be built at all (e.g. front matter that cannot be read): every build stops."""


def _quiet(what: str, done: int, total: int) -> None:
    pass


def title_of(page: PageModel) -> str:
    """The title a log shows: its front matter's, else its first ``# heading``, else its file name."""
    title = page.log.front_matter.data.get("title")
    if title:
        return str(title)
    for line in page.log.lines[page.log.front_matter.lines :]:
        if line.startswith("# "):
            return line[2:].strip()
    return Path(page.src_uri).stem


def read_pages(root: Path, docs_dir: Path, model: SiteModel) -> list[MarkupError]:
    """Read every log of ``docs_dir`` into ``model``; return the problems that stop a build."""
    fatal: list[MarkupError] = []
    for file in markdown_files([docs_dir]) if docs_dir.is_dir() else []:
        shown = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
        try:
            log = read_log(file, shown)
        except MarkupError as exc:
            fatal.append(exc)
            continue
        page = PageModel(shown, file.relative_to(docs_dir).as_posix(), log, scan_page(log))
        page.title = title_of(page)
        model.pages[shown] = page
    index = FormulaIndex()
    for page in model.pages.values():
        add_log(index, page.scanned)
    check_references(index)
    model.formulas = index.by_id
    model.problems.extend(index.problems)
    return fatal


def prefetch_formulas(model: SiteModel, renderer: MathRenderer) -> None:
    """Start rendering every formula of every log (Node works while the worker verifies and runs examples)."""
    renderer.prefetch((f.latex, f.display) for page in model.pages.values() for f in page.scanned.formulas)


def render_formulas(model: SiteModel, renderer: MathRenderer, progress: Progress) -> None:
    """Collect every formula's rendering (KaTeX errors become problems at the formula's line)."""
    todo = []
    for page in model.pages.values():
        for f in page.scanned.formulas:
            key = (f.latex, f.display)
            if key not in model.rendered and key not in model.render_errors:
                todo.append((key, f))
    before = renderer.renders
    for n, ((tex, display), f) in enumerate(todo, start=1):
        if (tex, display) in model.rendered or (tex, display) in model.render_errors:
            continue
        try:
            model.rendered[(tex, display)] = renderer.render(tex, display)
        except RenderError as exc:
            model.render_errors[(tex, display)] = exc.message
        progress("formulas rendered", n, len(todo))
    model.stats.rendered += renderer.renders - before
    for page in model.pages.values():
        for f in page.scanned.formulas:
            message = model.render_errors.get((f.latex, f.display))
            if message is not None:
                model.problems.append(RenderError(f"KaTeX cannot render the formula: {message}", path=f.path,
                                                  line=f.line, formula_id=f.id))  # fmt: skip


def verify(model: SiteModel, runner: Runner) -> None:
    """Verdicts from the worker for the logs' text; each failure is a problem at its line."""
    logs = {p.path: p.log.text for p in model.pages.values()}
    try:
        verdicts = runner.verify(logs)
    except WorkerError as exc:
        model.problems.append(exc)
        return
    model.verified = True
    seen = {str(p) for p in model.problems}
    for problem in verdicts.problems:
        if str(problem) not in seen:
            model.problems.append(problem)
            seen.add(str(problem))
    for v in verdicts.verdicts:
        model.verdicts[v.key] = v
        if v.status.failed:
            model.problems.append(StudylogError(v.message, path=v.path, line=v.problem_at or v.line, formula_id=v.id))
        elif v.status.value == "imported" and model.options.fail_on_imported:
            model.problems.append(StudylogError("imported formula not yet checked (fail_on_imported is on)",
                                                path=v.path, line=v.line))  # fmt: skip


def run_examples(model: SiteModel, runner: Runner, cache: ExampleCache, progress: Progress) -> None:
    """Every example's output: from the cache while what it depended on holds, else run in the worker."""
    misses = []
    for page in model.pages.values():
        for chain in chains(page.path, page.log.examples):
            hits = [cache.lookup(k) for k in chain.keys()]
            if all(h is not None for h in hits):
                for example, outcome in zip(chain.examples, hits, strict=True):
                    assert outcome is not None
                    model.examples[(page.path, example.fence.line)] = ExampleView(outcome, from_cache=True)
                model.stats.cached += len(hits)
            else:
                misses.append(chain)
    total = sum(len(c.examples) for c in misses)
    done = 0
    for chain in misses:
        try:
            outcomes = runner.examples(chain.jobs(model.options.example_timeout))
        except WorkerError as exc:
            model.problems.append(exc.at(path=chain.path, line=chain.examples[0].fence.line))
            continue
        for key, outcome in zip(chain.keys(), outcomes, strict=True):
            cache.store(key, outcome)
        for example, outcome in zip(chain.examples, outcomes, strict=True):
            model.examples[(chain.path, example.fence.line)] = ExampleView(outcome)
        model.stats.executed += len(outcomes)
        done += len(outcomes)
        progress("examples run", done, total)
    for page in model.pages.values():
        for example in page.log.examples:
            view = model.examples.get((page.path, example.fence.line))
            if view is None:
                continue
            out = view.outcome
            if not out.ok:
                model.problems.append(StudylogError(f"the example failed: {out.error}", path=page.path,
                                                    line=out.error_line or example.fence.line))  # fmt: skip
            elif (why := expected_output_problem(example, out)) is not None:
                assert example.expect is not None
                model.problems.append(StudylogError(why, path=page.path, line=example.expect.line))


def assemble(
    root: Path,
    docs_dir: Path,
    options: SiteOptions,
    *,
    renderer: MathRenderer,
    runner: Runner,
    progress: Progress = _quiet,
) -> SiteModel:
    """The site model of the logs under ``docs_dir``.

    Raises:
        SiteError: when a log cannot be read at all (its front matter): no build may go on.
    """
    model = SiteModel(root, docs_dir, options)
    fatal = read_pages(root, docs_dir, model)
    if fatal:
        raise SiteError("\n".join(str(p) for p in fatal))
    before = renderer.renders
    prefetch_formulas(model, renderer)
    if options.verify:
        verify(model, runner)
    cache = ExampleCache(options.examples_cache_dir, root)
    run_examples(model, runner, cache, progress)
    render_formulas(model, renderer, progress)
    model.stats.rendered = renderer.renders - before
    if options.examples_cache_dir is not None:
        cache.prune(int(options.cache_max_mb * 1e6))
    return model
