#pragma once
// A 28×28 drawing pad for trying an image classifier by hand. Strokes are drawn with a round,
// anti-aliased brush on a 10× finer canvas and averaged down to 28×28, which gives the soft
// edges of MNIST-style digits (bright ink on black, like Fashion-MNIST). The widget shows the
// 28×28 pixels the network actually sees. Left button draws, right button erases.
#include <QImage>
#include <QWidget>
#include <cstdint>
#include <vector>

namespace netloom::ui {

class DrawPad : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSide = 28;
    static constexpr int kZoom = 10;  // canvas pixels per image pixel

    explicit DrawPad(QWidget* parent = nullptr);

    // The 28×28 image, row-major, 0 = black background, 255 = full ink.
    std::vector<uint8_t> pixels() const;
    // Shows an image (e.g. a test image) that can then be drawn over.
    void setPixels(const std::vector<uint8_t>& pixels);
    void clear();
    bool isEmpty() const;

    // Brush diameter in image pixels (2.5 by default, like a pen stroke in MNIST; thicker
    // brushes suit the filled shapes of Fashion-MNIST).
    void setBrushSize(double imagePixels) { m_brush = imagePixels; }
    double brushSize() const { return m_brush; }

    QSize sizeHint() const override { return {224, 224}; }
    QSize minimumSizeHint() const override { return {168, 168}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return w; }

signals:
    // After every stroke segment, clear and setPixels.
    void pixelsChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRectF padRect() const;  // the square the pad occupies in the widget
    QPointF toCanvas(const QPointF& widgetPos) const;
    void strokeTo(const QPointF& canvasPos);

    QImage m_canvas;  // kSide·kZoom square, Format_Grayscale8
    QPointF m_last;
    bool m_drawing = false;
    bool m_erasing = false;
    double m_brush = 2.5;
};

}  // namespace netloom::ui
