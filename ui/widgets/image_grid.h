#pragma once
// A grid of small grayscale pictures with optional captions, scaled to fit the widget: the live
// reconstruction grid of autoencoders and the sample grid of GANs. The whole grid renders to one
// picture at a fixed tile size for PNG export (context menu "Save as PNG…").
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace netloom::ui {

class ImageGrid : public QWidget {
    Q_OBJECT
public:
    explicit ImageGrid(QWidget* parent = nullptr);

    // Columns per row; 0 picks a near-square layout.
    void setColumns(int columns);
    int columns() const { return m_columns; }
    // Captions are optional (one per image, or none).
    void setImages(std::vector<QImage> images, QStringList captions = {});
    const std::vector<QImage>& images() const { return m_images; }
    const QStringList& captions() const { return m_captions; }
    // Shown instead of the grid while there are no images ("Train to see samples").
    void setMessage(const QString& message);
    QString message() const { return m_message; }

    // The grid as one picture: tiles of tilePixels² plus caption rows, on white.
    QImage render(int tilePixels = 56) const;
    // Throws netloom::Error naming the path when the file cannot be written.
    void savePng(const QString& path, int tilePixels = 56) const;

    // A grayscale picture of w×h values mapped from [lo, hi] to black..white (clamped).
    static QImage fromValues(const float* values, int width, int height, float lo = 0.0f,
                             float hi = 1.0f);

    QSize sizeHint() const override { return {420, 420}; }
    QSize minimumSizeHint() const override { return {160, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Layout {
        int columns = 1, rows = 1;
    };
    Layout layout() const;
    void paintGrid(QPainter& p, const QRectF& area, double captionHeight) const;

    int m_columns = 0;
    std::vector<QImage> m_images;
    QStringList m_captions;
    QString m_message;
};

}  // namespace netloom::ui
