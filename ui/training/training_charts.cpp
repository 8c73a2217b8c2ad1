#include "ui/training/training_charts.h"

#include <QFile>
#include <QHBoxLayout>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "ui/training/chart_legend.h"
#include "ui/training/series_decimation.h"

namespace netloom::ui {

namespace {

QLineSeries* makeSeries(QChart* chart, const QString& name, const QColor& colour, bool points) {
    auto* s = new QLineSeries(chart);
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(points ? 2.0 : 1.5);
    s->setPen(pen);
    s->setPointsVisible(points);
    chart->addSeries(s);
    return s;
}

void attach(QChart* chart, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

// Log axes cannot show zero or negative values.
double forLog(double v) {
    return std::max(v, 1e-6);
}

}  // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
    auto* lossChart = new QChart;
    lossChart->setTitle(tr("Loss"));
    // Short names (the legend wraps, but a line is better); the smoothing shows in the tooltip.
    m_trainLoss = makeSeries(lossChart, tr("training"), QColor(0x1f77b4), false);
    m_valLoss = makeSeries(lossChart, tr("validation"), QColor(0xff7f0e), true);
    m_lossX = new QValueAxis;
    m_lossX->setTitleText(tr("epoch"));
    m_lossX->setLabelFormat("%.0f");
    m_lossY = new QLogValueAxis;
    m_lossY->setBase(10);
    m_lossY->setLabelFormat("%g");
    m_lossY->setMinorTickCount(8);
    attach(lossChart, m_lossX, m_lossY);

    auto* accChart = new QChart;
    accChart->setTitle(tr("Accuracy"));
    m_trainAcc = makeSeries(accChart, tr("training"), QColor(0x1f77b4), false);
    m_valAcc = makeSeries(accChart, tr("validation"), QColor(0xff7f0e), true);
    m_accX = new QValueAxis;
    m_accX->setTitleText(tr("epoch"));
    m_accX->setLabelFormat("%.0f");
    m_accY = new QValueAxis;
    m_accY->setRange(0, 1);
    m_accY->setLabelFormat("%.2f");
    attach(accChart, m_accX, m_accY);

    m_lossView = makeView(lossChart);
    m_accView = makeView(accChart);
    m_lossLegend = new ChartLegend(lossChart, this);
    m_accLegend = new ChartLegend(accChart, this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (auto [view, legend] : {std::pair{m_lossView, m_lossLegend}, {m_accView, m_accLegend}}) {
        auto* column = new QWidget(this);
        auto* v = new QVBoxLayout(column);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(0);
        v->addWidget(view, 1);
        v->addWidget(legend);
        layout->addWidget(column);
        (view == m_lossView ? m_lossColumn : m_accColumn) = column;
    }
    setEvaluatedSet(tr("validation"));

    for (QLineSeries* s : {m_trainLoss, m_valLoss, m_trainAcc, m_valAcc}) connectHover(s);
    m_timer.setInterval(125);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_dirty) refresh();
    });
    m_timer.start();
    clear();
}

void TrainingCharts::connectHover(QLineSeries* s) {
    connect(s, &QLineSeries::hovered, this, [this, s](const QPointF& p, bool on) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        // The nearest real point, not the spot on the line segment under the mouse.
        const QList<QPointF> pts = s->points();
        QPointF best = p;
        double bestD = INFINITY;
        for (const QPointF& q : pts)
            if (std::abs(q.x() - p.x()) < bestD) bestD = std::abs(q.x() - p.x()), best = q;
        const bool smoothed = s == m_trainLoss || s == m_trainAcc;
        QToolTip::showText(
            QCursor::pos(),
            QString("%1\nepoch %2: %3")
                .arg(smoothed ? tr("%1 (smoothed over batches)").arg(s->name()) : s->name())
                .arg(best.x(), 0, 'f', 2)
                .arg(best.y(), 0, 'g', 4),
            this);
    });
}

void TrainingCharts::setOverlays(const std::vector<Overlay>& runs) {
    for (QLineSeries* s : m_overlayLoss) m_lossView->chart()->removeSeries(s), delete s;
    for (QLineSeries* s : m_overlayAcc) m_accView->chart()->removeSeries(s), delete s;
    m_overlayLoss.clear();
    m_overlayAcc.clear();
    static const QRgb colours[] = {0x2ca02c, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0x17becf};
    int i = 0;
    for (const Overlay& run : runs) {
        QPen pen{QColor(colours[i++ % 6])};
        pen.setWidthF(1.5);
        pen.setStyle(Qt::DashLine);
        auto add = [&](QChartView* view, QAbstractAxis* x, QAbstractAxis* y, bool loss) {
            auto* s = new QLineSeries(view->chart());
            s->setName(run.name);
            s->setPen(pen);
            s->setPointsVisible(true);
            QList<QPointF> pts;
            for (const engine::EpochRecord& e : run.epochs) {
                const double v = loss ? e.valLoss : e.valAccuracy;
                if (std::isfinite(v)) pts.append(QPointF(e.epoch, loss ? forLog(v) : v));
            }
            s->replace(pts);
            view->chart()->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
            connectHover(s);
            return s;
        };
        m_overlayLoss.append(add(m_lossView, m_lossX, m_lossY, true));
        m_overlayAcc.append(add(m_accView, m_accX, m_accY, false));
    }
    m_lossLegend->refreshItems();
    m_accLegend->refreshItems();
    m_axisX = -1;  // recompute the ranges with the overlays
    m_minLoss = m_maxLoss = 0;
    refresh();
}

QChartView* TrainingCharts::makeView(QChart* chart) {
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* view = new QChartView(chart, this);  // the view owns the chart
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(200, 150);
    return view;
}

void TrainingCharts::clear() {
    m_trainLossPts.clear();
    m_valLossPts.clear();
    m_trainAccPts.clear();
    m_valAccPts.clear();
    m_smoothed = m_smoothedAcc = 0;
    m_maxX = 0;
    m_axisX = -1;
    m_minLoss = m_maxLoss = 0;
    m_dirty = true;
    refresh();
}

void TrainingCharts::addBatches(const QVector<RunPoint>& points) {
    for (const RunPoint& p : points) {
        const double x = static_cast<double>(p.epoch - 1) +
                         static_cast<double>(p.stepInEpoch) /
                             static_cast<double>(std::max<int64_t>(p.stepsPerEpoch, 1));
        m_smoothed = smooth(m_smoothed, p.loss(), m_trainLossPts.empty());
        m_trainLossPts.emplace_back(x, m_smoothed);
        // The batch's accuracy (classifiers), smoothed alike: a one-epoch run draws a curve.
        if (const double acc = p.accuracy(); std::isfinite(acc)) {
            m_smoothedAcc = smooth(m_smoothedAcc, acc, m_trainAccPts.empty());
            m_trainAccPts.emplace_back(x, m_smoothedAcc);
        }
        m_maxX = std::max(m_maxX, x);
    }
    m_dirty = m_dirty || !points.isEmpty();
}

void TrainingCharts::addEpoch(const engine::EpochRecord& r) {
    const double x = static_cast<double>(r.epoch);
    m_valLossPts.emplace_back(x, r.valLoss);
    if (std::isfinite(r.valAccuracy)) m_valAccPts.emplace_back(x, r.valAccuracy);
    m_maxX = std::max(m_maxX, x);
    m_dirty = true;
}

void TrainingCharts::setEvaluatedSet(const QString& name) {
    m_valLoss->setName(name);
    m_valAcc->setName(name);
}

int TrainingCharts::bucketsFor(QChartView* view) const {
    return std::max(100, static_cast<int>(view->chart()->plotArea().width()));
}

void TrainingCharts::refresh() {
    m_dirty = false;
    const int lossBuckets = bucketsFor(m_lossView);
    m_trainLoss->replace(decimateMinMax(m_trainLossPts, lossBuckets));
    m_valLoss->replace(decimateMinMax(m_valLossPts, lossBuckets));
    const int accBuckets = bucketsFor(m_accView);
    m_trainAcc->replace(decimateMinMax(m_trainAccPts, accBuckets));
    m_valAcc->replace(decimateMinMax(m_valAccPts, accBuckets));

    // Axes grow only when data leaves them, so the picture does not jitter.
    double maxX = m_maxX;
    for (const QLineSeries* o : m_overlayLoss)
        for (const QPointF& p : o->points()) maxX = std::max(maxX, p.x());
    const double xMax = std::ceil(maxX);
    if (m_axisX != xMax) {
        m_axisX = xMax;
        for (QValueAxis* x : {m_lossX, m_accX}) setWholeNumberRange(x, xMax);
    }
    setAxisFiguresShown(m_accY,
                        !m_trainAccPts.empty() || !m_valAccPts.empty() || !m_overlayAcc.isEmpty());
    double lo = m_minLoss, hi = m_maxLoss;
    auto grow = [&lo, &hi](const QPointF& p) {
        if (!std::isfinite(p.y())) return;
        if (lo == 0 || p.y() < lo) lo = forLog(p.y());
        if (p.y() > hi) hi = p.y();
    };
    for (const auto* pts : {&m_trainLossPts, &m_valLossPts})
        for (const QPointF& p : *pts) grow(p);
    for (const QLineSeries* o : m_overlayLoss)
        for (const QPointF& p : o->points()) grow(p);
    setAxisFiguresShown(m_lossY, hi > 0);  // no figures before the first batch
    if (hi <= 0) {
        m_lossY->setRange(0.01, 10);
    } else if (lo != m_minLoss || hi != m_maxLoss) {
        m_minLoss = lo;
        m_maxLoss = hi;
        // Whole decades, so the log axis always has at least two labelled ticks.
        m_lossY->setRange(
            std::pow(10.0, std::floor(std::log10(lo))),
            std::pow(10.0, std::max(std::ceil(std::log10(hi)), std::floor(std::log10(lo)) + 1)));
    }
}

void TrainingCharts::setAccuracyVisible(bool visible) {
    m_accColumn->setVisible(visible);
}

void TrainingCharts::exportPng(const QString& path) {
    refresh();
    if (!grab().save(path, "PNG"))
        throw netloom::Error(path.toStdString() + ": cannot write the PNG picture");
}

void TrainingCharts::exportCsv(const QString& path) const {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        throw netloom::Error(path.toStdString() +
                             ": cannot write: " + file.errorString().toStdString());
    QTextStream out(&file);
    out << "series,epoch,value\n";
    auto write = [&out](const char* name, const std::vector<QPointF>& pts) {
        for (const QPointF& p : pts)
            out << name << ',' << QString::number(p.x(), 'g', 10) << ','
                << QString::number(p.y(), 'g', 10) << '\n';
    };
    write("train_loss_smoothed", m_trainLossPts);
    write("val_loss", m_valLossPts);
    write("train_accuracy_smoothed", m_trainAccPts);
    write("val_accuracy", m_valAccPts);
    out.flush();
    if (out.status() != QTextStream::Ok || !file.flush())
        throw netloom::Error(path.toStdString() +
                             ": writing failed: " + file.errorString().toStdString());
}

}  // namespace netloom::ui
