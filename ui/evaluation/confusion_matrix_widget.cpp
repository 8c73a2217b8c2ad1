#include "ui/evaluation/confusion_matrix_widget.h"

#include <QPainter>
#include <algorithm>

#include "engine/core/error.h"

namespace netloom::ui {

QStringList classLabels(const std::string& datasetKind, int numClasses) {
    static const QStringList fashion = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat",
                                        "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Boot"};
    if (datasetKind == "fashion-mnist" && numClasses == fashion.size()) return fashion;
    QStringList labels;
    for (int i = 0; i < numClasses; ++i) labels << QString::number(i);
    return labels;
}

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionMatrixWidget::setMatrix(int numClasses, std::vector<int64_t> counts,
                                      const QStringList& labels) {
    if (numClasses < 0 || counts.size() != static_cast<size_t>(numClasses) * numClasses)
        throw netloom::Error("confusion matrix: " + std::to_string(counts.size()) +
                             " counts do not fill " + std::to_string(numClasses) + "² cells");
    m_classes = numClasses;
    m_counts = std::move(counts);
    m_labels = labels.size() == numClasses ? labels : classLabels("", numClasses);
    update();
}

int64_t ConfusionMatrixWidget::count(int actual, int predicted) const {
    if (actual < 0 || predicted < 0 || actual >= m_classes || predicted >= m_classes) return 0;
    return m_counts[static_cast<size_t>(actual) * m_classes + predicted];
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), palette().base());
    if (m_classes == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("The confusion matrix appears after the first epoch."));
        return;
    }
    const QFontMetrics fm = fontMetrics();
    int labelW = 0;
    for (const QString& l : m_labels) labelW = std::max(labelW, fm.horizontalAdvance(l));
    const int left = labelW + fm.height() + 8;  // row labels plus the rotated axis title
    const int top = fm.height() * 2 + 6;        // axis title plus column numbers
    const int size = std::min(width() - left - 4, height() - top - 4);
    if (size <= 0) return;
    const double cell = static_cast<double>(size) / m_classes;

    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(left, 0, size, fm.height()), Qt::AlignCenter, tr("predicted"));
    p.save();
    p.translate(fm.height() * 0.5 + 2, top + size / 2.0);
    p.rotate(-90);
    p.drawText(QRectF(-size / 2.0, -fm.height() / 2.0, size, fm.height()), Qt::AlignCenter,
               tr("true"));
    p.restore();

    QFont small = font();
    small.setPointSizeF(std::max(6.0, std::min(small.pointSizeF(), cell * 0.3)));
    for (int r = 0; r < m_classes; ++r) {
        int64_t rowTotal = 0;
        for (int c = 0; c < m_classes; ++c) rowTotal += count(r, c);
        p.setFont(font());
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(fm.height() + 4, top + r * cell, labelW, cell),
                   Qt::AlignRight | Qt::AlignVCenter, m_labels[r]);
        p.drawText(QRectF(left + r * cell, fm.height() + 2, cell, fm.height()), Qt::AlignCenter,
                   QString::number(r));
        p.setFont(small);
        for (int c = 0; c < m_classes; ++c) {
            const int64_t n = count(r, c);
            const double share = rowTotal ? static_cast<double>(n) / rowTotal : 0.0;
            // Diagonal in blue (right), off-diagonal in red (mistakes); stronger = more.
            const QColor full = r == c ? QColor(33, 102, 172) : QColor(203, 24, 29);
            const QColor colour =
                QColor::fromRgbF(1 - share * (1 - full.redF()), 1 - share * (1 - full.greenF()),
                                 1 - share * (1 - full.blueF()));
            const QRectF box(left + c * cell, top + r * cell, cell, cell);
            p.fillRect(box, colour);
            p.setPen(QColor(220, 220, 220));
            p.drawRect(box);
            if (n == 0) continue;
            p.setPen(share > 0.5 ? Qt::white : Qt::black);
            p.drawText(box, Qt::AlignCenter, QString::number(n));
        }
    }
}

}  // namespace netloom::ui
