#include "ui/evaluation/decision_regions.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/evaluation/eval_context.h"

namespace netloom::ui {

QColor classColour(int c) {
    static const QRgb tab10[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
    return QColor(tab10[static_cast<size_t>(std::max(c, 0)) % 10]);
}

DecisionRegions::DecisionRegions(LiveWeights* live, QWidget* parent) : QWidget(parent) {
    setObjectName("decisionRegions");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_ctx = new EvalContext(live, this, [this] { refresh(); });
}

QPointF DecisionRegions::cellCentre(int column, int row) const {
    const double w = m_bounds.width() / kGrid, h = m_bounds.height() / kGrid;
    return {m_bounds.left() + (column + 0.5) * w, m_bounds.bottom() - (row + 0.5) * h};
}

int DecisionRegions::classAt(const QPointF& p) const {
    if (m_classes.empty() || !m_bounds.contains(p)) return -1;
    const int col = std::clamp(
        static_cast<int>((p.x() - m_bounds.left()) / m_bounds.width() * kGrid), 0, kGrid - 1);
    const int row = std::clamp(
        static_cast<int>((m_bounds.bottom() - p.y()) / m_bounds.height() * kGrid), 0, kGrid - 1);
    return m_classes[static_cast<size_t>(row * kGrid + col)];
}

void DecisionRegions::refresh() {
    m_message.clear();
    m_classes.clear();
    Predictor* predictor = m_ctx->predictor();
    auto data = m_ctx->data();
    if (!m_ctx->views().decisionRegions) {
        m_message = tr("Decision regions are drawn for classifiers of 2-D points.");
    } else if (!predictor || !data) {
        m_message = m_ctx->message();
    } else if (data->train.sampleShape.elements() != 2 || data->train.isImage() ||
               data->train.numClasses <= 0) {
        m_message = tr("Decision regions are drawn for data sets of 2-D points (like the "
                       "synthetic spiral); this one has %1 values per sample.")
                        .arg(data->train.sampleShape.elements());
    } else {
        try {
            const engine::Dataset& train = data->train;
            m_numClasses = train.numClasses;
            // A square view around all points (train and test), with a margin.
            double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
            for (const engine::Dataset* d : {&data->train, &data->test})
                for (int64_t i = 0; i < d->count; ++i) {
                    const float x = d->features[static_cast<size_t>(2 * i)];
                    const float y = d->features[static_cast<size_t>(2 * i + 1)];
                    x0 = std::min<double>(x0, x), x1 = std::max<double>(x1, x);
                    y0 = std::min<double>(y0, y), y1 = std::max<double>(y1, y);
                }
            const double side = std::max({x1 - x0, y1 - y0, 1e-3}) * 1.1;
            const QPointF c((x0 + x1) / 2, (y0 + y1) / 2);
            m_bounds = QRectF(c.x() - side / 2, c.y() - side / 2, side, side);

            engine::Tensor grid(std::vector<int64_t>{int64_t{kGrid} * kGrid, 2});
            for (int row = 0; row < kGrid; ++row)
                for (int col = 0; col < kGrid; ++col) {
                    const QPointF p = cellCentre(col, row);
                    grid[(row * kGrid + col) * 2] = static_cast<float>(p.x());
                    grid[(row * kGrid + col) * 2 + 1] = static_cast<float>(p.y());
                }
            const engine::Tensor probs = predictor->probabilities(grid);
            const int64_t k = probs.size() / probs.batch();
            m_image = QImage(kGrid, kGrid, QImage::Format_RGB32);
            m_classes.resize(static_cast<size_t>(kGrid * kGrid));
            for (int i = 0; i < kGrid * kGrid; ++i) {
                const int cls = argmaxOf(probs, i);
                m_classes[static_cast<size_t>(i)] = cls;
                // Confidence above chance → stronger colour.
                const double conf = probs[i * k + cls];
                const double chance = 1.0 / static_cast<double>(std::max<int64_t>(k, 1));
                const double t = 0.15 + 0.45 * std::clamp((conf - chance) / (1 - chance), 0.0, 1.0);
                const QColor col = classColour(cls);
                m_image.setPixel(i % kGrid, i / kGrid,
                                 qRgb(static_cast<int>(255 - t * (255 - col.red())),
                                      static_cast<int>(255 - t * (255 - col.green())),
                                      static_cast<int>(255 - t * (255 - col.blue()))));
            }
            m_pointsXY.clear();
            m_pointClasses.clear();
            const int64_t shown = std::min<int64_t>(train.count, kPoints);
            for (int64_t i = 0; i < shown; ++i) {
                m_pointsXY.emplace_back(train.features[static_cast<size_t>(2 * i)],
                                        train.features[static_cast<size_t>(2 * i + 1)]);
                m_pointClasses.push_back(train.labels[static_cast<size_t>(i)]);
            }
        } catch (const std::exception& e) {
            m_message = QString::fromUtf8(e.what());
            m_classes.clear();
        }
    }
    update();
}

QRectF DecisionRegions::plotRect() const {
    const double side = std::min(width(), height()) - 8;
    return {(width() - side) / 2.0, (height() - side) / 2.0, side, side};
}

QPointF DecisionRegions::toWidget(const QPointF& p) const {
    const QRectF r = plotRect();
    return {r.left() + (p.x() - m_bounds.left()) / m_bounds.width() * r.width(),
            r.top() + (m_bounds.bottom() - p.y()) / m_bounds.height() * r.height()};
}

void DecisionRegions::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_classes.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const QRectF r = plotRect();
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(r, m_image);
    p.setRenderHint(QPainter::Antialiasing, true);
    for (size_t i = 0; i < m_pointsXY.size(); ++i) {
        p.setPen(QPen(QColor(40, 40, 40), 0.8));
        p.setBrush(classColour(m_pointClasses[i]));
        p.drawEllipse(toWidget(m_pointsXY[i]), 3.0, 3.0);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r);
}

}  // namespace netloom::ui
