#pragma once
// The one gradient checker of the test suites: a layer's backward (input and parameter gradients,
// any number of outputs) against central finite differences of L = Σ_k Σ g_k·y_k, with random
// weights g_k per output port. An output port given no gradient (null) must count as zero. Every
// layer test uses it: the registry-driven table in test_layer_gradients.cpp (every example of
// every registered layer, in the style of ggml's test-backend-ops) and the hand-picked rows of
// test_conv_layers.cpp. Header-only so only the suites that use it compile it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/core/tensor.h"
#include "engine/layers/layer.h"

namespace netloom::test {

struct GradientCheck {
    double eps = 1e-3;  // finite-difference step (float forward passes)
    // A mismatch is |analytic - numeric| > max(floor, absTol + relTol·max(|analytic|, |numeric|)).
    double absTol = 1e-3;  // float rounding of the forward passes stays well below this
    double relTol = 1e-2;  // a wrong transpose or a missing factor is far above this
    double floor = 0;
    size_t maxChecks = 60;            // elements checked per tensor (sampled at random)
    uint64_t forwardSeed = 20240531;  // ctx.rng before every forward: dropout draws one mask
};

inline const float kGuardNaN = std::numeric_limits<float>::quiet_NaN();
inline constexpr int64_t kGuardElements = 64;  // elements after a tensor a layer must not touch

// Sizes t to {batch, shape} with kGuardElements NaNs behind it (kept in the storage) and NaN
// inside, so a value a layer does not write, or one it writes past the end, shows.
inline void allocGuarded(engine::Tensor& t, int64_t batch, const engine::Shape& shape) {
    t.resize({batch * shape.elements() + kGuardElements});
    t.fill(kGuardNaN);
    t.resize(batch, shape);
}

// Empty when the guard behind t is intact and t has no NaN left, else what is wrong.
inline std::string checkWritten(const engine::Tensor& t, const std::string& what) {
    const std::vector<float>& s = t.storage();
    for (int64_t i = 0; i < t.size(); ++i)
        if (std::isnan(s[static_cast<size_t>(i)]))
            return what + ": element " + std::to_string(i) + " of " + std::to_string(t.size()) +
                   " was not written (NaN left)";
    for (size_t i = static_cast<size_t>(t.size()); i < s.size(); ++i)
        if (!std::isnan(s[i]))
            return what + ": wrote past its end at element " + std::to_string(i) + " (size " +
                   std::to_string(t.size()) + ")";
    return {};
}

// Magnitudes on an evenly spaced grid in [0.1, 1] in random order, with random signs: away from
// 0 (the kink of ReLU-like layers), and no two values within 2·eps while the tensor has fewer
// than ~450 elements (so a max-pooling window's winner cannot change under a perturbation).
inline void fillAwayFromKinks(engine::Tensor& t, engine::Rng& rng) {
    const int64_t n = t.size();
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::shuffle(order.begin(), order.end(), rng.generator());
    for (int64_t i = 0; i < n; ++i) {
        const double mag = 0.1 + 0.9 * (static_cast<double>(order[static_cast<size_t>(i)]) + 0.5) /
                                     static_cast<double>(n);
        t[i] = static_cast<float>((rng.next() & 1) ? mag : -mag);
    }
}

// A layer and the tensors of one batch: the checker perturbs the inputs and parameters in place.
struct LayerUnderTest {
    engine::Layer* layer = nullptr;
    engine::ComputeContext* ctx = nullptr;
    std::vector<engine::Tensor*> inputs;
    std::vector<engine::Tensor*> outputs;  // sized by the caller
};

namespace detail {

inline std::vector<const engine::Tensor*> constPtrs(const std::vector<engine::Tensor*>& v) {
    return {v.begin(), v.end()};
}

inline void forwardTraining(LayerUnderTest& t, const GradientCheck& opt) {
    t.ctx->rng = engine::Rng(opt.forwardSeed);
    t.layer->forward(constPtrs(t.inputs), t.outputs, true);
}

// L = Σ_k Σ g_k·y_k over the ports with a gradient.
inline double loss(LayerUnderTest& t, const std::vector<const engine::Tensor*>& g,
                   const GradientCheck& opt) {
    forwardTraining(t, opt);
    double l = 0;
    for (size_t k = 0; k < t.outputs.size(); ++k) {
        if (!g[k]) continue;
        const engine::Tensor& y = *t.outputs[k];
        for (int64_t i = 0; i < y.size(); ++i)
            l += static_cast<double>((*g[k])[i]) * static_cast<double>(y[i]);
    }
    return l;
}

inline std::vector<int64_t> sampleIndices(int64_t n, size_t maxChecks, engine::Rng& rng) {
    std::vector<int64_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), int64_t{0});
    std::shuffle(idx.begin(), idx.end(), rng.generator());
    if (idx.size() > maxChecks) idx.resize(maxChecks);
    return idx;
}

}  // namespace detail

// Compares analytic[i] with dL/dvalue[i] by central differences on sampled elements; returns an
// empty string or the worst mismatch ("input 1[3]: backward gives ..., finite differences ...").
inline std::string compareGradient(LayerUnderTest& t, const std::vector<const engine::Tensor*>& g,
                                   engine::Tensor& value, const engine::Tensor& analytic,
                                   const std::string& name, engine::Rng& rng,
                                   const GradientCheck& opt = {}) {
    std::string worst;
    double worstExcess = 0;
    for (int64_t i : detail::sampleIndices(value.size(), opt.maxChecks, rng)) {
        const float v = value[i];
        const float hi = static_cast<float>(v + opt.eps), lo = static_cast<float>(v - opt.eps);
        value[i] = hi;
        const double lossHi = detail::loss(t, g, opt);
        value[i] = lo;
        const double lossLo = detail::loss(t, g, opt);
        value[i] = v;
        const double numeric = (lossHi - lossLo) / (static_cast<double>(hi) - lo);
        const double a = analytic[i];
        const double scale = std::max(std::fabs(a), std::fabs(numeric));
        const double allowed = std::max(opt.floor, opt.absTol + opt.relTol * scale);
        const double excess = std::fabs(a - numeric) - allowed;
        if (!(excess <= worstExcess)) {  // also catches NaN
            worstExcess = std::isnan(excess) ? std::numeric_limits<double>::infinity() : excess;
            std::ostringstream os;
            os << name << "[" << i << "]: backward gives " << a << ", finite differences give "
               << numeric;
            worst = os.str();
        }
    }
    return worst;
}

// Runs forward (training) and backward with random output gradients, then checks that backward
// wrote every input gradient (and nothing past it) and that input and parameter gradients match
// finite differences. withGradient[k] false passes no gradient for output k (it must count as
// zero); empty means every output has one. Returns "" or every failure, joined by "; ".
inline std::string checkLayerGradients(LayerUnderTest t, engine::Rng& rng,
                                       const GradientCheck& opt = {},
                                       std::vector<bool> withGradient = {}) {
    if (withGradient.empty()) withGradient.assign(t.outputs.size(), true);
    std::vector<engine::Tensor> g(t.outputs.size());
    std::vector<const engine::Tensor*> gPtrs(t.outputs.size(), nullptr);
    for (size_t k = 0; k < t.outputs.size(); ++k) {
        if (!withGradient[k]) continue;
        g[k].resize(t.outputs[k]->dims());
        for (int64_t i = 0; i < g[k].size(); ++i) g[k][i] = rng.uniform(-1.0f, 1.0f);
        gPtrs[k] = &g[k];
    }
    // Analytic gradients; NaN-filled first so anything not overwritten shows.
    std::vector<engine::Tensor> gradIn(t.inputs.size());
    std::vector<engine::Tensor*> gradInPtrs;
    for (size_t i = 0; i < gradIn.size(); ++i) {
        allocGuarded(gradIn[i], t.inputs[i]->batch(), t.inputs[i]->sampleShape());
        gradInPtrs.push_back(&gradIn[i]);
    }
    std::vector<engine::Parameter*> params = t.layer->parameters();
    for (engine::Parameter* p : params) p->grad.fill(kGuardNaN);
    detail::forwardTraining(t, opt);
    t.layer->backward(detail::constPtrs(t.inputs), detail::constPtrs(t.outputs), gPtrs, gradInPtrs);

    std::vector<std::string> failures;
    std::vector<engine::Tensor> paramGrads;  // copies: the finite differences run forward again
    for (engine::Parameter* p : params) paramGrads.push_back(p->grad);
    for (size_t i = 0; i < gradIn.size(); ++i) {
        std::string f = checkWritten(gradIn[i], "gradient of input " + std::to_string(i + 1));
        if (!f.empty()) return f;
    }
    for (size_t i = 0; i < t.inputs.size(); ++i) {
        std::string f = compareGradient(t, gPtrs, *t.inputs[i], gradIn[i],
                                        "input " + std::to_string(i + 1), rng, opt);
        if (!f.empty()) failures.push_back(f);
    }
    for (size_t k = 0; k < params.size(); ++k) {
        std::string f = compareGradient(t, gPtrs, params[k]->value, paramGrads[k],
                                        "parameter '" + params[k]->name + "'", rng, opt);
        if (!f.empty()) failures.push_back(f);
    }
    std::string all;
    for (const auto& f : failures) all += (all.empty() ? "" : "; ") + f;
    return all;
}

}  // namespace netloom::test
