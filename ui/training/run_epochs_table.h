#pragma once
// The per-epoch figures of one run of the history (train and validation loss and accuracy,
// learning rate, seconds), shown under the run table for the run selected there.
#include <QTableWidget>

#include "engine/project/project.h"

namespace netloom::ui {

class RunEpochsTable : public QTableWidget {
    Q_OBJECT
public:
    enum Column {
        Epoch,
        TrainLoss,
        TrainAccuracy,
        ValLoss,
        ValAccuracy,
        LearningRate,  // as the epoch ended ("–" for runs saved before it was recorded)
        Seconds,
        ColumnCount
    };

    explicit RunEpochsTable(QWidget* parent = nullptr);
    // Empty record: no run selected.
    void showRun(const QString& name, const engine::RunRecord& record);
    void clearRun();
};

}  // namespace netloom::ui
