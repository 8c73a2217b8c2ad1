// Add: elementwise sum of 2–8 inputs of equal shape (residual connections). Forward on oneDNN's
// sum; its gradient reaches every input unchanged, so backward is one copy per input.
#include <algorithm>
#include <cstring>
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

class AddLayer final : public SingleOutputLayer {
public:
    AddLayer(int inputs, int64_t elements) : m_inputs(inputs), m_elements(elements) {}

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        Prims& p = *m_cache;
        for (size_t i = 0; i < p.srcs.size(); ++i)
            p.srcs[i].set_data_handle(const_cast<float*>(in[i]->data()));
        p.dst.set_data_handle(out.data());
        p.sum.execute(m_ctx->dnnl().stream, p.args);
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        const size_t bytes = static_cast<size_t>(gradOut.size()) * sizeof(float);
        for (Tensor* g : gradIn)
            if (g && g->data() != gradOut.data()) std::memcpy(g->data(), gradOut.data(), bytes);
    }

private:
    struct Prims {
        primitive sum;
        std::vector<memory> srcs;
        memory dst;
        std::unordered_map<int, memory> args;  // the memories above, rebound per call
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        auto md = dnnlu::plainDesc({batch, m_elements});
        std::vector<memory::desc> mds(static_cast<size_t>(m_inputs), md);
        std::vector<float> scales(static_cast<size_t>(m_inputs), 1.0f);
        auto pd = sum::primitive_desc(md, scales, mds, ctx.dnnl().engine);
        Prims p;
        p.sum = sum(pd);
        for (int i = 0; i < m_inputs; ++i) {
            p.srcs.emplace_back(md, ctx.dnnl().engine, nullptr);
            p.args.emplace(DNNL_ARG_MULTIPLE_SRC + i, p.srcs.back());
        }
        p.dst = memory(md, ctx.dnnl().engine, nullptr);
        p.args.emplace(DNNL_ARG_DST, p.dst);
        return p;
    }

    int m_inputs;
    int64_t m_elements;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// ---- ONNX export: Add for two inputs, Sum for more.
const OnnxHookFn kAddOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode(n.inputs.size() == 2 ? "Add" : "Sum", n, out);
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kAddPyTorch([](const PyTorchNode& n) {
    std::string sum = "{0}";
    for (size_t i = 1; i < n.inputs.size(); ++i) sum += " + {" + std::to_string(i) + "}";
    return PyTorchModule{"", sum, {}};
});
// ---- end of PyTorch export ----

class AddDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Add"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kAddOnnx;
        if (format == kPyTorchFormat) return &kAddPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Add"; }
    std::string category() const override { return "Merge"; }
    std::string description() const override {
        return "Adds its inputs value by value (all inputs need the same shape); used for "
               "skip connections as in ResNet.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("inputs", "Inputs", 2, 2, 8, "Number of inputs to add")};
    }
    int minInputs(const Params& p) const override { return static_cast<int>(p.getInt("inputs")); }
    int maxInputs(const Params& p) const override { return minInputs(p); }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        const size_t n = static_cast<size_t>(p.getInt("inputs"));
        if (in.size() != n)
            throw Error("needs " + std::to_string(n) + " inputs, got " + std::to_string(in.size()));
        for (size_t i = 1; i < n; ++i)
            if (in[i] != in[0])
                throw Error("input " + std::to_string(i + 1) + " is " + in[i].toString() +
                            " but input 1 is " + in[0].toString() +
                            ": all inputs of Add need the same shape");
        return in[0];
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params&) const override { return 0; }
    int64_t flops(const std::vector<Shape>& in, const Shape& out, const Params&) const override {
        return std::max<int64_t>(1, static_cast<int64_t>(in.size()) - 1) * out.elements();
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        return std::vector<Shape>(static_cast<size_t>(p.getInt("inputs")), Shape{2, 3, 3});
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = SingleOutputDef::examples();
        Params three = rows.front().params;
        three.set("inputs", int64_t{3});
        rows.push_back({"three inputs", three, exampleInputs(three)});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<AddLayer>(static_cast<int>(p.getInt("inputs")), in[0].elements());
    }
};

}  // namespace

const LayerDef& addLayerDef() {
    static const AddDef def;
    return def;
}

}  // namespace netloom::engine
