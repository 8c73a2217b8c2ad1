#include "ui/training/data_cache.h"

#include <QFileInfo>
#include <QMetaObject>

namespace netloom::ui {

namespace {

// Size and modification time of the files a config reads, so edits on disk invalidate.
std::string fileStamp(const std::string& path) {
    if (path.empty()) return "-";
    const QFileInfo info(QString::fromStdString(path));
    return path + "@" + std::to_string(info.size()) + ":" +
           std::to_string(info.lastModified().toMSecsSinceEpoch());
}

}  // namespace

DataCache& DataCache::instance() {
    static DataCache cache;
    return cache;
}

std::string DataCache::keyFor(const engine::DatasetConfig& c, double validationSplit,
                              uint64_t seed) {
    std::string key = c.kind + "|" + c.synthetic + "|" + std::to_string(c.syntheticSamples) + "|" +
                      std::to_string(c.syntheticNoise) + "|" + std::to_string(c.testFraction) +
                      "|" + c.csvTarget + "|" + std::to_string(c.limitTrain) + "|" +
                      std::to_string(c.limitTest) + "|" + c.scaling + "|" +
                      std::to_string(validationSplit) + "|" + std::to_string(seed);
    for (const std::string* path :
         {&c.trainImages, &c.trainLabels, &c.testImages, &c.testLabels, &c.csvPath})
        key += "|" + fileStamp(*path);
    if (c.kind == "fashion-mnist") key += "|" + engine::fashionMnistDir();
    return key;
}

std::shared_ptr<const engine::DataSplit> DataCache::cached(const engine::DatasetConfig& config,
                                                           double validationSplit, uint64_t seed) {
    const std::string key = keyFor(config, validationSplit, seed);
    std::lock_guard<std::mutex> lock(m_mutex);
    return key == m_key ? m_split : nullptr;
}

std::shared_ptr<const engine::DataSplit> DataCache::load(const engine::DatasetConfig& config,
                                                         double validationSplit, uint64_t seed) {
    std::lock_guard<std::mutex> loading(m_loadMutex);
    if (auto hit = cached(config, validationSplit, seed)) return hit;
    auto split =
        std::make_shared<const engine::DataSplit>(engine::loadData(config, validationSplit, seed));
    std::lock_guard<std::mutex> lock(m_mutex);
    m_key = keyFor(config, validationSplit, seed);
    m_split = split;
    return split;
}

void DataCache::clear() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_key.clear();
    m_split.reset();
}

DataLoader::~DataLoader() {
    for (std::thread& t : m_threads)
        if (t.joinable()) t.join();
}

void DataLoader::request(const engine::DatasetConfig& config, double validationSplit,
                         uint64_t seed) {
    const int generation = ++m_generation;
    if (auto split = DataCache::instance().cached(config, validationSplit, seed)) {
        emit loaded(split);
        return;
    }
    ++m_pending;
    m_threads.emplace_back([this, config, validationSplit, seed, generation] {
        std::shared_ptr<const engine::DataSplit> split;
        QString error;
        try {
            split = DataCache::instance().load(config, validationSplit, seed);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        // `this` outlives the thread (the destructor joins); a call still queued when it is
        // deleted is dropped by Qt.
        QMetaObject::invokeMethod(
            this,
            [this, split, error, generation] {
                --m_pending;
                if (generation != m_generation) return;  // a newer request superseded it
                if (split)
                    emit loaded(split);
                else
                    emit failed(error);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace netloom::ui
