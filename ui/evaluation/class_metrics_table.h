#pragma once
// Per-class precision, recall, F1 and support of the latest evaluation, plus the macro means,
// computed by engine::ConfusionMatrix from the engine's counts.
#include <QStringList>
#include <QTableWidget>

#include "engine/metrics/metrics.h"

namespace netloom::ui {

class ClassMetricsTable : public QTableWidget {
    Q_OBJECT
public:
    explicit ClassMetricsTable(QWidget* parent = nullptr);
    void setMatrix(const engine::ConfusionMatrix& matrix, const QStringList& labels);
    void clearMetrics() { setRowCount(0); }
};

// The engine's row-major counts as a ConfusionMatrix.
engine::ConfusionMatrix toConfusionMatrix(int numClasses, const std::vector<int64_t>& counts);

}  // namespace netloom::ui
