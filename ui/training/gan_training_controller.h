#pragma once
// Trains an adversarial (GAN) project for the window: RunController runs the task's recipe on
// its worker thread and puts both networks' weights into the document; this class turns the
// run's events into the iteration, sample-grid and epoch signals the GAN panel draws from.
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

private:
    void deliver(std::vector<engine::RunEvent>& events, bool done) override;  // GUI thread

    engine::GanEvent m_last;
};

// Index of the network with this role in project.networks, or -1.
int networkIndex(const engine::Project& project, const std::string& role);

}  // namespace netloom::ui

Q_DECLARE_METATYPE(netloom::ui::GanPoint)
Q_DECLARE_METATYPE(netloom::engine::GanEvent)
Q_DECLARE_METATYPE(std::shared_ptr<const netloom::engine::GanSampleGrid>)
