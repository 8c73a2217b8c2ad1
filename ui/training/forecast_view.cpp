#include "ui/training/forecast_view.h"

#include <QLabel>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

#include "engine/data/sines.h"
#include "engine/infer/forecast.h"
#include "ui/document/graph_document.h"
#include "ui/training/live_weights.h"

namespace netloom::ui {

ForecastView::ForecastView(LiveWeights* live, QWidget* parent) : QWidget(parent), m_live(live) {
    setObjectName("forecastView");
    m_header = new QLabel(this);
    m_header->setObjectName("forecastHeader");
    m_header->setWordWrap(true);
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setTitle(tr("Forecast of a fresh series"));
    m_x = new QValueAxis(chart);
    m_x->setTitleText(tr("step"));
    m_x->setLabelFormat("%.0f");
    m_y = new QValueAxis(chart);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    auto addSeries = [&](const QString& name, const char* colour, Qt::PenStyle style) {
        auto* s = new QLineSeries(chart);
        s->setName(name);
        QPen pen{QColor(colour)};
        pen.setWidthF(2);
        pen.setStyle(style);
        s->setPen(pen);
        chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        return s;
    };
    m_history = addSeries(tr("history (input)"), "#7f7f7f", Qt::SolidLine);
    m_true = addSeries(tr("true continuation"), "#1f77b4", Qt::SolidLine);
    m_pred = addSeries(tr("predicted continuation"), "#ff7f0e", Qt::DashLine);
    m_view = new QChartView(chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_view, 1);
    if (live) connect(live, &LiveWeights::changed, this, [this] { refresh(); });
    refresh();
}

QString ForecastView::headerText() const {
    return m_header->text();
}

double ForecastView::forecastError() const {
    if (m_predicted.empty()) return std::nan("");
    double s = 0;
    for (size_t i = 0; i < m_predicted.size(); ++i) {
        const double d = m_predicted[i] - m_truth[i];
        s += d * d;
    }
    return s / static_cast<double>(m_predicted.size());
}

bool ForecastView::refresh() {
    m_truth.clear();
    m_predicted.clear();
    for (QLineSeries* s : {m_history, m_true, m_pred}) s->clear();
    const GraphDocument* doc = m_live ? m_live->document() : nullptr;
    if (!doc || !engine::forecastsSeries(doc->training().dataset)) {
        m_header->setText(tr("The forecast view follows projects on a series dataset (sines)."));
        return false;
    }
    const engine::DatasetConfig& d = doc->training().dataset;
    const int64_t window = d.sinesWindow;
    const int64_t ahead = kWindows * window;
    Predictor* p = m_slot.update(doc->graph(), m_live->weights(), engine::TargetKind::Regression);
    std::vector<float> series;
    try {
        series = engine::sinesSeries(window + ahead, d.syntheticNoise, kSeriesSeed);
        m_truth.assign(series.begin() + window, series.end());
        if (p) {
            std::vector<float> history(series.begin(), series.begin() + window);
            m_predicted = engine::forecastSeries(*p, history, ahead);
        }
    } catch (const std::exception& e) {
        m_header->setText(QString::fromUtf8(e.what()));
        m_predicted.clear();
    }
    QList<QPointF> h, t, f;
    for (int64_t i = 0; i < window; ++i) h.append(QPointF(double(i), series[size_t(i)]));
    h.append(QPointF(double(window), series[size_t(window)]));  // joins the continuation
    for (int64_t i = 0; i < ahead; ++i) t.append(QPointF(double(window + i), m_truth[size_t(i)]));
    for (size_t i = 0; i < m_predicted.size(); ++i)
        f.append(QPointF(double(window + int64_t(i)), m_predicted[i]));
    m_history->replace(h);
    m_true->replace(t);
    m_pred->replace(f);
    float lo = -1, hi = 1;
    for (float v : series) lo = std::min(lo, v), hi = std::max(hi, v);
    for (float v : m_predicted)
        if (std::isfinite(v))
            lo = std::min(lo, std::max(v, -5.0f)), hi = std::max(hi, std::min(v, 5.0f));
    m_x->setRange(0, double(window + ahead));
    m_y->setRange(lo - 0.1, hi + 0.1);
    if (!p) {
        m_header->setText(QString::fromStdString(m_slot.error()));
        return false;
    }
    if (m_predicted.empty()) return false;
    const qint64 epoch = m_live->epoch();
    m_header->setText(
        tr("%1: the network continues the series from its first %2 steps, feeding each "
           "prediction back in. Mean squared error over %3 steps: %4")
            .arg(epoch > 0 ? tr("Epoch %1 weights").arg(epoch) : tr("Trained weights"))
            .arg(window)
            .arg(ahead)
            .arg(forecastError(), 0, 'g', 3));
    return true;
}

}  // namespace netloom::ui
