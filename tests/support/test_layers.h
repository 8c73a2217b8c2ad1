#pragma once
// Test-only layer kinds, registered for one test with engine::ScopedLayerRegistration:
// - TwoHeads: a layer with two outputs (port "a": x·Aᵀ, port "b": x·Bᵀ + c), the smallest layer
//   that exercises the multi-output contract end to end (shapes, ports, training, save/load);
// - BrokenScale: y = 2x whose backward is 10% off, to prove the gradient checker fails.
// Plain loops: they are tiny and must not depend on the code they help to test.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/layers/layer.h"

namespace netloom::test {

class TwoHeadsLayer final : public engine::Layer {
public:
    TwoHeadsLayer(int64_t in, int64_t units) : m_in(in), m_units(units) {
        m_a.name = "a";
        m_b.name = "b";
        m_c.name = "c";
        m_c.decay = false;
        for (engine::Parameter* p : {&m_a, &m_b}) {
            p->value.resize({units, in});
            p->grad.resize({units, in});
        }
        m_c.value.resize({units});
        m_c.grad.resize({units});
        m_c.value.zero();
    }

    void prepare(int64_t, engine::ComputeContext&) override {}

    void forward(const std::vector<const engine::Tensor*>& in,
                 const std::vector<engine::Tensor*>& out, bool) override {
        const engine::Tensor& x = *in[0];
        const int64_t n = x.batch();
        for (int64_t s = 0; s < n; ++s)
            for (int64_t u = 0; u < m_units; ++u) {
                double ya = 0, yb = m_c.value[u];
                for (int64_t i = 0; i < m_in; ++i) {
                    ya += double(m_a.value[u * m_in + i]) * x[s * m_in + i];
                    yb += double(m_b.value[u * m_in + i]) * x[s * m_in + i];
                }
                (*out[0])[s * m_units + u] = float(ya);
                (*out[1])[s * m_units + u] = float(yb);
            }
    }

    void backward(const std::vector<const engine::Tensor*>& in,
                  const std::vector<const engine::Tensor*>&,
                  const std::vector<const engine::Tensor*>& gradOut,
                  const std::vector<engine::Tensor*>& gradIn) override {
        const engine::Tensor& x = *in[0];
        const int64_t n = x.batch();
        m_a.grad.zero();
        m_b.grad.zero();
        m_c.grad.zero();
        if (!gradIn.empty() && gradIn[0]) gradIn[0]->zero();
        for (int head = 0; head < 2; ++head) {
            const engine::Tensor* g = gradOut[size_t(head)];
            if (!g) continue;  // nobody consumed this output: zero gradient
            engine::Parameter& w = head == 0 ? m_a : m_b;
            for (int64_t s = 0; s < n; ++s)
                for (int64_t u = 0; u < m_units; ++u) {
                    const float gu = (*g)[s * m_units + u];
                    if (head == 1) m_c.grad[u] += gu;
                    for (int64_t i = 0; i < m_in; ++i) {
                        w.grad[u * m_in + i] += gu * x[s * m_in + i];
                        if (!gradIn.empty() && gradIn[0])
                            (*gradIn[0])[s * m_in + i] += gu * w.value[u * m_in + i];
                    }
                }
        }
    }

    std::vector<engine::Parameter*> parameters() override { return {&m_a, &m_b, &m_c}; }
    void initialize(engine::Rng& rng, engine::InitScheme) override {
        const float bound = 1.0f / std::sqrt(float(m_in));
        for (engine::Parameter* p : {&m_a, &m_b})
            for (int64_t i = 0; i < p->value.size(); ++i) p->value[i] = rng.uniform(-bound, bound);
        m_c.value.zero();
    }

private:
    int64_t m_in, m_units;
    engine::Parameter m_a, m_b, m_c;
};

class TwoHeadsDef final : public engine::LayerDef {
public:
    std::string type() const override { return "TestTwoHeads"; }
    std::string category() const override { return "Core"; }
    std::string description() const override { return "Test layer with two outputs"; }
    engine::ParamSchema schema() const override {
        return {engine::ParamSpec::integer("units", "Units", 3, 1, 64, "Units per head")};
    }
    int outputCount(const engine::Params&) const override { return 2; }
    engine::PortInfo ports(const engine::Params&) const override { return {{"in"}, {"a", "b"}}; }
    std::vector<engine::Shape> inferShapes(const std::vector<engine::Shape>& in,
                                           const engine::Params& p) const override {
        if (in[0].rank() != 1)
            throw Error("expects a flat input, got " + in[0].toString() + ": insert Flatten");
        const int64_t u = p.getInt("units");
        return {engine::Shape{u}, engine::Shape{u}};
    }
    int64_t parameterCount(const std::vector<engine::Shape>& in,
                           const engine::Params& p) const override {
        const int64_t u = p.getInt("units");
        return 2 * u * in[0].elements() + u;
    }
    std::vector<engine::Shape> exampleInputs(const engine::Params&) const override {
        return {engine::Shape{5}};
    }
    std::unique_ptr<engine::Layer> create(const std::vector<engine::Shape>& in,
                                          const engine::Params& p) const override {
        return std::make_unique<TwoHeadsLayer>(in[0].elements(), p.getInt("units"));
    }
};

class BrokenScaleLayer final : public engine::SingleOutputLayer {
public:
    void prepare(int64_t, engine::ComputeContext&) override {}
    void forward(const std::vector<const engine::Tensor*>& in, engine::Tensor& out, bool) override {
        for (int64_t i = 0; i < out.size(); ++i) out[i] = 2.0f * (*in[0])[i];
    }
    void backward(const std::vector<const engine::Tensor*>&, const engine::Tensor&,
                  const engine::Tensor& g, const std::vector<engine::Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;
        for (int64_t i = 0; i < g.size(); ++i) (*gradIn[0])[i] = 2.2f * g[i];  // wrong: 2
    }
};

class BrokenScaleDef final : public engine::SingleOutputDef {
public:
    std::string type() const override { return "TestBrokenScale"; }
    std::string category() const override { return "Activation"; }
    std::string description() const override { return "Test layer with a wrong gradient"; }
    engine::Shape inferShape(const std::vector<engine::Shape>& in,
                             const engine::Params&) const override {
        return in[0];
    }
    std::vector<engine::Shape> exampleInputs(const engine::Params&) const override {
        return {engine::Shape{6}};
    }
    std::unique_ptr<engine::Layer> create(const std::vector<engine::Shape>&,
                                          const engine::Params&) const override {
        return std::make_unique<BrokenScaleLayer>();
    }
};

inline const engine::LayerDef& twoHeadsDef() {
    static const TwoHeadsDef def;
    return def;
}
inline const engine::LayerDef& brokenScaleDef() {
    static const BrokenScaleDef def;
    return def;
}

}  // namespace netloom::test
