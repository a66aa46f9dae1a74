"""Windows desktop behaviours: first-start size on a small laptop, light colours under dark mode, the icon,
and where save dialogs open."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtGui import QPalette

from ui import app as ui_app
from ui import dialogs
from ui.main_window import FRAME_ALLOWANCE, STYLE, first_start_size

LAPTOP_125 = QRect(0, 0, 1093, 582)  # 1366×768 at 125 % less the taskbar, in logical pixels


def test_first_start_size_fits_the_work_area():
    assert first_start_size(QRect(0, 0, 2560, 1400), QSize(900, 500)) == QSize(1360, 860)
    size = first_start_size(LAPTOP_125, QSize(900, 500))
    assert size.width() + FRAME_ALLOWANCE.width() <= 1093 and size.height() + FRAME_ALLOWANCE.height() <= 582


def test_the_main_window_can_shrink_to_a_125_percent_laptop(make_window, tmp_path):
    window = make_window(tmp_path / "empty.db", wait=False)
    needed = window.minimumSizeHint()
    assert needed.width() + FRAME_ALLOWANCE.width() <= LAPTOP_125.width(), needed
    assert needed.height() + FRAME_ALLOWANCE.height() <= LAPTOP_125.height(), needed


def test_light_colours_and_every_styled_background_sets_its_text_colour(qapp):
    app = ui_app.create_app()
    palette = app.palette()
    assert palette.color(QPalette.ColorRole.WindowText).lightness() < 100
    assert palette.color(QPalette.ColorRole.Window).lightness() > 180
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", STYLE):
        if "background" in body:
            assert re.search(r"(^|[;\s])color:", body), selector.strip()


def test_window_icon_and_app_id(qapp):
    app = ui_app.create_app()
    assert not app.windowIcon().isNull()
    assert ui_app.set_windows_app_id() is False  # a no-op off Windows; on Windows it names the taskbar group


def test_save_dialogs_open_in_documents_then_the_last_used_folder(qapp, tmp_path, monkeypatch):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(dialogs, "QSettings", lambda: settings)
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(dialogs.QStandardPaths, "writableLocation", lambda location: str(documents))
    assert dialogs.start_folder("save") == documents
    seen = []

    def fake_dialog(parent, title, suggested, filters):
        seen.append(suggested)
        return str(tmp_path / "exports" / "部件_事件-2021-11.png"), filters

    (tmp_path / "exports").mkdir()
    monkeypatch.setattr(dialogs.QFileDialog, "getSaveFileName", fake_dialog)
    assert dialogs.save_file(None, "保存图表", "部件 / 事件-2021-11.png", "PNG (*.png)") is not None
    assert Path(seen[0]) == documents / "部件_事件-2021-11.png"
    assert dialogs.start_folder("save") == tmp_path / "exports"
    assert dialogs.start_folder("open") == documents
