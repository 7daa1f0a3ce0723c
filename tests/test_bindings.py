"""Every @implements declaration of the project is found, and fits the function it decorates.

Uses the engine's own discovery (not a second copy of it), so every implementation package is covered, and
checks what it finds against two oracles that import nothing: the ``@implements(...)`` decorators in the
packages' source text (read with `ast`) and the formula ids of the logs (read from the Markdown with a plain
regex). A binding that discovery missed, or that went missing from the source, fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections import Counter
from pathlib import Path

import pytest

from studylog.engine.binding import In
from studylog.engine.verify import discover, load_config
from tests.conftest import ROOT

CONFIG = load_config(ROOT)
BINDINGS = discover(CONFIG.implementations, ROOT)
#: a math fence's opening line with its id, e.g. ```math {#adam.m} or ```math {#adamp.detect exempt="..."}
MATH_FENCE = re.compile(r'^```math \{#(?P<id>[^\s}]+)(?P<attrs>[^}]*)\}\s*$', re.MULTILINE)


def _constants(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level ``NAME = ("id", ...)`` tuples/lists of strings (ids shared by several decorators)."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple | ast.List):
            values = node.value.elts
            if all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = [v.value for v in values]
    return found


def declared_ids(source: str, filename: str = "<source>") -> list[str]:
    """The formula ids of every ``@implements(...)`` decorator in ``source``, one entry per declaration."""
    tree = ast.parse(source, filename=filename)
    constants = _constants(tree)
    ids: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for dec in node.decorator_list:
            func = dec.func if isinstance(dec, ast.Call) else None
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name != "implements":
                continue
            for arg in dec.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    ids.append(arg.value)
                elif isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name) and arg.value.id in constants:
                    ids.extend(constants[arg.value.id])
                else:
                    raise AssertionError(f"{filename}:{dec.lineno}: cannot read the formula id {ast.unparse(arg)}")
    return ids


def package_ids(package: str) -> list[str]:
    """`declared_ids` over every module file of ``package`` under the project root."""
    folder = ROOT / Path(*package.split("."))
    return [fid for path in sorted(folder.rglob("*.py")) for fid in declared_ids(path.read_text("utf-8"), str(path))]


def log_ids() -> tuple[list[str], set[str]]:
    """The formula ids of every log (Markdown under the docs folder) and, separately, the exempt ones."""
    ids, exempt = [], set()
    for path in sorted(CONFIG.docs_dir.rglob("*.md")):
        for match in MATH_FENCE.finditer(path.read_text(encoding="utf-8")):
            ids.append(match["id"])
            if "exempt=" in match["attrs"]:
                exempt.add(match["id"])
    return ids, exempt


def test_the_source_oracle_reads_shared_id_tuples_and_refuses_what_it_cannot_read() -> None:
    source = (
        'IDS = ("a.x", "a.y")\n'
        '@implements(*IDS, "a.z", symbols={})\n@implements("b", symbols={})\ndef f(): ...\n'
        'class C:\n    @engine.implements("c", symbols={})\n    def m(self): ...\n'
        '@other("d")\ndef g(): ...\n'
    )
    assert Counter(declared_ids(source)) == Counter(["a.x", "a.y", "a.z", "b", "c"])
    with pytest.raises(AssertionError, match="cannot read the formula id"):
        declared_ids('@implements(make_id(), symbols={})\ndef f(): ...\n')


@pytest.mark.parametrize("package", CONFIG.implementations)
def test_discovery_finds_every_declaration_in_the_source(package: str) -> None:
    discovered = [fid for b in BINDINGS if (b.module + ".").startswith(package + ".") for fid in b.formula_ids]
    in_source = package_ids(package)
    assert in_source, f"no @implements in {package}: the oracle read nothing"
    assert Counter(discovered) == Counter(in_source)


def test_every_log_formula_is_declared_and_every_declaration_is_in_a_log() -> None:
    ids, exempt = log_ids()
    assert len(ids) == len(set(ids)), "a formula id appears twice in the logs"
    assert len(ids) > len(exempt) > 0
    declared = {fid for package in CONFIG.implementations for fid in package_ids(package)}
    assert declared == set(ids) - exempt


@pytest.mark.parametrize("binding", BINDINGS, ids=lambda b: f"{b.path}:{'+'.join(b.formula_ids)}")
def test_inputs_and_fixed_arguments_are_parameters(binding) -> None:
    params = inspect.signature(binding.func).parameters
    args = {role.arg for role in binding.symbols.values() if isinstance(role, In) and role.arg is not None}
    assert args | set(binding.fixed) <= set(params)
    required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
    assert required <= args | set(binding.fixed)
