r"""Writing logs: ``studylog new`` (a log from the template), ``studylog import`` (a Jekyll blog to logs) and
``studylog init`` (a new site of your own)."""

from studylog.authoring.commands import add_subcommands, cmd_import, cmd_init, cmd_new
from studylog.authoring.convert import ConvertedPost, ConvertOptions, convert_post, read_post
from studylog.authoring.errors import (
    AuthoringError,
    ConversionError,
    FormulaCountError,
    FrontMatterError,
    LogExistsError,
    UnbalancedMathError,
)
from studylog.authoring.formulas import Equation, list_equations
from studylog.authoring.importer import ImportReport, ImportResult, import_posts, run_import
from studylog.authoring.notes import Note, NoteKind
from studylog.authoring.new import create_log
from studylog.authoring.project import create_project
from studylog.authoring.slug import log_path, slugify

__all__ = [
    "AuthoringError",
    "ConversionError",
    "ConvertOptions",
    "ConvertedPost",
    "Equation",
    "FormulaCountError",
    "FrontMatterError",
    "ImportReport",
    "ImportResult",
    "LogExistsError",
    "Note",
    "NoteKind",
    "UnbalancedMathError",
    "add_subcommands",
    "cmd_import",
    "cmd_init",
    "cmd_new",
    "convert_post",
    "create_log",
    "create_project",
    "import_posts",
    "list_equations",
    "log_path",
    "read_post",
    "run_import",
    "slugify",
]
