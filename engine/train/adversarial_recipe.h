#pragma once
// The adversarial (GAN) task's recipe: per step (an iteration) GanConfig::discriminatorSteps D
// steps, each on a fresh real batch and fresh noise, then one G step on the last D step's
// generated batch (gan_session.h). Its figures are "d_loss", "g_loss", "d_real_accuracy" and
// "d_fake_accuracy"; its payloads the fixed-noise sample grid and the generator's weights. No
// validation or test evaluation (the record's val/test figures are NaN); a NaN loss fails the
// run naming the network and step.
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/data/dataset.h"
#include "engine/graph/graph.h"
#include "engine/train/recipe.h"

namespace netloom::engine {

class GanSession;

class AdversarialRecipe final : public TrainingRecipe {
public:
    // Initial weights: continue from these (e.g. the project's); empty = fresh initialization.
    // data: null = loaded from config.dataset (scaled like config.dataset.scaling).
    AdversarialRecipe(Graph generator, Graph discriminator, TrainingConfig config,
                      WeightSet generatorWeights = {}, WeightSet discriminatorWeights = {},
                      std::shared_ptr<const DataSplit> data = nullptr);
    ~AdversarialRecipe() override;

    const TrainingConfig& config() const override { return m_config; }
    void describeRecord(RunRecord& record) const override;
    void prepare(RunEvent& started) override;
    int64_t samplesPerStep() const override { return 1; }
    const char* stepNoun() const override { return "iteration"; }
    const char* stepNounPlural() const override { return "iterations"; }
    void beginEpoch(int64_t epoch) override;
    bool step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) override;
    std::string nonFiniteProblem() const override { return m_problem; }
    std::string nonFiniteAdvice() const override {
        return "lower the learning rates, add gradient clipping or check the data";
    }
    void decorateStep(RunEvent& ev) override;
    void endEpoch(int64_t epoch, EpochRecord& record, RunEvent& ev) override;
    bool validates() const override { return false; }
    void finish(bool stopped, RunEvent& ev, RunRecord& record) override;
    double learningRate() const override;
    void setLearningRate(double lr) override;
    std::string primaryRole() const override { return "generator"; }
    void loadPrimaryWeights(const WeightSet& weights) override;
    std::map<std::string, WeightSet> keptWeights() override;

private:
    struct State;  // everything built in prepare()
    std::shared_ptr<const SampleGrid> grid(int64_t step);

    Graph m_generator, m_discriminator;
    TrainingConfig m_config;
    WeightSet m_initialG, m_initialD;
    std::shared_ptr<const DataSplit> m_data;
    std::unique_ptr<State> m_s;
    std::string m_problem;
};

}  // namespace netloom::engine
