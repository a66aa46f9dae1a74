"""Start the desktop console: one QApplication, a CJK font, the main window on the shared database."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "chengguan-console"


def create_app(argv: list[str] | None = None):
    """The QApplication with organisation names (QSettings location) and a font that renders Chinese."""
    from PySide6.QtWidgets import QApplication

    from ui.fonts import app_font

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("城管绩效台")
    app.setFont(app_font())
    return app


def run_gui(db_path: Path | None) -> int:
    """main.py's default command: open the window on `db_path` (default: the file the CLI shares)."""
    from models.store import default_db_path

    app = create_app()
    from ui.main_window import MainWindow

    window = MainWindow(Path(db_path) if db_path else default_db_path())
    window.show()
    return app.exec()
