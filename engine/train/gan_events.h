#pragma once
// GanTrainer's event: RunEvent (run_event.h) seen with the adversarial task's figures as
// fields, for the code written against it (toGanEvent converts). Plain values only.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/shape.h"
#include "engine/project/project.h"
#include "engine/train/run_event.h"

namespace netloom::engine {

struct GanMetrics {
    double dLoss = 0;          // BCE(D(x), 1) + BCE(D(G(z)), 0), summed as the PyTorch peer does
    double gLoss = 0;          // BCE(D(G(z)), 1): the non-saturating generator loss
    double dRealAccuracy = 0;  // share of real samples D calls real (logit > 0)
    double dFakeAccuracy = 0;  // share of generated samples D calls fake (logit < 0)
};

// Generator samples from the run's fixed noise batch (fixedNoise() in gan.h), drawn in inference
// mode: the same noise after every refresh, so the grid shows the generator learning.
using GanSampleGrid = SampleGrid;

struct GanEvent {
    enum class Kind { Started, Iteration, Epoch, Finished, Stopped, Failed };
    Kind kind = Kind::Iteration;
    int64_t epoch = 0;  // 1-based
    int64_t epochs = 0;
    int64_t iteration = 0;  // 1-based within the epoch (one iteration = k D steps + 1 G step)
    int64_t iterationsPerEpoch = 0;
    int64_t step = 0;                // global iteration counter over the run
    GanMetrics metrics;              // Iteration: this iteration's; Epoch: the epoch's means
    double iterationsPerSecond = 0;  // training iterations only (grids and events excluded)
    double elapsedSeconds = 0;
    bool hasSamples = false;  // Iteration every GanConfig::sampleEvery steps, Epoch, Finished,
    GanSampleGrid samples;    // Stopped (the grid of the weights reached)
    EpochRecord record;       // Epoch: as saved in the run history (metrics by name)
    // Epoch: a copy of the generator's weights after the epoch (for per-epoch quality scores):
    // the averaged weights when GanConfig::generatorAverage is on, and then also the last
    // step's in trainedGeneratorWeights (else null).
    std::shared_ptr<const WeightSet> generatorWeights, trainedGeneratorWeights;
    // Failed/Stopped: what happened, for the user. Started: the layers that start from fresh
    // weights (added or changed since training), or empty.
    std::string message;
};

// The adversarial view of a run event ("d_loss", "g_loss", "d_real_accuracy",
// "d_fake_accuracy"; the "generator" and "generator (trained)" weights; the sample grid).
GanEvent toGanEvent(const RunEvent& e);

}  // namespace netloom::engine
