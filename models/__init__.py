"""Qt-free core: the case store, indicators, scoring. Never import PySide6 here."""
