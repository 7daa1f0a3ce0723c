"""Every implementation a formula links to has an API entry, or the build says which file to edit.

A formula's page links to its implementation's entry in the API pages (mkdocstrings' ``::: module``
directives). An implementation in a module no API page documents would otherwise surface as an
unresolved cross-reference from mkdocs-autorefs; here it is a problem naming the binding's source, the
module to document, and the page to add it to.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from studylog.errors import StudylogError
from studylog.site.model import SiteModel

_DIRECTIVE = re.compile(r"^\s*:::\s+(?P<id>[A-Za-z_][\w.]*)\s*$")


def documented(model: SiteModel) -> dict[str, str]:
    """``{identifier: docs page}`` of every ``::: identifier`` directive in the docs."""
    found: dict[str, str] = {}
    for page in model.pages.values():
        for line in page.log.lines:
            m = _DIRECTIVE.match(line)
            if m:
                found.setdefault(m.group("id"), page.path)
    return found


def undocumented_implementations(model: SiteModel) -> list[StudylogError]:
    """A problem per implementation that no API page documents (or that mkdocstrings' filters hide)."""
    docs = documented(model)
    problems: list[StudylogError] = []
    seen: set[str] = set()
    for verdict in model.verdicts.values():
        for impl in verdict.impls:
            if impl.path in seen:
                continue
            seen.add(impl.path)
            module = impl.path[: -len(impl.qualname) - 1] if impl.path.endswith("." + impl.qualname) else impl.path
            if any(part.startswith("_") for part in impl.qualname.split(".")):
                problems.append(StudylogError(
                    f"{impl.path} implements {verdict.id or 'a formula'} but is private: the API pages hide "
                    "names starting with '_', so its formula's link has nowhere to go; make it public",
                    path=impl.source_file, line=impl.source_line))  # fmt: skip
                continue
            if any(module == d or module.startswith(d + ".") for d in docs):
                continue
            problems.append(StudylogError(
                f"{impl.path} implements {verdict.id or 'a formula'} but no API page documents {module}: "
                f"add '::: {module}' to {_page_for(module, docs, model)}",
                path=impl.source_file, line=impl.source_line))  # fmt: skip
    return [_relative(p, model) for p in problems]


def _relative(problem: StudylogError, model: SiteModel) -> StudylogError:
    from pathlib import Path

    if problem.path and Path(problem.path).is_absolute() and Path(problem.path).is_relative_to(model.root):
        return StudylogError(problem.message, path=Path(problem.path).relative_to(model.root).as_posix(), line=problem.line)
    return problem


def _page_for(module: str, docs: dict[str, str], model: SiteModel) -> str:
    """The API page documenting the module's siblings, or the page to create for its package."""
    package = module.rsplit(".", 1)[0]
    siblings = [page for ident, page in docs.items() if ident.rsplit(".", 1)[0] == package or ident == package]
    if siblings:
        return siblings[0]
    name = package.split(".")[-1] if "." in package else package
    api = PurePosixPath(model.docs_dir.relative_to(model.root).as_posix()) / "api" / f"{name}.md"
    return f"{api} (a new page: add it to the nav in mkdocs.yml too)"
