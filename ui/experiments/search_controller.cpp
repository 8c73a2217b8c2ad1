#include "ui/experiments/search_controller.h"

#include <QMetaObject>

namespace netloom::ui {

SearchController::SearchController(QObject* parent) : QObject(parent) {}

SearchController::~SearchController() {
    stop();
    if (m_thread.joinable()) m_thread.join();
}

void SearchController::start(const engine::Project& project, const engine::SearchRecord& record,
                             const engine::SearchBudget& budget, const QString& storePath) {
    if (isRunning()) return;
    join();
    m_control = std::make_shared<engine::SearchControl>();
    m_done = false;
    m_active = true;
    const std::string store = storePath.toStdString();
    m_thread = std::thread([this, project, record, budget, store, control = m_control] {
        // Events cross to the GUI thread as queued calls carrying copies.
        auto post = [this](auto f) { QMetaObject::invokeMethod(this, f, Qt::QueuedConnection); };
        engine::SearchCallbacks cb;
        cb.trialStarted = [&](const engine::Trial& t) {
            post([this, t] { emit trialStarted(t); });
        };
        cb.epochEnded = [&](const engine::Trial& t) { post([this, t] { emit epochEnded(t); }); };
        cb.trialEnded = [&](const engine::Trial& t) { post([this, t] { emit trialEnded(t); }); };
        try {
            const engine::SearchOutcome out = engine::runSearch(
                project, record, budget, *control,
                [&](const engine::SearchRecord& r) {
                    if (!store.empty()) engine::TrialStore(store).save(r);
                },
                cb);
            const QString reason = QString::fromStdString(out.endReason);
            m_done = true;
            post([this, reason] {
                m_active = false;
                emit finished(reason);
            });
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            m_done = true;
            post([this, message] {
                m_active = false;
                emit failed(message);
            });
        }
    });
}

void SearchController::stop() {
    if (m_control) m_control->stop();
}

void SearchController::join() {
    if (m_thread.joinable() && m_done) m_thread.join();  // returns at once: the worker ended
}

}  // namespace netloom::ui
