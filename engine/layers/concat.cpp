// Concat: joins 2–8 inputs along one axis of the sample (0 = channels of an image, features of a
// flat input); all other dimensions must match. Forward on oneDNN's concat; it has no backward,
// so backward splits the gradient with plain row copies.
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

class ConcatLayer final : public SingleOutputLayer {
public:
    ConcatLayer(std::vector<Shape> inputs, Shape output, int axis)
        : m_inputs(std::move(inputs)), m_output(std::move(output)), m_axis(axis) {
        // A sample is `before` blocks; in each, input i contributes dims[axis]·after values.
        for (int d = 0; d < axis; ++d) m_before *= m_output[d];
        for (int d = axis + 1; d < m_output.rank(); ++d) m_after *= m_output[d];
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        Prims& p = *m_cache;
        for (size_t i = 0; i < p.srcs.size(); ++i)
            p.srcs[i].set_data_handle(const_cast<float*>(in[i]->data()));
        p.dst.set_data_handle(out.data());
        p.concat.execute(m_ctx->dnnl().stream, p.args);
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        const int64_t blocks = gradOut.batch() * m_before;
        const int64_t outRow = m_output[m_axis] * m_after;
        int64_t offset = 0;
        for (size_t i = 0; i < m_inputs.size(); ++i) {
            const int64_t chunk = m_inputs[i][m_axis] * m_after;
            if (i < gradIn.size() && gradIn[i]) {
                float* dst = gradIn[i]->data();
                const float* src = gradOut.data() + offset;
                for (int64_t b = 0; b < blocks; ++b)
                    std::memcpy(dst + b * chunk, src + b * outRow,
                                static_cast<size_t>(chunk) * sizeof(float));
            }
            offset += chunk;
        }
    }

private:
    struct Prims {
        primitive concat;
        std::vector<memory> srcs;
        memory dst;
        std::unordered_map<int, memory> args;  // the memories above, rebound per call
    };

    static memory::desc batchDesc(int64_t batch, const Shape& s) {
        std::vector<int64_t> dims{batch};
        dims.insert(dims.end(), s.dims.begin(), s.dims.end());
        return dnnlu::plainDesc(dims);
    }

    Prims build(int64_t batch, ComputeContext& ctx) {
        std::vector<memory::desc> mds;
        for (const Shape& s : m_inputs) mds.push_back(batchDesc(batch, s));
        auto dstMd = batchDesc(batch, m_output);
        auto pd = concat::primitive_desc(dstMd, m_axis + 1, mds, ctx.dnnl().engine);
        Prims p;
        p.concat = concat(pd);
        for (size_t i = 0; i < mds.size(); ++i) {
            p.srcs.emplace_back(mds[i], ctx.dnnl().engine, nullptr);
            p.args.emplace(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), p.srcs.back());
        }
        p.dst = memory(dstMd, ctx.dnnl().engine, nullptr);
        p.args.emplace(DNNL_ARG_DST, p.dst);
        return p;
    }

    std::vector<Shape> m_inputs;
    Shape m_output;
    int m_axis;
    int64_t m_before = 1, m_after = 1;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// ---- ONNX export: Concat; our axis counts from the first axis of a sample, ONNX's from the batch.
const OnnxHookFn kConcatOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("Concat", n, out, {{"axis", n.params.getInt("axis") + 1}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kConcatPyTorch([](const PyTorchNode& n) {
    std::string list = "{0}";
    for (size_t i = 1; i < n.inputs.size(); ++i) list += ", {" + std::to_string(i) + "}";
    return PyTorchModule{
        "",
        "torch.cat([" + list + "], dim=" + std::to_string(n.params.getInt("axis") + 1) + ")",
        {}};
});
// ---- end of PyTorch export ----

class ConcatDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Concat"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kConcatOnnx;
        if (format == kPyTorchFormat) return &kConcatPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Concatenate"; }
    std::string category() const override { return "Merge"; }
    std::string description() const override {
        return "Joins its inputs side by side along one axis, e.g. stacks the channels of two "
               "images; the other dimensions must match.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("inputs", "Inputs", 2, 2, 8, "Number of inputs to join"),
                ParamSpec::integer("axis", "Axis", 0, 0, 3,
                                   "Axis of one sample to join along: 0 = channels of an image "
                                   "or the features of a flat input")};
    }
    int minInputs(const Params& p) const override { return static_cast<int>(p.getInt("inputs")); }
    int maxInputs(const Params& p) const override { return minInputs(p); }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        const size_t n = static_cast<size_t>(p.getInt("inputs"));
        const int axis = static_cast<int>(p.getInt("axis"));
        if (in.size() != n)
            throw Error("needs " + std::to_string(n) + " inputs, got " + std::to_string(in.size()));
        const int rank = in[0].rank();
        if (axis >= rank)
            throw Error("cannot join along axis " + std::to_string(axis) + ": input 1 is " +
                        in[0].toString() + ", whose axes are 0 to " + std::to_string(rank - 1));
        Shape out = in[0];
        for (size_t i = 1; i < n; ++i) {
            const std::string both = "input " + std::to_string(i + 1) + " is " + in[i].toString() +
                                     " but input 1 is " + in[0].toString();
            if (in[i].rank() != rank)
                throw Error(both + ": inputs of Concat need the same number of dimensions");
            for (int d = 0; d < rank; ++d)
                if (d != axis && in[i][d] != in[0][d])
                    throw Error(both + ": to join along axis " + std::to_string(axis) + ", axis " +
                                std::to_string(d) + " must match (" + std::to_string(in[i][d]) +
                                " vs " + std::to_string(in[0][d]) + ")");
            out.dims[static_cast<size_t>(axis)] += in[i][axis];
        }
        return out;
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params&) const override { return 0; }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        // Distinct sizes along the axis so a mixed-up split shows in the gradient check.
        const int axis = static_cast<int>(p.getInt("axis"));
        const std::vector<int64_t> base{2, 3, 2, 2};
        std::vector<Shape> shapes;
        for (int64_t i = 0; i < p.getInt("inputs"); ++i) {
            Shape s(std::vector<int64_t>(base.begin(), base.begin() + std::max(3, axis + 1)));
            s.dims[static_cast<size_t>(axis)] = i + 1;
            shapes.push_back(s);
        }
        return shapes;
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = SingleOutputDef::examples();
        Params three = rows.front().params;
        three.set("inputs", int64_t{3});
        three.set("axis", int64_t{1});
        rows.push_back({"three inputs on axis 1", three, exampleInputs(three)});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<ConcatLayer>(in, inferShape(in, p),
                                             static_cast<int>(p.getInt("axis")));
    }
};

}  // namespace

const LayerDef& concatLayerDef() {
    static const ConcatDef def;
    return def;
}

}  // namespace netloom::engine
