"""The PySide6 desktop shell: thin views over the Qt-free core."""
