#include "ui/widgets/image_grid.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "ui/widgets/prompter.h"

namespace netloom::ui {

ImageGrid::ImageGrid(QWidget* parent) : QWidget(parent) {
    setMinimumSize(minimumSizeHint());
}

void ImageGrid::setColumns(int columns) {
    m_columns = std::max(0, columns);
    update();
}

void ImageGrid::setImages(std::vector<QImage> images, QStringList captions) {
    m_images = std::move(images);
    m_captions =
        captions.size() == static_cast<qsizetype>(m_images.size()) ? captions : QStringList{};
    update();
}

void ImageGrid::setMessage(const QString& message) {
    m_message = message;
    update();
}

ImageGrid::Layout ImageGrid::layout() const {
    const int n = std::max<int>(1, static_cast<int>(m_images.size()));
    Layout l;
    l.columns = m_columns > 0 ? std::min(m_columns, n)
                              : static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
    l.rows = (n + l.columns - 1) / l.columns;
    return l;
}

void ImageGrid::paintGrid(QPainter& p, const QRectF& area, double captionHeight) const {
    const Layout l = layout();
    const double cellW = area.width() / l.columns;
    const double cellH = area.height() / l.rows;
    const double side = std::max(1.0, std::min(cellW, cellH - captionHeight) - 2.0);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // crisp pixels when enlarged
    for (size_t i = 0; i < m_images.size(); ++i) {
        const int r = static_cast<int>(i) / l.columns, c = static_cast<int>(i) % l.columns;
        const QRectF cell(area.left() + c * cellW, area.top() + r * cellH, cellW, cellH);
        const QRectF target(cell.center().x() - side / 2, cell.top() + 1, side, side);
        p.drawImage(target, m_images[i]);
        if (!m_captions.isEmpty()) {
            const QRectF text(cell.left(), target.bottom(), cell.width(), captionHeight);
            // Elided to the tile, so narrow tiles show "Sand…" rather than cut-off letters.
            const QString caption = p.fontMetrics().elidedText(
                m_captions[static_cast<int>(i)], Qt::ElideRight, static_cast<int>(cell.width()));
            p.drawText(text, Qt::AlignHCenter | Qt::AlignTop, caption);
        }
    }
}

void ImageGrid::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_images.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    p.setPen(palette().color(QPalette::Text));
    QFont small = font();  // captions sit under small tiles: a smaller font fits more of them
    small.setPointSizeF(small.pointSizeF() * 0.8);
    p.setFont(small);
    const double caption = m_captions.isEmpty() ? 0.0 : p.fontMetrics().height();
    paintGrid(p, QRectF(rect()).adjusted(4, 4, -4, -4), caption);
}

QImage ImageGrid::render(int tilePixels) const {
    const Layout l = layout();
    const int caption = m_captions.isEmpty() ? 0 : 16;
    const int cellW = tilePixels + 2, cellH = tilePixels + 2 + caption;
    QImage out(l.columns * cellW + 8, l.rows * cellH + 8, QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter p(&out);
    p.setPen(Qt::black);
    QFont font = p.font();
    font.setPixelSize(11);
    p.setFont(font);
    paintGrid(p, QRectF(4, 4, l.columns * cellW, l.rows * cellH), caption);
    return out;
}

void ImageGrid::savePng(const QString& path, int tilePixels) const {
    if (m_images.empty())
        throw netloom::Error("there is no picture to save yet: train the model first");
    if (!render(tilePixels).save(path, "PNG"))
        throw netloom::Error(path.toStdString() + ": cannot write the PNG picture");
}

QImage ImageGrid::fromValues(const float* values, int width, int height, float lo, float hi) {
    QImage image(width, height, QImage::Format_Grayscale8);
    const float scale = hi > lo ? 255.0f / (hi - lo) : 0.0f;
    for (int y = 0; y < height; ++y) {
        uchar* row = image.scanLine(y);
        for (int x = 0; x < width; ++x) {
            const float v = (values[y * width + x] - lo) * scale;
            // NaN fails both comparisons and lands on black rather than on undefined behaviour.
            row[x] = static_cast<uchar>(v >= 255.0f ? 255.0f : (v > 0.0f ? v : 0.0f));
        }
    }
    return image;
}

void ImageGrid::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    QAction* save = menu.addAction(tr("Save as PNG…"));
    save->setEnabled(!m_images.empty());
    if (menu.exec(event->globalPos()) != save) return;
    const QString path =
        prompter().askSaveFile(this, tr("Save picture"), "grid.png", tr("PNG pictures (*.png)"));
    if (path.isEmpty()) return;
    try {
        savePng(path);
    } catch (const netloom::Error& e) {
        prompter().showError(this, tr("Save picture"), QString::fromStdString(e.what()));
    }
}

}  // namespace netloom::ui
