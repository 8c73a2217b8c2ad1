// LayerNorm: normalizes each vector over its last axis (every token of a sequence {T, d}, or a
// flat {d} sample) to zero mean and unit variance, then scales and shifts with learned
// per-feature weight and bias, like PyTorch's nn.LayerNorm(d) (same names, same biased
// variance, epsilon inside the square root). Runs on oneDNN's layer_normalization as one
// {N·T, d} matrix: forward_training keeps the statistics {N·T} for the backward pass;
// prop_kind::backward gives the input, scale and shift gradients at once.
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

class LayerNormLayer final : public SingleOutputLayer {
public:
    // rowsPerSample: T for a sequence {T, d}, 1 for a flat {d}.
    LayerNormLayer(int64_t rowsPerSample, int64_t features, float epsilon)
        : m_rowsPerSample(rowsPerSample), m_features(features), m_epsilon(epsilon) {
        for (Parameter* p : {&m_weight, &m_bias}) {
            p->decay = false;  // like BatchNorm's gamma/beta: exempt from weight decay
            p->value.resize({features});
            p->grad.resize({features});
            p->grad.zero();
        }
        m_weight.name = "weight";
        m_bias.name = "bias";
        resetValues();
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        const int64_t rows = batch * m_rowsPerSample;
        m_mean.resize({rows});
        m_var.resize({rows});
        m_cache.select({batch}, [&] { return build(rows, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_cache;
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, dnnlu::bind(p.data, *in[0])},
                                             {DNNL_ARG_DST, dnnlu::bind(p.out, out)},
                                             {DNNL_ARG_SCALE, dnnlu::bind(p.scale, m_weight.value)},
                                             {DNNL_ARG_SHIFT, dnnlu::bind(p.shift, m_bias.value)}};
        if (training) {  // the statistics are outputs here and inputs of the backward pass
            args.insert({DNNL_ARG_MEAN, dnnlu::bind(p.mean, m_mean)});
            args.insert({DNNL_ARG_VARIANCE, dnnlu::bind(p.var, m_var)});
        }
        (training ? p.fwdTrain : p.fwdInfer).execute(m_ctx->dnnl().stream, args);
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        Prims& p = *m_cache;
        Tensor* diffSrc = !gradIn.empty() && gradIn[0] ? gradIn[0] : &m_scratch;
        if (diffSrc == &m_scratch) m_scratch.resize(in[0]->dims());
        p.bwd.execute(m_ctx->dnnl().stream,
                      {{DNNL_ARG_SRC, dnnlu::bind(p.data, *in[0])},
                       {DNNL_ARG_MEAN, dnnlu::bind(p.mean, m_mean)},
                       {DNNL_ARG_VARIANCE, dnnlu::bind(p.var, m_var)},
                       {DNNL_ARG_DIFF_DST, dnnlu::bind(p.diffDst, gradOut)},
                       {DNNL_ARG_SCALE, dnnlu::bind(p.scale, m_weight.value)},
                       {DNNL_ARG_SHIFT, dnnlu::bind(p.shift, m_bias.value)},
                       {DNNL_ARG_DIFF_SRC, dnnlu::bind(p.diffSrc, *diffSrc)},
                       {DNNL_ARG_DIFF_SCALE, dnnlu::bind(p.diffScale, m_weight.grad)},
                       {DNNL_ARG_DIFF_SHIFT, dnnlu::bind(p.diffShift, m_bias.grad)}});
        m_ctx->dnnl().stream.wait();
    }

    std::vector<Parameter*> parameters() override { return {&m_weight, &m_bias}; }
    void initialize(Rng&, InitScheme) override { resetValues(); }  // PyTorch: ones and zeros
    std::vector<std::string> primitiveImplementations() const override {
        return m_cache.current() ? m_cache.current()->impls : std::vector<std::string>{};
    }

private:
    struct Prims {
        primitive fwdTrain, fwdInfer, bwd;
        memory data, out, diffDst, diffSrc, scale, shift, mean, var, diffScale, diffShift;
        std::vector<std::string> impls;
    };

    void resetValues() {
        m_weight.value.fill(1.0f);
        m_bias.value.zero();
    }

    Prims build(int64_t rows, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        const auto dataMd = dnnlu::plainDesc({rows, m_features});
        const auto statMd = dnnlu::plainDesc({rows});
        const auto paramMd = dnnlu::plainDesc({m_features});
        const auto affine = normalization_flags::use_scale | normalization_flags::use_shift;
        auto fwdTrainPd = layer_normalization_forward::primitive_desc(
            {prop_kind::forward_training, dataMd, statMd, m_epsilon, affine}, eng);
        auto fwdInferPd = layer_normalization_forward::primitive_desc(
            {prop_kind::forward_inference, dataMd, statMd, m_epsilon, affine}, eng);
        // With scale and shift the gradients of both come from prop_kind::backward.
        auto bwdPd = layer_normalization_backward::primitive_desc(
            {prop_kind::backward, dataMd, dataMd, statMd, m_epsilon, affine}, eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = layer_normalization_forward(fwdTrainPd);
        p.fwdInfer = layer_normalization_forward(fwdInferPd);
        p.bwd = layer_normalization_backward(bwdPd);
        p.impls = {fwdTrainPd.impl_info_str(), fwdInferPd.impl_info_str(), bwdPd.impl_info_str()};
        for (memory* m : {&p.data, &p.out, &p.diffDst, &p.diffSrc})
            *m = memory(dataMd, eng, nullptr);
        for (memory* m : {&p.mean, &p.var}) *m = memory(statMd, eng, nullptr);
        for (memory* m : {&p.scale, &p.shift, &p.diffScale, &p.diffShift})
            *m = memory(paramMd, eng, nullptr);
        return p;
    }

    int64_t m_rowsPerSample, m_features;
    float m_epsilon;
    Parameter m_weight, m_bias;
    Tensor m_mean, m_var;  // of the last training forward, for backward
    Tensor m_scratch;      // diff src when the input needs no gradient
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// ---- ONNX export: LayerNormalization (opset 17) over the last axis.
const OnnxHookFn kLayerNormOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const int64_t d = n.inputShapes[0].dims.back();
    out.addNode(
        "LayerNormalization",
        {n.inputs[0], out.addFloats(n.name + ".weight", {d}, onnxValues(n.weight("weight"))),
         out.addFloats(n.name + ".bias", {d}, onnxValues(n.weight("bias")))},
        {n.outputs[0]}, {{"axis", int64_t{-1}}, {"epsilon", onnxFloat(n.params, "epsilon")}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kLayerNormPyTorch([](const PyTorchNode& n) {
    return PyTorchModule{"nn.LayerNorm(" + std::to_string(n.inputs[0].dims.back()) +
                             ", eps=" + pyFloat(n.params.getFloat("epsilon")) + ")",
                         "{m}({0})",
                         {{"weight", "weight"}, {"bias", "bias"}}};
});
// ---- end of PyTorch export ----

class LayerNormDef final : public SingleOutputDef {
public:
    std::string type() const override { return "LayerNorm"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kLayerNormOnnx;
        if (format == kPyTorchFormat) return &kLayerNormPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Layer Norm"; }
    std::string category() const override { return "Normalization"; }
    std::string description() const override {
        return "Rescales every token (or a flat vector) to zero mean and unit variance over its "
               "features, then applies a learned scale and shift; the normalization of "
               "Transformers. Does not depend on the batch.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::real("epsilon", "Epsilon", 1e-5, 1e-10, 1.0,
                                "Small number added to the variance to avoid dividing by zero")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        const Shape& s = in[0];
        if (s.rank() == 1 || (s.sequence && s.rank() == 2)) return s;
        throw Error("expects tokens (steps × features) or a flat input, got " + s.toString() +
                    ": it normalizes each token's features; for images use Batch Norm or turn "
                    "the image into tokens with Patch Embedding");
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params&) const override {
        return 2 * in[0].dims.back();
    }
    int64_t flops(const std::vector<Shape>&, const Shape& out, const Params&) const override {
        return 6 * out.elements();  // mean, variance, subtract, 1/σ, scale, shift
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape::sequenceOf({4, 6})};
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = SingleOutputDef::examples();
        rows.push_back({"flat", rows.front().params, {Shape{5}}});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        const Shape s = inferShape(in, p);
        return std::make_unique<LayerNormLayer>(s.rank() == 2 ? s[0] : 1, s.dims.back(),
                                                static_cast<float>(p.getFloat("epsilon")));
    }
};

}  // namespace

const LayerDef& layerNormLayerDef() {
    static const LayerNormDef def;
    return def;
}

}  // namespace netloom::engine
