// Dense (fully connected): y = x·Wᵀ + b on oneDNN's inner product. W is {units, inputs} like
// PyTorch's Linear, so weights map one to one to exports. On a sequence {T, F} it acts on the
// last axis of every step ({T, units}, like PyTorch's Linear on {N, T, F}): one inner product
// over N·T rows of the same buffers, no copies.
#include <map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/init.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

class DenseLayer final : public SingleOutputLayer {
public:
    // rowsPerSample: 1, or T for a sequence {T, in}.
    DenseLayer(int64_t in, int64_t out, int64_t rowsPerSample, bool useBias)
        : m_in(in), m_out(out), m_rowsPerSample(rowsPerSample), m_useBias(useBias) {
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
        m_cache.select({batch}, [&] { return build(batch * m_rowsPerSample, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_cache;
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
        Prims& p = *m_cache;
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

    std::vector<std::string> primitiveImplementations() const override {
        return m_cache.current() ? m_cache.current()->impls : std::vector<std::string>{};
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
        std::vector<std::string> impls;  // oneDNN's implementation names, for tests
    };

    Prims build(int64_t rows, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        auto srcMd = dnnlu::plainDesc({rows, m_in});
        auto wMd = dnnlu::plainDesc({m_out, m_in});
        auto bMd = dnnlu::plainDesc({m_out});
        auto dstMd = dnnlu::plainDesc({rows, m_out});
        auto fwdTrainPd = inner_product_forward::primitive_desc(
            {prop_kind::forward_training, srcMd, wMd, bMd, dstMd}, eng);
        auto fwdInferPd = inner_product_forward::primitive_desc(
            {prop_kind::forward_inference, srcMd, wMd, bMd, dstMd}, eng);
        auto bwdDataPd =
            inner_product_backward_data::primitive_desc({srcMd, wMd, dstMd}, eng, fwdTrainPd);
        auto bwdWeightsPd = inner_product_backward_weights::primitive_desc({srcMd, wMd, bMd, dstMd},
                                                                           eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = inner_product_forward(fwdTrainPd);
        p.fwdInfer = inner_product_forward(fwdInferPd);
        p.bwdData = inner_product_backward_data(bwdDataPd);
        p.bwdWeights = inner_product_backward_weights(bwdWeightsPd);
        p.impls = {fwdTrainPd.impl_info_str(), fwdInferPd.impl_info_str(),
                   bwdDataPd.impl_info_str(), bwdWeightsPd.impl_info_str()};
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

    int64_t m_in, m_out, m_rowsPerSample;
    bool m_useBias;
    Parameter m_weight, m_bias;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// ---- ONNX export: Gemm with transB=1 on {W: units×in}; on a sequence {N,T,F} a MatMul with
// Wᵀ plus an Add of the bias (Gemm takes 2-D inputs only).
const OnnxHookFn kDenseOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const Tensor& w = n.weight("weight");
    const int64_t units = w.dim(0), in = w.dim(1);
    const bool useBias = n.params.getBool("use_bias");
    const std::string bias =
        useBias ? out.addFloats(n.name + ".bias", {units}, onnxValues(n.weight("bias"))) : "";
    if (!n.inputShapes[0].sequence) {
        const std::string weight = out.addFloats(n.name + ".weight", {units, in}, onnxValues(w));
        std::vector<std::string> inputs{n.inputs[0], weight};
        if (useBias) inputs.push_back(bias);
        out.addNode("Gemm", inputs, {n.outputs[0]}, {{"transB", int64_t{1}}});
        return;
    }
    std::vector<float> wt(static_cast<size_t>(units * in));
    for (int64_t o = 0; o < units; ++o)
        for (int64_t i = 0; i < in; ++i) wt[static_cast<size_t>(i * units + o)] = w[o * in + i];
    const std::string weightT = out.addFloats(n.name + ".weight_t", {in, units}, wt);
    const std::string product = useBias ? out.freshName(n.name + ".matmul") : n.outputs[0];
    out.addNode("MatMul", {n.inputs[0], weightT}, {product});
    if (useBias) out.addNode("Add", {product, bias}, {n.outputs[0]});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kDensePyTorch([](const PyTorchNode& n) {
    // nn.Linear acts on the last axis, like Dense on a flat input or on every step.
    const bool bias = n.params.getBool("use_bias");
    PyTorchModule m{"nn.Linear(" + std::to_string(n.inputs[0].dims.back()) + ", " +
                        std::to_string(n.params.getInt("units")) + pyBiasArg(bias) + ")",
                    "{m}({0})",
                    {{"weight", "weight"}}};
    if (bias) m.tensors.push_back({"bias", "bias"});
    return m;
});
// ---- end of PyTorch export ----

class DenseDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Dense"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kDenseOnnx;
        if (format == kPyTorchFormat) return &kDensePyTorch;
        return nullptr;
    }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "Fully connected layer: every output unit is a weighted sum of all inputs plus a "
               "bias. Needs a flat input (use Flatten after images); on a sequence it works on "
               "each step.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("units", "Units", 128, 1, 65536, "Number of output units"),
                ParamSpec::boolean("use_bias", "Use bias", true, "Add a learned bias per unit")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        const int64_t units = p.getInt("units");
        if (isSequence(in[0])) return Shape::sequenceOf({in[0][0], units});
        if (in[0].rank() != 1)
            throw Error("expects a flat input, got " + in[0].toString() + ": insert Flatten");
        return Shape{units};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        int64_t units = p.getInt("units");
        return features(in[0]) * units + (p.getBool("use_bias") ? units : 0);
    }
    int64_t flops(const std::vector<Shape>& in, const Shape& out, const Params&) const override {
        return 2 * in[0].elements() * out.elements() / rows(in[0]);
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{7}}; }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = SingleOutputDef::examples();
        rows.push_back({"sequence", rows.front().params, {Shape::sequenceOf({3, 5})}});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<DenseLayer>(features(in[0]), p.getInt("units"), rows(in[0]),
                                            p.getBool("use_bias"));
    }

private:
    // A sequence {T, F}: Dense works over the last axis, T rows per sample.
    static bool isSequence(const Shape& s) { return s.sequence && s.rank() == 2; }
    static int64_t rows(const Shape& s) { return isSequence(s) ? s[0] : 1; }
    static int64_t features(const Shape& s) { return isSequence(s) ? s[1] : s.elements(); }
};

}  // namespace

const LayerDef& denseLayerDef() {
    static const DenseDef def;
    return def;
}

}  // namespace netloom::engine
