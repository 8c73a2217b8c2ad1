#pragma once
// Pause, resume and stop for a run on a worker thread: any thread may call them; the training
// loop calls waitWhilePaused() before each batch, so they take effect within one batch.
#include <atomic>
#include <condition_variable>
#include <mutex>

namespace netloom::engine {

class RunControl {
public:
    void pause() { m_paused.store(true); }
    void resume() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_paused.store(false);
        }
        m_cv.notify_all();
    }
    void stop() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop.store(true);
        }
        m_cv.notify_all();
    }
    bool isPaused() const { return m_paused.load(); }
    // Blocks while paused; false when the run was stopped.
    bool waitWhilePaused() {
        if (m_paused.load()) {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_cv.wait(lock, [&] { return !m_paused.load() || m_stop.load(); });
        }
        return !m_stop.load();
    }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

}  // namespace netloom::engine
