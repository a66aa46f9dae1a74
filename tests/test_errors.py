"""One error family: the user's mistakes derive from UserFacingError (exit 2, a message box); anything else,
a ValueError included, is a bug (exit 1 with a pointer to the log, traceback only in the log)."""

from __future__ import annotations

import logging

import pytest

import main
from exporters.saving import ExportError
from models import registry
from models.definitions import DefinitionsError
from models.errors import AdjustmentError, CellValueError, ImportRefused, RuleSetError, UserFacingError
from models.indicators import AsOfError
from models.lw_settings import LwSettingsError, LwValueError
from models.periods import PeriodError, parse_month
from models.petition_report import PetitionError
from models.petitions import BatchMismatch
from models.reference import ReferenceTableError
from models.registry import RegistryError
from models.scoring import ScoringError
from models.store import open_db
from models.vocabulary import VocabularyError

FAMILY = [
    PeriodError,
    RegistryError,
    ReferenceTableError,
    RuleSetError,
    ImportRefused,
    AdjustmentError,
    DefinitionsError,
    ScoringError,
    AsOfError,
    ExportError,
    CellValueError,
    LwValueError,
    BatchMismatch,
    LwSettingsError,
    PetitionError,
    VocabularyError,
]


@pytest.mark.parametrize("error", FAMILY, ids=lambda e: e.__name__)
def test_every_user_error_derives_from_the_base(error):
    assert issubclass(error, UserFacingError)


def test_period_and_registry_errors_are_no_longer_value_errors():
    # a bare `except ValueError` around core code must not swallow the user's mistakes, nor show a bug as one
    assert not issubclass(PeriodError, ValueError) and not issubclass(RegistryError, ValueError)
    assert not any(issubclass(e, ValueError) for e in (CellValueError, VocabularyError))


def test_the_reference_error_no_longer_shadows_the_builtin():
    import models.reference

    assert not hasattr(models.reference, "ReferenceError")


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "e.db"
    open_db(path).conn.close()
    return str(path)


def test_a_user_error_exits_2_with_its_message_and_no_traceback(db_path, capsys, caplog):
    with caplog.at_level(logging.ERROR):
        assert main.main(["--db", db_path, "units", "set", "某单位", "--category", "Z"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "错误：未知的单位类别「Z」（可选：A、B、C）\n" and captured.out == ""
    assert not [r for r in caplog.records if r.exc_info]


def test_an_unexpected_value_error_is_a_bug_exit_1_traceback_in_the_log_only(db_path, capsys, caplog, monkeypatch):
    def broken(db):
        raise ValueError("月份应为数字")  # Chinese text, but still a bug: nothing the user typed caused it

    monkeypatch.setattr(registry, "list_units", broken)
    with caplog.at_level(logging.ERROR):
        assert main.main(["--db", db_path, "units", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("内部错误：ValueError: 月份应为数字（详情见日志 ") and err.count("\n") == 1
    assert "Traceback" not in err
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.exc_info[0] is ValueError and "units" in record.getMessage()


def test_worker_error_text_shows_only_the_family_as_a_user_message():
    from ui.worker import _is_user_error, error_text

    for exc in (PeriodError("月份超出范围：13（应为 1–12）"), RegistryError("单位名称不能为空")):
        assert _is_user_error(exc) and error_text(exc) == str(exc)
    with pytest.raises(PeriodError) as caught:
        parse_month("11/2021")
    assert error_text(caught.value) == "月份格式应为 YYYY-MM，收到「11/2021」"
    bug = ValueError("invalid literal for int() with base 10: 'x'")
    assert not _is_user_error(bug)
    assert error_text(bug) == "内部错误：ValueError: invalid literal for int() with base 10: 'x'（详情见日志）"
