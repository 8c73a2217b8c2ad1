#include "ui/evaluation/prediction_gallery.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/evaluation/eval_context.h"

namespace netloom::ui {

namespace {

// One channel of an image sample as a greyscale picture.
QImage sampleImage(const engine::Dataset& d, int64_t index) {
    const engine::Shape& s = d.sampleShape;
    const int h = s.rank() >= 2 ? static_cast<int>(s[s.rank() - 2]) : 1;
    const int w = static_cast<int>(s[s.rank() - 1]);
    QImage img(w, h, QImage::Format_Grayscale8);
    const uint8_t* src = d.pixels.data() + index * s.elements();
    for (int y = 0; y < h; ++y) std::copy_n(src + y * w, w, img.scanLine(y));
    return img;
}

}  // namespace

PredictionGallery::PredictionGallery(LiveWeights* live, QWidget* parent) : QWidget(parent) {
    setObjectName("predictionGallery");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_ctx = new EvalContext(live, this, [this] { refresh(); });
}

int PredictionGallery::mistakes() const {
    int n = 0;
    for (size_t i = 0; i < m_predicted.size(); ++i) n += m_predicted[i] != m_true[i];
    return n;
}

void PredictionGallery::chooseImages() {
    if (m_chosenFrom == m_ctx->data()) return;
    m_chosenFrom = m_ctx->data();
    const engine::Dataset& test = m_chosenFrom->test;
    m_indices.clear();
    m_images.clear();
    m_true.clear();
    const int classes = std::max(test.numClasses, 1);
    const int perClass = (kImages + classes - 1) / classes;
    std::vector<int> taken(static_cast<size_t>(classes), 0);
    // The first images of each class, in class order.
    std::vector<std::vector<int64_t>> byClass(static_cast<size_t>(classes));
    int total = 0;
    for (int64_t i = 0; i < test.count && total < kImages; ++i) {
        const int c = test.labels[static_cast<size_t>(i)];
        if (c < 0 || c >= classes || taken[static_cast<size_t>(c)] >= perClass) continue;
        ++taken[static_cast<size_t>(c)];
        byClass[static_cast<size_t>(c)].push_back(i);
        ++total;
    }
    for (const auto& list : byClass)
        for (int64_t i : list) {
            m_indices.push_back(i);
            m_true.push_back(test.labels[static_cast<size_t>(i)]);
            m_images.push_back(sampleImage(test, i));
        }
}

void PredictionGallery::refresh() {
    m_predicted.clear();
    m_confidence.clear();
    m_message.clear();
    Predictor* predictor = m_ctx->predictor();
    auto data = m_ctx->data();
    if (!m_ctx->views().predictionGallery) {
        m_message = tr("The gallery shows the test images of a classification project.");
    } else if (!predictor || !data) {
        m_message = m_ctx->message();
    } else if (!data->test.isImage() || data->test.count == 0) {
        m_message = tr("The gallery shows image data sets; this one has no images.");
    } else {
        try {
            chooseImages();
            m_labels = m_ctx->classLabels(data->test.numClasses);
            const engine::Tensor probs =
                predictor->toProbabilities(predictor->forward(data->test, m_indices));
            for (size_t i = 0; i < m_indices.size(); ++i) {
                const int c = argmaxOf(probs, static_cast<int64_t>(i));
                m_predicted.push_back(c);
                m_confidence.push_back(
                    probs[static_cast<int64_t>(i) * (probs.size() / probs.batch()) + c]);
            }
        } catch (const std::exception& e) {
            m_message = QString::fromUtf8(e.what());
        }
    }
    update();
}

PredictionGallery::Grid PredictionGallery::grid() const {
    Grid g;
    const int n = static_cast<int>(m_indices.size());
    if (n == 0) return g;
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    const double labelH = QFontMetrics(small).height() * 2 + 2;
    // The column count that gives the biggest images with every tile visible.
    for (int cols = 1; cols <= n; ++cols) {
        const int rows = (n + cols - 1) / cols;
        const double tileW = static_cast<double>(width()) / cols;
        const double tileH = static_cast<double>(height()) / rows;
        const double image = std::min(tileW - 6, tileH - labelH - 4);
        if (image > g.image) g = {cols, rows, tileW, tileH, image};
    }
    return g;
}

int PredictionGallery::tileAt(const QPoint& pos) const {
    const Grid g = grid();
    if (g.image <= 0) return -1;
    const int col = static_cast<int>(pos.x() / g.tileW);
    const int row = static_cast<int>(pos.y() / g.tileH);
    const int i = row * g.columns + col;
    return col < g.columns && i >= 0 && i < static_cast<int>(m_indices.size()) ? i : -1;
}

void PredictionGallery::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const Grid g = grid();
    if (!m_message.isEmpty() || m_predicted.size() != m_indices.size() || g.image <= 4) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const QColor bad(203, 24, 29);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    QFont bold = small;
    bold.setBold(true);
    const QFontMetrics fm(small), fmBold(bold);
    for (size_t i = 0; i < m_indices.size(); ++i) {
        const int col = static_cast<int>(i) % g.columns, row = static_cast<int>(i) / g.columns;
        const QRectF tile(col * g.tileW, row * g.tileH, g.tileW, g.tileH);
        const QRectF img(tile.center().x() - g.image / 2, tile.top() + 3, g.image, g.image);
        const bool wrong = m_predicted[i] != m_true[i];
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(img, m_images[i]);
        if (wrong) {
            p.setPen(QPen(bad, 3));
            p.drawRect(img.adjusted(-1, -1, 1, 1));
        }
        const QRectF line1(tile.left() + 1, img.bottom() + 2, tile.width() - 2, fm.height());
        const QRectF line2 = line1.translated(0, fm.height());
        p.setFont(bold);
        p.setPen(wrong ? bad : palette().color(QPalette::Text));
        const QString pred = (wrong ? "✗ " : "") + m_labels.value(m_predicted[i]);
        p.drawText(line1, Qt::AlignHCenter | Qt::AlignTop,
                   fmBold.elidedText(pred, Qt::ElideRight, static_cast<int>(line1.width())));
        p.setFont(small);
        p.setPen(palette().color(QPalette::PlaceholderText));
        const QString truth = wrong ? tr("is %1").arg(m_labels.value(m_true[i]))
                                    : QString::number(m_confidence[i] * 100, 'f', 0) + " %";
        p.drawText(line2, Qt::AlignHCenter | Qt::AlignTop,
                   fm.elidedText(truth, Qt::ElideRight, static_cast<int>(line2.width())));
    }
}

void PredictionGallery::mouseDoubleClickEvent(QMouseEvent* e) {
    const int i = tileAt(e->position().toPoint());
    if (i >= 0) emit imageActivated(m_indices[static_cast<size_t>(i)]);
}

bool PredictionGallery::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int i = tileAt(help->pos());
        if (i >= 0 && static_cast<size_t>(i) < m_predicted.size()) {
            const auto k = static_cast<size_t>(i);
            QToolTip::showText(help->globalPos(),
                               tr("Test image %1\nPredicted: %2 (%3 %)\nTrue: %4\n"
                                  "Double-click to try it in the draw pad")
                                   .arg(m_indices[k])
                                   .arg(m_labels.value(m_predicted[k]))
                                   .arg(m_confidence[k] * 100, 0, 'f', 1)
                                   .arg(m_labels.value(m_true[k])),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

}  // namespace netloom::ui
