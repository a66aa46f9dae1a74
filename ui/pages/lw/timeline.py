"""A 两违 case's three steps drawn on one time axis: each step from its start to its end (or to the as-of time
while open), its deadline marked (and the deadline before extensions, dashed), the as-of time as a line.

Why a drawing as well as the table: whether a step ended before its deadline, and how far an open one has
run past it, is seen at a glance; the table beside it gives the exact times.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.pages.overdue import LIGHT_COLORS

ON_TIME, LATE, AS_OF = QColor("#4a9a5b"), QColor("#c0392b"), QColor("#2f6fb3")
ROW, LABEL, AXIS, PAD = 34, 130, 26, 12


def _ts(text: str | None) -> datetime | None:
    return datetime.strptime(text[:19].replace("T", " "), "%Y-%m-%d %H:%M:%S") if text else None


class StepTimeline(QWidget):
    """Paints `steps` (models.lw_store.case_record's) on an axis from the first start to the as-of time or the
    last end / deadline, whichever is later."""

    def __init__(self, steps: list[dict], as_of: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.steps = steps
        self.as_of = _ts(as_of)
        moments = [self.as_of] + [
            _ts(s[key]) for s in steps for key in ("started_at", "ended_at", "deadline_at") if s[key]
        ]
        starts = [_ts(s["started_at"]) for s in steps if s["started_at"]]
        self.first = min(starts) if starts else self.as_of
        self.last = max(moments)
        if self.last <= self.first:
            self.last = self.first + timedelta(days=1)
        self.setMinimumHeight(ROW * len(steps) + AXIS + PAD)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(800, ROW * len(self.steps) + AXIS + PAD)

    def x(self, moment: datetime) -> float:
        width = self.width() - LABEL - 2 * PAD
        share = (moment - self.first) / (self.last - self.first)
        return LABEL + PAD + width * share

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        bottom = ROW * len(self.steps) + PAD // 2
        self._axis(painter, bottom)
        for row, step in enumerate(self.steps):
            top = PAD // 2 + row * ROW
            painter.setPen(self.palette().windowText().color())
            label = f"{step['step']} {step['person'] or ''}".strip()
            painter.drawText(QRectF(0, top, LABEL, ROW), Qt.AlignmentFlag.AlignVCenter, label)
            start = _ts(step["started_at"])
            if start is None or start > self.as_of:
                painter.setPen(QColor("#888"))
                painter.drawText(QRectF(LABEL + PAD, top, 300, ROW), Qt.AlignmentFlag.AlignVCenter, "未开始")
                continue
            end = _ts(step["ended_at"]) if step["done"] else self.as_of
            color = (ON_TIME if step["on_time"] else LATE) if step["done"] else QColor(LIGHT_COLORS[step["light"]])
            bar = QRectF(self.x(start), top + 9, max(self.x(end) - self.x(start), 2), ROW - 18)
            painter.fillRect(bar, color)
            deadline = _ts(step["deadline_at"])
            if step["extension_days"] and step["base_deadline"]:
                self._tick(painter, self.x(_ts(step["base_deadline"])), top, Qt.PenStyle.DotLine, QColor("#777"))
            if deadline is not None:
                self._tick(painter, self.x(deadline), top, Qt.PenStyle.SolidLine)
                painter.setPen(QColor("#333"))
                text = f"截止 {deadline:%m-%d %H:%M}"
                left = min(self.x(deadline) + 4, self.width() - metrics.horizontalAdvance(text) - 2)
                painter.drawText(QPointF(left, top + 9), text)
        pen = QPen(AS_OF, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        x = self.x(self.as_of)
        painter.drawLine(QPointF(x, 2), QPointF(x, bottom))
        painter.end()

    def _tick(self, painter: QPainter, x: float, top: int, style: Qt.PenStyle, color: QColor | None = None) -> None:
        painter.setPen(QPen(color or QColor("#333"), 2, style))
        painter.drawLine(QPointF(x, top + 4), QPointF(x, top + ROW - 4))

    def _axis(self, painter: QPainter, bottom: int) -> None:
        """Day ticks under the bars, as many as fit, labelled month-day."""
        painter.setPen(QColor("#999"))
        painter.drawLine(QPointF(LABEL + PAD, bottom), QPointF(self.width() - PAD, bottom))
        days = max((self.last - self.first).days, 1)
        room = max((self.width() - LABEL - 2 * PAD) // 60, 1)
        step = max(1, -(-days // room))
        day = datetime.combine(self.first.date(), datetime.min.time()) + timedelta(days=1)
        while day <= self.last:
            x = self.x(day)
            painter.drawLine(QPointF(x, bottom), QPointF(x, bottom + 4))
            painter.drawText(QPointF(x - 16, bottom + 18), f"{day:%m-%d}")
            day += timedelta(days=step)
