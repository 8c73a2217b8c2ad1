#pragma once
// The GAN score's default classifier: trained once from the fashion-cnn sample and cached, so
// `netloom eval` and the window's evaluation tab score GANs without being given a classifier.
#include <functional>
#include <string>

#include "engine/train/run_event.h"

namespace netloom::engine {

// The default scoring classifier: samples/fashion-cnn trained to its lowest held-out
// cross-entropy, so that p(y|x) is as well calibrated as the network gets (the score reads
// probabilities, not just the arg-max). 10% of the training set is held out, training stops
// after `patience` epochs without a lower validation loss (at most maxEpochs) and keeps the best
// epoch. `netloom eval` trains it once and caches it under `cacheName` in the XDG cache folder;
// the GUI's evaluation panel picks it up from there. The same classifier from the command line:
//   netloom train samples/fashion-cnn.netloom --epochs 15 --validation-split 0.1 --early-stopping 2
struct ScorerTrainingRule {
    static constexpr double validationSplit = 0.1;
    static constexpr int64_t maxEpochs = 15;
    static constexpr int64_t patience = 2;
    static constexpr const char* cacheName = "fashion-cnn-scorer.netloom";
};

// $XDG_CACHE_HOME/netloom/<cacheName>, else ~/.cache/netloom/<cacheName>; throws Error when
// neither variable is set.
std::string defaultScorerPath();

// Trains the fashion-cnn project at `samplePath` by ScorerTrainingRule (threads: 0 = the
// project's) and saves it, with its run, at `path` (atomically, creating the folder). Events go
// to onEvent on this thread; when keepGoing (optional) returns false the run stops within a
// batch. Throws Error naming the sample when it cannot be read, training fails or was stopped.
void trainDefaultScorer(const std::string& samplePath, const std::string& path, int threads,
                        const std::function<void(const RunEvent&)>& onEvent,
                        const std::function<bool()>& keepGoing = {});

}  // namespace netloom::engine
