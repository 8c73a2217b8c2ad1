#include "ui/training/data_cache.h"

#include <QFileInfo>
#include <QMetaObject>

#include "engine/settings/settings.h"

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

// Derived from the settings schema's data settings (the dataset group, the validation split
// and the seed), plus the size and time of every file they name.
std::string DataCache::keyFor(const engine::DatasetConfig& c, double validationSplit,
                              uint64_t seed) {
    engine::TrainingConfig t;
    t.dataset = c;
    t.validationSplit = validationSplit;
    t.seed = seed;
    std::string key = engine::dataKey(t);
    for (const engine::SettingDef* d : engine::dataSettings())
        if (d->spec.type == engine::SettingType::Path)
            key += "|" + fileStamp(std::get<std::string>(d->get(t)));
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
