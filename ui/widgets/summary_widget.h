#pragma once
// Model summary: per layer its output shape, parameter count and forward FLOPs, then totals and
// a float32 memory estimate (parameters, and activations for one batch). Updates on every edit.
#include <QWidget>

#include "ui/document/graph_document.h"

class QLabel;
class QTreeWidget;

namespace netloom::ui {

struct MemoryEstimate {
    qint64 parameterBytes = 0;   // weights, float32
    qint64 activationBytes = 0;  // every layer's output for one batch, float32
    qint64 trainingBytes = 0;    // + gradients and Adam's two moments, + activation gradients
};

MemoryEstimate estimateMemory(const engine::GraphAnalysis& analysis, int64_t batchSize);

class SummaryWidget : public QWidget {
    Q_OBJECT
public:
    explicit SummaryWidget(GraphDocument* doc, QWidget* parent = nullptr);
    QTreeWidget* table() const { return m_table; }
    QString totalsText() const;

signals:
    void nodeActivated(const QString& nodeId);

private:
    void refresh();

    GraphDocument* m_doc;
    QTreeWidget* m_table;
    QLabel* m_totals;
};

}  // namespace netloom::ui
