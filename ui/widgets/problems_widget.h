#pragma once
// The problems list: every error of the latest analysis. Clicking one that belongs to a node
// emits nodeActivated() so the window selects and centres that node.
#include <QWidget>

#include "ui/document/graph_document.h"

class QListWidget;

namespace netloom::ui {

class ProblemsWidget : public QWidget {
    Q_OBJECT
public:
    explicit ProblemsWidget(GraphDocument* doc, QWidget* parent = nullptr);
    QListWidget* list() const { return m_list; }
    int count() const;

signals:
    void nodeActivated(const QString& nodeId);
    void countChanged(int problems);

private:
    void refresh();

    GraphDocument* m_doc;
    QListWidget* m_list;
};

}  // namespace netloom::ui
