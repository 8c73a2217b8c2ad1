#pragma once
// What TrainingController (engine::Trainer) and GanTrainingController (engine::GanTrainer) share
// to run a trainer on a worker thread for the window: the run state and its pause/resume/stop,
// the worker std::thread, the 50 ms GUI timer that calls the derived drain(), the mutex-guarded
// handoff of the run record, and dropping the result when the document is replaced mid-run.
// The derived class builds its trainer, keeps the event buffer (guarded by m_mutex) that its
// drain() empties into signals, and puts the weights and the record into the document.
#include <QObject>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/project/project.h"
#include "engine/project/training_config.h"

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
    // The document's trained weights were forgotten (Reset weights).
    void weightsReset();

protected:
    RunController(GraphDocument* doc, QObject* parent);

    // Starts a run: binds pause()/resume()/stop() to `trainer` (engine::Trainer and
    // engine::GanTrainer both have them through engine::RunControl, but no common base), sets
    // Running, runs `work` on the worker thread and starts the drain timer. `work` runs the
    // trainer and returns its record; when it throws (the data could not be loaded) the record
    // says "failed" and `postFailure(message)` queues the derived class's Failed event.
    template <class Trainer>
    void launch(std::shared_ptr<Trainer> trainer, const engine::TrainingConfig& config,
                std::function<engine::RunRecord()> work,
                std::function<void(const std::string&)> postFailure) {
        m_control = {[trainer] { trainer->pause(); }, [trainer] { trainer->resume(); },
                     [trainer] { trainer->stop(); }};
        startWorker(config, std::move(work), std::move(postFailure));
    }
    // The finish step's common part: stops the timer, joins the worker and takes its record.
    // The caller then takes the weights, drops its trainer and sets Idle.
    engine::RunRecord joinRun();
    // Stops a run and joins its thread. Derived destructors must call it first: the worker
    // calls into the derived class, whose members are gone by the time ~RunController runs.
    void stopAndJoin();
    // True once the worker has left its record; call with m_mutex held, together with taking
    // the events, so that a finished run's last events are never left behind.
    bool runDone() const { return m_result.has_value(); }
    // The document was replaced during the run: its result must not land in the new project.
    bool resultDiscarded() const { return m_discardResult; }
    void setState(State s);
    virtual void drain() = 0;  // GUI thread, every 50 ms while a run is active

    GraphDocument* m_doc;
    QString m_startNote;
    std::atomic<int64_t> m_engineStep{0};
    std::mutex m_mutex;  // guards the run record and the derived class's event buffer

private:
    struct Control {
        std::function<void()> pause, resume, stop;
    };
    void startWorker(const engine::TrainingConfig& config, std::function<engine::RunRecord()> work,
                     std::function<void(const std::string&)> postFailure);
    void onDocumentChanged(const GraphChange& change);

    QTimer m_drainTimer;
    State m_state = State::Idle;
    bool m_discardResult = false;
    Control m_control;  // bound while a run is active
    std::thread m_thread;
    std::optional<engine::RunRecord> m_result;  // guarded by m_mutex
};

}  // namespace netloom::ui
