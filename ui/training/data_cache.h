#pragma once
// Datasets loaded by the window, shared by the training runs and the evaluation views: the last
// split loaded stays in memory, so a second run, the test-image gallery and "pick a test image"
// do not read and decompress the files again. Thread-safe: the training thread loads through
// it, and the views ask through a DataLoader, which never blocks the event loop.
#include <QObject>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/data/dataset.h"

namespace netloom::ui {

class DataCache {
public:
    static DataCache& instance();

    // Loads (or returns the cached) split for these settings. Blocking; throws netloom::Error
    // like engine::loadData. A file changed on disk since it was loaded is read again.
    std::shared_ptr<const engine::DataSplit> load(const engine::DatasetConfig& config,
                                                  double validationSplit, uint64_t seed);
    // The cached split, or null when it is not loaded (never blocks on a load in progress).
    std::shared_ptr<const engine::DataSplit> cached(const engine::DatasetConfig& config,
                                                    double validationSplit, uint64_t seed);
    void clear();

private:
    static std::string keyFor(const engine::DatasetConfig& config, double validationSplit,
                              uint64_t seed);
    std::mutex m_mutex;
    std::mutex m_loadMutex;  // one load at a time: a second caller waits and then hits the cache
    std::string m_key;
    std::shared_ptr<const engine::DataSplit> m_split;
};

// Loads through the cache on a worker thread and reports on the GUI thread; only the newest
// request is reported. The destructor waits for loads still running.
class DataLoader : public QObject {
    Q_OBJECT
public:
    explicit DataLoader(QObject* parent = nullptr) : QObject(parent) {}
    ~DataLoader() override;
    // Emits loaded() at once when the split is cached, else later.
    void request(const engine::DatasetConfig& config, double validationSplit, uint64_t seed);
    bool isLoading() const { return m_pending > 0; }

signals:
    void loaded(std::shared_ptr<const netloom::engine::DataSplit> split);
    void failed(const QString& message);

private:
    std::vector<std::thread> m_threads;
    int m_generation = 0;
    int m_pending = 0;
};

}  // namespace netloom::ui
