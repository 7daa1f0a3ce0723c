"""Put it together: find the implementations, index the logs' formulas, check every link.

This is the engine's front door; the CLI, the pytest integration and the MkDocs layer all call
`verify_paths` (or its pieces) and only turn the result into exit codes or build errors.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from studylog.engine.binding import Binding, bindings_of
from studylog.engine.check import EXEMPT, INVALID, MISMATCH, MISSING, UNLINKED, VERIFIED, CheckResult, check_binding
from studylog.engine.memo import CheckMemo
from studylog.engine.scan import Formula, ScannedLog, markdown_files, scan_page
from studylog.engine.status import Status
from studylog.errors import ConfigError, RegistryError, StudylogError
from studylog.markup import parse_log, read_log

DEFAULT_IMPLEMENTATIONS = ("studylog",)


@dataclass(frozen=True, kw_only=True)
class ProjectConfig:
    """``[tool.studylog]`` of the project's ``pyproject.toml``."""

    root: Path
    docs_dir: Path
    implementations: tuple[str, ...] = DEFAULT_IMPLEMENTATIONS


def load_config(root: Path | None = None) -> ProjectConfig:
    """Read ``[tool.studylog]`` from ``root/pyproject.toml`` (defaults where absent)."""
    root = (root or Path.cwd()).resolve()
    table: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("studylog", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML: {exc}", path=str(pyproject)) from None
    impls = table.get("implementations", DEFAULT_IMPLEMENTATIONS)
    if not isinstance(impls, list | tuple) or not all(isinstance(x, str) for x in impls):
        raise ConfigError("[tool.studylog] implementations must be a list of package names", path=str(pyproject))
    docs = root / str(table.get("docs_dir", "docs"))
    return ProjectConfig(root=root, docs_dir=docs, implementations=tuple(impls))


# ------------------------------------------------------------------------------------------ discover


def _modules(package: str) -> Iterable[ModuleType]:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise RegistryError(f"cannot import implementation package {package!r}: {exc}") from None
    yield module
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{package}."):
        try:
            yield importlib.import_module(info.name)
        except ImportError as exc:
            raise RegistryError(f"cannot import {info.name!r}: {exc}") from None


def discover(packages: Iterable[str], root: Path | None = None) -> list[Binding]:
    """Import every module of ``packages``, then collect the ``@implements`` bindings they can reach.

    Every module is imported before any is read, and every callable a module's namespace holds is read
    (not only those it defines), so a binding attached in one module to a function defined in another
    (``implements(...)(other.f)``) is found whatever the import order. Each binding is reported once.
    """
    if root is not None and str(root) not in sys.path:
        sys.path.insert(0, str(root))
    modules = [module for package in packages for module in _modules(package)]
    seen: set[int] = set()
    found: list[Binding] = []

    def collect(obj: object) -> None:
        for binding in bindings_of(obj):
            if id(binding) not in seen:
                seen.add(id(binding))
                found.append(binding)

    visited: set[int] = set()
    for module in modules:
        for value in list(vars(module).values()):
            if id(value) in visited or not callable(value):
                continue
            visited.add(id(value))
            collect(value)
            if isinstance(value, type):  # methods decorated inside a class
                for member in vars(value).values():
                    collect(getattr(member, "__func__", member))
    return found


# ------------------------------------------------------------------------------------------ index


@dataclass
class FormulaIndex:
    """All formulas of a set of logs, by id."""

    logs: list[ScannedLog] = field(default_factory=list)
    by_id: dict[str, Formula] = field(default_factory=dict)
    problems: list[StudylogError] = field(default_factory=list)

    @property
    def formulas(self) -> list[Formula]:
        return [f for log in self.logs for f in log.formulas]


def build_index(files: Iterable[Path], root: Path | None = None) -> FormulaIndex:
    """Scan ``files``; markup problems, duplicate ids and unknown references become problems, not exceptions."""
    index = FormulaIndex()
    for path in files:
        shown = str(path.relative_to(root)) if root and path.is_absolute() and path.is_relative_to(root) else str(path)
        try:
            log = scan_page(read_log(path, shown))
        except StudylogError as exc:
            index.problems.append(exc)
            continue
        add_log(index, log)
    check_references(index)
    return index


def add_log(index: FormulaIndex, log: ScannedLog) -> None:
    """Add one scanned log to ``index`` (a second formula with an id already taken is a problem)."""
    index.logs.append(log)
    index.problems.extend(log.problems)
    for formula in log.formulas:
        if formula.id is None:
            continue
        first = index.by_id.get(formula.id)
        if first is not None:
            index.problems.append(
                RegistryError(f"duplicate formula id (first defined at {first.location})",
                              path=formula.path, line=formula.line, formula_id=formula.id)  # fmt: skip
            )
            continue
        index.by_id[formula.id] = formula


def check_references(index: FormulaIndex) -> None:
    """Every ``[eq:ID]`` must name a formula of the index."""
    for log in index.logs:
        for ref in log.references:
            if ref.id not in index.by_id:
                index.problems.append(
                    RegistryError("reference to an unknown formula id", path=ref.path, line=ref.line, formula_id=ref.id)
                )


# ------------------------------------------------------------------------------------------ verify


@dataclass(frozen=True)
class FormulaStatus:
    """The verdict on one formula."""

    formula: Formula
    status: Status
    message: str = ""
    bindings: tuple[Binding, ...] = ()
    line: int | None = None  # where the problem is, if more precise than the formula's line

    @property
    def ok(self) -> bool:
        return Status(self.status).ok

    def problem_line(self) -> str:
        f = self.formula
        return f"{f.path}:{self.line or f.line}: {f.id or '(no id)'}: {self.message}"


@dataclass
class Report:
    """The result of verifying a set of logs."""

    statuses: list[FormulaStatus] = field(default_factory=list)
    problems: list[StudylogError] = field(default_factory=list)  # not tied to one verifiable formula
    results: list[CheckResult] = field(default_factory=list)
    index: FormulaIndex = field(default_factory=lambda: FormulaIndex())

    @property
    def ok(self) -> bool:
        return not self.problems and all(s.ok for s in self.statuses)

    def by_id(self) -> dict[str, FormulaStatus]:
        return {s.formula.id: s for s in self.statuses if s.formula.id}

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys((VERIFIED, MISMATCH, INVALID, MISSING, UNLINKED, EXEMPT, Status.IMPORTED), 0)
        for s in self.statuses:
            if s.status in out:
                out[s.status] += 1
        return out


def check_all(
    index: FormulaIndex, bindings: list[Binding], *, seed: int = 0, only: set[str] | None = None, report_unused: bool = False,
    memo: CheckMemo | None = None,
) -> Report:
    """Check every binding whose formulas are in ``index`` and give each formula its verdict.

    ``only`` restricts the work to the bindings of these formula ids (for one pytest item);
    ``report_unused`` makes a binding none of whose ids is in ``index`` a problem (the index must
    then hold every log of the site); ``memo`` gives the results of checks the same code already made.
    """
    check = memo.check if memo is not None else check_binding
    report = Report(problems=list(index.problems), index=index)
    by_formula: dict[str, list[tuple[Binding, list[CheckResult]]]] = {}
    for binding in bindings:
        if only is not None and not (set(binding.formula_ids) & only):
            continue
        present = [fid for fid in binding.formula_ids if fid in index.by_id]
        if not present:
            if report_unused:
                report.problems.append(
                    RegistryError(f"{binding.path} implements {', '.join(binding.formula_ids)}, which no log uses: "
                                  "write the formula in a log or remove the @implements",
                                  path=binding.source_file, line=binding.source_line)  # fmt: skip
                )
            continue  # a binding for logs outside the scanned paths
        absent = [fid for fid in binding.formula_ids if fid not in index.by_id]
        if absent:
            report.problems.append(
                RegistryError(f"{binding.path} implements unknown formula id(s) {', '.join(absent)}",
                              path=binding.source_file, line=binding.source_line)  # fmt: skip
            )
            continue
        results = check(binding, [index.by_id[fid] for fid in binding.formula_ids], seed=seed)
        report.results.extend(results)
        for fid in binding.formula_ids:
            by_formula.setdefault(fid, []).append((binding, results))
    for formula in index.formulas:
        if only is not None and formula.id not in only and formula.same not in only:
            continue
        first = index.by_id.get(formula.id) if formula.id is not None else None
        if first is not None and first is not formula:  # checked is the first formula of the id, not this one
            report.statuses.append(FormulaStatus(formula, INVALID, f"duplicate formula id (first defined at {first.location})"))
            continue
        if formula.same is not None:
            report.statuses.append(_restatement(formula, index, by_formula.get(formula.same, []), seed, check))
            continue
        report.statuses.append(_verdict(formula, by_formula.get(formula.id or "", [])))
    return report


def _restatement(formula: Formula, index: FormulaIndex, checks: list[tuple[Binding, list[CheckResult]]],
                 seed: int, check: Callable[..., list[CheckResult]] = check_binding) -> FormulaStatus:  # fmt: skip
    """The verdict on a formula marked ``same="id"``: checked in place of ``id`` by its implementations."""
    assert formula.same is not None
    if formula.same not in index.by_id:
        return FormulaStatus(formula, INVALID, f"same={formula.same!r} names no formula of the logs")
    if not checks:
        return FormulaStatus(formula, MISSING, f"no implementation declares @implements({formula.same!r}), "
                             "which this formula restates")  # fmt: skip
    again = []
    for binding, _ in checks:
        formulas = [formula if fid == formula.same else index.by_id[fid] for fid in binding.formula_ids]
        again.append((binding, check(binding, formulas, seed=seed)))
    return _verdict(formula, again, restates=formula.same)


def _verdict(formula: Formula, checks: list[tuple[Binding, list[CheckResult]]], restates: str | None = None) -> FormulaStatus:
    bindings = tuple(b for b, _ in checks)
    if formula.exempt is not None:
        if checks:
            return FormulaStatus(formula, INVALID, f"exempt (\"{formula.exempt}\") but implemented by "
                                 f"{bindings[0].path}: drop one of the two", bindings)  # fmt: skip
        return FormulaStatus(formula, EXEMPT, formula.exempt)
    if formula.imported:
        return FormulaStatus(formula, Status.IMPORTED, "imported, not yet checked: link it ({#id}) to check it")
    if formula.id is None and restates is None:
        if formula.display or formula.is_equation:
            what = "display formula" if formula.display else "inline equation"
            return FormulaStatus(formula, UNLINKED, f"{what} without an id: link it ({{#id}}) or exempt it")
        return FormulaStatus(formula, Status.PROSE)
    if not checks:
        return FormulaStatus(formula, MISSING, f"no implementation declares @implements({formula.id!r})")
    for binding, results in checks:
        for r in results:
            if r.status == VERIFIED:
                continue
            if r.formula_id in (None, formula.id) or r.line == formula.line or (
                restates is not None and formula.content_line <= (r.line or 0) <= formula.content_line + formula.latex.count("\n")
            ):
                return FormulaStatus(formula, r.status, r.message, bindings, r.line)
            # the system failed in another of its formulas: this one is not verified either
            return FormulaStatus(formula, r.status, f"its system failed in {r.formula_id}: {r.message}", bindings, r.line)
    worst = max((r.max_abs_diff or 0.0) for _, rs in checks for r in rs)
    said = f"restates {restates}: " if restates else ""
    return FormulaStatus(formula, VERIFIED, f"{said}max abs diff {worst:.2g}", bindings)


def verify_site(
    config: ProjectConfig, *, paths: list[Path] | None = None, logs: Mapping[str, str] | None = None, seed: int = 0,
    memo: CheckMemo | None = None,
) -> Report:
    """The one verification path: scan the logs, discover the implementations, check every formula.

    The CLI (``studylog verify``), the pytest plugin and the site build all call this, so they give
    the same verdict on the same input. ``paths`` restricts the scan to some files or folders (then a
    binding used by no scanned log is not a problem); by default the whole docs folder is scanned.
    ``logs`` gives the text of every log instead (``{path as shown: Markdown}``): the site build
    sends exactly the text it renders, so a verdict always belongs to the text on the page. ``memo``
    (the site's worker keeps one while its code is unchanged) skips the checks already made.
    """
    if logs is not None:
        index = FormulaIndex()
        for shown, text in logs.items():
            try:
                add_log(index, scan_page(parse_log(text, shown)))
            except StudylogError as exc:
                index.problems.append(exc)
        check_references(index)
    else:
        index = build_index(markdown_files(list(paths) if paths else [config.docs_dir]), config.root)
    try:
        bindings = discover(config.implementations, config.root)
    except StudylogError as exc:
        bindings = []
        index.problems.append(exc)
    report = check_all(index, bindings, seed=seed, report_unused=not paths, memo=memo)
    report.statuses = [s for s in report.statuses if s.status != Status.PROSE]
    report.problems = [_relative(p, config.root) for p in report.problems]
    return report


def _relative(problem: StudylogError, root: Path) -> StudylogError:
    """A problem located in a project file names it relative to the project root, as logs are named."""
    if problem.path and Path(problem.path).is_absolute() and Path(problem.path).is_relative_to(root):
        rel = Path(problem.path).relative_to(root).as_posix()
        return type(problem)(problem.message, path=rel, line=problem.line, formula_id=problem.formula_id)
    return problem


def verify_paths(paths: list[Path], config: ProjectConfig, *, seed: int = 0) -> Report:
    """`verify_site` restricted to ``paths``."""
    return verify_site(config, paths=paths, seed=seed)
