#include "engine/train/trainer.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <numeric>
#include <thread>

#include "engine/core/error.h"
#include "engine/data/batch_source.h"
#include "engine/graph/analysis.h"
#include "engine/losses/loss.h"
#include "engine/optim/optimizer.h"
#include "engine/train/best_epoch.h"
#include "engine/train/evaluator.h"
#include "engine/train/training_transforms.h"

namespace netloom::engine {

namespace {

using Clock = std::chrono::steady_clock;

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

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

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

std::string nowIso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

int computeThreadsFor(const TrainingConfig& config) {
    if (config.threads > 0) return config.threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void checkGraphFitsData(const GraphAnalysis& a, const Graph& graph, const TrainingConfig& config,
                        const Dataset& train) {
    if (!a.ok()) throw Error(a.firstProblem());
    const Shape& in = a.nodes.at(a.inputNode).output;
    const std::string inName = graph.node(a.inputNode).name;
    const std::string outName = graph.node(a.outputNode).name;
    if (in.elements() != train.sampleShape.elements())
        throw Error("Input '" + inName + "' has shape " + in.toString() + " but the dataset's " +
                    "samples are " + train.sampleShape.toString() + ": set its shape to " +
                    train.sampleShape.toAsciiString());
    const Shape& out = a.nodes.at(a.outputNode).output;
    const LossInfo* loss = findLoss(config.loss);
    if (!loss) throw Error("unknown loss '" + config.loss + "'");
    switch (targetKindFor(config.task)) {
        case TargetKind::ClassLabels:
            if (train.numClasses <= 0)
                throw Error("the dataset has no class labels: choose the regression task");
            if (!loss->classLabels)
                throw Error(
                    "classification needs a loss on class labels (softmax "
                    "cross-entropy), not " +
                    loss->displayName);
            if (out.rank() != 1 || out[0] != train.numClasses)
                throw Error("the output layer '" + outName + "' gives " + out.toString() +
                            " values but the dataset has " + std::to_string(train.numClasses) +
                            " classes: make it a Dense layer with " +
                            std::to_string(train.numClasses) + " units");
            break;
        case TargetKind::Regression:
            if (train.targetSize <= 0)
                throw Error("the dataset has no regression targets: choose classification");
            if (loss->classLabels)
                throw Error("regression needs a loss like MSE or L1, not " + loss->displayName);
            if (out.elements() != train.targetSize)
                throw Error("the output layer '" + outName + "' gives " + out.toString() +
                            " values but each target has " + std::to_string(train.targetSize));
            break;
        case TargetKind::Reconstruction:
            if (loss->classLabels)
                throw Error("reconstruction compares output and input: use MSE, L1 or BCE");
            if (out.elements() != in.elements())
                throw Error("the output layer '" + outName + "' gives " + out.toString() +
                            " values but reconstructing the input needs " + in.toString());
            break;
    }
}

Trainer::Trainer(Graph graph, TrainingConfig config, WeightSet initialWeights)
    : m_graph(std::move(graph)),
      m_config(std::move(config)),
      m_initialWeights(std::move(initialWeights)) {}

Trainer::~Trainer() {
    stop();
}

WeightSet Trainer::weights() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_finalWeights;
}

std::vector<Model::LayerTiming> Trainer::timings() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_timings;
}

RunRecord Trainer::run(const Callback& onEvent) {
    RunRecord record;
    record.started = nowIso();
    record.config = m_config;
    const auto t0 = Clock::now();
    try {
        record = runSupervised(onEvent, std::move(record));
    } catch (const std::exception& e) {
        record.status = "failed";
        record.message = e.what();
        TrainingEvent ev;
        ev.kind = TrainingEvent::Kind::Failed;
        ev.message = e.what();
        ev.elapsedSeconds = secondsSince(t0);
        onEvent(ev);
    }
    record.seconds = secondsSince(t0);
    return record;
}

RunRecord Trainer::runSupervised(const Callback& onEvent, RunRecord record) {
    // oneDNN primitives and the OpenMP team belong to this thread from here on.
    omp_set_num_threads(computeThreadsFor(m_config));
    if (m_config.batchSize < 1 || m_config.batchSize > 65536)
        throw Error("batch size must be between 1 and 65536, got " +
                    std::to_string(m_config.batchSize));
    if (m_config.epochs < 1 || m_config.epochs > 100000)
        throw Error("epochs must be between 1 and 100000, got " + std::to_string(m_config.epochs));
    if (!(m_config.validationSplit >= 0.0 && m_config.validationSplit < 1.0))
        throw Error("validation split must be at least 0 and below 1");
    if (m_config.earlyStopping < 0 || m_config.earlyStopping > 100000)
        throw Error("early stopping's patience must be between 0 (off) and 100000 epochs, got " +
                    std::to_string(m_config.earlyStopping));

    std::shared_ptr<const DataSplit> data = m_data;
    if (!data)
        data = std::make_shared<DataSplit>(
            loadData(m_config.dataset, m_config.validationSplit, m_config.seed));
    const Dataset& train = data->train;
    const Dataset& validation = data->validation.count > 0 ? data->validation : data->test;
    if (train.count < m_config.batchSize)
        throw Error("the training set has " + std::to_string(train.count) +
                    " samples, fewer than one batch of " + std::to_string(m_config.batchSize));

    GraphAnalysis analysis = analyzeGraph(m_graph);
    checkGraphFitsData(analysis, m_graph, m_config, train);
    const TargetKind kind = targetKindFor(m_config.task);

    ComputeContext ctx(Rng::mix(m_config.seed ^ 0xd0d0));
    Model model(m_graph, ctx);
    model.setProfiling(m_profiling);
    model.initialize(m_config.seed, parseInitScheme(m_config.init));
    // Continuing after edits: layers added or changed since the last run start fresh.
    std::vector<std::string> freshLayers;
    if (!m_initialWeights.empty()) freshLayers = model.loadFittingWeights(m_initialWeights);
    std::unique_ptr<Loss> loss = createLoss(m_config.loss);
    std::unique_ptr<Optimizer> optimizer = createOptimizer(m_config.optimizer);
    std::vector<Parameter*> params = model.parameters();

    const int64_t bs = m_config.batchSize;
    const int64_t batches = train.count / bs;  // full batches only, like the PyTorch peer
    EpochOrder order(train.count, Rng::mix(m_config.seed ^ 0x5eed));
    // Batches are prepared on a helper thread; the transforms (denoising: a noisy copy the
    // network sees, while the loss compares with the clean x) run on training batches only.
    BatchSource source(train, bs, trainingTransformChain(m_config));

    TrainingEvent ev;
    ev.kind = TrainingEvent::Kind::Started;
    ev.epochs = m_config.epochs;
    ev.batchesPerEpoch = batches;
    ev.message = freshWeightsNote(freshLayers);
    onEvent(ev);

    Tensor grad;
    StepOverhead overhead;
    const auto start = Clock::now();
    double trainSeconds = 0;
    int64_t step = 0, samplesSeen = 0;
    bool stopped = false;
    // Where a batch event (or a pause at that batch) happened; b is 0-based within the epoch.
    auto batchEvent = [&](TrainingEvent::Kind k, int64_t epoch, int64_t b, float batchLoss) {
        TrainingEvent e;
        e.kind = k;
        e.epoch = epoch;
        e.epochs = m_config.epochs;
        e.batch = b + 1;
        e.batchesPerEpoch = batches;
        e.step = step;
        e.loss = batchLoss;
        e.elapsedSeconds = secondsSince(start);
        return e;
    };
    BestEpoch best;
    for (int64_t epoch = 1; epoch <= m_config.epochs && !stopped; ++epoch) {
        source.start(order.next());
        const auto epochStart = Clock::now();
        double lossSum = 0;
        int64_t correct = 0, counted = 0;
        RollbackPoint rollback;
        if (m_pauseOnNonFinite) rollback.take(model, *optimizer, params);
        for (int64_t b = 0; b < batches; ++b) {
            if (!m_control.waitWhilePaused()) {
                stopped = true;
                break;
            }
            if (double lr = m_pendingLr.exchange(0.0); lr > 0) optimizer->setLearningRate(lr);
            const auto batchStart = Clock::now();
            const Batch& batch = *source.next();
            const Tensor& x = batch.x;
            const Tensor& y = batch.y;
            const auto dataDone = m_profiling ? Clock::now() : batchStart;
            const Tensor& out = model.forward(batch.input(), true);
            const auto forwardDone = m_profiling ? Clock::now() : batchStart;
            const float batchLoss = loss->compute(out, lossTarget(kind, x, y), grad);
            const auto lossDone = m_profiling ? Clock::now() : batchStart;
            if (!std::isfinite(batchLoss)) {
                const std::string where =
                    "the loss became " + std::string(std::isnan(batchLoss) ? "NaN" : "infinite") +
                    " at epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1) +
                    " (step " + std::to_string(step + 1) + ")";
                if (!m_pauseOnNonFinite)
                    throw Error(
                        where +
                        ": lower the learning rate, add gradient clipping or check the data");
                rollback.restore(model, *optimizer, params);
                m_control.pause();
                ev = batchEvent(TrainingEvent::Kind::Paused, epoch, b, batchLoss);
                ev.message = where +
                             ". Paused and rolled back to the weights of the start of epoch " +
                             std::to_string(epoch) +
                             ": lower the learning rate or add gradient clipping, then resume "
                             "(the epoch starts over).";
                onEvent(ev);
                b = -1;  // after the pause, the epoch starts over from its first batch
                source.start(order.current());
                lossSum = 0;
                correct = counted = 0;
                continue;
            }
            int64_t batchCorrect = 0;
            if (kind == TargetKind::ClassLabels)
                for (int64_t i = 0; i < bs; ++i)
                    batchCorrect += argmaxRow(out, i) == static_cast<int64_t>(y[i]);
            model.backward(grad);
            const auto backwardDone = m_profiling ? Clock::now() : batchStart;
            optimizer->step(params);
            trainSeconds += secondsSince(batchStart);
            if (m_profiling) {
                overhead.dataMs += msBetween(batchStart, dataDone);
                overhead.lossMs += msBetween(forwardDone, lossDone);
                overhead.optimizerMs += msBetween(backwardDone, Clock::now());
                ++overhead.steps;
            }
            ++step;
            samplesSeen += bs;
            lossSum += batchLoss;
            correct += batchCorrect;
            counted += bs;

            ev = batchEvent(TrainingEvent::Kind::Batch, epoch, b, batchLoss);
            ev.accuracy = kind == TargetKind::ClassLabels
                              ? static_cast<double>(batchCorrect) / static_cast<double>(bs)
                              : std::nan("");
            ev.samplesPerSecond = static_cast<double>(samplesSeen) / std::max(trainSeconds, 1e-9);
            if (m_snapshotEvery > 0 && step % m_snapshotEvery == 0)
                ev.weights = std::make_shared<const WeightSet>(model.weights());
            onEvent(ev);
        }
        if (stopped || counted == 0) break;

        EpochRecord rec;
        rec.epoch = epoch;
        rec.trainLoss = lossSum / static_cast<double>(counted / bs);
        rec.trainAccuracy = kind == TargetKind::ClassLabels
                                ? static_cast<double>(correct) / static_cast<double>(counted)
                                : std::nan("");
        model.setProfiling(false);  // the profile covers training steps only
        EvalResult val = evaluate(model, validation, *loss, kind);
        model.setProfiling(m_profiling);
        rec.valLoss = val.loss;
        rec.valAccuracy = val.accuracy;
        rec.seconds = secondsSince(epochStart);
        record.epochs.push_back(rec);

        ev = TrainingEvent{};
        ev.kind = TrainingEvent::Kind::Epoch;
        ev.epoch = epoch;
        ev.epochs = m_config.epochs;
        ev.batch = batches;
        ev.batchesPerEpoch = batches;
        ev.step = step;
        ev.loss = rec.trainLoss;
        ev.accuracy = rec.trainAccuracy;
        ev.samplesPerSecond = static_cast<double>(samplesSeen) / std::max(trainSeconds, 1e-9);
        ev.elapsedSeconds = secondsSince(start);
        ev.record = rec;
        ev.validation = std::move(val);
        ev.weights = std::make_shared<const WeightSet>(model.weights());
        onEvent(ev);
        if (m_config.earlyStopping > 0) {
            best.offer(epoch, rec.valLoss, ev.weights);
            if (epoch - best.epoch >= m_config.earlyStopping) break;
        }
    }
    std::string finishNote;
    if (m_config.earlyStopping > 0 && best.weights && !stopped) {
        model.loadWeights(*best.weights);
        finishNote = best.note(record.epochs.size(), m_config.epochs);
    }

    {
        std::lock_guard<std::mutex> lock(m_resultMutex);
        m_finalWeights = model.weights();
        m_timings = model.timings();
        if (m_profiling) overhead.appendTo(m_timings);
    }
    ev = TrainingEvent{};
    ev.epochs = m_config.epochs;
    ev.step = step;
    ev.samplesPerSecond = static_cast<double>(samplesSeen) / std::max(trainSeconds, 1e-9);
    ev.elapsedSeconds = secondsSince(start);
    if (stopped) {
        record.status = "stopped";
        ev.kind = TrainingEvent::Kind::Stopped;
        ev.message = "Stopped after " + std::to_string(step) +
                     " batches; the weights reached so far are kept.";
    } else {
        record.status = "finished";
        ev.kind = TrainingEvent::Kind::Finished;
        ev.message = record.message = finishNote;
        ev.test = evaluate(model, data->test, *loss, kind);
        record.testLoss = ev.test.loss;
        record.testAccuracy = ev.test.accuracy;
    }
    onEvent(ev);
    return record;
}

}  // namespace netloom::engine
