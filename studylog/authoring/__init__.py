r"""Writing logs: ``studylog new`` (a log from the template) and ``studylog import`` (Jekyll posts to logs)."""

from studylog.authoring.commands import add_subcommands, cmd_import, cmd_new
from studylog.authoring.convert import ConvertedPost, Note, convert_post, read_post
from studylog.authoring.errors import (
    AuthoringError,
    ConversionError,
    FormulaCountError,
    FrontMatterError,
    LogExistsError,
    UnbalancedMathError,
)
from studylog.authoring.formulas import Equation, list_equations
from studylog.authoring.importer import ImportResult, import_posts
from studylog.authoring.new import create_log
from studylog.authoring.slug import log_path, slugify

__all__ = [
    "AuthoringError",
    "ConversionError",
    "ConvertedPost",
    "Equation",
    "FormulaCountError",
    "FrontMatterError",
    "ImportResult",
    "LogExistsError",
    "Note",
    "UnbalancedMathError",
    "add_subcommands",
    "cmd_import",
    "cmd_new",
    "convert_post",
    "create_log",
    "import_posts",
    "list_equations",
    "log_path",
    "read_post",
    "slugify",
]
