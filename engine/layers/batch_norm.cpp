// BatchNorm: normalizes each channel (images) or feature (flat inputs) to zero mean and unit
// variance, then scales by gamma and shifts by beta. Training uses the batch statistics and
// updates running estimates with PyTorch's convention (momentum 0.1 weighs the new batch,
// unbiased variance); inference uses the running estimates. oneDNN's batch normalization does the
// math; a flat {F} input runs as {N, F, 1, 1}.
#include <map>
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

class BatchNormLayer final : public SingleOutputLayer {
public:
    BatchNormLayer(int64_t channels, int64_t height, int64_t width, float momentum, float epsilon)
        : m_c(channels), m_h(height), m_w(width), m_momentum(momentum), m_epsilon(epsilon) {
        for (Parameter* p : {&m_gamma, &m_beta}) {
            p->decay = false;
            p->value.resize({channels});
            p->grad.resize({channels});
            p->grad.zero();
        }
        m_gamma.name = "gamma";
        m_beta.name = "beta";
        for (Tensor* t : {&m_runningMean, &m_runningVar, &m_batchMean, &m_batchVar})
            t->resize({channels});
        m_batchMean.zero();
        m_batchVar.fill(1.0f);
        resetValues();
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_batch = batch;
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_cache;
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, dnnlu::bind(p.data, *in[0])},
                                             {DNNL_ARG_DST, dnnlu::bind(p.out, out)},
                                             {DNNL_ARG_SCALE, dnnlu::bind(p.scale, m_gamma.value)},
                                             {DNNL_ARG_SHIFT, dnnlu::bind(p.shift, m_beta.value)}};
        if (training) {  // batch statistics are outputs here, inputs of the backward pass
            args.insert({DNNL_ARG_MEAN, dnnlu::bind(p.mean, m_batchMean)});
            args.insert({DNNL_ARG_VARIANCE, dnnlu::bind(p.var, m_batchVar)});
            p.fwdTrain.execute(m_ctx->dnnl().stream, args);
        } else {
            args.insert({DNNL_ARG_MEAN, dnnlu::bind(p.mean, m_runningMean)});
            args.insert({DNNL_ARG_VARIANCE, dnnlu::bind(p.var, m_runningVar)});
            p.fwdInfer.execute(m_ctx->dnnl().stream, args);
        }
        m_ctx->dnnl().stream.wait();
        if (training) updateRunningStats();
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        Prims& p = *m_cache;
        Tensor* diffSrc = !gradIn.empty() && gradIn[0] ? gradIn[0] : &m_scratch;
        if (diffSrc == &m_scratch) m_scratch.resize(in[0]->dims());
        p.bwd.execute(m_ctx->dnnl().stream,
                      {{DNNL_ARG_SRC, dnnlu::bind(p.data, *in[0])},
                       {DNNL_ARG_MEAN, dnnlu::bind(p.mean, m_batchMean)},
                       {DNNL_ARG_VARIANCE, dnnlu::bind(p.var, m_batchVar)},
                       {DNNL_ARG_DIFF_DST, dnnlu::bind(p.diffDst, gradOut)},
                       {DNNL_ARG_SCALE, dnnlu::bind(p.scale, m_gamma.value)},
                       {DNNL_ARG_SHIFT, dnnlu::bind(p.shift, m_beta.value)},
                       {DNNL_ARG_DIFF_SRC, dnnlu::bind(p.diffSrc, *diffSrc)},
                       {DNNL_ARG_DIFF_SCALE, dnnlu::bind(p.diffScale, m_gamma.grad)},
                       {DNNL_ARG_DIFF_SHIFT, dnnlu::bind(p.diffShift, m_beta.grad)}});
        m_ctx->dnnl().stream.wait();
    }

    std::vector<Parameter*> parameters() override { return {&m_gamma, &m_beta}; }
    std::vector<std::pair<std::string, Tensor*>> states() override {
        return {{"running_mean", &m_runningMean}, {"running_var", &m_runningVar}};
    }
    void initialize(Rng&, InitScheme) override { resetValues(); }

private:
    struct Prims {
        primitive fwdTrain, fwdInfer, bwd;
        memory data, out, diffDst, diffSrc, scale, shift, mean, var, diffScale, diffShift;
    };

    void resetValues() {
        m_gamma.value.fill(1.0f);
        m_beta.value.zero();
        m_runningMean.zero();
        m_runningVar.fill(1.0f);
    }

    // running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance
    // (oneDNN reports the biased one). A single value per channel has no unbiased variance: then
    // the biased one (0) is used rather than failing the step.
    void updateRunningStats() {
        const int64_t n = m_batch * m_h * m_w;
        const float unbias = n > 1 ? static_cast<float>(n) / static_cast<float>(n - 1) : 1.0f;
        const float m = m_momentum;
        for (int64_t c = 0; c < m_c; ++c) {
            m_runningMean[c] = (1.0f - m) * m_runningMean[c] + m * m_batchMean[c];
            m_runningVar[c] = (1.0f - m) * m_runningVar[c] + m * m_batchVar[c] * unbias;
        }
    }

    Prims build(int64_t batch, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        const auto dataMd = dnnlu::plainDesc({batch, m_c, m_h, m_w});
        const auto statMd = dnnlu::plainDesc({m_c});
        const auto affine = normalization_flags::use_scale | normalization_flags::use_shift;
        auto fwdTrainPd = batch_normalization_forward::primitive_desc(
            {prop_kind::forward_training, dataMd, m_epsilon, affine}, eng);
        auto fwdInferPd = batch_normalization_forward::primitive_desc(
            {prop_kind::forward_inference, dataMd, m_epsilon,
             affine | normalization_flags::use_global_stats},
            eng);
        // With scale and shift only prop_kind::backward is supported (see NOTES.md).
        auto bwdPd = batch_normalization_backward::primitive_desc(
            {prop_kind::backward, dataMd, dataMd, m_epsilon, affine}, eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = batch_normalization_forward(fwdTrainPd);
        p.fwdInfer = batch_normalization_forward(fwdInferPd);
        p.bwd = batch_normalization_backward(bwdPd);
        for (memory* m : {&p.data, &p.out, &p.diffDst, &p.diffSrc})
            *m = memory(dataMd, eng, nullptr);
        for (memory* m : {&p.scale, &p.shift, &p.mean, &p.var, &p.diffScale, &p.diffShift})
            *m = memory(statMd, eng, nullptr);
        return p;
    }

    int64_t m_c, m_h, m_w;
    float m_momentum, m_epsilon;
    Parameter m_gamma, m_beta;
    Tensor m_runningMean, m_runningVar;  // saved with the weights
    Tensor m_batchMean, m_batchVar;      // of the last training forward, for backward
    Tensor m_scratch;                    // diff src when the input needs no gradient
    int64_t m_batch = 0;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// ---- ONNX export: BatchNormalization in inference mode on the running statistics. ONNX's
// momentum weighs the old estimate (PyTorch's and ours the new batch): 1 − momentum.
const OnnxHookFn kBatchNormOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const int64_t c = n.inputShapes[0][0];
    std::vector<std::string> inputs{n.inputs[0]};
    for (const char* key : {"gamma", "beta", "running_mean", "running_var"})
        inputs.push_back(out.addFloats(n.name + "." + key, {c}, onnxValues(n.weight(key))));
    out.addNode("BatchNormalization", inputs, {n.outputs[0]},
                {{"epsilon", onnxFloat(n.params, "epsilon")},
                 {"momentum", static_cast<float>(1.0 - n.params.getFloat("momentum"))}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kBatchNormPyTorch([](const PyTorchNode& n) {
    // Same momentum convention and unbiased running variance as PyTorch's BatchNorm.
    const bool image = n.inputs[0].rank() == 3;
    return PyTorchModule{std::string(image ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(") +
                             std::to_string(n.inputs[0][0]) +
                             ", eps=" + pyFloat(n.params.getFloat("epsilon")) +
                             ", momentum=" + pyFloat(n.params.getFloat("momentum")) + ")",
                         "{m}({0})",
                         {{"gamma", "weight"},
                          {"beta", "bias"},
                          {"running_mean", "running_mean"},
                          {"running_var", "running_var"}}};
});
// ---- end of PyTorch export ----

class BatchNormDef final : public SingleOutputDef {
public:
    std::string type() const override { return "BatchNorm"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kBatchNormOnnx;
        if (format == kPyTorchFormat) return &kBatchNormPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Batch Norm"; }
    std::string category() const override { return "Normalization"; }
    std::string description() const override {
        return "Rescales each channel to zero mean and unit variance over the batch, then applies "
               "a learned scale and shift; usually makes training faster and more stable.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::real("momentum", "Momentum", 0.1, 0.0, 1.0,
                                "Weight of each new batch in the running mean and variance used "
                                "for inference (PyTorch convention)"),
                ParamSpec::real("epsilon", "Epsilon", 1e-5, 1e-10, 1.0,
                                "Small number added to the variance to avoid dividing by zero")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        if (in[0].rank() != 1 && in[0].rank() != 3)
            throw Error("expects an image input C×H×W or a flat input, got " + in[0].toString());
        return in[0];
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params&) const override {
        return 2 * in[0][0];
    }
    int64_t flops(const std::vector<Shape>&, const Shape& out, const Params&) const override {
        return 4 * out.elements();  // subtract, multiply by 1/σ, scale, shift
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{3, 4, 4}}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        inferShape(in, p);
        const Shape& s = in[0];
        return std::make_unique<BatchNormLayer>(
            s[0], s.rank() == 3 ? s[1] : 1, s.rank() == 3 ? s[2] : 1,
            static_cast<float>(p.getFloat("momentum")), static_cast<float>(p.getFloat("epsilon")));
    }
};

}  // namespace

const LayerDef& batchNormLayerDef() {
    static const BatchNormDef def;
    return def;
}

}  // namespace netloom::engine
