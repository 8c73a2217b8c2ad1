#pragma once
// What the window's training controllers share, whatever the task: a run of the document's
// project through its task's recipe (engine task registry) on the one run skeleton, on a worker
// thread; the run state and its pause/resume/stop (engine::RunControl); the buffer of
// engine::RunEvent that a 50 ms GUI timer drains into the derived class's signals; putting the
// kept weights (by network role) and the record into the document at the end; and dropping the
// result when the document is replaced mid-run. TrainingController and GanTrainingController
// only add their hooks and turn events into the signals their panels draw from.
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

class RunController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Stopping };

    ~RunController() override;

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    // Latest batch (GAN: iteration) the engine thread reported (any thread; for tests and ETA).
    int64_t engineStep() const { return m_engineStep.load(); }

    void pause();
    void resume();
    void stop();  // keeps the weights reached so far
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

protected:
    RunController(GraphDocument* doc, QObject* parent);

    // Starts a run of the document's project through its task's recipe (the task registry) on
    // the one run skeleton, on the worker thread: the data come through the window's cache, the
    // recipe is built there (oneDNN's thread rule), events go to the buffer drain() empties.
    // `hooks` are added after the settings' own (early stopping). False (and failed()) when the
    // project cannot start.
    bool startRun(std::vector<std::shared_ptr<engine::RunHook>> hooks,
                  engine::RunOptions options, int64_t snapshotEverySteps);
    // The derived class turns the events since the last drain into its signals (GUI thread);
    // `done`: the run has ended, finishRun() follows.
    virtual void deliver(std::vector<engine::RunEvent>& events, bool done) = 0;
    // Stops a run and joins its thread. Derived destructors must call it first: the worker
    // calls into the derived class, whose members are gone by the time ~RunController runs.
    void stopAndJoin();
    void setState(State s);

    GraphDocument* m_doc;
    QString m_startNote;
    std::atomic<int64_t> m_engineStep{0};
    std::mutex m_mutex;

private:
    void post(const engine::RunEvent& ev);  // worker thread
    void drain();                           // GUI thread, every 50 ms while a run is active
    void finishRun();
    void onDocumentChanged(const GraphChange& change);

    QTimer m_drainTimer;
    State m_state = State::Idle;
    bool m_discardResult = false;
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
