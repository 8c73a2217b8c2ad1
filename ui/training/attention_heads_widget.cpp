#include "ui/training/attention_heads_widget.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace netloom::ui {

AttentionHeadsWidget::AttentionHeadsWidget(QWidget* parent) : QWidget(parent) {
    setObjectName("attentionHeads");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void AttentionHeadsWidget::setPictures(std::vector<QImage> pictures, QStringList captions) {
    m_pictures = std::move(pictures);
    m_captions = std::move(captions);
    update();
}

void AttentionHeadsWidget::setMessage(const QString& message) {
    m_message = message;
    update();
}

void AttentionHeadsWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_pictures.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const int n = static_cast<int>(m_pictures.size());
    const int captionHeight = fontMetrics().height() + 4;
    // The column count that gives the largest tiles.
    int bestColumns = 1;
    double bestSide = 0;
    const QImage& first = m_pictures.front();
    const double aspect = first.height() > 0 ? double(first.width()) / first.height() : 1.0;
    for (int columns = 1; columns <= n; ++columns) {
        const int rows = (n + columns - 1) / columns;
        const double w = double(width()) / columns - 8;
        const double h = double(height()) / rows - captionHeight - 8;
        const double side = std::min(w, h * aspect);
        if (side > bestSide) bestSide = side, bestColumns = columns;
    }
    if (bestSide <= 4) return;
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    const int rows = (n + bestColumns - 1) / bestColumns;
    const double cellW = double(width()) / bestColumns, cellH = double(height()) / rows;
    for (int i = 0; i < n; ++i) {
        const QImage& img = m_pictures[static_cast<size_t>(i)];
        const double a = img.height() > 0 ? double(img.width()) / img.height() : 1.0;
        const double w = std::min(cellW - 8, (cellH - captionHeight - 8) * a);
        const double h = w / a;
        const double x = (i % bestColumns) * cellW + (cellW - w) / 2;
        const double y = (i / bestColumns) * cellH + 4;
        p.drawImage(QRectF(x, y, w, h), img);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF((i % bestColumns) * cellW, y + h + 2, cellW, captionHeight),
                   Qt::AlignHCenter | Qt::AlignTop, m_captions.value(i));
    }
}

}  // namespace netloom::ui
