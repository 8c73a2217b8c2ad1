#pragma once
// The figures of a project's trained weights that `netloom eval` prints and the GUI's
// evaluation panel shows (one computation for both). Reconstruction: test-set MSE and BCE.
// GAN: the classifier score (metrics/classifier_score.h) of generated samples beside that of
// real test images, by a trained 10-class 28×28 classifier project. Each call builds its own
// Models, so it runs on any one thread (the GUI calls it from a worker thread).
#include <cstdint>
#include <memory>
#include <string>

#include "engine/data/dataset.h"
#include "engine/project/project.h"
#include "engine/metrics/classifier_score.h"
#include "engine/infer/inference_session.h"

namespace netloom::engine {

struct ReconstructionScores {
    double mse = 0, bce = 0;
    int64_t samples = 0;
};

// The network's weights on the test set of config's dataset (loaded when data is null).
// Throws Error naming `source` when there are no weights, they do not fit, or the network does
// not fit the data.
ReconstructionScores evaluateReconstruction(const Network& network, const TrainingConfig& config,
                                            std::shared_ptr<const DataSplit> data = nullptr,
                                            const std::string& source = "the project");

// A trained classifier project, ready to score images.
struct ScoreClassifier {
    std::string path;
    Project project;
    // Gives class probabilities; used on the thread that loaded it.
    std::unique_ptr<InferenceSession> session;
};

// Throws Error naming the path when it cannot be read, is not a 10-class classifier of 28×28
// images, or has no trained weights (or they do not fit).
ScoreClassifier loadScoreClassifier(const std::string& path);

struct GanScores {
    ClassifierScore generated, real;
    int64_t generatedSamples = 0, realSamples = 0;
    double ratio = 0;  // generated.score / real.score
};

inline constexpr int64_t kGanScoreSamples = 1000;

// Scores `samples` generated images (fixed noise from the project's seed) and as many real test
// images. Throws Error naming `source` when the generator has no weights or does not make
// 28×28 images.
GanScores evaluateGan(const Project& project, ScoreClassifier& classifier,
                      int64_t samples = kGanScoreSamples,
                      const std::string& source = "the project");

}  // namespace netloom::engine
