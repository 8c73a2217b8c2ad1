#pragma once
// The project's run history (newest first): when, outcome, epochs, final losses and accuracies,
// duration and the main settings, so past runs can be compared at a glance. The check box of a
// run overlays its curves on the charts.
#include <QPointer>
#include <QTableWidget>
#include <set>
#include <vector>

#include "engine/project/training_config.h"

namespace netloom::ui {

class GraphDocument;

class RunHistoryTable : public QTableWidget {
    Q_OBJECT
public:
    enum Column {
        Show,
        Started,
        Status,
        Epochs,
        TrainLoss,
        ValLoss,
        ValAccuracy,
        TestAccuracy,
        Duration,
        Settings,
        ColumnCount
    };

    explicit RunHistoryTable(GraphDocument* doc, QWidget* parent = nullptr);
    void refresh();  // rereads the document's history (after a run or when a project opens)

    // Positions in the document's history (0 = oldest) of the rows shown / ticked.
    int historyIndex(int row) const;
    int rowOf(int historyIndex) const;
    std::vector<int> overlaidRuns() const { return {m_overlaid.begin(), m_overlaid.end()}; }
    void setOverlaid(int historyIndex, bool on);
    // "Run 3" for history position 2: the name used in the overlays and the epoch table.
    static QString runName(int historyIndex);

signals:
    void overlaysChanged();

private:
    QPointer<GraphDocument> m_doc;
    std::set<int> m_overlaid;
    bool m_filling = false;
};

// "Adam lr 0.001 · batch 64 · seed 1 · training samples 12000": the optimizer, its learning
// rate, batch and seed, then the settings of the run's task that differ from their defaults; and every setting of the
// task, by group, for a tooltip. Both from the settings schema.
QString settingsSummary(const engine::TrainingConfig& config);
QString settingsDetails(const engine::TrainingConfig& config);

}  // namespace netloom::ui
