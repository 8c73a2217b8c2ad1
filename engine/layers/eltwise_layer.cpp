// One oneDNN eltwise algorithm as a Layer. Primitives are built once per batch size and cached;
// the elementwise op does not care about the sample's structure, so tensors are viewed as
// {batch, elements}.
#include "engine/layers/eltwise_layer.h"

#include <map>

#include "engine/layers/dnnl_util.h"
#include "engine/layers/primitive_cache.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

bool usesDstForBackward(algorithm a) {
    switch (a) {
        case algorithm::eltwise_relu_use_dst_for_bwd:
        case algorithm::eltwise_tanh_use_dst_for_bwd:
        case algorithm::eltwise_elu_use_dst_for_bwd:
        case algorithm::eltwise_sqrt_use_dst_for_bwd:
        case algorithm::eltwise_logistic_use_dst_for_bwd:
        case algorithm::eltwise_exp_use_dst_for_bwd:
        case algorithm::eltwise_clip_v2_use_dst_for_bwd:
            return true;
        default:
            return false;
    }
}

class EltwiseLayer final : public SingleOutputLayer {
public:
    EltwiseLayer(int64_t elements, algorithm alg, float alpha, float beta)
        : m_elements(elements),
          m_alg(alg),
          m_alpha(alpha),
          m_beta(beta),
          m_useDst(usesDstForBackward(alg)) {}

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_cache;
        p.src.set_data_handle(const_cast<float*>(in[0]->data()));
        p.dst.set_data_handle(out.data());
        (training ? p.fwdTrain : p.fwdInfer)
            .execute(m_ctx->dnnl().stream, {{DNNL_ARG_SRC, p.src}, {DNNL_ARG_DST, p.dst}});
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor& out, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;  // no parameters: nothing else to compute
        Prims& p = *m_cache;
        p.diffDst.set_data_handle(const_cast<float*>(gradOut.data()));
        p.diffSrc.set_data_handle(gradIn[0]->data());
        if (m_useDst) {
            p.dst.set_data_handle(const_cast<float*>(out.data()));
            p.bwd.execute(m_ctx->dnnl().stream, {{DNNL_ARG_DST, p.dst},
                                                 {DNNL_ARG_DIFF_DST, p.diffDst},
                                                 {DNNL_ARG_DIFF_SRC, p.diffSrc}});
        } else {
            p.src.set_data_handle(const_cast<float*>(in[0]->data()));
            p.bwd.execute(m_ctx->dnnl().stream, {{DNNL_ARG_SRC, p.src},
                                                 {DNNL_ARG_DIFF_DST, p.diffDst},
                                                 {DNNL_ARG_DIFF_SRC, p.diffSrc}});
        }
        m_ctx->dnnl().stream.wait();
    }

    std::vector<std::string> primitiveImplementations() const override {
        return m_cache.current() ? m_cache.current()->impls : std::vector<std::string>{};
    }

private:
    struct Prims {
        primitive fwdTrain, fwdInfer, bwd;
        memory src, dst, diffDst, diffSrc;
        std::vector<std::string> impls;  // oneDNN's implementation names, for tests
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        auto md = dnnlu::plainDesc({batch, m_elements});
        auto fwdTrainPd = eltwise_forward::primitive_desc(
            {prop_kind::forward_training, m_alg, md, m_alpha, m_beta}, eng);
        auto fwdInferPd = eltwise_forward::primitive_desc(
            {prop_kind::forward_inference, m_alg, md, m_alpha, m_beta}, eng);
        // With a *_use_dst_for_bwd algorithm the "data" descriptor describes dst.
        auto bwdPd =
            eltwise_backward::primitive_desc({m_alg, md, md, m_alpha, m_beta}, eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = eltwise_forward(fwdTrainPd);
        p.fwdInfer = eltwise_forward(fwdInferPd);
        p.bwd = eltwise_backward(bwdPd);
        p.impls = {fwdTrainPd.impl_info_str(), fwdInferPd.impl_info_str(), bwdPd.impl_info_str()};
        p.src = memory(md, eng, nullptr);
        p.dst = memory(md, eng, nullptr);
        p.diffDst = memory(md, eng, nullptr);
        p.diffSrc = memory(md, eng, nullptr);
        return p;
    }

    int64_t m_elements;
    algorithm m_alg;
    float m_alpha, m_beta;
    bool m_useDst;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

}  // namespace

std::unique_ptr<Layer> makeEltwiseLayer(const Shape& shape, dnnl::algorithm algorithm, float alpha,
                                        float beta) {
    return std::make_unique<EltwiseLayer>(shape.elements(), algorithm, alpha, beta);
}

}  // namespace netloom::engine
