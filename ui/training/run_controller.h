#pragma once
// The window's training controller, whatever the task: a run of the document's project through
// its task's recipe (engine task registry) on the one run skeleton, on a worker thread; the run
// state and its pause/resume/stop (engine::RunControl); the buffer of engine::RunEvent that a
// 50 ms GUI timer drains into the signals below (steps coalesced, epochs, weight snapshots,
// sample grids, a pause the run asked for); putting the kept weights (by network role) and the
// record into the document at the end; and dropping the result when the document is replaced
// mid-run. TrainingController and GanTrainingController only add their checks and hooks.
#include <QMetaType>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <QVector>
#include <map>
#include <vector>

#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/run_control.h"
#include "engine/train/run_event.h"
#include "engine/train/run_hook.h"
#include "engine/train/run_loop.h"

namespace netloom::ui {

class GraphDocument;
struct GraphChange;

// One training step (a batch, or a GAN iteration) as the charts need it: where it is in the run
// and its figures by name ("loss", "accuracy", "d_loss", ...; see engine::RunEvent).
struct RunPoint {
    int64_t step = 0;  // global step counter of the run
    int64_t epoch = 0, stepInEpoch = 0, stepsPerEpoch = 0;
    engine::MetricList metrics;
    double loss() const { return metrics.get("loss"); }
    double accuracy() const { return metrics.get("accuracy"); }  // NaN when not classifying
};

class RunController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Stopping };

    ~RunController() override;

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    // Latest batch (GAN: iteration) the engine thread reported (any thread; for tests and ETA).
    int64_t engineStep() const { return m_engineStep.load(); }
    // The newest step or epoch event delivered to the GUI thread (progress, figures by name).
    const engine::RunEvent& lastProgress() const { return m_last; }
    // The message of the latest pause the run asked for itself (empty when none in this run).
    QString healthMessage() const { return m_healthMessage; }
    // Further hooks for the next runs, called after the settings' and the controller's own.
    void addHook(std::shared_ptr<engine::RunHook> hook) { m_extraHooks.push_back(std::move(hook)); }

    void pause();
    void resume();
    void stop();  // keeps the weights reached so far
    // Ends an active run now and waits for its thread (the batch under way and, for a run that
    // was already past its last batch, the final evaluation). `keep`: the weights and the record
    // go into the document as at the normal end of a run (finished() follows); otherwise the run
    // leaves no trace. For quitting or replacing the project mid-run.
    void endNow(bool keep);
    // Forgets the trained weights (the next run starts fresh); only while idle. Default: every
    // network's.
    virtual bool resetWeights() { return clearAllWeights(); }
    // Set when a run starts: which layers start from fresh weights because they were added or
    // changed since the last run ("" when all continue from their trained weights).
    const QString& startNote() const { return m_startNote; }

signals:
    void stateChanged(netloom::ui::RunController::State state);
    void failed(const QString& message);
    // Finished or stopped; the weights and the record are already in the document.
    void finished(const netloom::engine::RunRecord& record);
    // The document's trained weights were forgotten (Reset weights).
    void weightsReset();
    void runStarted(qint64 epochs, qint64 stepsPerEpoch);
    // Steps since the last drain (in order) and the newest progress figures.
    void stepsArrived(const QVector<netloom::ui::RunPoint>& points,
                      const netloom::engine::RunEvent& latest);
    void epochFinished(const netloom::engine::EpochRecord& record,
                       const netloom::engine::EvalResult& validation);
    // The weights of the task's first network after an epoch (or a step snapshot, at most ~4
    // per second), for the live evaluation views.
    void epochWeights(std::shared_ptr<const netloom::engine::WeightSet> weights, qint64 epoch);
    // Every sample grid a generating run drew, in order (none is coalesced away).
    void samplesArrived(std::shared_ptr<const netloom::engine::SampleGrid> grid);
    // The run paused itself (a hook such as the loss watch, or a NaN loss rolled back); the
    // message says where and what to do. The state is Paused by then.
    void healthPaused(const QString& message);
    // The last step is done and the run's final evaluation runs ("Evaluating on the test set").
    void evaluating(const QString& what);

protected:
    RunController(GraphDocument* doc, QObject* parent);

    // Starts a run of the document's project through its task's recipe (the task registry) on
    // the one run skeleton, on the worker thread: the data come through the window's cache, the
    // recipe is built there (oneDNN's thread rule), events go to the buffer drain() empties.
    // `hooks` are added after the settings' own (early stopping), then those of addHook().
    // False (and failed()) when the project cannot start.
    bool startRun(std::vector<std::shared_ptr<engine::RunHook>> hooks, engine::RunOptions options,
                  int64_t snapshotEverySteps);
    // Forgets every network's trained weights; only while idle.
    bool clearAllWeights();
    // Stops a run and joins its thread. Derived destructors call it first, so that no run
    // outlives the hooks and settings they own.
    void stopAndJoin();
    void setState(State s);

    GraphDocument* m_doc;
    QString m_startNote;
    std::atomic<int64_t> m_engineStep{0};
    std::mutex m_mutex;

private:
    void post(const engine::RunEvent& ev);  // worker thread
    void drain();                           // GUI thread, every 50 ms while a run is active
    // Turns the events since the last drain into the signals; `done`: the run has ended,
    // finishRun() follows.
    void deliver(const std::vector<engine::RunEvent>& events, bool done);
    void finishRun();
    void onDocumentChanged(const GraphChange& change);

    QTimer m_drainTimer;
    State m_state = State::Idle;
    engine::RunEvent m_last;
    QString m_healthMessage;
    std::string m_liveRole;       // the network whose weights epochWeights() carries
    qint64 m_lastSnapshotMs = 0;  // when deliver() last forwarded step weights
    std::vector<std::shared_ptr<engine::RunHook>> m_extraHooks;
    bool m_discardResult = false;
    bool m_runBegan = false;  // the recipe prepared and the Started event arrived
    std::shared_ptr<engine::RunControl> m_control;  // the active run's
    std::thread m_thread;
    // Guarded by m_mutex: the events not yet drained, the record (set when the run ended) and
    // the weights the run keeps, by network role.
    std::vector<engine::RunEvent> m_pending;
    std::optional<engine::RunRecord> m_result;
    std::map<std::string, engine::WeightSet> m_kept;
};

}  // namespace netloom::ui

Q_DECLARE_METATYPE(netloom::engine::EpochRecord)
Q_DECLARE_METATYPE(netloom::engine::EvalResult)
Q_DECLARE_METATYPE(netloom::engine::RunRecord)
Q_DECLARE_METATYPE(netloom::engine::RunEvent)
Q_DECLARE_METATYPE(netloom::ui::RunPoint)
Q_DECLARE_METATYPE(std::shared_ptr<const netloom::engine::SampleGrid>)
