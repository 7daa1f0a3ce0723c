"""Shared helpers for the authoring tests: the fixtures folder and a CLI runner."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest

from studylog.authoring.commands import add_subcommands

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The folder of Jekyll posts used as inputs."""
    return FIXTURES


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``studylog <argv>`` through the subcommands' own parser: ``(exit code, stdout, stderr)``."""

    def run(*argv: str) -> tuple[int, str, str]:
        parser = argparse.ArgumentParser(prog="studylog")
        add_subcommands(parser.add_subparsers(dest="command", required=True))
        try:
            args = parser.parse_args(list(argv))
            code = args.func(args)
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
