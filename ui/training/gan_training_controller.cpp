#include "ui/training/gan_training_controller.h"

#include "engine/core/error.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/registry.h"
#include "engine/train/gan.h"
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
    const engine::TrainingConfig& config = m_doc->training();
    try {
        if (!engine::taskFor(config).views().generatedSamples)
            throw netloom::Error("the training task is \"" + config.task +
                                 "\": GAN training needs the task \"adversarial\"");
        const engine::GanNetworks nets = engine::ganNetworks(m_doc->project());
        engine::checkGanGraphs(nets.generator->graph, nets.discriminator->graph);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    m_last = engine::GanEvent{};
    return startRun({}, {}, 0);
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

void GanTrainingController::deliver(std::vector<engine::RunEvent>& events, bool) {
    QVector<GanPoint> points;
    auto flush = [&] {
        if (points.isEmpty()) return;
        emit iterationsArrived(points, m_last);
        points.clear();
    };
    for (engine::RunEvent& run : events) {
        using K = engine::RunEvent::Kind;
        switch (run.kind) {
            case K::Started:
                m_last = engine::toGanEvent(run);
                emit runStarted(run.epochs, run.stepsPerEpoch);
                break;
            case K::Step:
                m_last = engine::toGanEvent(run);
                points.push_back({m_last.step, m_last.epoch, m_last.iteration,
                                  m_last.iterationsPerEpoch, m_last.metrics});
                break;
            case K::Epoch:
                flush();
                m_last = engine::toGanEvent(run);
                emit epochFinished(m_last.record);
                break;
            default:  // Finished / Stopped / Failed: the run record says it all
                break;
        }
        if (run.samples && !run.samples->values.empty()) {
            flush();
            emit samplesArrived(run.samples);
        }
    }
    flush();
}

}  // namespace netloom::ui
