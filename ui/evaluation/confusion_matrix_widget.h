#pragma once
// The confusion matrix of the latest evaluation as a heat map: one cell per (true, predicted)
// class pair, coloured by its share of the true class's samples, with the count written in it.
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <vector>

namespace netloom::ui {

class ConfusionMatrixWidget : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);

    // counts: numClasses² values, row = true class, column = predicted (as engine::EvalResult).
    // Labels name the classes (numbers when empty or of the wrong length).
    void setMatrix(int numClasses, std::vector<int64_t> counts, const QStringList& labels = {});
    void clear() { setMatrix(0, {}); }

    int numClasses() const { return m_classes; }
    int64_t count(int actual, int predicted) const;
    const std::vector<int64_t>& counts() const { return m_counts; }

    QSize sizeHint() const override { return {360, 320}; }
    QSize minimumSizeHint() const override { return {200, 180}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int m_classes = 0;
    std::vector<int64_t> m_counts;
    QStringList m_labels;
};

// Fashion-MNIST's class names, or numbers for other datasets.
QStringList classLabels(const std::string& datasetKind, int numClasses);

}  // namespace netloom::ui
