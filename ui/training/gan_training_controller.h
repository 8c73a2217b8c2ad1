#pragma once
// Runs engine::GanTrainer (task "adversarial") on a worker thread for the window, with the same
// design as TrainingController: the trainer gets a snapshot of both networks, the settings and
// the weights; everything it does (oneDNN included) stays on that one thread; its events go into
// a guarded buffer that a 50 ms GUI timer drains. At the end both networks' weights and the run
// record go into the document (on failure the previous weights stay).
// The thread, the timer, the state and pause/resume/stop live in RunController (shared with
// TrainingController); this class adds the GAN's iteration, sample grid and epoch signals.
#include <QMetaType>
#include <QVector>
#include <memory>
#include <string>
#include <vector>

#include "engine/project/project.h"
#include "engine/train/gan_events.h"
// Declares the metatypes of EpochRecord and RunRecord, which the signals below also carry: they
// must be declared before any use (moc compiles all headers into one file).
#include "ui/training/run_controller.h"
#include "ui/training/training_controller.h"

namespace netloom::engine {
class GanTrainer;
}

namespace netloom::ui {

class GraphDocument;

// One GAN iteration as the charts need it.
struct GanPoint {
    int64_t step = 0;  // global iteration counter of the run
    int64_t epoch = 0, iteration = 0, iterationsPerEpoch = 0;
    engine::GanMetrics metrics;
};

// State, state(), isActive(), engineStep(), pause(), resume(), stop() and the signals
// stateChanged(), failed() and weightsReset() come from RunController.
class GanTrainingController : public RunController {
    Q_OBJECT
public:
    explicit GanTrainingController(GraphDocument* doc, QObject* parent = nullptr);
    ~GanTrainingController() override;  // stops a run and joins its thread

    const engine::GanEvent& lastProgress() const { return m_last; }

    // Starts a run from the document's weights of both networks; false (and failed()) when the
    // project is not a trainable GAN or a run is already active.
    bool start();
    // Forgets both networks' trained weights; only while idle.
    bool resetWeights();

signals:
    void runStarted(qint64 epochs, qint64 iterationsPerEpoch);
    // Iterations since the last drain (in order) and the newest progress figures.
    void iterationsArrived(const QVector<netloom::ui::GanPoint>& points,
                           const netloom::engine::GanEvent& latest);
    // Every grid the engine drew, in order (none is coalesced away).
    void samplesArrived(std::shared_ptr<const netloom::engine::GanSampleGrid> grid);
    void epochFinished(const netloom::engine::EpochRecord& record);
    // Finished or stopped; the weights and the record are already in the document.
    void finished(const netloom::engine::RunRecord& record);

private:
    void post(const engine::GanEvent& ev);  // worker thread
    void drain() override;                  // GUI thread
    void finishRun();

    engine::GanEvent m_last;
    int m_generatorIndex = -1, m_discriminatorIndex = -1;

    std::shared_ptr<engine::GanTrainer> m_trainer;
    std::vector<engine::GanEvent> m_pending;  // guarded by m_mutex (RunController's)
};

// Index of the network with this role in project.networks, or -1.
int networkIndex(const engine::Project& project, const std::string& role);

}  // namespace netloom::ui

Q_DECLARE_METATYPE(netloom::ui::GanPoint)
Q_DECLARE_METATYPE(netloom::engine::GanEvent)
Q_DECLARE_METATYPE(std::shared_ptr<const netloom::engine::GanSampleGrid>)
