"""The dashboard's two charts (QtCharts): calls by hour, and FCR by stream beside the reference.

Each chart keeps its series and axes and only has its values replaced on a refresh, so an update
costs the GUI thread a few milliseconds, not a rebuilt chart.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

BLUE = QColor("#1f5fa8")
GREEN = QColor("#2e7d32")
GREY = QColor("#9e9e9e")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _view(chart: QChart, name: str, accessible: str, parent: QWidget | None) -> QChartView:
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


class BarChart:
    """Bars over named categories, one or more sets, with a value axis from 0."""

    def __init__(
        self,
        title: str,
        sets: Sequence[tuple[str, QColor]],
        *,
        name: str,
        accessible: str,
        percent: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        self.chart = _chart(title)
        self.series = QBarSeries()
        self.sets: list[QBarSet] = []
        for label, colour in sets:
            bars = QBarSet(label)
            bars.setColor(colour)
            bars.setBorderColor(colour)
            self.sets.append(bars)
            self.series.append(bars)
        self.chart.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        small = QFont(self.categories.labelsFont())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        self.categories.setLabelsFont(small)  # whole stream names under their bars
        self.values = QValueAxis()
        self.values.setLabelFormat("%d%%" if percent else "%d")
        self.values.setMin(0)
        self.chart.addAxis(self.categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.values, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)
        self.chart.legend().setVisible(len(sets) > 1)
        self.percent = percent
        self.view = _view(self.chart, name, accessible, parent)

    def show(self, categories: Sequence[str], values: Sequence[Sequence[float]]) -> None:
        """Put ``values`` (one list a set, one value a category) in place of the last ones."""
        self.categories.clear()
        self.categories.append(list(categories))
        top = 0.0
        for bars, numbers in zip(self.sets, values, strict=True):
            bars.remove(0, bars.count())
            bars.append([float(n) for n in numbers])
            top = max([top, *numbers])
        ceiling = 100.0 if self.percent else max(4.0, top * 1.2)
        self.values.setRange(0, ceiling)
        self.values.setTickCount(6 if self.percent else 5)
