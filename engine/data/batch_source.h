#pragma once
// The training loop's batches: samples gathered in a given order, converted to float and passed
// through the run's transforms, prepared one batch ahead on a helper thread while the current
// batch computes (double buffering). Filling and transforming are plain memory work, never
// oneDNN (its primitives stay on the training thread). Batches come in order and their values
// do not depend on the thread: a prefetching source yields exactly what a synchronous one does.
//
//     BatchSource source(train, batchSize, TransformChain(specs, seed));
//     for each epoch: source.start(order);
//         while (const Batch* b = source.next()) { forward(b->input()); loss against b->x / b->y }
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/rng.h"
#include "engine/core/tensor.h"
#include "engine/data/dataset.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

struct Batch {
    Tensor x;            // the samples as the dataset holds them (reconstruction's target)
    Tensor y;            // class indices {n} or targets {n, k}; empty without targets
    Tensor transformed;  // x after the transforms, when there are any
    bool hasTransformed = false;
    int64_t index = -1;  // position in the epoch, from 0

    int64_t size() const { return x.batch(); }
    // What the network sees: the transformed batch, or x when there are no transforms.
    const Tensor& input() const { return hasTransformed ? transformed : x; }
};

struct BatchSourceOptions {
    bool withTargets = true;  // also fill y (see Dataset::fillBatch)
    bool dropLast = true;     // leave out a final partial batch (training); else it comes last
    bool prefetch = true;     // prepare the next batch on a helper thread
};

class BatchSource {
public:
    // Throws Error for batchSize < 1. The dataset must outlive the source and not change.
    // Transforms (training only: give none for validation or test data) run in batch order.
    BatchSource(const Dataset& data, int64_t batchSize, TransformChain transforms = {},
                BatchSourceOptions options = {});
    ~BatchSource();  // stops and joins the helper thread
    BatchSource(const BatchSource&) = delete;
    BatchSource& operator=(const BatchSource&) = delete;

    // Begins an epoch over these sample indices (copied), dropping whatever was prepared (a
    // restarted epoch begins again at its first batch).
    void start(const std::vector<int64_t>& order);
    // The next batch, or null at the epoch's end. Valid until the next next() or start().
    // Rethrows an error raised while filling it.
    const Batch* next();

    int64_t batchSize() const { return m_batchSize; }
    int64_t batchCount() const { return m_batches; }
    bool hasTransforms() const { return !m_transforms.empty(); }
    // The transforms' generator states (TransformChain::generatorStates), for checkpoints.
    // Call between epochs (after an epoch's last batch was taken, or before the first start()):
    // they wait until the helper is idle, and mid-epoch the helper may have drawn for a batch
    // the consumer has not taken yet. restore throws Error like the chain's.
    std::vector<std::string> transformStates();
    void restoreTransformStates(const std::vector<std::string>& states);

private:
    struct Slot {
        Batch batch;
        bool filling = false;
        bool ready = false;
        std::exception_ptr error;
    };
    void fill(Slot& slot, int64_t b);
    void run();
    bool slotFree(int k) const;

    const Dataset& m_data;
    const int64_t m_batchSize;
    const BatchSourceOptions m_options;
    TransformChain m_transforms;  // used by one filler at a time, in batch order
    std::mutex m_mutex;
    std::condition_variable m_cv;
    Slot m_slots[2];
    std::vector<int64_t> m_order;  // written only while no slot is filling
    int64_t m_batches = 0;
    int64_t m_nextFill = 0, m_nextTake = 0;
    int m_inUse = -1;  // slot held by the consumer
    bool m_stop = false;
    std::thread m_thread;  // last: starts after the members above exist
};

// The training order of the samples, reshuffled at every epoch from one seeded generator (the
// sequence depends on the seed and the number of epochs drawn so far).
class EpochOrder {
public:
    // Throws Error for count < 0.
    EpochOrder(int64_t count, uint64_t seed);
    // Shuffles and returns the order of the next epoch.
    const std::vector<int64_t>& next();
    const std::vector<int64_t>& current() const { return m_order; }

private:
    std::vector<int64_t> m_order;
    Rng m_rng;
};

// 0, 1, ..., count-1: the order of evaluation passes.
std::vector<int64_t> sequentialOrder(int64_t count);

}  // namespace netloom::engine
