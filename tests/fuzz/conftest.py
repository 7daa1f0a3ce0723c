"""The fuzzer's fixed project, written once per session (its package is imported once: one copy of it)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.project import PACKAGE, write_project


@pytest.fixture(scope="session")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project root: ``pyproject.toml``, the implementation package ``fuzzimpl``, ``docs/``."""
    root = write_project(tmp_path_factory.mktemp("fuzzproject"), {})
    (root / "node_modules").symlink_to(Path(__file__).resolve().parents[2] / "node_modules")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
