"""pytest integration of the logs' executed examples: one item per block, named ``log:line``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studylog.engine.scan import markdown_files
from studylog.site.examples import Example, find_examples, run_example


def collect(docs: Path, root: Path) -> list[Example]:
    """Every executed example under ``docs`` (paths shown relative to ``root``)."""
    found: list[Example] = []
    for path in markdown_files([docs]):
        found.extend(find_examples(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix()))
    return found


def run_with_session(example: Example, all_examples: list[Example], timeout: float | None = 60.0) -> str:
    """Run ``example`` after the earlier blocks of its session (as the site does); return its output."""
    namespace: dict[str, Any] = {}
    if example.session:
        for earlier in all_examples:
            if earlier is example:
                break
            if earlier.path == example.path and earlier.session == example.session:
                run_example(earlier, namespace, timeout=timeout)
    return run_example(example, namespace, timeout=timeout)


def assert_output(example: Example, output: str) -> None:
    """When the log states the expected output, the example must print exactly that."""
    if example.expect is not None and output.rstrip() != example.expect.rstrip():
        raise AssertionError(f"{example.name}: the example printed\n{output.rstrip()}\nbut the log expects\n{example.expect.rstrip()}")
