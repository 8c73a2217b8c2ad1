// Dense (fully connected): y = x·Wᵀ + b on oneDNN's inner product. W is {units, inputs} like
// PyTorch's Linear, so weights map one to one to exports.
#include <map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/init.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

class DenseLayer final : public Layer {
public:
    DenseLayer(int64_t in, int64_t out, bool useBias) : m_in(in), m_out(out), m_useBias(useBias) {
        m_weight.name = "weight";
        m_weight.value.resize({out, in});
        m_weight.grad.resize({out, in});
        m_bias.name = "bias";
        m_bias.decay = false;
        m_bias.value.resize({out});
        m_bias.grad.resize({out});
        m_bias.value.zero();
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        auto it = m_cache.find(batch);
        if (it == m_cache.end()) it = m_cache.emplace(batch, build(batch, ctx)).first;
        m_p = &it->second;
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_p;
        p.src.set_data_handle(const_cast<float*>(in[0]->data()));
        p.dst.set_data_handle(out.data());
        p.w.set_data_handle(m_weight.value.data());
        p.b.set_data_handle(m_bias.value.data());
        (training ? p.fwdTrain : p.fwdInfer)
            .execute(m_ctx->dnnl().stream, {{DNNL_ARG_SRC, p.src},
                                     {DNNL_ARG_WEIGHTS, p.w},
                                     {DNNL_ARG_BIAS, p.b},
                                     {DNNL_ARG_DST, p.dst}});
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        Prims& p = *m_p;
        p.src.set_data_handle(const_cast<float*>(in[0]->data()));
        p.diffDst.set_data_handle(const_cast<float*>(gradOut.data()));
        p.w.set_data_handle(m_weight.value.data());
        p.diffW.set_data_handle(m_weight.grad.data());
        p.diffB.set_data_handle(m_bias.grad.data());
        p.bwdWeights.execute(m_ctx->dnnl().stream, {{DNNL_ARG_SRC, p.src},
                                             {DNNL_ARG_DIFF_DST, p.diffDst},
                                             {DNNL_ARG_DIFF_WEIGHTS, p.diffW},
                                             {DNNL_ARG_DIFF_BIAS, p.diffB}});
        if (!gradIn.empty() && gradIn[0]) {
            p.diffSrc.set_data_handle(gradIn[0]->data());
            p.bwdData.execute(m_ctx->dnnl().stream, {{DNNL_ARG_DIFF_DST, p.diffDst},
                                              {DNNL_ARG_WEIGHTS, p.w},
                                              {DNNL_ARG_DIFF_SRC, p.diffSrc}});
        }
        m_ctx->dnnl().stream.wait();
        if (!m_useBias) m_bias.grad.zero();
    }

    std::vector<Parameter*> parameters() override {
        if (m_useBias) return {&m_weight, &m_bias};
        return {&m_weight};
    }

    void initialize(Rng& rng, InitScheme scheme) override {
        initWeights(m_weight.value, m_in, m_out, scheme, rng);
        if (scheme == InitScheme::Default) {  // PyTorch: bias ~ U(±1/sqrt(fan_in))
            float bound = 1.0f / std::sqrt(static_cast<float>(m_in));
            for (int64_t i = 0; i < m_out; ++i) m_bias.value[i] = rng.uniform(-bound, bound);
        } else {
            m_bias.value.zero();
        }
        if (!m_useBias) m_bias.value.zero();
    }

private:
    struct Prims {
        primitive fwdTrain, fwdInfer, bwdData, bwdWeights;
        memory src, w, b, dst, diffDst, diffSrc, diffW, diffB;
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        auto srcMd = dnnlu::plainDesc({batch, m_in});
        auto wMd = dnnlu::plainDesc({m_out, m_in});
        auto bMd = dnnlu::plainDesc({m_out});
        auto dstMd = dnnlu::plainDesc({batch, m_out});
        auto fwdTrainPd = inner_product_forward::primitive_desc(
            {prop_kind::forward_training, srcMd, wMd, bMd, dstMd}, eng);
        auto fwdInferPd = inner_product_forward::primitive_desc(
            {prop_kind::forward_inference, srcMd, wMd, bMd, dstMd}, eng);
        auto bwdDataPd = inner_product_backward_data::primitive_desc(
            {srcMd, wMd, dstMd}, eng, fwdTrainPd);
        auto bwdWeightsPd = inner_product_backward_weights::primitive_desc(
            {srcMd, wMd, bMd, dstMd}, eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = inner_product_forward(fwdTrainPd);
        p.fwdInfer = inner_product_forward(fwdInferPd);
        p.bwdData = inner_product_backward_data(bwdDataPd);
        p.bwdWeights = inner_product_backward_weights(bwdWeightsPd);
        p.src = memory(srcMd, eng, nullptr);
        p.w = memory(wMd, eng, nullptr);
        p.b = memory(bMd, eng, nullptr);
        p.dst = memory(dstMd, eng, nullptr);
        p.diffDst = memory(dstMd, eng, nullptr);
        p.diffSrc = memory(srcMd, eng, nullptr);
        p.diffW = memory(wMd, eng, nullptr);
        p.diffB = memory(bMd, eng, nullptr);
        return p;
    }

    int64_t m_in, m_out;
    bool m_useBias;
    Parameter m_weight, m_bias;
    ComputeContext* m_ctx = nullptr;
    std::map<int64_t, Prims> m_cache;
    Prims* m_p = nullptr;
};

class DenseDef final : public LayerDef {
public:
    std::string type() const override { return "Dense"; }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "Fully connected layer: every output unit is a weighted sum of all inputs plus a "
               "bias. Needs a flat input (use Flatten after images).";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("units", "Units", 128, 1, 65536, "Number of output units"),
                ParamSpec::boolean("use_bias", "Use bias", true, "Add a learned bias per unit")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        if (in[0].rank() != 1)
            throw Error("expects a flat input, got " + in[0].toString() + ": insert Flatten");
        return Shape{p.getInt("units")};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        int64_t units = p.getInt("units");
        return in[0].elements() * units + (p.getBool("use_bias") ? units : 0);
    }
    int64_t flops(const std::vector<Shape>& in, const Shape& out, const Params&) const override {
        return 2 * in[0].elements() * out.elements();
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{7}}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<DenseLayer>(in[0].elements(), p.getInt("units"),
                                            p.getBool("use_bias"));
    }
};

}  // namespace

const LayerDef& denseLayerDef() {
    static const DenseDef def;
    return def;
}

}  // namespace netloom::engine
