#include "engine/train/adversarial_recipe.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/train/gan.h"
#include "engine/train/gan_session.h"
#include "engine/train/gan_trainer.h"

namespace netloom::engine {

namespace {

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

// An epoch's means into an event (names as literals: MetricList keeps the pointers).
void setFigures(MetricList& m, const std::map<std::string, double>& means) {
    for (const char* name : {"d_loss", "g_loss", "d_real_accuracy", "d_fake_accuracy"})
        m.set(name, means.at(name));
}

}  // namespace

struct AdversarialRecipe::State {
    State(const Graph& g, const Graph& d, const TrainingConfig& c, int64_t count)
        : ctx(Rng::mix(c.seed ^ 0xd0d0)),
          session(g, d, c, ctx),
          fixedZ(fixedNoise(g, c)),
          batches(count, c.batchSize, c.seed) {}

    std::shared_ptr<const DataSplit> data;
    ComputeContext ctx;
    GanSession session;
    const Tensor fixedZ;
    BatchStream batches;
    Tensor x;
    // The epoch's sums so far.
    double dLoss = 0, gLoss = 0, dReal = 0, dFake = 0;
    int64_t done = 0;
};

AdversarialRecipe::AdversarialRecipe(Graph generator, Graph discriminator, TrainingConfig config,
                                     WeightSet generatorWeights, WeightSet discriminatorWeights,
                                     std::shared_ptr<const DataSplit> data)
    : m_generator(std::move(generator)),
      m_discriminator(std::move(discriminator)),
      m_config(std::move(config)),
      m_initialG(std::move(generatorWeights)),
      m_initialD(std::move(discriminatorWeights)),
      m_data(std::move(data)) {}

AdversarialRecipe::~AdversarialRecipe() = default;

void AdversarialRecipe::describeRecord(RunRecord& record) const {
    record.testLoss = record.testAccuracy = std::nan("");
}

void AdversarialRecipe::prepare(RunEvent& started) {
    const TrainingConfig& c = m_config;
    const GanConfig& gc = c.gan;
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

    m_s = std::make_unique<State>(m_generator, m_discriminator, c, train.count);
    m_s->data = std::move(data);
    const std::vector<std::string> freshLayers = m_s->session.loadWeights(m_initialG, m_initialD);
    // ParameterAverage refuses a decay outside [0, 1) with the reason.
    if (gc.generatorAverage != 0) m_s->session.averageGenerator(gc.generatorAverage);

    started.stepsPerEpoch =
        gc.iterationsPerEpoch > 0 ? gc.iterationsPerEpoch : train.count / c.batchSize;
    started.message = freshWeightsNote(freshLayers);
}

void AdversarialRecipe::beginEpoch(int64_t) {
    State& s = *m_s;
    s.dLoss = s.gLoss = s.dReal = s.dFake = 0;
    s.done = 0;
}

bool AdversarialRecipe::step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) {
    State& s = *m_s;
    auto finite = [&](double value, const char* what) {
        if (std::isfinite(value)) return true;
        m_problem = std::string("the ") + what + " loss became " +
                    (std::isnan(value) ? "NaN" : "infinite") + " at epoch " +
                    std::to_string(epoch) + ", iteration " + std::to_string(stepInEpoch) +
                    " (step " + std::to_string(step) + ")";
        return false;
    };
    const Dataset& train = s.data->train;
    double dLoss = 0, dReal = 0, dFake = 0;
    for (int64_t k = 0; k < m_config.gan.discriminatorSteps; ++k) {
        train.fillBatch(s.batches.next(), m_config.batchSize, s.x, nullptr);
        const GanSession::DiscriminatorResult d = s.session.discriminatorStep(s.x);
        if (!finite(d.loss, "discriminator")) return false;
        dLoss = d.loss;  // the last D step's figures, as the peer reports them
        dReal = d.realAccuracy;
        dFake = d.fakeAccuracy;
    }
    const double gLoss = s.session.generatorStep();
    if (!finite(gLoss, "generator")) return false;
    s.dLoss += dLoss;
    s.gLoss += gLoss;
    s.dReal += dReal;
    s.dFake += dFake;
    ++s.done;
    ev.metrics.set("d_loss", dLoss);
    ev.metrics.set("g_loss", gLoss);
    ev.metrics.set("d_real_accuracy", dReal);
    ev.metrics.set("d_fake_accuracy", dFake);
    return true;
}

std::shared_ptr<const SampleGrid> AdversarialRecipe::grid(int64_t step) {
    State& s = *m_s;
    const Tensor& out = s.session.generate(s.fixedZ);
    auto g = std::make_shared<SampleGrid>();
    g->step = step;
    g->count = out.batch();
    g->shape = out.sampleShape();
    g->values.assign(out.data(), out.data() + out.size());
    return g;
}

void AdversarialRecipe::decorateStep(RunEvent& ev) {
    const int64_t every = m_config.gan.sampleEvery;
    if (every > 0 && ev.step % every == 0) ev.samples = grid(ev.step);
}

void AdversarialRecipe::endEpoch(int64_t, EpochRecord& rec, RunEvent& ev) {
    State& s = *m_s;
    const double n = static_cast<double>(s.done);
    rec.trainLoss = s.dLoss / n;
    rec.trainAccuracy = rec.valLoss = rec.valAccuracy = std::nan("");
    rec.metrics = {{"d_loss", s.dLoss / n},
                   {"g_loss", s.gLoss / n},
                   {"d_real_accuracy", s.dReal / n},
                   {"d_fake_accuracy", s.dFake / n}};
    setFigures(ev.metrics, rec.metrics);
    ev.samples = grid(ev.step);
    ev.weights["generator"] = std::make_shared<const WeightSet>(s.session.generatorWeights());
    if (s.session.isAveragingGenerator())
        ev.weights["generator (trained)"] =
            std::make_shared<const WeightSet>(s.session.generator().weights());
}

void AdversarialRecipe::finish(bool, RunEvent& ev, RunRecord& record) {
    ev.samples = grid(ev.step);
    if (!record.epochs.empty()) setFigures(ev.metrics, record.epochs.back().metrics);
}

double AdversarialRecipe::learningRate() const {
    return m_s ? m_s->session.generatorOptimizer().learningRate() : std::nan("");
}

void AdversarialRecipe::setLearningRate(double lr) {
    m_s->session.generatorOptimizer().setLearningRate(lr);
}

void AdversarialRecipe::loadPrimaryWeights(const WeightSet& weights) {
    m_s->session.generator().loadWeights(weights);
}

std::map<std::string, WeightSet> AdversarialRecipe::keptWeights() {
    return {{"generator", m_s->session.generatorWeights()},
            {"discriminator", m_s->session.discriminator().weights()}};
}

}  // namespace netloom::engine
