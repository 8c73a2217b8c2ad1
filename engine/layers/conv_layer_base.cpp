#include "engine/layers/conv_layer_base.h"

#include <cmath>
#include <unordered_map>

#include "engine/layers/dnnl_util.h"
#include "engine/layers/init.h"

namespace netloom::engine {

using namespace dnnl;

ConvLayerBase::ConvLayerBase(const std::vector<int64_t>& weightDims, int64_t outC, bool useBias)
    : m_useBias(useBias) {
    m_weight.name = "weight";
    m_weight.value.resize(weightDims);
    m_weight.grad.resize(weightDims);
    m_weight.value.zero();
    m_bias.name = "bias";
    m_bias.decay = false;
    m_bias.value.resize({outC});
    m_bias.grad.resize({outC});
    m_bias.value.zero();
    m_bias.grad.zero();
}

memory::desc ConvLayerBase::anyLayout(const memory::desc& plain) {
    return memory::desc(plain.dims(), dnnlu::dt::f32, dnnlu::tag::any);
}

void ConvLayerBase::prepare(int64_t batch, ComputeContext& ctx) {
    m_ctx = &ctx;
    m_cache.select({batch}, [&] { return build(batch, ctx.dnnl().engine); });
}

void ConvLayerBase::forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) {
    ConvPrimitives& p = *m_cache;
    stream& s = m_ctx->dnnl().stream;
    dnnlu::Edge& src = training ? p.fSrc : p.iSrc;
    dnnlu::Edge& w = training ? p.fW : p.iW;
    dnnlu::Edge& dst = training ? p.fDst : p.iDst;
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src.in(in[0]->data(), s)},
                                         {DNNL_ARG_WEIGHTS, w.in(m_weight.value.data(), s)},
                                         {DNNL_ARG_DST, dst.out(out.data())}};
    if (m_useBias) args.insert({DNNL_ARG_BIAS, dnnlu::bind(p.bias, m_bias.value)});
    (training ? p.fwdTrain : p.fwdInfer).execute(s, args);
    dst.finish(s);
    s.wait();
}

void ConvLayerBase::backward(const std::vector<const Tensor*>& in, const Tensor&,
                             const Tensor& gradOut, const std::vector<Tensor*>& gradIn) {
    ConvPrimitives& p = *m_cache;
    stream& s = m_ctx->dnnl().stream;
    // The input was converted by the training forward (same inputs, see Layer::backward);
    // the gradient is converted once when both backward primitives want the same layout.
    memory& src = p.reuseSrc ? p.fSrc.prim : p.bwSrc.in(in[0]->data(), s);
    memory& diffDst = p.bwDiffDst.in(gradOut.data(), s);
    std::unordered_map<int, memory> wargs{
        {DNNL_ARG_SRC, src},
        {DNNL_ARG_DIFF_DST, diffDst},
        {DNNL_ARG_DIFF_WEIGHTS, p.bwDiffW.out(m_weight.grad.data())}};
    if (m_useBias) wargs.insert({DNNL_ARG_DIFF_BIAS, dnnlu::bind(p.diffBias, m_bias.grad)});
    p.bwdWeights.execute(s, wargs);
    p.bwDiffW.finish(s);
    if (!gradIn.empty() && gradIn[0]) {
        memory& dd = p.shareDiffDst ? diffDst : p.bdDiffDst.in(gradOut.data(), s);
        p.bwdData.execute(s, {{DNNL_ARG_DIFF_DST, dd},
                              {DNNL_ARG_WEIGHTS, p.bdW.in(m_weight.value.data(), s)},
                              {DNNL_ARG_DIFF_SRC, p.bdDiffSrc.out(gradIn[0]->data())}});
        p.bdDiffSrc.finish(s);
    }
    s.wait();
}

std::vector<Parameter*> ConvLayerBase::parameters() {
    if (m_useBias) return {&m_weight, &m_bias};
    return {&m_weight};
}

void ConvLayerBase::initializeWith(Rng& rng, InitScheme scheme, int64_t fanIn, int64_t fanOut) {
    initWeights(m_weight.value, fanIn, fanOut, scheme, rng);
    m_bias.value.zero();
    if (m_useBias && scheme == InitScheme::Default) {  // PyTorch: U(±1/sqrt(fan_in))
        const float bound = 1.0f / std::sqrt(static_cast<float>(fanIn));
        for (int64_t i = 0; i < m_bias.value.size(); ++i)
            m_bias.value[i] = rng.uniform(-bound, bound);
    }
}

}  // namespace netloom::engine
