#pragma once
// The problems list: every error of the latest analysis, including the networks' fit to the data
// and the task. Clicking one that belongs to a node emits nodeActivated() so the window selects
// and centres that node; a problem with an obvious remedy carries a button that applies it as
// one undoable edit ("Set units of 'fc2' to 10").
#include <QWidget>

#include "ui/document/graph_document.h"

class QListWidget;
class QPushButton;

namespace netloom::ui {

class ProblemsWidget : public QWidget {
    Q_OBJECT
public:
    explicit ProblemsWidget(GraphDocument* doc, QWidget* parent = nullptr);
    QListWidget* list() const { return m_list; }
    int count() const;
    // The fix buttons shown now, in list order (tests click them).
    QList<QPushButton*> fixButtons() const;

signals:
    void nodeActivated(const QString& nodeId);
    void countChanged(int problems);

private:
    void refresh();
    void applyFix(const engine::ParamFix& fix);

    GraphDocument* m_doc;
    QListWidget* m_list;
};

}  // namespace netloom::ui
