#pragma once
// The project's run history (newest first): when, outcome, epochs, final losses and accuracies,
// duration and the main settings, so past runs can be compared at a glance.
#include <QPointer>
#include <QTableWidget>

namespace netloom::ui {

class GraphDocument;

class RunHistoryTable : public QTableWidget {
    Q_OBJECT
public:
    enum Column { Started, Status, Epochs, TrainLoss, ValLoss, ValAccuracy, TestAccuracy,
                  Duration, Settings, ColumnCount };

    explicit RunHistoryTable(GraphDocument* doc, QWidget* parent = nullptr);
    void refresh();  // rereads the document's history (after a run or when a project opens)

private:
    QPointer<GraphDocument> m_doc;
};

}  // namespace netloom::ui
