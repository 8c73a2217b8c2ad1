#include "ui/training/chart_legend.h"

#include <QBrush>
#include <QVariant>
#include <QtCharts/QAbstractSeries>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QValueAxis>
#include <QtCharts/QXYSeries>
#include <cmath>

namespace netloom::ui {

ChartLegend::ChartLegend(QChart* chart, QWidget* parent) : QLabel(parent), m_chart(chart) {
    setObjectName("chartLegend");
    setWordWrap(true);
    setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    setTextFormat(Qt::RichText);
    chart->legend()->hide();
    refreshItems();
}

void ChartLegend::refreshItems() {
    QStringList items;
    for (QAbstractSeries* s : m_chart->series()) {
        connect(s, &QAbstractSeries::nameChanged, this, &ChartLegend::refreshItems,
                Qt::UniqueConnection);
        const auto* xy = qobject_cast<QXYSeries*>(s);
        const QColor colour = xy ? xy->pen().color() : palette().text().color();
        const bool dashed = xy && xy->pen().style() == Qt::DashLine;
        items << QString(
                     "<span style='white-space:nowrap'><span style='color:%1'>%2</span>"
                     "&nbsp;%3</span>")
                     .arg(colour.name(), dashed ? "╌╌" : "━━", s->name().toHtmlEscaped());
    }
    setText(items.join("&nbsp;&nbsp; "));
    setVisible(!items.isEmpty());
}

namespace {
// Room past the last tick, as a fraction of the axis: enough for a marker's radius at the
// narrowest chart width the window allows.
constexpr double kEdgeRoom = 0.04;
}  // namespace

void setWholeNumberRange(QValueAxis* axis, double max) {
    if (!(max > 0)) {
        axis->setTickType(QValueAxis::TicksFixed);
        axis->setRange(0, 1);
        axis->setTickCount(2);
        setAxisFiguresShown(axis, false);
        return;
    }
    // About four intervals of 1, 2 or 5 × 10^n, never below 1.
    const double rough = std::max(1.0, max / 4.0);
    const double decade = std::pow(10.0, std::floor(std::log10(rough)));
    double step = decade;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * decade >= rough) {
            step = m * decade;
            break;
        }
    const int intervals = std::max(1, static_cast<int>(std::ceil(max / step - 1e-9)));
    const double last = step * intervals;
    // Ticks stay on whole numbers; the range runs a little past the last tick so a marker on
    // it (a one-epoch run's evaluated-set dot) is drawn whole rather than cut by the plot edge.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setRange(0, last * (1.0 + kEdgeRoom));
    setAxisFiguresShown(axis, true);
}

void setAxisFiguresShown(QAbstractAxis* axis, bool shown) {
    // The axis's own label colour (the theme's) is kept on first use, to restore it.
    if (!axis->property("netloomLabelBrush").isValid())
        axis->setProperty("netloomLabelBrush", axis->labelsBrush());
    axis->setLabelsBrush(shown ? axis->property("netloomLabelBrush").value<QBrush>()
                               : QBrush(Qt::transparent));
    axis->setProperty("netloomFiguresShown", shown);
}

bool axisFiguresShown(const QAbstractAxis* axis) {
    return axis->property("netloomFiguresShown").toBool();
}

}  // namespace netloom::ui
