// The shared pre-step (L1/L2 and global-norm clipping) and the driver that keeps per-parameter
// state for every optimizer. The list of optimizers and their validation are in registry.cpp.
#include <cmath>
#include <sstream>

#include "engine/core/error.h"
#include "engine/layers/training_params.h"
#include "engine/optim/lr_multipliers.h"
#include "engine/optim/optimizer_impl.h"

namespace netloom::engine {

double OptimizerConfig::number(const std::string& key, double fallback) const {
    auto it = extra.find(key);
    if (it == extra.end()) return fallback;
    if (auto d = std::get_if<double>(&it->second)) return *d;
    if (auto i = std::get_if<int64_t>(&it->second)) return static_cast<double>(*i);
    if (auto b = std::get_if<bool>(&it->second)) return *b ? 1.0 : 0.0;
    return fallback;
}

namespace {

std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// Throws "optimizer.<what> must be <rule>, got <v>" unless ok; a non-finite value never passes.
void require(bool ok, double v, const char* what, const char* rule) {
    if (!ok || !std::isfinite(v))
        throw Error(std::string("optimizer.") + what + " must be " + rule + ", got " + num(v));
}

std::string paramName(size_t index, const Parameter* p) {
    return "parameter #" + std::to_string(index) + (p ? " '" + p->name + "'" : "");
}

}  // namespace

double regularizeAndClip(const std::vector<Parameter*>& params, const OptimizerConfig& config) {
    require(config.l1 >= 0, config.l1, "l1", ">= 0");
    require(config.l2 >= 0, config.l2, "l2", ">= 0");
    require(config.clipNorm >= 0, config.clipNorm, "clip_norm", ">= 0 (0 = off)");
    for (size_t i = 0; i < params.size(); ++i) {
        const Parameter* p = params[i];
        if (!p) throw Error("optimizer: " + paramName(i, p) + " is missing (null)");
        if (!p->frozen && p->grad.size() != p->value.size())
            throw Error("optimizer: " + paramName(i, p) + " has " +
                        std::to_string(p->value.size()) + " values but its gradient has " +
                        std::to_string(p->grad.size()));
    }

    const float l1 = static_cast<float>(config.l1);
    const float l2x2 = static_cast<float>(2.0 * config.l2);
    double sumSq = 0.0;
    for (Parameter* p : params) {
        if (p->frozen) continue;
        const int64_t n = p->value.size();
        const float* w = p->value.data();
        float* g = p->grad.data();
        double part = 0.0;
        if (p->decay && (l1 > 0.0f || l2x2 > 0.0f)) {
#pragma omp simd reduction(+ : part)
            for (int64_t i = 0; i < n; ++i) {
                const float sign = static_cast<float>((w[i] > 0.0f) - (w[i] < 0.0f));
                g[i] += l1 * sign + l2x2 * w[i];
                part += static_cast<double>(g[i]) * g[i];
            }
        } else {
#pragma omp simd reduction(+ : part)
            for (int64_t i = 0; i < n; ++i) part += static_cast<double>(g[i]) * g[i];
        }
        sumSq += part;
    }
    const double norm = std::sqrt(sumSq);

    // As torch.nn.utils.clip_grad_norm_: scale by clip/(norm + 1e-6) whenever that is below 1.
    if (config.clipNorm > 0) {
        const double coef = config.clipNorm / (norm + 1e-6);
        if (coef < 1.0) {
            const float c = static_cast<float>(coef);
            for (Parameter* p : params) {
                if (p->frozen) continue;
                const int64_t n = p->grad.size();
                float* g = p->grad.data();
#pragma omp simd
                for (int64_t i = 0; i < n; ++i) g[i] *= c;
            }
        }
    }
    return norm;
}

namespace optimimpl {

OptimizerBase::OptimizerBase(const OptimizerConfig& config, std::vector<std::string> bufferNames)
    : m_config(config), m_bufferNames(std::move(bufferNames)) {}

void OptimizerBase::setLearningRate(double lr) {
    const std::string problem = checkSetting(learningRateSpec(), lr);
    if (!problem.empty()) throw Error("optimizer.lr " + problem);
    m_config.lr = lr;
}

void OptimizerBase::checkParams(const std::vector<Parameter*>& params) {
    if (!m_listKnown) {
        m_states.resize(params.size());
        m_listKnown = true;
    } else if (params.size() != m_states.size()) {
        throw Error("optimizer: got " + std::to_string(params.size()) +
                    " parameters but earlier steps had " + std::to_string(m_states.size()) +
                    "; create a new optimizer when the model changes");
    }
    for (size_t i = 0; i < params.size(); ++i) {
        const Parameter* p = params[i];
        if (!p) throw Error("optimizer: " + paramName(i, p) + " is missing (null)");
        if (!p->frozen && p->grad.size() != p->value.size())
            throw Error("optimizer: " + paramName(i, p) + " has " +
                        std::to_string(p->value.size()) + " values but its gradient has " +
                        std::to_string(p->grad.size()));
        const ParamState* st = m_states[i].get();
        if (st && st->size != p->value.size())
            throw Error("optimizer: " + paramName(i, p) + " has " +
                        std::to_string(p->value.size()) + " values but its optimizer state has " +
                        std::to_string(st->size) +
                        "; create a new optimizer when the model changes");
    }
}

ParamState& OptimizerBase::stateFor(size_t index, const Parameter& p) {
    std::unique_ptr<ParamState>& st = m_states[index];
    if (!st) {
        st = std::make_unique<ParamState>();
        st->size = p.value.size();
        st->step.resize({1});
        st->step.zero();
        st->buffers.resize(m_bufferNames.size());
        for (Tensor& b : st->buffers) {
            b.resize(p.value.dims());
            b.zero();
        }
    }
    return *st;
}

void OptimizerBase::step(const std::vector<Parameter*>& params) {
    checkParams(params);  // everything that can throw happens before any change
    // The pre-step is a full pass over the gradients: skip it when it would change nothing.
    if (m_config.l1 > 0 || m_config.l2 > 0 || m_config.clipNorm > 0)
        regularizeAndClip(params, m_config);
    const double baseLr = m_config.lr;
    for (size_t i = 0; i < params.size(); ++i) {
        Parameter& p = *params[i];
        if (p.frozen) continue;
        ParamState& st = stateFor(i, p);
        st.step[0] += 1.0f;
        // A per-layer multiplier acts as a PyTorch parameter group's own lr: every use of the
        // rate in the update (the step, AdamW's decoupled decay) sees the scaled one.
        if (i < m_lrMultipliers.size()) m_config.lr = baseLr * m_lrMultipliers[i];
        update(p, st);
        m_config.lr = baseLr;
    }
}

void OptimizerBase::setLrMultipliers(std::vector<double> multipliers) {
    for (size_t i = 0; i < multipliers.size(); ++i)
        if (const std::string why = lrMultiplierProblem(multipliers[i]); !why.empty())
            throw Error("optimizer: the learning-rate multiplier of parameter #" +
                        std::to_string(i) + " " + why);
    m_lrMultipliers = std::move(multipliers);
}

std::vector<std::pair<std::string, Tensor*>> OptimizerBase::state(
    const std::vector<Parameter*>& params) {
    checkParams(params);
    std::vector<std::pair<std::string, Tensor*>> out;
    for (size_t i = 0; i < params.size(); ++i) {
        if (params[i]->frozen) continue;  // frozen parameters have no state, not even zeros
        ParamState& st = stateFor(i, *params[i]);
        const std::string prefix = std::to_string(i) + ".";
        out.emplace_back(prefix + "step", &st.step);
        for (size_t b = 0; b < m_bufferNames.size(); ++b)
            out.emplace_back(prefix + m_bufferNames[b], &st.buffers[b]);
    }
    return out;
}

}  // namespace optimimpl
void setLrMultipliers(Optimizer& optimizer, std::vector<double> multipliers) {
    auto* base = dynamic_cast<optimimpl::OptimizerBase*>(&optimizer);
    if (base) {
        base->setLrMultipliers(std::move(multipliers));
        return;
    }
    for (double m : multipliers)
        if (m != 1.0) throw Error("this optimizer has no per-layer learning rates");
}

}  // namespace netloom::engine
