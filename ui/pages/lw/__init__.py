"""两违监管: the page (page.py), its views (views.py) and the case list and record dialogs (record.py)."""

from ui.pages.lw.page import LwPage

__all__ = ["LwPage"]
