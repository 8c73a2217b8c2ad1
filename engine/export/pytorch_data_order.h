#pragma once
// NetLoom's batch order for the exported script: order.nlw holds, for every epoch of the run,
// the permutation of the training set NetLoom walks (the supervised and sequence recipes'
// EpochOrder, seeded from the run's seed). The script trains on the same global batches in the
// same order — split across processes under torchrun — so a run in PyTorch and a run in
// NetLoom differ only by arithmetic, not by which samples meet in a batch (a 2-epoch
// fashion-cnn moves by ±0.5% with the order alone: docs/performance.md).
#include <cstdint>
#include <string>

namespace netloom::engine {

// Writes `path` with one tensor "order" {epochs, count} (sample indices as float32, exact below
// 2^24). Returns false, writing nothing, when the file would be too large to be worth it
// (above 2^24 entries in all) or the indices would not be exact; throws Error when it cannot
// write.
bool writeDataOrder(const std::string& path, int64_t count, int64_t epochs, uint64_t seed);

}  // namespace netloom::engine
