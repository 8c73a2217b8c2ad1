#include "ui/evaluation/regression_scatter.h"

#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/core/error.h"
#include "ui/evaluation/eval_context.h"

namespace netloom::ui {

RegressionScatter::RegressionScatter(LiveWeights* live, QWidget* parent) : QWidget(parent) {
    setObjectName("regressionScatter");
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_diagonal = new QLineSeries(chart);
    m_diagonal->setName(tr("perfect (y = x)"));
    QPen pen(QColor(150, 150, 150));
    pen.setStyle(Qt::DashLine);
    m_diagonal->setPen(pen);
    m_points = new QScatterSeries(chart);
    m_points->setName(tr("test samples"));
    m_points->setMarkerSize(6);
    m_points->setColor(QColor(31, 119, 180, 170));
    m_points->setBorderColor(Qt::transparent);
    chart->addSeries(m_diagonal);
    chart->addSeries(m_points);
    m_x = new QValueAxis;
    m_x->setTitleText(tr("true value"));
    m_y = new QValueAxis;
    m_y->setTitleText(tr("predicted"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    m_view = new QChartView(chart, this);  // owns the chart
    m_view->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_ctx = new EvalContext(live, this, [this] { refresh(); });
}

QList<QPointF> RegressionScatter::points() const {
    return m_points->points();
}

void RegressionScatter::refresh() {
    m_message.clear();
    Predictor* predictor = m_ctx->predictor();
    auto data = m_ctx->data();
    QList<QPointF> pts;
    if (!m_ctx->views().regressionScatter) {
        m_message = tr("The scatter plot is for regression projects.");
    } else if (!predictor || !data) {
        m_message = m_ctx->message();
    } else if (data->test.targetSize <= 0 || data->test.count == 0) {
        m_message = tr("The test set has no regression targets.");
    } else {
        try {
            const engine::Dataset& test = data->test;
            std::vector<int64_t> idx(static_cast<size_t>(std::min<int64_t>(kSamples, test.count)));
            std::iota(idx.begin(), idx.end(), 0);
            const engine::Tensor out = predictor->forward(test, idx);
            const int64_t k = test.targetSize;
            if (out.size() != static_cast<int64_t>(idx.size()) * k)
                throw Error("the network gives " + std::to_string(out.size() / out.batch()) +
                            " outputs per sample, the targets have " + std::to_string(k));
            for (size_t i = 0; i < idx.size(); ++i)
                for (int64_t j = 0; j < k; ++j)
                    pts.append(QPointF(test.targets[static_cast<size_t>(idx[i] * k + j)],
                                       out[static_cast<int64_t>(i) * k + j]));
        } catch (const std::exception& e) {
            m_message = QString::fromUtf8(e.what());
            pts.clear();
        }
    }
    m_points->replace(pts);
    m_view->chart()->setTitle(m_message.isEmpty() ? QString() : m_message);
    if (pts.isEmpty()) return;
    double lo = pts.front().x(), hi = lo;
    for (const QPointF& p : pts)
        for (double v : {p.x(), p.y()})
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (hi <= lo) hi = lo + 1;
    const double pad = (hi - lo) * 0.05;
    m_x->setRange(lo - pad, hi + pad);
    m_y->setRange(lo - pad, hi + pad);
    m_diagonal->replace({QPointF(lo - pad, lo - pad), QPointF(hi + pad, hi + pad)});
}

}  // namespace netloom::ui
