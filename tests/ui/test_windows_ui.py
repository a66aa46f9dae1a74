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


def _has_latin_words(text: str) -> bool:
    """English left in a Qt string (an accelerator such as (&N) or a filter pattern aside)."""
    text = re.sub(r"\(&\w\)|\(\*[^)]*\)|\*\.\w+", "", text)
    return re.search(r"[A-Za-z]{2,}", text) is not None


def test_qt_dialogs_and_standard_buttons_speak_chinese(qapp, qtbot, tmp_path):
    """Qt's own strings come from qtbase_zh_CN plus ui.qt_strings for the few it misses: the message box
    buttons, and every label, button, column and type of Qt's own file dialog (used wherever there is no
    native one)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QTreeView

    ui_app.create_app()
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "请确认", "继续？")
    box.setStandardButtons(buttons.Yes | buttons.No | buttons.Cancel | buttons.Ok)
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消", "确定"])
    (tmp_path / "子文件夹").mkdir()
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dialog = QFileDialog(None, "选择案件文件", str(tmp_path), "案件导出 (*.xlsx *.xlsm)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(mode)
        dialog.show()
        view = dialog.findChildren(QTreeView)[0]
        model = view.model()
        qtbot.waitUntil(lambda v=view: v.model().rowCount(v.rootIndex()) == 1, timeout=5000)
        folder_row = [model.index(0, c, view.rootIndex()).data() for c in range(model.columnCount())]
        columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        shown = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton) if w.text()]
        assert "文件夹" in folder_row and columns[0] == "名称"
        assert len(shown) >= 4 and not [t for t in shown + columns if _has_latin_words(t)], shown + columns
        dialog.close()


def test_the_import_dialog_offers_xlsm_and_xlsb(make_window, tmp_path, monkeypatch):
    window = make_window(tmp_path / "store.db")
    asked = []
    monkeypatch.setattr(dialogs, "open_files", lambda parent, title, filters: asked.append(filters) or [])
    window.imports.drop.pick.click()
    patterns = asked[0].split(";;")[0]
    assert all(f"*.{ext}" in patterns for ext in ("xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "html"))
