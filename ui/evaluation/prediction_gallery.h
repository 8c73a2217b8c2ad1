#pragma once
// A gallery of test images with the model's predicted and true labels, refreshed after every
// epoch (and when a project with trained weights opens). The same images every time: the first
// two of each class in the test set (for ten classes), so progress is easy to follow. Mistakes get
// a red frame and show the true class. Double-click an image to try it in the draw pad.
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <memory>
#include <vector>

namespace netloom::engine {
struct DataSplit;
}

namespace netloom::ui {

class EvalContext;
class LiveWeights;

class PredictionGallery : public QWidget {
    Q_OBJECT
public:
    static constexpr int kImages = 20;  // two per class for ten classes

    explicit PredictionGallery(LiveWeights* live, QWidget* parent = nullptr);

    // Test-set indices shown, their true and predicted classes (empty until there is a model
    // and data) and the predicted class's probability.
    const std::vector<int64_t>& indices() const { return m_indices; }
    const std::vector<int>& trueClasses() const { return m_true; }
    const std::vector<int>& predictedClasses() const { return m_predicted; }
    const std::vector<float>& confidences() const { return m_confidence; }
    int mistakes() const;
    EvalContext* context() const { return m_ctx; }
    int tileAt(const QPoint& pos) const;  // index into indices(), or -1

    QSize sizeHint() const override { return {400, 300}; }
    QSize minimumSizeHint() const override { return {200, 150}; }

signals:
    void imageActivated(qint64 testIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    void refresh();
    void chooseImages();
    struct Grid {
        int columns = 1, rows = 1;
        double tileW = 0, tileH = 0, image = 0;
    };
    Grid grid() const;

    EvalContext* m_ctx;
    std::shared_ptr<const engine::DataSplit> m_chosenFrom;  // the data the indices are of
    std::vector<int64_t> m_indices;
    std::vector<int> m_true, m_predicted;
    std::vector<float> m_confidence;
    std::vector<QImage> m_images;
    QStringList m_labels;
    QString m_message;
};

}  // namespace netloom::ui
