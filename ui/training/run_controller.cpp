#include "ui/training/run_controller.h"

#include <QDateTime>

#include "ui/document/graph_document.h"

namespace netloom::ui {

RunController::RunController(GraphDocument* doc, QObject* parent) : QObject(parent), m_doc(doc) {
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &RunController::drain);
    connect(doc, &GraphDocument::changed, this, &RunController::onDocumentChanged);
}

RunController::~RunController() {
    stopAndJoin();  // a no-op when the derived destructor already did it
}

void RunController::stopAndJoin() {
    if (m_control.stop) m_control.stop();
    if (m_thread.joinable()) m_thread.join();
}

void RunController::pause() {
    if (m_state != State::Running) return;
    m_control.pause();
    setState(State::Paused);
}

void RunController::resume() {
    if (m_state != State::Paused) return;
    m_control.resume();
    setState(State::Running);
}

void RunController::stop() {
    if (m_state != State::Running && m_state != State::Paused) return;
    m_control.stop();
    setState(State::Stopping);
}

void RunController::startWorker(const engine::TrainingConfig& config,
                                std::function<engine::RunRecord()> work,
                                std::function<void(const std::string&)> postFailure) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_result.reset();
    }
    m_engineStep.store(0);
    m_discardResult = false;
    setState(State::Running);
    // `work` holds its own reference to the trainer: it outlives the derived class's reset.
    m_thread =
        std::thread([this, config, work = std::move(work), postFailure = std::move(postFailure)] {
            engine::RunRecord record;
            try {
                record = work();
            } catch (const std::exception& e) {  // the data could not be loaded
                record.started =
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
                record.config = config;
                record.status = "failed";
                record.message = e.what();
                postFailure(e.what());
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            m_result = std::move(record);
        });
    m_drainTimer.start();
}

engine::RunRecord RunController::joinRun() {
    m_drainTimer.stop();
    if (m_thread.joinable()) m_thread.join();
    m_control = {};
    std::lock_guard<std::mutex> lock(m_mutex);
    engine::RunRecord record = std::move(*m_result);
    m_result.reset();
    return record;
}

void RunController::setState(State s) {
    if (m_state == s) return;
    m_state = s;
    emit stateChanged(s);
}

void RunController::onDocumentChanged(const GraphChange& change) {
    // Opening another project mid-run: its result would land in the wrong project.
    if (change.kind == GraphChange::Kind::Reset && isActive()) {
        m_discardResult = true;
        m_control.stop();
        setState(State::Stopping);
    }
}

}  // namespace netloom::ui
