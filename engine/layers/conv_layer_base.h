#pragma once
// What Conv2D and Conv2DTranspose share: a weight and an optional bias, one set of oneDNN
// primitives per batch size (forward for training and inference, backward data and weights),
// each with layout edges so oneDNN may run on the blocked formats it prefers while our tensors
// stay plain, and running them. A subclass describes its primitives in build(), via assemble().
#include <dnnl.hpp>
#include <map>
#include <string>
#include <vector>

#include "engine/layers/dnnl_edge.h"
#include "engine/layers/layer.h"
#include "engine/layers/primitive_cache.h"

namespace netloom::engine {

struct ConvPrimitives {
    dnnl::primitive fwdTrain, fwdInfer, bwdData, bwdWeights;
    dnnlu::Edge fSrc, fW, fDst;             // forward_training
    dnnlu::Edge iSrc, iW, iDst;             // forward_inference
    dnnlu::Edge bdDiffDst, bdW, bdDiffSrc;  // backward_data
    dnnlu::Edge bwSrc, bwDiffDst, bwDiffW;  // backward_weights
    dnnl::memory bias, diffBias;            // always plain {outC}
    bool reuseSrc = false;           // backward_weights reads the training forward's converted src
    bool shareDiffDst = false;       // both backward primitives take the same diff_dst layout
    std::vector<std::string> impls;  // oneDNN's implementation names, for tests

    // The plain layouts of our buffers: src {N,C,H,W}, weights (as oneDNN indexes them), bias
    // {outC}, dst {N,outC,outH,outW}.
    struct Plain {
        dnnl::memory::desc src, weights, bias, dst;
    };

    // From the four primitive descriptors: assemble<convolution_forward,
    // convolution_backward_data, convolution_backward_weights>(...), or the deconvolution ones.
    template <class Fwd, class BwdData, class BwdWeights>
    static ConvPrimitives assemble(const typename Fwd::primitive_desc& train,
                                   const typename Fwd::primitive_desc& infer,
                                   const typename BwdData::primitive_desc& bd,
                                   const typename BwdWeights::primitive_desc& bw,
                                   const Plain& plain, const dnnl::engine& eng) {
        using dnnlu::Edge;
        ConvPrimitives p;
        p.fwdTrain = Fwd(train);
        p.fwdInfer = Fwd(infer);
        p.bwdData = BwdData(bd);
        p.bwdWeights = BwdWeights(bw);
        p.impls = {train.impl_info_str(), infer.impl_info_str(), bd.impl_info_str(),
                   bw.impl_info_str()};
        p.fSrc = Edge(plain.src, train.src_desc(), eng, true);
        p.fW = Edge(plain.weights, train.weights_desc(), eng, true);
        p.fDst = Edge(plain.dst, train.dst_desc(), eng, false);
        p.iSrc = Edge(plain.src, infer.src_desc(), eng, true);
        p.iW = Edge(plain.weights, infer.weights_desc(), eng, true);
        p.iDst = Edge(plain.dst, infer.dst_desc(), eng, false);
        p.shareDiffDst = bw.diff_dst_desc() == bd.diff_dst_desc();
        if (!p.shareDiffDst) p.bdDiffDst = Edge(plain.dst, bd.diff_dst_desc(), eng, true);
        p.bdW = Edge(plain.weights, bd.weights_desc(), eng, true);
        p.bdDiffSrc = Edge(plain.src, bd.diff_src_desc(), eng, false);
        p.reuseSrc = p.fSrc.reorders && bw.src_desc() == train.src_desc();
        if (!p.reuseSrc) p.bwSrc = Edge(plain.src, bw.src_desc(), eng, true);
        p.bwDiffDst = Edge(plain.dst, bw.diff_dst_desc(), eng, true);
        p.bwDiffW = Edge(plain.weights, bw.diff_weights_desc(), eng, false);
        p.bias = dnnl::memory(plain.bias, eng, nullptr);
        p.diffBias = dnnl::memory(plain.bias, eng, nullptr);
        return p;
    }
};

class ConvLayerBase : public SingleOutputLayer {
public:
    void prepare(int64_t batch, ComputeContext& ctx) final;
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) final;
    void backward(const std::vector<const Tensor*>& in, const Tensor& out, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) final;
    std::vector<Parameter*> parameters() final;
    std::vector<std::string> primitiveImplementations() const final {
        return m_cache.current() ? m_cache.current()->impls : std::vector<std::string>{};
    }

protected:
    // weightDims: our plain weight tensor; outC: filters (the bias length).
    ConvLayerBase(const std::vector<int64_t>& weightDims, int64_t outC, bool useBias);
    virtual ConvPrimitives build(int64_t batch, const dnnl::engine& eng) = 0;
    // PyTorch's default for both layers: weights by the scheme, bias U(±1/sqrt(fan_in)).
    void initializeWith(Rng& rng, InitScheme scheme, int64_t fanIn, int64_t fanOut);
    // A format_tag::any copy of a plain descriptor: oneDNN picks the layout.
    static dnnl::memory::desc anyLayout(const dnnl::memory::desc& plain);

    bool m_useBias;
    Parameter m_weight, m_bias;

private:
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<ConvPrimitives> m_cache;
};

}  // namespace netloom::engine
