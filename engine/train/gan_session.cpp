#include "engine/train/gan_session.h"

#include "engine/core/error.h"
#include "engine/layers/noise.h"
#include "engine/model/parameter_training.h"
#include "engine/optim/lr_multipliers.h"
#include "engine/train/gan.h"

namespace netloom::engine {

namespace {

constexpr uint64_t kDiscriminatorInitSalt = 0xd15c0ull;
constexpr uint64_t kNoiseSalt = 0x9a9e5eedull;

// Share of rows whose logit lies on the given side of 0.
double share(const Tensor& logits, bool positive) {
    int64_t hits = 0;
    for (int64_t i = 0; i < logits.size(); ++i) hits += positive ? logits[i] > 0 : logits[i] < 0;
    return logits.size() ? static_cast<double>(hits) / static_cast<double>(logits.size()) : 0.0;
}

void fillTarget(Tensor& t, int64_t n, float value) {
    if (t.size() == n) return;  // each target tensor holds only its one value
    t.resize({n, 1});
    t.fill(value);
}

}  // namespace

uint64_t discriminatorInitSeed(uint64_t seed) {
    return Rng::mix(seed ^ kDiscriminatorInitSalt);
}

GanSession::GanSession(const Graph& generator, const Graph& discriminator,
                       const TrainingConfig& config, ComputeContext& ctx)
    : m_noiseRng(Rng::mix(config.seed ^ kNoiseSalt)) {
    checkGanGraphs(generator, discriminator);
    if (config.loss != "bce_logits")
        throw Error(
            "the adversarial task trains with binary cross-entropy on logits: set the "
            "loss to \"bce_logits\" (got \"" +
            config.loss + "\")");
    m_noiseParams = generatorNoiseParams(generator);
    m_g = std::make_unique<Model>(generator, ctx);
    m_d = std::make_unique<Model>(discriminator, ctx);
    const InitScheme scheme = parseInitScheme(config.init);
    m_g->initialize(config.seed, scheme);
    m_d->initialize(discriminatorInitSeed(config.seed), scheme);
    m_gOpt = createOptimizer(config.optimizer);
    m_dOpt = createOptimizer(config.gan.discriminatorOptimizer.value_or(config.optimizer));
    m_loss = createLoss("bce_logits");
    m_gParams = m_g->parameters();
    m_dParams = m_d->parameters();
    setLrMultipliers(*m_gOpt, parameterLrMultipliers(generator));
    setLrMultipliers(*m_dOpt, parameterLrMultipliers(discriminator));
    m_savedGrads.resize(m_dParams.size());
}

GanSession::~GanSession() = default;

std::vector<std::string> GanSession::loadWeights(const WeightSet& generator,
                                                 const WeightSet& discriminator) {
    std::vector<std::string> fresh;
    if (!generator.empty())
        for (const std::string& name : m_g->loadFittingWeights(generator))
            fresh.push_back("generator " + name);
    if (!discriminator.empty())
        for (const std::string& name : m_d->loadFittingWeights(discriminator))
            fresh.push_back("discriminator " + name);
    return fresh;
}

GanSession::DiscriminatorResult GanSession::discriminatorStep(const Tensor& real,
                                                              const Tensor* noise) {
    const int64_t n = real.batch();
    if (noise) {
        const Shape expected = m_g->inputShape();
        if (noise->batch() != n || noise->size() != n * expected.elements())
            throw Error("GAN step: the given noise is " + std::to_string(noise->size()) +
                        " values, the generator wants " + std::to_string(n) + " × " +
                        expected.toString() + " for a batch of " + std::to_string(n));
        m_z = *noise;
    } else {
        drawNoise(m_noiseParams, n, m_noiseRng, m_z);
    }
    m_fake = &m_g->forward(m_z, true);
    fillTarget(m_ones, n, 1.0f);
    fillTarget(m_zeros, n, 0.0f);

    DiscriminatorResult r;
    const Tensor& outReal = m_d->forward(real, true);
    r.loss = m_loss->compute(outReal, m_ones, m_lossGrad);
    r.realAccuracy = share(outReal, true);
    m_d->backward(m_lossGrad);
    for (size_t i = 0; i < m_dParams.size(); ++i) {
        const Tensor& g = m_dParams[i]->grad;
        m_savedGrads[i].resize(g.dims());
        std::copy(g.data(), g.data() + g.size(), m_savedGrads[i].data());
    }

    const Tensor& outFake = m_d->forward(*m_fake, true);
    r.loss += m_loss->compute(outFake, m_zeros, m_lossGrad);
    r.fakeAccuracy = share(outFake, false);
    m_d->backward(m_lossGrad);  // no input gradient: the fake batch is detached
    for (size_t i = 0; i < m_dParams.size(); ++i) {
        float* g = m_dParams[i]->grad.data();
        const float* s = m_savedGrads[i].data();
        const int64_t count = m_dParams[i]->grad.size();
#pragma omp simd
        for (int64_t k = 0; k < count; ++k) g[k] += s[k];
    }
    m_dOpt->step(m_dParams);
    return r;
}

double GanSession::generatorStep() {
    if (!m_fake) throw Error("internal: a generator step needs a discriminator step before it");
    const int64_t n = m_fake->batch();
    fillTarget(m_ones, n, 1.0f);
    const Tensor& out = m_d->forward(*m_fake, true);
    const double loss = m_loss->compute(out, m_ones, m_lossGrad);
    // D's parameter gradients are computed (as in PyTorch) but never applied: no D step here.
    m_d->backward(m_lossGrad, &m_fakeGrad);
    m_g->backward(m_fakeGrad);
    m_gOpt->step(m_gParams);
    if (m_gAverage) m_gAverage->update();
    m_fake = nullptr;
    return loss;
}

void GanSession::averageGenerator(double decay) {
    m_gAverage = std::make_unique<ParameterAverage>(m_gParams, decay);
}

const Tensor& GanSession::generate(const Tensor& z) {
    m_fake = nullptr;
    if (!m_gAverage) return m_g->forward(z, false);
    const Tensor* out = nullptr;
    m_gAverage->withAverage([&] { out = &m_g->forward(z, false); });
    return *out;  // an activation buffer of m_g: restoring the parameters leaves it alone
}

WeightSet GanSession::generatorWeights() {
    if (!m_gAverage) return m_g->weights();
    WeightSet w;
    m_gAverage->withAverage([&] { w = m_g->weights(); });
    return w;
}

}  // namespace netloom::engine
