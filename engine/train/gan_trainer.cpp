#include "engine/train/gan_trainer.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <numeric>

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/train/gan.h"
#include "engine/train/gan_session.h"
#include "engine/train/trainer.h"

namespace netloom::engine {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string nowIso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

GanSampleGrid sampleGrid(GanSession& session, const Tensor& z, int64_t step) {
    const Tensor& out = session.generate(z);
    GanSampleGrid g;
    g.step = step;
    g.count = out.batch();
    g.shape = out.sampleShape();
    g.values.assign(out.data(), out.data() + out.size());
    return g;
}

void checkFinite(double value, const char* what, int64_t epoch, int64_t iteration, int64_t step) {
    if (std::isfinite(value)) return;
    throw Error(std::string("the ") + what + " loss became " +
                (std::isnan(value) ? "NaN" : "infinite") + " at epoch " + std::to_string(epoch) +
                ", iteration " + std::to_string(iteration) + " (step " + std::to_string(step) +
                "): lower the learning rates, add gradient clipping or check the data");
}

// Real batches: a seeded permutation walked in order and reshuffled when used up, so an epoch
// may be shorter or longer than one pass over the data.
class BatchStream {
public:
    BatchStream(int64_t count, int64_t batch, uint64_t seed)
        : m_order(static_cast<size_t>(count)), m_batch(batch), m_rng(Rng::mix(seed ^ 0x5eed)) {
        std::iota(m_order.begin(), m_order.end(), 0);
        m_pos = count;  // shuffle before the first batch
    }
    const int64_t* next() {
        if (m_pos + m_batch > static_cast<int64_t>(m_order.size())) {
            std::shuffle(m_order.begin(), m_order.end(), m_rng.generator());
            m_pos = 0;
        }
        const int64_t* p = m_order.data() + m_pos;
        m_pos += m_batch;
        return p;
    }

private:
    std::vector<int64_t> m_order;
    int64_t m_batch, m_pos = 0;
    Rng m_rng;
};

}  // namespace

void checkGanFitsData(const Graph& generator, const Graph& discriminator, const Dataset& train) {
    checkGanGraphs(generator, discriminator);
    const GraphAnalysis d = analyzeGraph(discriminator);
    const Shape& in = d.nodes.at(d.inputNode).output;
    if (in.elements() != train.sampleShape.elements())
        throw Error("the discriminator's Input '" + discriminator.node(d.inputNode).name +
                    "' has shape " + in.toString() + " but the dataset's samples are " +
                    train.sampleShape.toString() + ": set its shape to " +
                    train.sampleShape.toAsciiString() + " and the generator's output to match");
}

GanTrainer::GanTrainer(Graph generator, Graph discriminator, TrainingConfig config,
                       WeightSet generatorWeights, WeightSet discriminatorWeights)
    : m_generator(std::move(generator)),
      m_discriminator(std::move(discriminator)),
      m_config(std::move(config)),
      m_initialG(std::move(generatorWeights)),
      m_initialD(std::move(discriminatorWeights)) {}

GanTrainer::~GanTrainer() {
    stop();
}

WeightSet GanTrainer::generatorWeights() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_finalG;
}

WeightSet GanTrainer::discriminatorWeights() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_finalD;
}

RunRecord GanTrainer::run(const Callback& onEvent) {
    RunRecord record;
    record.started = nowIso();
    record.config = m_config;
    record.testLoss = record.testAccuracy = std::nan("");
    const auto t0 = Clock::now();
    try {
        record = runAdversarial(onEvent, std::move(record));
    } catch (const std::exception& e) {
        record.status = "failed";
        record.message = e.what();
        GanEvent ev;
        ev.kind = GanEvent::Kind::Failed;
        ev.message = e.what();
        ev.elapsedSeconds = secondsSince(t0);
        onEvent(ev);
    }
    record.seconds = secondsSince(t0);
    return record;
}

RunRecord GanTrainer::runAdversarial(const Callback& onEvent, RunRecord record) {
    // oneDNN primitives and the OpenMP team belong to this thread from here on.
    omp_set_num_threads(computeThreadsFor(m_config));
    const TrainingConfig& c = m_config;
    const GanConfig& gc = c.gan;
    if (c.batchSize < 1 || c.batchSize > 65536)
        throw Error("batch size must be between 1 and 65536, got " + std::to_string(c.batchSize));
    if (c.epochs < 1 || c.epochs > 100000)
        throw Error("epochs must be between 1 and 100000, got " + std::to_string(c.epochs));
    if (gc.discriminatorSteps < 1 || gc.discriminatorSteps > 1000)
        throw Error("discriminator steps per generator step must be between 1 and 1000, got " +
                    std::to_string(gc.discriminatorSteps));
    if (gc.sampleCount < 1 || gc.sampleCount > 4096)
        throw Error("the sample grid needs between 1 and 4096 samples, got " +
                    std::to_string(gc.sampleCount));
    if (gc.sampleEvery < 0 || gc.iterationsPerEpoch < 0)
        throw Error("sample interval and iterations per epoch must not be negative");

    std::shared_ptr<const DataSplit> data = m_data;
    if (!data) data = std::make_shared<DataSplit>(loadData(c.dataset, 0.0, c.seed));
    const Dataset& train = data->train;
    if (train.count < c.batchSize)
        throw Error("the training set has " + std::to_string(train.count) +
                    " samples, fewer than one batch of " + std::to_string(c.batchSize));
    checkGanFitsData(m_generator, m_discriminator, train);

    ComputeContext ctx(Rng::mix(c.seed ^ 0xd0d0));
    GanSession session(m_generator, m_discriminator, c, ctx);
    const std::vector<std::string> freshLayers = session.loadWeights(m_initialG, m_initialD);
    // ParameterAverage refuses a decay outside [0, 1) with the reason.
    if (gc.generatorAverage != 0) session.averageGenerator(gc.generatorAverage);
    const Tensor fixedZ = fixedNoise(m_generator, c);

    const int64_t bs = c.batchSize;
    const int64_t perEpoch = gc.iterationsPerEpoch > 0 ? gc.iterationsPerEpoch : train.count / bs;
    BatchStream batches(train.count, bs, c.seed);

    GanEvent ev;
    ev.kind = GanEvent::Kind::Started;
    ev.epochs = c.epochs;
    ev.iterationsPerEpoch = perEpoch;
    ev.message = freshWeightsNote(freshLayers);
    onEvent(ev);

    Tensor x;
    const auto start = Clock::now();
    double trainSeconds = 0;
    int64_t step = 0;
    bool stopped = false;
    auto rate = [&] { return static_cast<double>(step) / std::max(trainSeconds, 1e-9); };
    for (int64_t epoch = 1; epoch <= c.epochs && !stopped; ++epoch) {
        const auto epochStart = Clock::now();
        GanMetrics sum;
        int64_t done = 0;
        for (int64_t it = 1; it <= perEpoch; ++it) {
            if (!m_control.waitWhilePaused()) {
                stopped = true;
                break;
            }
            const auto iterStart = Clock::now();
            GanMetrics m;
            for (int64_t k = 0; k < gc.discriminatorSteps; ++k) {
                train.fillBatch(batches.next(), bs, x, nullptr);
                const GanSession::DiscriminatorResult d = session.discriminatorStep(x);
                checkFinite(d.loss, "discriminator", epoch, it, step + 1);
                m.dLoss = d.loss;  // the last D step's figures, as the peer reports them
                m.dRealAccuracy = d.realAccuracy;
                m.dFakeAccuracy = d.fakeAccuracy;
            }
            m.gLoss = session.generatorStep();
            checkFinite(m.gLoss, "generator", epoch, it, step + 1);
            trainSeconds += secondsSince(iterStart);
            ++step;
            ++done;
            sum.dLoss += m.dLoss;
            sum.gLoss += m.gLoss;
            sum.dRealAccuracy += m.dRealAccuracy;
            sum.dFakeAccuracy += m.dFakeAccuracy;

            ev = GanEvent{};
            ev.kind = GanEvent::Kind::Iteration;
            ev.epoch = epoch;
            ev.epochs = c.epochs;
            ev.iteration = it;
            ev.iterationsPerEpoch = perEpoch;
            ev.step = step;
            ev.metrics = m;
            ev.iterationsPerSecond = rate();
            if (gc.sampleEvery > 0 && step % gc.sampleEvery == 0) {
                ev.hasSamples = true;
                ev.samples = sampleGrid(session, fixedZ, step);
            }
            ev.elapsedSeconds = secondsSince(start);
            onEvent(ev);
        }
        if (stopped || done == 0) break;

        const double n = static_cast<double>(done);
        EpochRecord rec;
        rec.epoch = epoch;
        rec.trainLoss = sum.dLoss / n;
        rec.trainAccuracy = rec.valLoss = rec.valAccuracy = std::nan("");
        rec.metrics = {{"d_loss", sum.dLoss / n},
                       {"g_loss", sum.gLoss / n},
                       {"d_real_accuracy", sum.dRealAccuracy / n},
                       {"d_fake_accuracy", sum.dFakeAccuracy / n}};
        ev = GanEvent{};
        ev.kind = GanEvent::Kind::Epoch;
        ev.epoch = epoch;
        ev.epochs = c.epochs;
        ev.iteration = perEpoch;
        ev.iterationsPerEpoch = perEpoch;
        ev.step = step;
        ev.metrics = {sum.dLoss / n, sum.gLoss / n, sum.dRealAccuracy / n, sum.dFakeAccuracy / n};
        ev.iterationsPerSecond = rate();
        ev.hasSamples = true;
        ev.samples = sampleGrid(session, fixedZ, step);
        rec.seconds = secondsSince(epochStart);
        ev.elapsedSeconds = secondsSince(start);
        ev.record = rec;
        ev.generatorWeights = std::make_shared<const WeightSet>(session.generatorWeights());
        if (session.isAveragingGenerator())
            ev.trainedGeneratorWeights =
                std::make_shared<const WeightSet>(session.generator().weights());
        record.epochs.push_back(rec);
        onEvent(ev);
    }

    {
        std::lock_guard<std::mutex> lock(m_resultMutex);
        m_finalG = session.generatorWeights();
        m_finalD = session.discriminator().weights();
    }
    ev = GanEvent{};
    ev.epochs = c.epochs;
    ev.iterationsPerEpoch = perEpoch;
    ev.step = step;
    ev.iterationsPerSecond = rate();
    ev.hasSamples = true;
    ev.samples = sampleGrid(session, fixedZ, step);
    ev.elapsedSeconds = secondsSince(start);
    if (!record.epochs.empty()) {
        const auto& last = record.epochs.back().metrics;
        ev.metrics = {last.at("d_loss"), last.at("g_loss"), last.at("d_real_accuracy"),
                      last.at("d_fake_accuracy")};
    }
    if (stopped) {
        record.status = "stopped";
        ev.kind = GanEvent::Kind::Stopped;
        ev.message = "Stopped after " + std::to_string(step) +
                     " iterations; the weights reached so far are kept.";
    } else {
        record.status = "finished";
        ev.kind = GanEvent::Kind::Finished;
    }
    onEvent(ev);
    return record;
}

}  // namespace netloom::engine
