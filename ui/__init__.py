"""The PySide6 desktop shell: thin views over the Qt-free core."""

from ui import pyside_fix as _pyside_fix

_pyside_fix.apply()
