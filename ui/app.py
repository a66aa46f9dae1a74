"""Start the desktop console: one QApplication, a CJK font, the main window on the shared database."""

from __future__ import annotations

import sys
from pathlib import Path

APP_USER_MODEL_ID = "Chengguan.Console"  # Windows taskbar identity: our icon and grouping, not python.exe's


def create_app(argv: list[str] | None = None):
    """The QApplication with organisation names (QSettings location) and a font that renders Chinese."""
    from PySide6.QtWidgets import QApplication

    from models.store import APP_NAME
    from ui.fonts import app_font

    # The worker thread runs Python too; a shorter GIL switch interval hands the UI thread the GIL sooner.
    sys.setswitchinterval(0.002)
    set_windows_app_id()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("城管绩效台")
    app.setFont(app_font())
    app.setWindowIcon(app_icon())
    force_light_colours(app)
    _install_qt_translations(app)
    return app


def set_windows_app_id() -> bool:
    """Windows groups taskbar buttons and picks their icon by AppUserModelID; without one, an installed app
    run by pythonw.exe shows up as Python. Must be set before the first window; no-op elsewhere."""
    if sys.platform != "win32":
        return False
    import ctypes

    return ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID) == 0


def app_icon():
    from PySide6.QtGui import QIcon

    from models.bundled import resource_path

    return QIcon(str(resource_path("app.ico")))


def force_light_colours(app) -> None:
    """The console is designed light (tiles, banners and charts set light backgrounds). Under Windows dark mode
    Qt would switch the palette to white text, white on those light backgrounds; ask for the light scheme."""
    from PySide6.QtCore import Qt

    app.styleHints().setColorScheme(Qt.ColorScheme.Light)


def _install_qt_translations(app) -> None:
    """Qt's own strings (Yes/No, Cancel, file dialogs) in Chinese, from the translations PySide6 ships plus
    the few they miss, and Chinese dates in Qt's widgets (the file dialog's 修改日期 column)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from ui.qt_strings import QtStringsZh

    if app.property("chengguan_translator") is not None:
        return
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(chinese)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(chinese, "qtbase", "_", folder):
        app.installTranslator(translator)
    app.installTranslator(QtStringsZh(app))  # installed last: asked first
    app.setProperty("chengguan_translator", True)


def run_gui(db_path: Path | None) -> int:
    """main.py's default command: open the window on `db_path` (default: the file the CLI shares)."""
    from models.store import default_db_path

    app, window = start_window(Path(db_path) if db_path else default_db_path())
    return app.exec()


def start_window(path: Path, settings=None, **window_options):
    """The QApplication and the shown main window, with the store opened and the opening month's
    dashboard computed on the worker while this thread still imports the window (pyqtgraph, pages)."""
    from PySide6.QtCore import QSettings

    from ui.startup import Prefetch, startup_with_dashboard
    from ui.window_settings import migrate_settings, saved_period
    from ui.worker import TaskManager

    app = create_app()
    settings = migrate_settings(settings if settings is not None else QSettings())
    tasks = TaskManager(path)  # the worker opens the store while this thread imports the window
    prefetch = Prefetch()
    tasks.run(
        startup_with_dashboard,
        saved_period(settings),
        on_done=prefetch.set_result,
        on_error=prefetch.set_error,
    )
    from ui.main_window import MainWindow

    window = MainWindow(path, settings, tasks=tasks, prefetch=prefetch, **window_options)
    window.show()
    return app, window
