#pragma once
// Runs a hyperparameter search (engine::runSearch) on a worker thread for the window: the
// trials arrive as queued signals on the GUI thread, Stop ends the running trial (not kept),
// and the trials go to the project's sidecar file after each one when the project has a path.
#include <QObject>
#include <QString>
#include <memory>
#include <thread>

#include "engine/project/project.h"
#include "engine/search/search_runner.h"
#include "engine/search/trial_store.h"

namespace netloom::ui {

class SearchController : public QObject {
    Q_OBJECT
public:
    explicit SearchController(QObject* parent = nullptr);
    ~SearchController() override;  // stops and joins a running search

    // From start() until finished() or failed() is delivered on the GUI thread (so every
    // trial signal has arrived by then).
    bool isRunning() const { return m_active; }
    // Starts unless one runs; `storePath` empty: trials are not written anywhere.
    void start(const engine::Project& project, const engine::SearchRecord& record,
               const engine::SearchBudget& budget, const QString& storePath);
    void stop();
    // Joins the worker after finished()/failed() (called by the view; safe when none ran).
    void join();

signals:
    void trialStarted(const engine::Trial& trial);
    void epochEnded(const engine::Trial& trial);
    void trialEnded(const engine::Trial& trial);
    void finished(const QString& reason);
    void failed(const QString& message);  // the space was refused, or the store not writable

private:
    std::thread m_thread;
    std::shared_ptr<engine::SearchControl> m_control;
    std::atomic<bool> m_done{true};  // the worker has nothing more to do
    bool m_active = false;           // GUI thread only
};

}  // namespace netloom::ui
