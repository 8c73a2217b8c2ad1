#pragma once
// Trains a GAN (task "adversarial"): per iteration GanConfig::discriminatorSteps D steps, each on
// a fresh real batch and fresh noise, then one G step on the last D step's generated batch (see
// gan_session.h for the steps). Same contract as Trainer: run() works on the calling thread;
// pause(), resume() and stop() may be called from any thread and take effect within one
// iteration; the same config and seed give the same run; problems (including a NaN loss, named
// by its step) end the run with a Failed event and status "failed", never an exception.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "engine/data/dataset.h"
#include "engine/graph/graph.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/gan_events.h"
#include "engine/train/run_control.h"

namespace netloom::engine {

class GanTrainer {
public:
    using Callback = std::function<void(const GanEvent&)>;

    // Initial weights: continue from these (e.g. the project's); empty = fresh initialization.
    GanTrainer(Graph generator, Graph discriminator, TrainingConfig config,
               WeightSet generatorWeights = {}, WeightSet discriminatorWeights = {});
    ~GanTrainer();

    // Optional: data already loaded; its images should be scaled like config.dataset.scaling
    // ("signed" for a Tanh generator).
    void setData(std::shared_ptr<const DataSplit> data) { m_data = std::move(data); }

    RunRecord run(const Callback& onEvent);

    void pause() { m_control.pause(); }
    void resume() { m_control.resume(); }
    void stop() { m_control.stop(); }
    bool isPaused() const { return m_control.isPaused(); }

    // Weights reached at the end of the run (finished or stopped); empty if it failed before
    // training or diverged (NaN), so callers keep their previous weights.
    WeightSet generatorWeights() const;
    WeightSet discriminatorWeights() const;

private:
    RunRecord runAdversarial(const Callback& onEvent, RunRecord record);

    Graph m_generator, m_discriminator;
    TrainingConfig m_config;
    WeightSet m_initialG, m_initialD;
    std::shared_ptr<const DataSplit> m_data;

    RunControl m_control;

    mutable std::mutex m_resultMutex;
    WeightSet m_finalG, m_finalD;
};

// Checks the pair against the data: the discriminator's input takes the dataset's samples.
// Throws Error with advice (also runs checkGanGraphs).
void checkGanFitsData(const Graph& generator, const Graph& discriminator, const Dataset& train);

}  // namespace netloom::engine
