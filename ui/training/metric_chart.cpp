#include "ui/training/metric_chart.h"

#include <QPen>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/training/chart_legend.h"
#include "ui/training/series_decimation.h"

namespace netloom::ui {

MetricChart::MetricChart(const Titles& titles, std::vector<Curve> curves, QWidget* parent)
    : QWidget(parent) {
    auto* chart = new QChart;
    chart->setTitle(titles.chart);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_x = new QValueAxis(chart);
    m_x->setTitleText(titles.x);
    m_x->setLabelFormat("%.0f");
    setWholeNumberRange(m_x, 0);
    m_left = new QValueAxis(chart);
    m_left->setTitleText(titles.left);
    m_left->setRange(0, 1);
    m_right = new QValueAxis(chart);
    m_right->setTitleText(titles.right);
    m_right->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_left, Qt::AlignLeft);
    chart->addAxis(m_right, Qt::AlignRight);
    bool anyRight = false;
    for (Curve& c : curves) {
        auto* s = new QLineSeries(chart);
        s->setName(c.label);
        QPen pen(c.colour);
        pen.setWidthF(1.5);
        s->setPen(pen);
        chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(c.axis == Axis::Left ? m_left : m_right);
        anyRight = anyRight || c.axis == Axis::RightShare;
        m_lines.push_back({std::move(c), s, {}});
    }
    m_right->setVisible(anyRight);
    m_view = new QChartView(chart, this);  // owns the chart
    m_view->setRenderHint(QPainter::Antialiasing);
    m_legend = new ChartLegend(chart, this);  // wraps instead of cutting "D acc…"
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_legend);
    m_timer.setInterval(125);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_dirty) refresh();
    });
    refresh();  // the empty axes
}

void MetricChart::addPoints(const QVector<RunPoint>& points) {
    for (const RunPoint& p : points) {
        const double x = static_cast<double>(p.step);
        for (Line& line : m_lines) {
            if (!p.metrics.has(line.curve.metric)) continue;
            const double v = p.metrics.get(line.curve.metric);
            line.points.emplace_back(x, v);
            if (line.curve.axis == Axis::Left && std::isfinite(v))
                m_maxLeft = std::max(m_maxLeft, v);
        }
        m_maxX = std::max(m_maxX, x);
    }
    m_dirty = m_dirty || !points.isEmpty();
}

void MetricChart::clear() {
    for (Line& line : m_lines) line.points.clear();
    m_maxLeft = 1;
    m_maxX = 0;
    m_dirty = true;
    refresh();
}

void MetricChart::setLive(bool live) {
    if (live)
        m_timer.start();
    else
        m_timer.stop();
}

void MetricChart::refresh() {
    m_dirty = false;
    const int buckets = std::max(50, m_view->width());
    bool empty = true;
    for (Line& line : m_lines) {
        line.series->replace(decimateMinMax(line.points, buckets));
        empty = empty && line.points.empty();
    }
    // No figures yet: plain axes without labels (not "0 0 1 1 1").
    for (QValueAxis* axis : {m_left, m_right}) setAxisFiguresShown(axis, !empty);
    if (empty) {
        setWholeNumberRange(m_x, 0);
        m_left->setRange(0, 1.1);
        return;
    }
    // Whole steps on x, grown with a quarter's headroom so it does not move every refresh.
    const double maxX = std::max(1.0, m_maxX);
    if (m_x->max() < maxX || !axisFiguresShown(m_x)) setWholeNumberRange(m_x, maxX * 1.25);
    if (m_left->max() < m_maxLeft) m_left->setRange(0, m_maxLeft * 1.1);
}

QLineSeries* MetricChart::series(const std::string& metric) const {
    for (const Line& line : m_lines)
        if (line.curve.metric == metric) return line.series;
    return nullptr;
}

}  // namespace netloom::ui
