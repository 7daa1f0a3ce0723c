"""What every fuzzed input must give: a located `StudylogError`, never another exception."""

from __future__ import annotations

from studylog.errors import StudylogError


def lines_of(text: str) -> int:
    """How many lines a log has as studylog counts them (BOM dropped, CR and CRLF are line ends)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_located(error: StudylogError, paths: dict[str, str]) -> None:
    """``error`` names one of ``paths`` (``{path: text}``) or a project file, and a line inside it."""
    assert isinstance(error, StudylogError), repr(error)
    assert error.path, f"no file: {error!r}"
    assert error.line is not None, f"no line: {error}"
    if error.path in paths:
        assert 1 <= error.line <= lines_of(paths[error.path]), f"line {error.line} is outside the file: {error}"
    else:
        assert error.path.endswith(".py") and error.line >= 1, f"names no generated file: {error}"
    assert "Traceback" not in error.message, error.message
