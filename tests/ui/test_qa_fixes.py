"""Regression tests for what the UI QA walk-through found on a real screen."""

from __future__ import annotations

import logging

from tests.ui.test_shell import _small_store


def test_refused_settings_input_logs_no_traceback(make_window, tmp_path, qtbot, script, caplog):
    """A wrong unit category typed in 设置 is refused with its message, not logged as an internal fault."""
    window = make_window(_small_store(tmp_path / "small.db"))

    def bad_category(db):
        from models import registry

        registry.set_unit(db, "市交警支队", category="D")

    def bad_period(db):
        from models.periods import parse_label

        parse_label("2021-13")

    errors = []
    with caplog.at_level(logging.ERROR, logger="chengguan.ui"):
        window.tasks.run(bad_category, on_error=errors.append)
        window.tasks.run(bad_period, on_error=errors.append)
        qtbot.waitUntil(window.tasks.idle, timeout=10000)
    assert len(errors) == 2
    assert "未知的单位类别「D」" in str(errors[0])
    assert [r for r in caplog.records if r.name == "chengguan.ui"] == []
