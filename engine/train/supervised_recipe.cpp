#include "engine/train/supervised_recipe.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "engine/core/error.h"
#include "engine/data/batch_source.h"
#include "engine/graph/analysis.h"
#include "engine/model/parameter_training.h"
#include "engine/optim/lr_multipliers.h"
#include "engine/train/evaluator.h"
#include "engine/train/graph_fit.h"
#include "engine/train/training_transforms.h"

namespace netloom::engine {

namespace {

using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// Weights and optimizer state at an epoch's start: where a run paused by a NaN/Inf loss resumes
// from (the weights just before the bad batch may already be the cause).
class RollbackPoint {
public:
    void take(const Model& model, Optimizer& optimizer, const std::vector<Parameter*>& params) {
        m_weights = model.weights();
        m_state.clear();
        for (auto& [name, tensor] : optimizer.state(params)) m_state.push_back(*tensor);
    }
    void restore(Model& model, Optimizer& optimizer, const std::vector<Parameter*>& params) const {
        model.loadWeights(m_weights);
        size_t i = 0;
        // Values copied in place: the optimizer's buffers keep their addresses.
        for (auto& [name, tensor] : optimizer.state(params)) {
            const Tensor& saved = m_state.at(i++);
            std::copy(saved.data(), saved.data() + saved.size(), tensor->data());
        }
    }

private:
    WeightSet m_weights;
    std::vector<Tensor> m_state;
};

// The parts of a training step that are not layers, for `netloom train --profile`.
struct StepOverhead {
    double dataMs = 0, lossMs = 0, optimizerMs = 0;
    int64_t steps = 0;
    void appendTo(std::vector<Model::LayerTiming>& rows) const {
        rows.push_back({"(batch data)", "uint8→float", dataMs, 0, steps});
        rows.push_back({"(loss)", "loss+gradient", lossMs, 0, steps});
        rows.push_back({"(optimizer)", "update", optimizerMs, 0, steps});
    }
};

}  // namespace

struct SupervisedRecipe::State {
    explicit State(const TrainingConfig& c) : ctx(Rng::mix(c.seed ^ 0xd0d0)) {}

    std::shared_ptr<const DataSplit> data;
    const Dataset* train = nullptr;
    const Dataset* validation = nullptr;
    ComputeContext ctx;
    std::unique_ptr<Model> model;
    std::unique_ptr<Loss> loss;
    std::unique_ptr<Optimizer> optimizer;
    std::vector<Parameter*> params;
    std::unique_ptr<EpochOrder> order;
    // Batches are prepared on a helper thread; the transforms (denoising: a noisy copy the
    // network sees, while the loss compares with the clean x) run on training batches only.
    std::unique_ptr<BatchSource> source;
    RollbackPoint rollback;
    StepOverhead overhead;
    Tensor grad;
    int64_t batches = 0;
    int64_t ordersDrawn = 0;  // epochs `order` has shuffled (checkpoints replay them)
    // The epoch's sums so far.
    double lossSum = 0;
    int64_t correct = 0, counted = 0;
};

SupervisedRecipe::SupervisedRecipe(Graph graph, TrainingConfig config, TargetKind target,
                                   WeightSet initialWeights, Options options)
    : m_graph(std::move(graph)),
      m_config(std::move(config)),
      m_target(target),
      m_initialWeights(std::move(initialWeights)),
      m_options(std::move(options)) {}

SupervisedRecipe::~SupervisedRecipe() = default;

void SupervisedRecipe::prepare(RunEvent& started) {
    const TrainingConfig& c = m_config;
    if (!(c.validationSplit >= 0.0 && c.validationSplit < 1.0))
        throw Error("validation split must be at least 0 and below 1");
    if (c.earlyStopping < 0 || c.earlyStopping > 100000)
        throw Error("early stopping's patience must be between 0 (off) and 100000 epochs, got " +
                    std::to_string(c.earlyStopping));

    m_s = std::make_unique<State>(c);
    State& s = *m_s;
    s.data = m_options.data;
    if (!s.data)
        s.data = std::make_shared<DataSplit>(loadData(c.dataset, c.validationSplit, c.seed));
    s.train = &s.data->train;
    s.validation = s.data->validation.count > 0 ? &s.data->validation : &s.data->test;
    if (s.train->count < c.batchSize)
        throw Error("the training set has " + std::to_string(s.train->count) +
                    " samples, fewer than one batch of " + std::to_string(c.batchSize));

    GraphAnalysis analysis = analyzeGraph(m_graph);
    checkGraphFitsData(analysis, m_graph, c, m_target, *s.train);

    s.model = std::make_unique<Model>(m_graph, s.ctx);
    s.model->setProfiling(m_options.profiling);
    s.model->initialize(c.seed, parseInitScheme(c.init));
    // Continuing after edits: layers added or changed since the last run start fresh.
    std::vector<std::string> freshLayers;
    if (!m_initialWeights.empty()) freshLayers = s.model->loadFittingWeights(m_initialWeights);
    s.loss = createLoss(c.loss);
    s.optimizer = createOptimizer(c.optimizer);
    s.params = s.model->parameters();
    setLrMultipliers(*s.optimizer, parameterLrMultipliers(m_graph));  // transfer learning

    s.batches = s.train->count / c.batchSize;  // full batches only, like the PyTorch peer
    s.order = std::make_unique<EpochOrder>(s.train->count, Rng::mix(c.seed ^ 0x5eed));
    // Transforms (noise, augmentation) are prepared on the source's helper thread, off the
    // critical path. Without them a batch is a ~10 µs gather, cheaper than handing it across
    // threads: on 2 cores the helper's wake-ups cost fashion-mlp 8% of its speed (measured in
    // docs/performance.md), so plain batches are filled inline. The batches are the same.
    TransformChain chain = trainingTransformChain(c, m_target, *s.train);
    BatchSourceOptions sourceOptions;
    sourceOptions.prefetch = !chain.empty();
    s.source =
        std::make_unique<BatchSource>(*s.train, c.batchSize, std::move(chain), sourceOptions);

    started.stepsPerEpoch = s.batches;
    started.message = freshWeightsNote(freshLayers);
}

void SupervisedRecipe::beginEpoch(int64_t) {
    State& s = *m_s;
    s.source->start(s.order->next());
    ++s.ordersDrawn;
    s.lossSum = 0;
    s.correct = s.counted = 0;
}

bool SupervisedRecipe::step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) {
    State& s = *m_s;
    const int64_t bs = m_config.batchSize;
    const bool profiling = m_options.profiling;
    const auto batchStart = Clock::now();
    const Batch* batch = s.source->next();
    if (!batch)
        throw Error("internal: the batch source ended before batch " + std::to_string(stepInEpoch) +
                    " of " + std::to_string(s.batches));
    const auto dataDone = profiling ? Clock::now() : batchStart;
    const Tensor& out = s.model->forward(batch->input(), true);
    const auto forwardDone = profiling ? Clock::now() : batchStart;
    const float batchLoss = s.loss->compute(out, lossTarget(m_target, batch->x, batch->y), s.grad);
    const auto lossDone = profiling ? Clock::now() : batchStart;
    ev.metrics.set("loss", batchLoss);
    if (!std::isfinite(batchLoss)) {
        m_problem = "the loss became " + std::string(std::isnan(batchLoss) ? "NaN" : "infinite") +
                    " at epoch " + std::to_string(epoch) + ", batch " +
                    std::to_string(stepInEpoch) + " (step " + std::to_string(step) + ")";
        return false;
    }
    int64_t batchCorrect = 0;
    if (m_target == TargetKind::ClassLabels)
        for (int64_t i = 0; i < bs; ++i)
            batchCorrect += argmaxRow(out, i) == static_cast<int64_t>(batch->y[i]);
    s.model->backward(s.grad);
    const auto backwardDone = profiling ? Clock::now() : batchStart;
    s.optimizer->step(s.params);
    if (profiling) {
        s.overhead.dataMs += msBetween(batchStart, dataDone);
        s.overhead.lossMs += msBetween(forwardDone, lossDone);
        s.overhead.optimizerMs += msBetween(backwardDone, Clock::now());
        ++s.overhead.steps;
    }
    s.lossSum += batchLoss;
    s.correct += batchCorrect;
    s.counted += bs;
    if (m_target == TargetKind::ClassLabels)
        ev.metrics.set("accuracy", static_cast<double>(batchCorrect) / static_cast<double>(bs));
    return true;
}

void SupervisedRecipe::decorateStep(RunEvent& ev) {
    const int64_t n = m_options.snapshotEveryBatches;
    if (n > 0 && ev.step % n == 0)
        ev.weights["model"] = std::make_shared<const WeightSet>(m_s->model->weights());
}

void SupervisedRecipe::takeEpochStart() {
    m_s->rollback.take(*m_s->model, *m_s->optimizer, m_s->params);
}

void SupervisedRecipe::restoreEpochStart() {
    State& s = *m_s;
    s.rollback.restore(*s.model, *s.optimizer, s.params);
    s.source->start(s.order->current());  // the epoch starts over from its first batch
    s.lossSum = 0;
    s.correct = s.counted = 0;
}

void SupervisedRecipe::endEpoch(int64_t, EpochRecord& rec, RunEvent& ev) {
    State& s = *m_s;
    const int64_t bs = m_config.batchSize;
    const bool classes = m_target == TargetKind::ClassLabels;
    rec.trainLoss = s.lossSum / static_cast<double>(s.counted / bs);
    rec.trainAccuracy =
        classes ? static_cast<double>(s.correct) / static_cast<double>(s.counted) : std::nan("");
    s.model->setProfiling(false);  // the profile covers training steps only
    EvalResult val = evaluate(*s.model, *s.validation, *s.loss, m_target);
    s.model->setProfiling(m_options.profiling);
    rec.valLoss = val.loss;
    rec.valAccuracy = val.accuracy;
    ev.metrics.set("loss", rec.trainLoss);
    if (classes) ev.metrics.set("accuracy", rec.trainAccuracy);
    ev.metrics.set("val_loss", rec.valLoss);
    if (classes) ev.metrics.set("val_accuracy", rec.valAccuracy);
    ev.validation = std::move(val);
    ev.weights["model"] = std::make_shared<const WeightSet>(s.model->weights());
}

void SupervisedRecipe::finish(bool stopped, RunEvent& ev, RunRecord& record) {
    State& s = *m_s;
    record.dataPrep = s.train->csvPrep;  // the weights expect rows prepared this way
    if (stopped) return;
    ev.test = evaluate(*s.model, s.data->test, *s.loss, m_target);
    record.testLoss = ev.test.loss;
    record.testAccuracy = ev.test.accuracy;
}

void SupervisedRecipe::saveCheckpoint(Checkpoint& c) const {
    State& s = *m_s;
    c.weights["model"] = s.model->weights();
    c.optimizerState.clear();
    for (auto& [name, tensor] : s.optimizer->state(s.params))
        c.optimizerState.emplace_back(name, *tensor);
    c.ordersDrawn = s.ordersDrawn;
    std::ostringstream rng;
    rng << s.ctx.rng.generator();
    c.rngState = rng.str();
    c.transformStates = s.source->transformStates();
    c.learningRate = s.optimizer->learningRate();
}

void SupervisedRecipe::loadCheckpoint(const Checkpoint& c) {
    State& s = *m_s;
    auto saved = c.weights.find("model");
    if (saved == c.weights.end())
        throw Error("the checkpoint has no weights for the network 'model'");
    if (const std::string problem = weightsFitProblem(saved->second, s.model->weights(), m_graph);
        !problem.empty())
        throw Error("the checkpoint was made with a different network: " + problem);
    s.model->loadWeights(saved->second);
    std::map<std::string, const Tensor*> state;
    for (const auto& [name, tensor] : c.optimizerState) state[name] = &tensor;
    for (auto& [name, tensor] : s.optimizer->state(s.params)) {
        auto it = state.find(name);
        if (it == state.end() || it->second->size() != tensor->size())
            throw Error("the checkpoint's optimizer state does not fit: '" + name +
                        (it == state.end() ? "' is missing" : "' has another size") +
                        " (was it made with another optimizer, or other layers frozen?)");
        std::copy(it->second->data(), it->second->data() + tensor->size(), tensor->data());
    }
    // The data order continues where it was: the same shuffles replayed from the seed.
    s.order = std::make_unique<EpochOrder>(s.train->count, Rng::mix(m_config.seed ^ 0x5eed));
    for (int64_t i = 0; i < c.ordersDrawn; ++i) s.order->next();
    s.ordersDrawn = c.ordersDrawn;
    if (!c.rngState.empty()) {
        std::istringstream rng(c.rngState);
        rng >> s.ctx.rng.generator();
        if (!rng) throw Error("the checkpoint's random generator state is damaged");
    }
    // Augmentation continues with the draws the uninterrupted run would make. A checkpoint
    // without states (taken before they were saved) leaves the transforms freshly seeded.
    if (!c.transformStates.empty() || !s.source->hasTransforms())
        s.source->restoreTransformStates(c.transformStates);
    if (c.learningRate > 0) s.optimizer->setLearningRate(c.learningRate);
}

double SupervisedRecipe::learningRate() const {
    return m_s && m_s->optimizer ? m_s->optimizer->learningRate() : std::nan("");
}

void SupervisedRecipe::setLearningRate(double lr) {
    m_s->optimizer->setLearningRate(lr);
}

void SupervisedRecipe::loadPrimaryWeights(const WeightSet& weights) {
    m_s->model->loadWeights(weights);
}

std::map<std::string, WeightSet> SupervisedRecipe::keptWeights() {
    {
        std::lock_guard<std::mutex> lock(m_timingsMutex);
        m_timings = m_s->model->timings();
        if (m_options.profiling) m_s->overhead.appendTo(m_timings);
    }
    return {{"model", m_s->model->weights()}};
}

std::vector<Model::LayerTiming> SupervisedRecipe::timings() const {
    std::lock_guard<std::mutex> lock(m_timingsMutex);
    return m_timings;
}

void checkGraphFitsData(const GraphAnalysis& a, const Graph& graph, const TrainingConfig& config,
                        TargetKind target, const Dataset& train) {
    if (!a.ok()) throw Error(a.firstProblem());
    throwFirstProblem(supervisedFitProblems(graph, a, config, target, DataFacts::of(train)));
}

}  // namespace netloom::engine
