#include "ui/training/lr_schedule_preview.h"

#include <QLabel>
#include <QPen>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "engine/optim/lr_schedule.h"

namespace netloom::ui {

namespace {
// Enough points for a 300-pixel chart; a step's edge stays within one point of its place.
constexpr int64_t kMaxPoints = 1200;
}  // namespace

int64_t LrSchedulePreview::estimatedStepsPerEpoch(const engine::TrainingConfig& c) {
    const engine::DatasetConfig& d = c.dataset;
    int64_t n = 0;
    if (d.kind == "fashion-mnist") n = 60000;
    if (d.kind == "synthetic")
        n = d.syntheticSamples -
            std::max<int64_t>(
                1, std::llround(static_cast<double>(d.syntheticSamples) * d.testFraction));
    if (d.limitTrain > 0 && (n == 0 || d.limitTrain < n)) n = d.limitTrain;
    if (n <= 0) return 0;
    if (c.validationSplit > 0)
        n -= std::max<int64_t>(1, std::llround(static_cast<double>(n) * c.validationSplit));
    return std::max<int64_t>(n / std::max<int64_t>(c.batchSize, 1), 1);
}

LrSchedulePreview::LrSchedulePreview(GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc) {
    setObjectName("lrSchedulePreview");
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    m_x = new QValueAxis(chart);
    m_x->setTitleText(tr("epoch"));
    m_x->setLabelFormat("%.0f");
    m_y = new QValueAxis(chart);
    m_y->setLabelFormat("%.2g");
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_series = new QLineSeries(chart);
    QPen pen(QColor("#1f77b4"));
    pen.setWidthF(1.5);
    m_series->setPen(pen);
    chart->addSeries(m_series);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    m_view = new QChartView(chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addWidget(m_caption);
    if (m_doc)
        connect(m_doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
            if (c.kind == GraphChange::Kind::Training || c.kind == GraphChange::Kind::Reset)
                refresh();
        });
    refresh();
}

QString LrSchedulePreview::caption() const {
    return m_caption->text();
}

void LrSchedulePreview::refresh() {
    if (!m_doc) return;
    const engine::TrainingConfig& c = m_doc->training();
    const int64_t known = estimatedStepsPerEpoch(c);
    // Unknown data size: one point per epoch (the per-epoch shape is still right).
    const engine::RunLength run{c.epochs, known > 0 ? known : 1};
    const std::string problem =
        engine::lrScheduleProblem(c.schedule, c.optimizer.lr, c.epochs, known, "training.schedule");
    QList<QPointF> points;
    if (problem.empty()) {
        const int64_t steps = run.steps();
        const int64_t stride = std::max<int64_t>(1, (steps + kMaxPoints - 1) / kMaxPoints);
        double top = 0;
        for (int64_t t = 0; t < steps; t += stride) {
            const double lr = engine::scheduledRate(c.schedule, c.optimizer.lr, t, run);
            points.append({static_cast<double>(t) / static_cast<double>(run.stepsPerEpoch), lr});
            top = std::max(top, lr);
        }
        const double last = engine::scheduledRate(c.schedule, c.optimizer.lr, steps - 1, run);
        points.append({static_cast<double>(steps) / static_cast<double>(run.stepsPerEpoch), last});
        m_x->setRange(0, static_cast<double>(c.epochs));
        m_y->setRange(0, top > 0 ? top * 1.05 : 1);
        m_caption->setStyleSheet({});
        m_caption->setText(
            known > 0 ? tr("%1 epochs × %2 steps; from %3 to %4, peak %5")
                            .arg(c.epochs)
                            .arg(known)
                            .arg(points.front().y(), 0, 'g', 3)
                            .arg(last, 0, 'g', 3)
                            .arg(top, 0, 'g', 3)
                      : tr("%1 epochs; steps per epoch known once the data is read (drawn per "
                           "epoch)")
                            .arg(c.epochs));
    } else {
        m_caption->setStyleSheet("color:#b00020");
        m_caption->setText(QString::fromStdString(problem));
    }
    m_series->replace(points);
}

}  // namespace netloom::ui
