#include "ui/training/run_controller.h"

#include <QDateTime>
#include <algorithm>

#include "engine/project/network_roles.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/train/standard_hooks.h"
#include "ui/document/graph_document.h"
#include "ui/training/data_cache.h"

namespace netloom::ui {

RunController::RunController(GraphDocument* doc, QObject* parent) : QObject(parent), m_doc(doc) {
    qRegisterMetaType<engine::EpochRecord>();
    qRegisterMetaType<engine::EvalResult>();
    qRegisterMetaType<engine::RunRecord>();
    qRegisterMetaType<engine::RunEvent>();
    qRegisterMetaType<RunPoint>();
    qRegisterMetaType<std::shared_ptr<const engine::SampleGrid>>();
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &RunController::drain);
    connect(doc, &GraphDocument::changed, this, &RunController::onDocumentChanged);
}

RunController::~RunController() {
    stopAndJoin();  // a no-op when the derived destructor already did it
}

void RunController::stopAndJoin() {
    if (m_control) m_control->stop();
    if (m_thread.joinable()) m_thread.join();
}

void RunController::pause() {
    if (m_state != State::Running) return;
    m_control->pause();
    setState(State::Paused);
}

void RunController::resume() {
    if (m_state != State::Paused) return;
    m_control->resume();
    setState(State::Running);
}

void RunController::stop() {
    if (m_state != State::Running && m_state != State::Paused) return;
    m_control->stop();
    setState(State::Stopping);
}

void RunController::endNow(bool keep) {
    if (!isActive()) return;
    if (!keep) m_discardResult = true;
    if (m_control) m_control->stop();  // also wakes a paused run
    if (m_thread.joinable()) m_thread.join();
    drain();  // the run's last events, then finishRun() with its result
}

bool RunController::startRun(std::vector<std::shared_ptr<engine::RunHook>> hooks,
                             engine::RunOptions options, int64_t snapshotEverySteps) {
    if (isActive()) return false;
    const engine::TrainingConfig config = m_doc->training();
    engine::RecipeInputs inputs;
    const engine::TaskDef* task = nullptr;
    try {
        task = &engine::taskFor(config);
        inputs = engine::recipeInputsFor(m_doc->project());
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    inputs.snapshotEverySteps = snapshotEverySteps;
    hooks.insert(hooks.end(), m_extraHooks.begin(), m_extraHooks.end());
    const std::vector<std::string> roles = task->networkRoles();
    m_liveRole = roles.empty() ? std::string() : roles.front();
    m_last = engine::RunEvent{};
    m_healthMessage.clear();
    m_lastSnapshotMs = 0;
    const std::vector<std::string> groups = task->settingGroups();
    const bool validates = std::find(groups.begin(), groups.end(), "validation") != groups.end();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_result.reset();
        m_pending.clear();
        m_kept.clear();
    }
    m_engineStep.store(0);
    m_discardResult = false;
    m_runBegan = false;
    m_control = std::make_shared<engine::RunControl>();
    setState(State::Running);
    m_thread = std::thread([this, task, config, validates, control = m_control,
                            inputs = std::move(inputs), hooks = std::move(hooks),
                            options]() mutable {
        engine::RunRecord record;
        try {
            // Through the window's cache: the next run and the evaluation views reuse it.
            inputs.data = DataCache::instance().load(
                config.dataset, validates ? config.validationSplit : 0.0, config.seed);
            std::unique_ptr<engine::TrainingRecipe> recipe = task->makeRecipe(std::move(inputs));
            std::vector<std::shared_ptr<engine::RunHook>> all = engine::hooksFromSettings(*recipe);
            all.insert(all.end(), hooks.begin(), hooks.end());
            record = engine::runTraining(
                *recipe, *control, all, [this](const engine::RunEvent& ev) { post(ev); }, options,
                [this](std::map<std::string, engine::WeightSet>&& kept) {
                    std::lock_guard<std::mutex> lock(m_mutex);
                    m_kept = std::move(kept);
                });
        } catch (const std::exception& e) {  // the data could not be loaded
            record.started = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
            record.config = config;
            record.status = "failed";
            record.message = e.what();
            engine::RunEvent ev;
            ev.kind = engine::RunEvent::Kind::Failed;
            ev.message = e.what();
            post(ev);
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_result = std::move(record);
    });
    m_drainTimer.start();
    return true;
}

void RunController::post(const engine::RunEvent& ev) {
    if (ev.kind == engine::RunEvent::Kind::Step) m_engineStep.store(ev.step);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending.push_back(ev);
}

void RunController::drain() {
    std::vector<engine::RunEvent> events;
    bool done = false;
    {
        // Taken together: a finished run's last events are never left behind.
        std::lock_guard<std::mutex> lock(m_mutex);
        events.swap(m_pending);
        done = m_result.has_value();
    }
    for (const engine::RunEvent& ev : events)
        if (ev.kind == engine::RunEvent::Kind::Started)
            m_startNote = QString::fromStdString(ev.message);
    deliver(events, done);
    if (done) finishRun();
}

void RunController::deliver(const std::vector<engine::RunEvent>& events, bool done) {
    QVector<RunPoint> points;
    std::shared_ptr<const engine::WeightSet> snapshot;  // newest step weights not yet shown
    int64_t snapshotEpoch = 0;
    std::string alarm;
    auto flush = [&] {
        if (points.isEmpty()) return;
        emit stepsArrived(points, m_last);
        points.clear();
    };
    for (const engine::RunEvent& run : events) {
        using K = engine::RunEvent::Kind;
        switch (run.kind) {
            case K::Started:
                m_runBegan = true;
                m_last = run;
                emit runStarted(run.epochs, run.stepsPerEpoch);
                break;
            case K::Step:
                m_last = run;
                points.push_back(
                    {run.step, run.epoch, run.stepInEpoch, run.stepsPerEpoch, run.metrics});
                if (auto w = run.weightsOf(m_liveRole))
                    snapshot = std::move(w), snapshotEpoch = run.epoch;
                break;
            case K::Epoch:
                flush();
                m_last = run;
                emit epochFinished(run.record, run.validation);
                if (auto w = run.weightsOf(m_liveRole)) emit epochWeights(std::move(w), run.epoch);
                snapshot = nullptr;  // the epoch's weights are newer
                break;
            case K::Evaluating:
                flush();
                emit evaluating(QString::fromStdString(run.message));
                break;
            case K::Paused:  // a NaN/Inf loss (rolled back) or a hook such as the loss watch
                alarm = run.message;
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
    // Step snapshots, coalesced: the views redraw a few times per second at most.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (snapshot && !done && now - m_lastSnapshotMs >= 250) {
        m_lastSnapshotMs = now;
        emit epochWeights(snapshot, snapshotEpoch);
    }
    // The run waits for the user: the same Paused state as the Pause button, with the reason.
    if (!alarm.empty() && m_state == State::Running && !done) {
        m_healthMessage = QString::fromStdString(alarm);
        setState(State::Paused);
        emit healthPaused(m_healthMessage);
    }
}

bool RunController::clearAllWeights() {
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

void RunController::finishRun() {
    m_drainTimer.stop();
    if (m_thread.joinable()) m_thread.join();
    m_control.reset();
    engine::RunRecord record;
    std::map<std::string, engine::WeightSet> kept;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        record = std::move(*m_result);
        m_result.reset();
        kept.swap(m_kept);
    }
    setState(State::Idle);
    if (m_discardResult) return;  // the project it trained is gone
    // Refused before it began (the data, the settings or the graph did not fit): nothing ran, so
    // neither the run history nor the project changes; the message says why.
    if (record.status == "failed" && !m_runBegan) {
        emit failed(QString::fromStdString(record.message));
        return;
    }
    if (record.status != "failed") {
        const engine::TaskDef* task = engine::findTask(record.config.task);
        const std::vector<std::string> roles =
            task ? task->networkRoles() : std::vector<std::string>{};
        bool all = !roles.empty();
        for (const std::string& role : roles) all = all && !kept[role].empty();
        if (all && roles.size() == 1) {
            m_doc->putWeights(std::move(kept[roles.front()]));
        } else if (all) {
            const engine::Project& p = m_doc->project();
            for (const std::string& role : roles)
                for (size_t i = 0; i < p.networks.size(); ++i)
                    if (p.networks[i].role == role)
                        m_doc->setNetworkWeights(static_cast<int>(i), std::move(kept[role]));
        }
    }
    m_doc->appendRun(record);
    m_doc->markModified();
    if (record.status == "failed")
        emit failed(QString::fromStdString(record.message));
    else
        emit finished(record);
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
        if (m_control) m_control->stop();
        setState(State::Stopping);
    }
}

}  // namespace netloom::ui
