#pragma once
// What an evaluation view needs, kept current: the document's dataset (loaded off the GUI
// thread through the DataCache) and a Predictor holding the live weights. When either changes,
// the view's refresh function runs — coalesced (at most every 150 ms while a run sends epoch
// after epoch) and only while the view is visible; a hidden view catches up when shown.
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <functional>
#include <memory>

#include "engine/data/dataset.h"
#include "engine/project/training_config.h"
#include "engine/tasks/task.h"
#include "ui/evaluation/predictor.h"

class QWidget;

namespace netloom::ui {

class DataLoader;
class LiveWeights;

// The views of a config's task (engine/tasks), or none when its task id is unknown.
engine::TaskViews taskViews(const engine::TrainingConfig& config);

class EvalContext : public QObject {
    Q_OBJECT
public:
    EvalContext(LiveWeights* live, QWidget* view, std::function<void()> refresh);

    // Null when there is nothing to predict with; message() says why.
    Predictor* predictor();
    // Null while loading or when the data cannot be loaded; message() says which.
    std::shared_ptr<const engine::DataSplit> data() const { return m_data; }
    QString message() const;

    const engine::TrainingConfig& training() const;
    // The live views and evaluations the project's task offers (none for an unknown task).
    engine::TaskViews views() const { return taskViews(training()); }
    QStringList classLabels(int numClasses) const;
    qint64 epoch() const;  // of the live weights (0 = the document's)

    // Runs a pending refresh now (tests, and views that must not wait).
    void refreshNow();

private:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void schedule();
    void requestData();

    QPointer<LiveWeights> m_live;
    QWidget* m_view;
    std::function<void()> m_refresh;
    DataLoader* m_loader;
    PredictorSlot m_slot;
    std::shared_ptr<const engine::DataSplit> m_data;
    // The settings the data was requested for.
    engine::DatasetConfig m_dataConfig;
    double m_dataSplit = -1;
    uint64_t m_dataSeed = 0;
    QString m_predictorError, m_dataError;
    QTimer m_timer;
    bool m_dirty = true;
    bool m_refreshing = false;
};

}  // namespace netloom::ui
