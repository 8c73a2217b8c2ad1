#include "engine/data/batcher.h"

#include <algorithm>
#include <numeric>

#include "engine/core/error.h"
#include "engine/core/rng.h"

namespace netloom::engine {

namespace {
constexpr uint64_t kShuffleSalt = 0x73687566666c65ull;  // "shuffle"
}

Batcher::Batcher(int64_t count, int64_t batchSize, bool shuffle, bool dropLast, uint64_t seed)
    : m_count(count),
      m_batchSize(batchSize),
      m_shuffle(shuffle),
      m_dropLast(dropLast),
      m_seed(seed) {
    if (count < 0) throw Error("batcher: negative sample count");
    if (batchSize < 1)
        throw Error("batch size must be at least 1, got " + std::to_string(batchSize));
    m_order.resize(static_cast<size_t>(count));
    beginEpoch(0);
}

void Batcher::beginEpoch(int64_t epoch) {
    m_epoch = epoch;
    std::iota(m_order.begin(), m_order.end(), int64_t{0});
    if (!m_shuffle) return;
    // Start from the identity each time: the order depends on (seed, epoch) only.
    Rng rng = Rng(m_seed).derive(kShuffleSalt).derive(static_cast<uint64_t>(epoch));
    std::shuffle(m_order.begin(), m_order.end(), rng.generator());
}

int64_t Batcher::batchCount() const {
    return m_dropLast ? m_count / m_batchSize : (m_count + m_batchSize - 1) / m_batchSize;
}

std::span<const int64_t> Batcher::batch(int64_t b) const {
    if (b < 0 || b >= batchCount()) {
        throw Error("batch " + std::to_string(b) + " is out of range (an epoch has " +
                    std::to_string(batchCount()) + " batches)");
    }
    const int64_t start = b * m_batchSize;
    const int64_t n = std::min(m_batchSize, m_count - start);
    return {m_order.data() + start, static_cast<size_t>(n)};
}

BatchPrefetcher::BatchPrefetcher(const Dataset& data, bool withTargets)
    : m_data(data), m_withTargets(withTargets), m_thread([this] { run(); }) {}

BatchPrefetcher::~BatchPrefetcher() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

bool BatchPrefetcher::slotFree(int k) const {
    const Slot& s = m_slots[k];
    return !s.filling && !s.ready && m_inUse != k;
}

void BatchPrefetcher::start(const Batcher& batcher) {
    std::unique_lock lock(m_mutex);
    // The worker reads m_order without the lock while it fills: wait until it is idle.
    m_cv.wait(lock, [&] { return !m_slots[0].filling && !m_slots[1].filling; });
    m_order = batcher.order();
    m_batchSize = batcher.batchSize();
    m_batches = batcher.batchCount();
    m_nextFill = 0;
    m_nextTake = 0;
    m_inUse = -1;
    for (Slot& s : m_slots) {
        s.ready = false;
        s.batch = -1;
        s.error = nullptr;
    }
    lock.unlock();
    m_cv.notify_all();
}

bool BatchPrefetcher::next(const Tensor*& x, const Tensor*& y) {
    std::unique_lock lock(m_mutex);
    if (m_inUse >= 0) {  // the consumer is done with the previous batch: its slot is free again
        m_slots[m_inUse].ready = false;
        m_inUse = -1;
        m_cv.notify_all();
    }
    x = nullptr;
    y = nullptr;
    if (m_nextTake >= m_batches) return false;
    const int k = static_cast<int>(m_nextTake % 2);
    Slot& s = m_slots[k];
    m_cv.wait(lock, [&] { return s.ready && s.batch == m_nextTake; });
    m_inUse = k;
    ++m_nextTake;
    if (s.error) std::rethrow_exception(s.error);
    x = &s.x;
    y = m_withTargets ? &s.y : nullptr;
    return true;
}

void BatchPrefetcher::run() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_cv.wait(lock, [&] {
            return m_stop || (m_nextFill < m_batches && slotFree(static_cast<int>(m_nextFill % 2)));
        });
        if (m_stop) return;
        const int64_t b = m_nextFill++;
        Slot& s = m_slots[b % 2];
        s.filling = true;
        s.batch = b;
        s.error = nullptr;
        const int64_t begin = b * m_batchSize;
        const int64_t n = std::min(m_batchSize, static_cast<int64_t>(m_order.size()) - begin);
        const int64_t* indices = m_order.data() + begin;
        lock.unlock();
        std::exception_ptr error;
        try {
            m_data.fillBatch(indices, n, s.x, m_withTargets ? &s.y : nullptr);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        s.filling = false;
        s.ready = true;
        s.error = error;
        m_cv.notify_all();
    }
}

}  // namespace netloom::engine
