#include "engine/data/batch_source.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "engine/core/error.h"

namespace netloom::engine {

BatchSource::BatchSource(const Dataset& data, int64_t batchSize, TransformChain transforms,
                         BatchSourceOptions options)
    : m_data(data),
      m_batchSize(batchSize),
      m_options(options),
      m_transforms(std::move(transforms)) {
    if (batchSize < 1)
        throw Error("batch size must be at least 1, got " + std::to_string(batchSize));
    if (m_options.prefetch) m_thread = std::thread([this] { run(); });
}

BatchSource::~BatchSource() {
    if (!m_thread.joinable()) return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

bool BatchSource::slotFree(int k) const {
    const Slot& s = m_slots[k];
    return !s.filling && !s.ready && m_inUse != k;
}

void BatchSource::start(const std::vector<int64_t>& order) {
    std::unique_lock lock(m_mutex);
    // The filler reads m_order without the lock: wait until it is idle.
    m_cv.wait(lock, [&] { return !m_slots[0].filling && !m_slots[1].filling; });
    m_order = order;
    const auto count = static_cast<int64_t>(m_order.size());
    m_batches = m_options.dropLast ? count / m_batchSize : (count + m_batchSize - 1) / m_batchSize;
    m_nextFill = 0;
    m_nextTake = 0;
    m_inUse = -1;
    for (Slot& s : m_slots) {
        s.ready = false;
        s.batch.index = -1;
        s.error = nullptr;
    }
    lock.unlock();
    m_cv.notify_all();
}

std::vector<std::string> BatchSource::transformStates() {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return !m_slots[0].filling && !m_slots[1].filling; });
    return m_transforms.generatorStates();
}

void BatchSource::restoreTransformStates(const std::vector<std::string>& states) {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return !m_slots[0].filling && !m_slots[1].filling; });
    m_transforms.restoreGeneratorStates(states);
}

void BatchSource::fill(Slot& s, int64_t b) {
    const int64_t begin = b * m_batchSize;
    const int64_t n = std::min(m_batchSize, static_cast<int64_t>(m_order.size()) - begin);
    Batch& batch = s.batch;
    s.error = nullptr;
    try {
        m_data.fillBatch(m_order.data() + begin, n, batch.x,
                         m_options.withTargets ? &batch.y : nullptr);
        batch.hasTransformed = !m_transforms.empty();
        if (batch.hasTransformed) {
            batch.transformed.resize(batch.x.dims());
            std::memcpy(batch.transformed.data(), batch.x.data(),
                        static_cast<size_t>(batch.x.size()) * sizeof(float));
            m_transforms.apply(batch.transformed);
        }
    } catch (...) {
        s.error = std::current_exception();
    }
}

const Batch* BatchSource::next() {
    if (!m_options.prefetch) {  // synchronous: fill on the caller's thread, always slot 0
        if (m_nextTake >= m_batches) return nullptr;
        Slot& s = m_slots[0];
        s.batch.index = m_nextTake;
        fill(s, m_nextTake++);
        if (s.error) std::rethrow_exception(s.error);
        return &s.batch;
    }
    std::unique_lock lock(m_mutex);
    if (m_inUse >= 0) {  // the consumer is done with the previous batch: its slot is free again
        m_slots[m_inUse].ready = false;
        m_inUse = -1;
        m_cv.notify_all();
    }
    if (m_nextTake >= m_batches) return nullptr;
    const int k = static_cast<int>(m_nextTake % 2);
    Slot& s = m_slots[k];
    m_cv.wait(lock, [&] { return s.ready && s.batch.index == m_nextTake; });
    m_inUse = k;
    ++m_nextTake;
    if (s.error) std::rethrow_exception(s.error);
    return &s.batch;
}

void BatchSource::run() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_cv.wait(lock, [&] {
            return m_stop || (m_nextFill < m_batches && slotFree(static_cast<int>(m_nextFill % 2)));
        });
        if (m_stop) return;
        const int64_t b = m_nextFill++;
        Slot& s = m_slots[b % 2];
        s.filling = true;
        s.batch.index = b;
        lock.unlock();
        fill(s, b);
        lock.lock();
        s.filling = false;
        s.ready = true;
        m_cv.notify_all();
    }
}

EpochOrder::EpochOrder(int64_t count, uint64_t seed) : m_rng(seed) {
    if (count < 0) throw Error("a dataset cannot have a negative number of samples");
    m_order = sequentialOrder(count);
}

const std::vector<int64_t>& EpochOrder::next() {
    std::shuffle(m_order.begin(), m_order.end(), m_rng.generator());
    return m_order;
}

std::vector<int64_t> sequentialOrder(int64_t count) {
    std::vector<int64_t> order(static_cast<size_t>(std::max<int64_t>(count, 0)));
    std::iota(order.begin(), order.end(), int64_t{0});
    return order;
}

}  // namespace netloom::engine
