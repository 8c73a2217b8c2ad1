#include "ui/gan_training_controller.h"

#include <QDateTime>

#include "engine/core/error.h"
#include "engine/io/network_roles.h"
#include "engine/train/gan.h"
#include "engine/train/gan_trainer.h"
#include "ui/data_cache.h"
#include "ui/graph_document.h"

namespace netloom::ui {

int networkIndex(const engine::Project& project, const std::string& role) {
    for (size_t i = 0; i < project.networks.size(); ++i)
        if (project.networks[i].role == role) return static_cast<int>(i);
    return -1;
}

GanTrainingController::GanTrainingController(GraphDocument* doc, QObject* parent)
    : QObject(parent), m_doc(doc) {
    qRegisterMetaType<GanPoint>();
    qRegisterMetaType<engine::GanEvent>();
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &GanTrainingController::drain);
    connect(doc, &GraphDocument::changed, this, &GanTrainingController::onDocumentChanged);
}

GanTrainingController::~GanTrainingController() {
    if (m_trainer) m_trainer->stop();
    if (m_thread.joinable()) m_thread.join();
}

bool GanTrainingController::start() {
    if (isActive()) return false;
    const engine::Project& project = m_doc->project();
    const engine::TrainingConfig config = m_doc->training();
    try {
        if (config.task != "adversarial")
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
        m_result.reset();
    }
    m_last = engine::GanEvent{};
    m_engineStep.store(0);
    m_discardResult = false;
    setState(State::Running);
    // The thread holds its own reference: the trainer outlives any reset of m_trainer.
    m_thread = std::thread([this, trainer = m_trainer, config] {
        engine::RunRecord record;
        try {
            // The GAN trainer uses the whole training set (no validation split).
            trainer->setData(DataCache::instance().load(config.dataset, 0.0, config.seed));
            record = trainer->run([this](const engine::GanEvent& ev) { post(ev); });
        } catch (const std::exception& e) {  // the data could not be loaded
            record.started = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
            record.config = config;
            record.status = "failed";
            record.message = e.what();
            engine::GanEvent ev;
            ev.kind = engine::GanEvent::Kind::Failed;
            ev.message = e.what();
            post(ev);
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_result = std::move(record);
    });
    m_drainTimer.start();
    return true;
}

void GanTrainingController::pause() {
    if (m_state != State::Running) return;
    m_trainer->pause();
    setState(State::Paused);
}

void GanTrainingController::resume() {
    if (m_state != State::Paused) return;
    m_trainer->resume();
    setState(State::Running);
}

void GanTrainingController::stop() {
    if (m_state != State::Running && m_state != State::Paused) return;
    m_trainer->stop();
    setState(State::Stopping);
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
        done = m_result.has_value();
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
    m_drainTimer.stop();
    if (m_thread.joinable()) m_thread.join();
    engine::RunRecord record;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        record = std::move(*m_result);
        m_result.reset();
    }
    engine::WeightSet g = m_trainer->generatorWeights();
    engine::WeightSet d = m_trainer->discriminatorWeights();
    m_trainer.reset();
    setState(State::Idle);
    if (m_discardResult) return;  // the project it trained is gone
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

void GanTrainingController::setState(State s) {
    if (m_state == s) return;
    m_state = s;
    emit stateChanged(s);
}

void GanTrainingController::onDocumentChanged(const GraphChange& change) {
    // Opening another project mid-run: its result would land in the wrong project.
    if (change.kind == GraphChange::Kind::Reset && isActive()) {
        m_discardResult = true;
        m_trainer->stop();
        setState(State::Stopping);
    }
}

}  // namespace netloom::ui
