"""The package's shape: small modules, no private names across packages, one fence loop, one front-matter reader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "studylog"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _subpackage(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _private_imports(path: Path) -> list[str]:
    """Private names this module imports from another subpackage of studylog (``studylog.x`` vs ``studylog.y``)."""
    here = "studylog." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("studylog"):
            if _subpackage(node.module) == _subpackage(here):
                continue
            dotted = [p for p in node.module.split(".") if p.startswith("_") and p != "__init__"]
            names = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if dotted or names:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: from {node.module} import "
                             f"{', '.join(a.name for a in node.names)}")  # fmt: skip
    return found


def test_no_module_imports_a_private_name_of_another_package() -> None:
    offenders = [line for path in MODULES for line in _private_imports(path)]
    assert not offenders, "\n".join(offenders)


def test_the_rule_itself_catches_a_private_import(tmp_path: Path) -> None:
    fake = PACKAGE / "site" / "_layout_probe.py"
    fake.write_text("from studylog.engine.scan import _strict\n", encoding="utf-8")
    try:
        assert _private_imports(fake)
    finally:
        fake.unlink()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_one_fence_loop_in_the_package() -> None:
    """Only the page model recognises fence openings (a regex over three or more backticks or tildes)."""
    holders = sorted(str(p.relative_to(PACKAGE)) for p in MODULES if "`{3,}" in p.read_text(encoding="utf-8"))
    assert holders == ["markup/blocks.py"], holders


def test_one_front_matter_reader_in_the_package() -> None:
    """Only the page model knows where front matter starts and ends (everyone else calls it)."""
    holders = sorted(str(p.relative_to(PACKAGE)) for p in MODULES if 'r"^---' in p.read_text(encoding="utf-8"))
    assert holders == ["markup/frontmatter.py"], holders
