#include "ui/training/gan_training_controller.h"

#include "engine/core/error.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/registry.h"
#include "engine/train/gan.h"
#include "engine/train/gan_trainer.h"
#include "ui/training/data_cache.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

int networkIndex(const engine::Project& project, const std::string& role) {
    for (size_t i = 0; i < project.networks.size(); ++i)
        if (project.networks[i].role == role) return static_cast<int>(i);
    return -1;
}

GanTrainingController::GanTrainingController(GraphDocument* doc, QObject* parent)
    : RunController(doc, parent) {
    qRegisterMetaType<GanPoint>();
    qRegisterMetaType<engine::GanEvent>();
}

GanTrainingController::~GanTrainingController() {
    stopAndJoin();
}

bool GanTrainingController::start() {
    if (isActive()) return false;
    const engine::Project& project = m_doc->project();
    const engine::TrainingConfig config = m_doc->training();
    try {
        if (!engine::taskFor(config).views().generatedSamples)
            throw netloom::Error("the training task is \"" + config.task +
                                 "\": GAN training needs the task \"adversarial\"");
        const engine::GanNetworks nets = engine::ganNetworks(project);
        engine::checkGanGraphs(nets.generator->graph, nets.discriminator->graph);
        m_generatorIndex = networkIndex(project, engine::kGeneratorRole);
        m_discriminatorIndex = networkIndex(project, engine::kDiscriminatorRole);
        m_trainer = std::make_shared<engine::GanTrainer>(
            nets.generator->graph, nets.discriminator->graph, config, nets.generator->weights,
            nets.discriminator->weights);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_pending.clear();
    }
    m_last = engine::GanEvent{};
    // The work lambda holds its own reference: the trainer outlives any reset of m_trainer.
    launch(
        m_trainer, config,
        [this, trainer = m_trainer, config] {
            // The GAN trainer uses the whole training set (no validation split).
            trainer->setData(DataCache::instance().load(config.dataset, 0.0, config.seed));
            return trainer->run([this](const engine::GanEvent& ev) { post(ev); });
        },
        [this](const std::string& message) {
            engine::GanEvent ev;
            ev.kind = engine::GanEvent::Kind::Failed;
            ev.message = message;
            post(ev);
        });
    return true;
}

bool GanTrainingController::resetWeights() {
    if (isActive()) return false;
    bool any = false;
    for (int i = 0; i < m_doc->networkCount(); ++i) {
        if (m_doc->project().networks[static_cast<size_t>(i)].weights.empty()) continue;
        m_doc->setNetworkWeights(i, {});
        any = true;
    }
    if (!any) return true;
    m_doc->markModified();
    emit weightsReset();
    return true;
}

void GanTrainingController::post(const engine::GanEvent& ev) {
    if (ev.kind == engine::GanEvent::Kind::Iteration) m_engineStep.store(ev.step);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending.push_back(ev);
}

void GanTrainingController::drain() {
    std::vector<engine::GanEvent> events;
    bool done = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        events.swap(m_pending);
        done = runDone();
    }
    QVector<GanPoint> points;
    auto flush = [&] {
        if (points.isEmpty()) return;
        emit iterationsArrived(points, m_last);
        points.clear();
    };
    for (engine::GanEvent& ev : events) {
        using K = engine::GanEvent::Kind;
        switch (ev.kind) {
            case K::Started:
                m_last = ev;
                m_startNote = QString::fromStdString(ev.message);
                emit runStarted(ev.epochs, ev.iterationsPerEpoch);
                break;
            case K::Iteration:
                m_last = ev;
                points.push_back(
                    {ev.step, ev.epoch, ev.iteration, ev.iterationsPerEpoch, ev.metrics});
                break;
            case K::Epoch:
                flush();
                m_last = ev;
                emit epochFinished(ev.record);
                break;
            default:  // Finished / Stopped / Failed: the run record says it all
                break;
        }
        if (ev.hasSamples && !ev.samples.values.empty()) {
            flush();
            emit samplesArrived(
                std::make_shared<const engine::GanSampleGrid>(std::move(ev.samples)));
        }
    }
    flush();
    if (done) finishRun();
}

void GanTrainingController::finishRun() {
    engine::RunRecord record = joinRun();
    engine::WeightSet g = m_trainer->generatorWeights();
    engine::WeightSet d = m_trainer->discriminatorWeights();
    m_trainer.reset();
    setState(State::Idle);
    if (resultDiscarded()) return;  // the project it trained is gone
    if (record.status != "failed" && !g.empty() && !d.empty()) {
        m_doc->setNetworkWeights(m_generatorIndex, std::move(g));
        m_doc->setNetworkWeights(m_discriminatorIndex, std::move(d));
    }
    m_doc->appendRun(record);
    m_doc->markModified();
    if (record.status == "failed")
        emit failed(QString::fromStdString(record.message));
    else
        emit finished(record);
}

}  // namespace netloom::ui
