#pragma once
// For classifiers of 2-D points (the synthetic spiral, circles, xor and gaussians sets, or a CSV
// with two features): the plane coloured by the class the model predicts at each spot (paler
// where it is less sure), with the training points on top. Redrawn after every epoch, so the
// boundary can be watched as it forms.
#include <QImage>
#include <QRectF>
#include <QWidget>
#include <vector>

namespace netloom::ui {

class EvalContext;
class LiveWeights;

class DecisionRegions : public QWidget {
    Q_OBJECT
public:
    static constexpr int kGrid = 120;     // cells per side
    static constexpr int kPoints = 1500;  // training points drawn at most

    explicit DecisionRegions(LiveWeights* live, QWidget* parent = nullptr);

    // The data-space rectangle shown (x right, y up) and the predicted class of each cell,
    // row 0 at the top; empty without a model or data.
    QRectF bounds() const { return m_bounds; }
    const std::vector<int>& cellClasses() const { return m_classes; }
    QPointF cellCentre(int column, int row) const;
    int classAt(const QPointF& dataPoint) const;  // -1 outside or when empty
    QString message() const { return m_message; }
    EvalContext* context() const { return m_ctx; }

    QSize sizeHint() const override { return {300, 300}; }
    QSize minimumSizeHint() const override { return {160, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    QRectF plotRect() const;
    QPointF toWidget(const QPointF& dataPoint) const;

    EvalContext* m_ctx;
    QRectF m_bounds;
    std::vector<int> m_classes;
    QImage m_image;  // kGrid², one pixel per cell
    std::vector<QPointF> m_pointsXY;
    std::vector<int> m_pointClasses;
    int m_numClasses = 0;
    QString m_message;
};

// A qualitative colour per class (matplotlib's tab10, cycled).
QColor classColour(int c);

}  // namespace netloom::ui
