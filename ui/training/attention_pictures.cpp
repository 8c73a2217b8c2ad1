#include "ui/training/attention_pictures.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>

namespace netloom::ui {

namespace {

float largest(const float* v, int64_t n) {
    float m = 0;
    for (int64_t i = 0; i < n; ++i)
        if (std::isfinite(v[i])) m = std::max(m, v[i]);
    return m > 0 ? m : 1.0f;
}

int byte(float v, float lo, float hi) {
    const float t = hi > lo ? (v - lo) / (hi - lo) : 0.0f;
    return std::clamp(static_cast<int>(std::lround(t * 255.0f)), 0, 255);
}

}  // namespace

QColor attentionColor(double t) {
    // Five stops of matplotlib's viridis, interpolated linearly.
    static const std::array<std::array<double, 3>, 5> stops = {
        {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
    t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.0;
    const double x = t * (stops.size() - 1);
    const size_t i = std::min(static_cast<size_t>(x), stops.size() - 2);
    const double f = x - static_cast<double>(i);
    auto mix = [&](int c) {
        return static_cast<int>(std::lround(stops[i][c] + f * (stops[i + 1][c] - stops[i][c])));
    };
    return QColor(mix(0), mix(1), mix(2));
}

QImage patchOverlay(const float* image, const engine::Shape& imageShape, float lo, float hi,
                    const std::vector<float>& weights, int64_t rows, int64_t columns, int64_t patch,
                    int scale) {
    const int64_t channels = imageShape[0], height = imageShape[1], width = imageShape[2];
    const int64_t plane = height * width;
    const float top = largest(weights.data(), static_cast<int64_t>(weights.size()));
    QImage out(static_cast<int>(width), static_cast<int>(height), QImage::Format_RGB32);
    for (int64_t y = 0; y < height; ++y)
        for (int64_t x = 0; x < width; ++x) {
            const int64_t at = y * width + x;
            const int r = byte(image[at], lo, hi);
            const int g = channels == 3 ? byte(image[plane + at], lo, hi) : r;
            const int b = channels == 3 ? byte(image[2 * plane + at], lo, hi) : r;
            const int64_t py = y / patch, px = x / patch;
            double t = 0;
            if (py < rows && px < columns)
                t = weights[static_cast<size_t>(py * columns + px)] / top;
            // Little attention leaves the picture visible; much turns the patch yellow.
            const QColor c = attentionColor(t);
            const double a = 0.2 + 0.65 * std::clamp(t, 0.0, 1.0);
            out.setPixel(static_cast<int>(x), static_cast<int>(y),
                         qRgb(static_cast<int>((1 - a) * r + a * c.red()),
                              static_cast<int>((1 - a) * g + a * c.green()),
                              static_cast<int>((1 - a) * b + a * c.blue())));
        }
    QImage big = out.scaled(out.width() * scale, out.height() * scale);  // crisp pixels
    QPainter p(&big);
    p.setPen(QColor(255, 255, 255, 90));  // the patch grid
    for (int64_t i = 1; i < columns; ++i)
        p.drawLine(static_cast<int>(i * patch * scale), 0, static_cast<int>(i * patch * scale),
                   big.height());
    for (int64_t i = 1; i < rows; ++i)
        p.drawLine(0, static_cast<int>(i * patch * scale), big.width(),
                   static_cast<int>(i * patch * scale));
    return big;
}

QImage tokenMatrix(const engine::Tensor& weights, int64_t shownRows, int64_t shownColumns,
                   const QStringList& rowLabels, const QStringList& columnLabels, int cell) {
    const int64_t s = weights.rank() >= 2 ? weights.dim(weights.rank() - 1) : 0;
    QFont font;
    font.setPixelSize(std::max(8, cell * 2 / 3));
    const QFontMetrics metrics(font);
    int margin = cell;
    for (const QString& l : rowLabels + columnLabels)
        margin = std::max(margin, metrics.horizontalAdvance(l) + 6);
    const int w = margin + static_cast<int>(shownColumns) * cell;
    const int h = margin + static_cast<int>(shownRows) * cell;
    QImage out(std::max(w, 1), std::max(h, 1), QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter p(&out);
    p.setFont(font);
    float top = 0;
    for (int64_t i = 0; i < shownRows; ++i)
        top = std::max(top, largest(weights.data() + i * s, shownColumns));
    for (int64_t i = 0; i < shownRows; ++i)
        for (int64_t j = 0; j < shownColumns; ++j)
            p.fillRect(margin + static_cast<int>(j) * cell, margin + static_cast<int>(i) * cell,
                       cell, cell, attentionColor(weights[i * s + j] / (top > 0 ? top : 1)));
    p.setPen(Qt::black);
    for (int64_t i = 0; i < shownRows && i < rowLabels.size(); ++i)
        p.drawText(QRect(0, margin + static_cast<int>(i) * cell, margin - 4, cell),
                   Qt::AlignRight | Qt::AlignVCenter, rowLabels[static_cast<int>(i)]);
    for (int64_t j = 0; j < shownColumns && j < columnLabels.size(); ++j) {
        // Key labels written upwards so long ones fit the margin.
        p.save();
        p.translate(margin + static_cast<int>(j) * cell, margin - 4);
        p.rotate(-90);
        p.drawText(QRect(0, 0, margin - 4, cell), Qt::AlignLeft | Qt::AlignVCenter,
                   columnLabels[static_cast<int>(j)]);
        p.restore();
    }
    return out;
}

}  // namespace netloom::ui
