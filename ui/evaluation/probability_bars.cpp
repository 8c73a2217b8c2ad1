#include "ui/evaluation/probability_bars.h"

#include <QPainter>
#include <algorithm>

namespace netloom::ui {

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent) {
    setObjectName("probabilityBars");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ProbabilityBars::setProbabilities(std::vector<float> probabilities, const QStringList& labels,
                                       int trueClass) {
    m_probs = std::move(probabilities);
    const int n = static_cast<int>(m_probs.size());
    m_labels = labels;
    if (m_labels.size() != n) {
        m_labels.clear();
        for (int i = 0; i < n; ++i) m_labels << QString::number(i);
    }
    m_true = trueClass >= 0 && trueClass < n ? trueClass : -1;
    m_message.clear();
    update();
}

void ProbabilityBars::clear(const QString& message) {
    m_probs.clear();
    m_labels.clear();
    m_true = -1;
    m_message = message;
    update();
}

int ProbabilityBars::topClass() const {
    if (m_probs.empty()) return -1;
    return static_cast<int>(std::max_element(m_probs.begin(), m_probs.end()) - m_probs.begin());
}

void ProbabilityBars::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_probs.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    QFont boldFont = font();
    boldFont.setBold(true);
    const QFontMetrics fm(boldFont);  // the widest: the top class is drawn bold
    int labelW = 0;
    for (const QString& l : m_labels) labelW = std::max(labelW, fm.horizontalAdvance(l + " ✓"));
    const int valueW = fm.horizontalAdvance("100.0 %") + 6;
    const int n = static_cast<int>(m_probs.size());
    const double rowH = std::max(4.0, static_cast<double>(height() - 8) / n);
    const int barX = labelW + 10;
    const int barW = std::max(10, width() - barX - valueW - 6);
    const int top = topClass();
    for (int c = 0; c < n; ++c) {
        const QRectF row(0, 4 + c * rowH, width(), rowH);
        const double v = std::clamp(static_cast<double>(m_probs[static_cast<size_t>(c)]), 0.0, 1.0);
        QFont f = font();
        f.setBold(c == top);
        p.setFont(f);
        p.setPen(palette().color(QPalette::Text));
        const QString name = m_labels[c] + (c == m_true ? " ✓" : "");
        p.drawText(QRectF(4, row.top(), labelW, rowH), Qt::AlignRight | Qt::AlignVCenter, name);
        const QRectF track(barX, row.top() + rowH * 0.18, barW, rowH * 0.64);
        p.fillRect(track, palette().color(QPalette::AlternateBase));
        const QColor colour =
            c == top ? (m_true < 0 || c == m_true ? QColor(33, 102, 172) : QColor(203, 24, 29))
                     : QColor(120, 150, 190);
        p.fillRect(QRectF(track.left(), track.top(), track.width() * v, track.height()), colour);
        p.drawText(QRectF(barX + barW + 4, row.top(), valueW, rowH),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(v * 100, 'f', 1) + " %");
    }
}

}  // namespace netloom::ui
