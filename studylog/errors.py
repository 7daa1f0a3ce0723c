"""One root exception for everything a user can get wrong.

Every subclass carries the location (``path:line``) it is about, so that the boundary (the CLI, the
MkDocs plugin) can print one clear line instead of a traceback.
"""

from __future__ import annotations


class StudylogError(Exception):
    """Root of every error studylog reports to a user.

    Args:
        message: what is wrong, in words.
        path: the file the problem is in, if known.
        line: the 1-based line in ``path``, if known.
        formula_id: the formula the problem is about, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        formula_id: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.formula_id = formula_id
        super().__init__(self.location_prefix() + message)

    def location_prefix(self) -> str:
        """``path:line: id: `` as far as it is known."""
        parts = []
        if self.path:
            parts.append(self.path if self.line is None else f"{self.path}:{self.line}")
        if self.formula_id:
            parts.append(self.formula_id)
        return "".join(f"{p}: " for p in parts)

    def at(self, *, path: str | None = None, line: int | None = None, formula_id: str | None = None) -> StudylogError:
        """Return a copy of this error located at ``path:line`` (fields already set are kept)."""
        return type(self)(
            self.message,
            path=self.path or path,
            line=self.line if self.line is not None else line,
            formula_id=self.formula_id or formula_id,
        )


class LatexError(StudylogError):
    """A formula's LaTeX cannot be parsed into the checked subset."""


class UnknownSymbolError(LatexError):
    """A formula uses a symbol or command its binding does not declare (closed world)."""


class BindingError(StudylogError):
    """An implementation's ``@implements`` declaration is inconsistent."""


class RegistryError(StudylogError):
    """Formula ids and implementations do not match up (unknown, duplicate or missing)."""


class MarkupError(StudylogError):
    """The Markdown of a log is malformed (formula fence, id syntax, front matter)."""


class RenderError(StudylogError):
    """KaTeX refused to render a formula."""


class ConfigError(StudylogError):
    """The project's configuration (``pyproject.toml``, ``mkdocs.yml``) cannot be used: nothing can run."""
