// Softmax over the feature axis: for a flat {F} sample over F, for {C, H, W} over C at every
// pixel. oneDNN softmax_forward + softmax_backward (which needs the output, not the input).
// For training a classifier, prefer the cross-entropy loss on raw logits (it includes softmax).
#include <map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

class SoftmaxLayer final : public SingleOutputLayer {
public:
    explicit SoftmaxLayer(Shape sample) : m_sample(std::move(sample)) {}

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

    void backward(const std::vector<const Tensor*>&, const Tensor& out, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;
        Prims& p = *m_cache;
        p.dst.set_data_handle(const_cast<float*>(out.data()));
        p.diffDst.set_data_handle(const_cast<float*>(gradOut.data()));
        p.diffSrc.set_data_handle(gradIn[0]->data());
        p.bwd.execute(m_ctx->dnnl().stream, {{DNNL_ARG_DST, p.dst},
                                             {DNNL_ARG_DIFF_DST, p.diffDst},
                                             {DNNL_ARG_DIFF_SRC, p.diffSrc}});
        m_ctx->dnnl().stream.wait();
    }

private:
    struct Prims {
        primitive fwdTrain, fwdInfer, bwd;
        memory src, dst, diffDst, diffSrc;
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        std::vector<int64_t> dims{batch};
        dims.insert(dims.end(), m_sample.dims.begin(), m_sample.dims.end());
        auto md = dnnlu::plainDesc(dims);
        // The first axis after the batch (features or channels); on a sequence {T, F} the
        // features of each step.
        const int axis = m_sample.sequence ? m_sample.rank() : 1;
        auto fwdTrainPd =
            softmax_forward::primitive_desc({prop_kind::forward_training, md, axis}, eng);
        auto fwdInferPd =
            softmax_forward::primitive_desc({prop_kind::forward_inference, md, axis}, eng);
        auto bwdPd = softmax_backward::primitive_desc({md, md, axis}, eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = softmax_forward(fwdTrainPd);
        p.fwdInfer = softmax_forward(fwdInferPd);
        p.bwd = softmax_backward(bwdPd);
        p.src = memory(md, eng, nullptr);
        p.dst = memory(md, eng, nullptr);
        p.diffDst = memory(md, eng, nullptr);
        p.diffSrc = memory(md, eng, nullptr);
        return p;
    }

    Shape m_sample;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// ---- ONNX export: Softmax (opset 13+: one axis, not flattened) over the features or channels,
// or over the features of each step of a sequence {N,T,F}.
const OnnxHookFn kSoftmaxOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const Shape& s = n.inputShapes[0];
    emitSingleOnnxNode("Softmax", n, out, {{"axis", int64_t{s.sequence ? s.rank() : 1}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kSoftmaxPyTorch([](const PyTorchNode& n) {
    // Over the feature axis: dim 1 of {N, F} and {N, C, H, W}, the last of a sequence {N, T, F}.
    return PyTorchModule{
        n.inputs[0].sequence ? "nn.Softmax(dim=-1)" : "nn.Softmax(dim=1)", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class SoftmaxDef final : public ActivationDef {
public:
    std::string type() const override { return "Softmax"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kSoftmaxOnnx;
        if (format == kPyTorchFormat) return &kSoftmaxPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Softmax"; }
    std::string description() const override {
        return "Turns scores into probabilities that are positive and add up to 1 (over the "
               "features, over the channels of an image, or over the features of each step of a "
               "sequence).";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        if (in[0].rank() < 1) throw Error("expects at least one feature axis, got a scalar");
        return in[0];
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape{3, 2, 2}};  // softmax over 3 channels at each of 2×2 pixels
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = ActivationDef::examples();
        rows.push_back({"sequence", rows.front().params, {Shape::sequenceOf({3, 4})}});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return std::make_unique<SoftmaxLayer>(in[0]);
    }
    bool outputsProbabilities(const Params&) const override { return true; }

protected:
    int64_t flopsPerElement() const override { return 5; }
};

}  // namespace

const LayerDef& softmaxLayerDef() {
    static const SoftmaxDef def;
    return def;
}

}  // namespace netloom::engine
