"""设置 → 两违规则: the step limits (工作日), the yellow and serious thresholds and the county approval ceiling.

The tab saves through models.lw_settings.save_lw_rules on the worker, which validates the values and stamps
the edited rules' version (echoed in `lw stats` definitions and on the escalation sheet).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from models.lw_settings import STEPS, LwSettings
from ui.pages.base import AppContext
from ui.widgets import OK_COLOR, REFUSED_COLOR

ROLES = {
    "核查": "自接收时间起，核查员",
    "处置": "自派发时间（无则自核查完成时间）起，处置员",
    "审核": "自结案申请时间起，督查员",
}


def save_rules_job(db, values: dict) -> LwSettings:
    from models.lw_settings import save_lw_rules

    return save_lw_rules(db, **values, today=date.today().isoformat())


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setMinimumWidth(130)
    return spin


class LwRulesTab(QWidget):
    """The 两违 rules as a form; 保存 validates and stores them, 恢复默认 fills in the shipped values."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.shipped: LwSettings | None = None
        self.limits = {step: _spin(1, 365, self.tr(" 工作日")) for step in STEPS}
        self.yellow = _spin(1, 100, " %")
        self.serious = _spin(100, 10000, " %")
        self.serious.setSingleStep(10)
        self.county = _spin(0, 3650, self.tr(" 天"))
        self.version = QLabel("")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.save = QPushButton(self.tr("保存两违规则"))
        self.save.setObjectName("primary")
        self.defaults = QPushButton(self.tr("恢复默认值"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for step in STEPS:
            form.addRow(self.tr("{0}时限（{1}）").format(step, ROLES[step]), self.limits[step])
        form.addRow(self.tr("黄灯：已用时限达到"), self.yellow)
        form.addRow(self.tr("严重超期：已用时限超过（抄送纪委监委、效能部门）"), self.serious)
        form.addRow(self.tr("县级可审批的累计延期天数（超过须市级审批）"), self.county)
        form.addRow(self.tr("规则版本"), self.version)
        buttons = QHBoxLayout()
        buttons.addWidget(self.defaults)
        buttons.addWidget(self.save)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "两违智能监管的时限与亮灯规则。工作日按法定节假日、“节假日调整”与办公时间计；延期按自然日。"
                "修改后的规则用于此后的所有两违统计、亮灯与严重超期清单，版本号注明“本机修改”。"
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.save.clicked.connect(self.save_rules)
        self.defaults.clicked.connect(lambda: self.shipped is not None and self._fill(self.shipped))

    def show_rules(self, rules: LwSettings, shipped: LwSettings) -> None:
        self.shipped = shipped
        self._fill(rules)
        self.version.setText(rules.version)

    def _fill(self, rules: LwSettings) -> None:
        for step in STEPS:
            self.limits[step].setValue(rules.limits[step])
        self.yellow.setValue(int(rules.yellow_from * 100))
        self.serious.setValue(int(rules.serious_over * 100))
        self.county.setValue(rules.county_max_days)

    def values(self) -> dict:
        return {
            "limits": {step: self.limits[step].value() for step in STEPS},
            "yellow_from": Decimal(self.yellow.value()) / 100,
            "serious_over": Decimal(self.serious.value()) / 100,
            "county_max_days": self.county.value(),
        }

    def save_rules(self) -> None:
        self.ctx.run(save_rules_job, self.values(), on_done=self._saved, on_error=self._refused)

    def _saved(self, rules: LwSettings) -> None:
        self.version.setText(rules.version)
        self.status.setText(self.tr("已保存（规则版本 {0}）。").format(rules.version))
        self.status.setStyleSheet(f"color: {OK_COLOR}")
        self.ctx.data_changed.emit()

    def _refused(self, exc: BaseException) -> None:
        from ui.worker import error_text

        self.status.setText(self.tr("未保存：{0}").format(error_text(exc)))
        self.status.setStyleSheet(f"color: {REFUSED_COLOR}")
