"""``studylog verify``: exit codes, FILE:LINE: ID: messages, and --report."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from studylog.cli import main

IMPL = '''
from studylog.engine.binding import implements, In, Out, Scalar
@implements("sgd", symbols={"W_t": In("W"), r"\\eta": In("lr", Scalar()), "g_t": In("g"), "W_{t+1}": Out()})
def sgd(W, g, lr):
    return W - lr * g
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.studylog]\nimplementations = ["cli_impl_mod"]\n')
    (tmp_path / "cli_impl_mod.py").write_text(IMPL)
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def write(project: Path, body: str) -> None:
    (project / "docs" / "log.md").write_text(textwrap.dedent(body))


def test_all_verified_exits_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "# L\n\n```math {#sgd}\nW_{t+1} \\leftarrow W_t - \\eta g_t\n```\n")
    assert main(["verify"]) == 0
    assert "1 verified" in capsys.readouterr().out


def test_mismatch_exits_1_with_location(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "# L\n\n```math {#sgd}\nW_{t+1} \\leftarrow W_t + \\eta g_t\n```\n")
    assert main(["verify"]) == 1
    err = capsys.readouterr().err
    assert "docs/log.md:4: sgd: W_{t+1} differs from cli_impl_mod.sgd: max abs diff" in err, err


def test_unlinked_and_missing_exit_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "# L\n\n```math\na = b\n```\n\n```math {#nobody}\na = b\n```\n")
    assert main(["verify"]) == 1
    err = capsys.readouterr().err
    assert "docs/log.md:3: (no id): display formula without an id" in err
    assert "docs/log.md:7: nobody: no implementation declares @implements('nobody')" in err


def test_report_lists_every_formula(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, '# L\n\n```math {#sgd}\nW_{t+1} \\leftarrow W_t - \\eta g_t\n```\n\n```math {#n exempt="notation"}\n\\eta\n```\n')
    assert main(["verify", "--report"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "docs/log.md:3\tsgd\tcli_impl_mod.sgd\tverified" in out
    assert "docs/log.md:7\tn\t-\texempt  (notation)" in out


def test_usage_error_exits_2(project: Path) -> None:
    assert main(["verify", "--no-such-flag"]) == 2
    assert main([]) == 2


def test_missing_path_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "nope.md"]) == 2  # the command cannot run: exit 2, as pytest and ruff do
    assert "nope.md: no such file or folder" in capsys.readouterr().err
