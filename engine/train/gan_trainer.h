#pragma once
// Trains a GAN (task "adversarial"): the adversarial recipe (adversarial_recipe.h) on the one
// run skeleton (run_loop.h). Same contract as Trainer: run() works on the calling thread;
// pause(), resume() and stop() may be called from any thread and take effect within one
// iteration; the same config and seed give the same run; problems (including a NaN loss, named
// by its step) end the run with a Failed event and status "failed", never an exception.
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/graph/graph.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/run_control.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"

namespace netloom::engine {

class GanTrainer {
public:
    // Initial weights: continue from these (e.g. the project's); empty = fresh initialization.
    GanTrainer(Graph generator, Graph discriminator, TrainingConfig config,
               WeightSet generatorWeights = {}, WeightSet discriminatorWeights = {});
    ~GanTrainer();

    // Optional: data already loaded; its images should be scaled like config.dataset.scaling
    // ("signed" for a Tanh generator).
    void setData(std::shared_ptr<const DataSplit> data) { m_data = std::move(data); }
    // Further hooks (before run()), called after the trainer's own.
    void addHook(std::shared_ptr<RunHook> hook) { m_hooks.push_back(std::move(hook)); }

    // Trains; events go to onEvent on this thread: "d_loss", "g_loss", "d_real_accuracy",
    // "d_fake_accuracy"; the fixed-noise sample grid (every GanConfig::sampleEvery steps, after
    // each epoch, at the end); after each epoch the "generator" weights (the averaged ones when
    // GanConfig::generatorAverage is on, and then also the last step's as "generator (trained)").
    RunRecord run(const RunEventCallback& onEvent);

    void pause() { m_control.pause(); }
    void resume() { m_control.resume(); }
    void stop() { m_control.stop(); }
    bool isPaused() const { return m_control.isPaused(); }
    // Changes the generator's learning rate from the next iteration on.
    void setLearningRate(double lr) { m_lrChange->request(lr); }

    // Weights reached at the end of the run (finished or stopped); empty if it failed before
    // training or diverged (NaN), so callers keep their previous weights.
    WeightSet generatorWeights() const;
    WeightSet discriminatorWeights() const;

private:
    Graph m_generator, m_discriminator;
    TrainingConfig m_config;
    WeightSet m_initialG, m_initialD;
    std::shared_ptr<const DataSplit> m_data;

    RunControl m_control;
    std::shared_ptr<LearningRateChange> m_lrChange = std::make_shared<LearningRateChange>();
    std::vector<std::shared_ptr<RunHook>> m_hooks;

    mutable std::mutex m_resultMutex;
    WeightSet m_finalG, m_finalD;
};

// Checks the pair against the data: the discriminator's input takes the dataset's samples.
// Throws Error with advice (also runs checkGanGraphs).
void checkGanFitsData(const Graph& generator, const Graph& discriminator, const Dataset& train);

}  // namespace netloom::engine
