#pragma once
// Index batches over a dataset, and a helper thread that prepares the next batch while the
// current one trains. Neither touches oneDNN: filling a batch is plain memory work, so it may
// run on any thread (oneDNN primitives must stay on the training thread).
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/data/dataset.h"

namespace netloom::engine {

class Batcher {
public:
    // count samples in batches of batchSize. shuffle: each epoch has its own random order, a
    // function of (seed, epoch) only, so the same seed replays the same run. dropLast: leave out
    // the final partial batch (training, like the PyTorch peer's n // bs batches); otherwise it
    // comes last and is smaller (evaluation). Throws netloom::Error for batchSize < 1 or count < 0.
    Batcher(int64_t count, int64_t batchSize, bool shuffle, bool dropLast, uint64_t seed = 0);
    static Batcher training(int64_t count, int64_t batchSize, uint64_t seed) {
        return Batcher(count, batchSize, true, true, seed);
    }
    static Batcher evaluation(int64_t count, int64_t batchSize) {
        return Batcher(count, batchSize, false, false);
    }

    // Arranges the order for an epoch (any number; epochs need not come in sequence).
    // The constructor arranges epoch 0.
    void beginEpoch(int64_t epoch);

    int64_t count() const { return m_count; }
    int64_t batchSize() const { return m_batchSize; }
    int64_t epoch() const { return m_epoch; }
    int64_t batchCount() const;
    // Sample indices of batch b (0 <= b < batchCount()) of the current epoch.
    std::span<const int64_t> batch(int64_t b) const;
    // All sample indices of the current epoch in order (including a dropped tail).
    const std::vector<int64_t>& order() const { return m_order; }

private:
    int64_t m_count, m_batchSize;
    bool m_shuffle, m_dropLast;
    uint64_t m_seed;
    int64_t m_epoch = 0;
    std::vector<int64_t> m_order;
};

// Fills batches {x, y} on a background thread, one batch ahead of the consumer (double
// buffering). Usage per epoch:
//     batcher.beginEpoch(e); prefetcher.start(batcher);
//     while (prefetcher.next(x, y)) { train on *x, *y }
// The dataset must outlive the prefetcher and must not change while it runs.
class BatchPrefetcher {
public:
    // withTargets: also fill y (class labels or regression targets, see Dataset::fillBatch).
    explicit BatchPrefetcher(const Dataset& data, bool withTargets = true);
    ~BatchPrefetcher();  // stops and joins the thread
    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    // Starts on the batches of the batcher's current epoch (the order is copied), dropping
    // whatever was prepared before.
    void start(const Batcher& batcher);
    // Waits for the next batch. Returns false when the epoch has no more batches. The tensors
    // stay valid until the next call of next() or start(). Rethrows an error raised while
    // filling this batch. y is null when withTargets is false.
    bool next(const Tensor*& x, const Tensor*& y);

private:
    struct Slot {
        Tensor x, y;
        int64_t batch = -1;
        bool filling = false;
        bool ready = false;
        std::exception_ptr error;
    };
    void run();
    bool slotFree(int k) const;

    const Dataset& m_data;
    const bool m_withTargets;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    Slot m_slots[2];
    std::vector<int64_t> m_order;  // written only while no slot is filling
    int64_t m_batchSize = 1, m_batches = 0;
    int64_t m_nextFill = 0, m_nextTake = 0;
    int m_inUse = -1;  // slot held by the consumer
    bool m_stop = false;
    std::thread m_thread;  // last: starts after the members above exist
};

}  // namespace netloom::engine
