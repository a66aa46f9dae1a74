"""数据导入: the page (page.py) and its parts: the drop zone, the column-mapping editor, the history panel."""

from ui.pages.imports.page import ImportsPage

__all__ = ["ImportsPage"]
