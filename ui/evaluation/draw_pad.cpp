#include "ui/evaluation/draw_pad.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

#include "engine/core/error.h"

namespace netloom::ui {

DrawPad::DrawPad(QWidget* parent)
    : QWidget(parent), m_canvas(kSide * kZoom, kSide * kZoom, QImage::Format_RGB32) {
    setObjectName("drawPad");
    m_canvas.fill(Qt::black);
    setCursor(Qt::CrossCursor);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Draw with the left mouse button, erase with the right one"));
}

std::vector<uint8_t> DrawPad::pixels() const {
    // Box average of each kZoom×kZoom block: anti-aliased strokes become soft grey edges.
    std::vector<uint8_t> out(kSide * kSide);
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) {
            int sum = 0;
            for (int dy = 0; dy < kZoom; ++dy) {
                const auto* row =
                    reinterpret_cast<const QRgb*>(m_canvas.constScanLine(y * kZoom + dy));
                for (int dx = 0; dx < kZoom; ++dx) sum += qGray(row[x * kZoom + dx]);
            }
            out[static_cast<size_t>(y * kSide + x)] =
                static_cast<uint8_t>((sum + kZoom * kZoom / 2) / (kZoom * kZoom));
        }
    }
    return out;
}

void DrawPad::setPixels(const std::vector<uint8_t>& pixels) {
    if (pixels.size() != static_cast<size_t>(kSide * kSide))
        throw Error("the draw pad takes 28×28 = 784 pixels, got " + std::to_string(pixels.size()));
    // Constant blocks: pixels() gives back exactly these values.
    for (int y = 0; y < kSide * kZoom; ++y) {
        auto* row = reinterpret_cast<QRgb*>(m_canvas.scanLine(y));
        for (int x = 0; x < kSide * kZoom; ++x) {
            const int v = pixels[static_cast<size_t>((y / kZoom) * kSide + x / kZoom)];
            row[x] = qRgb(v, v, v);
        }
    }
    update();
    emit pixelsChanged();
}

void DrawPad::clear() {
    m_canvas.fill(Qt::black);
    update();
    emit pixelsChanged();
}

bool DrawPad::isEmpty() const {
    const auto p = pixels();
    return std::all_of(p.begin(), p.end(), [](uint8_t v) { return v == 0; });
}

QRectF DrawPad::padRect() const {
    const double side = std::min(width(), height()) - 2;
    return {(width() - side) / 2.0, (height() - side) / 2.0, side, side};
}

QPointF DrawPad::toCanvas(const QPointF& pos) const {
    const QRectF r = padRect();
    const double scale = kSide * kZoom / r.width();
    return {(pos.x() - r.left()) * scale, (pos.y() - r.top()) * scale};
}

void DrawPad::strokeTo(const QPointF& to) {
    QPainter p(&m_canvas);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(m_erasing ? Qt::black : Qt::white, m_brush * kZoom * (m_erasing ? 2.0 : 1.0),
             Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    if (to == m_last)
        p.drawPoint(to);
    else
        p.drawLine(m_last, to);
    m_last = to;
    p.end();
    update();
    emit pixelsChanged();
}

void DrawPad::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton && e->button() != Qt::RightButton) return;
    m_drawing = true;
    m_erasing = e->button() == Qt::RightButton;
    m_last = toCanvas(e->position());
    strokeTo(m_last);
}

void DrawPad::mouseMoveEvent(QMouseEvent* e) {
    if (m_drawing) strokeTo(toCanvas(e->position()));
}

void DrawPad::mouseReleaseEvent(QMouseEvent* e) {
    if (!m_drawing) return;
    strokeTo(toCanvas(e->position()));
    m_drawing = false;
}

void DrawPad::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRectF r = padRect();
    const std::vector<uint8_t> px = pixels();
    QImage small(kSide, kSide, QImage::Format_Grayscale8);
    for (int y = 0; y < kSide; ++y) std::copy_n(px.data() + y * kSide, kSide, small.scanLine(y));
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // show the real 28×28 pixels
    p.drawImage(r, small);
    p.setPen(QColor(255, 255, 255, 22));
    for (int i = 1; i < kSide; ++i) {
        const double t = r.width() * i / kSide;
        p.drawLine(QPointF(r.left() + t, r.top()), QPointF(r.left() + t, r.bottom()));
        p.drawLine(QPointF(r.left(), r.top() + t), QPointF(r.right(), r.top() + t));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r);
}

}  // namespace netloom::ui
