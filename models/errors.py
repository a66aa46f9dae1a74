"""The one error family for "the user's input is wrong".

Every such error derives from :class:`UserFacingError` and carries a complete Chinese message naming the
file, row and column where known. The CLI prints the message and exits 2; the GUI shows it in a message
box. Any other exception, a `ValueError` included, is a bug: the CLI exits 1 with a short note and the
traceback goes to the log file only.

The subclasses below serve more than one module; the others live beside the code that raises them
(``PeriodError``, ``RegistryError``, ``ReferenceTableError``, ``DefinitionsError``, ``ScoringError`` ...).
"""

from __future__ import annotations


class UserFacingError(Exception):
    """Base class: the user's input is wrong and str(exc) is the complete Chinese message for them."""


class ImportRefused(UserFacingError):
    """A whole file refused before anything was written (cli.md "refused")."""

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"拒收文件「{file_name}」：{reason}")


class RuleSetError(UserFacingError):
    """A malformed or unknown rule set (names the file and line)."""


class AdjustmentError(UserFacingError):
    """A manual adjustment that cannot be recorded or reversed."""


class CellValueError(UserFacingError):
    """One ledger cell the domain rules refuse: an unknown type or region word, a bad 是否重复, a deadline that is
    neither a date nor a day count. str() is the Chinese reason naming the word; ``field`` is the canonical
    field, so an importer can turn it into a rejected row with its row and column."""

    refuses_file = False  # True: the whole file is refused (e.g. a petition batch that is not the one imported)

    def __init__(self, field: str, reason: str, word: str | None = None):
        self.field = field
        self.word = word
        super().__init__(reason)
