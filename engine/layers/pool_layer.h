#pragma once
// The Layer behind MaxPool2D, AvgPool2D and GlobalAvgPool: oneDNN pooling on plain N×C×H×W
// tensors. Max pooling keeps the workspace of forward_training (where each maximum came from)
// for its backward pass.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/spatial.h"

namespace netloom::engine::detail {

struct PoolGeometry {
    int64_t channels = 0, inH = 0, inW = 0;
    int64_t kernelH = 0, kernelW = 0, strideH = 0, strideW = 0;
    spatial::Axis y, x;
};

class PoolLayer final : public SingleOutputLayer {
public:
    // algo: pooling_max or pooling_avg_exclude_padding. The output tensor may be {N,C,OH,OW} or,
    // for a global pool, {N,C}: both have the same plain layout.
    PoolLayer(const PoolGeometry& g, dnnl::algorithm algo) : m_g(g), m_algo(algo) {}

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_cache;
        std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, dnnlu::bind(p.src, *in[0])},
                                                   {DNNL_ARG_DST, dnnlu::bind(p.dst, out)}};
        if (training && p.workspace) args.insert({DNNL_ARG_WORKSPACE, p.workspace});
        (training ? p.fwdTrain : p.fwdInfer).execute(m_ctx->dnnl().stream, args);
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;  // no parameters: nothing else to compute
        Prims& p = *m_cache;
        std::unordered_map<int, dnnl::memory> args{
            {DNNL_ARG_DIFF_DST, dnnlu::bind(p.diffDst, gradOut)},
            {DNNL_ARG_DIFF_SRC, dnnlu::bind(p.diffSrc, *gradIn[0])}};
        if (p.workspace) args.insert({DNNL_ARG_WORKSPACE, p.workspace});
        p.bwd.execute(m_ctx->dnnl().stream, args);
        m_ctx->dnnl().stream.wait();
    }

private:
    struct Prims {
        dnnl::primitive fwdTrain, fwdInfer, bwd;
        dnnl::memory src, dst, diffDst, diffSrc;
        dnnl::memory workspace;  // max pooling only; written by fwdTrain, read by bwd
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        using namespace dnnl;
        const dnnl::engine& eng = ctx.dnnl().engine;
        const PoolGeometry& g = m_g;
        const auto srcMd = dnnlu::plainDesc({batch, g.channels, g.inH, g.inW});
        const auto dstMd = dnnlu::plainDesc({batch, g.channels, g.y.out, g.x.out});
        const memory::dims strides{g.strideH, g.strideW}, kernel{g.kernelH, g.kernelW};
        const memory::dims padL{g.y.padBefore, g.x.padBefore}, padR{g.y.padAfter, g.x.padAfter};
        auto fwdTrainPd = pooling_forward::primitive_desc(
            {prop_kind::forward_training, m_algo, srcMd, dstMd, strides, kernel, padL, padR}, eng);
        auto fwdInferPd = pooling_forward::primitive_desc(
            {prop_kind::forward_inference, m_algo, srcMd, dstMd, strides, kernel, padL, padR}, eng);
        auto bwdPd = pooling_backward::primitive_desc(
            {m_algo, srcMd, dstMd, strides, kernel, padL, padR}, eng, fwdTrainPd);
        Prims p;
        p.fwdTrain = pooling_forward(fwdTrainPd);
        p.fwdInfer = pooling_forward(fwdInferPd);
        p.bwd = pooling_backward(bwdPd);
        p.src = memory(srcMd, eng, nullptr);
        p.dst = memory(dstMd, eng, nullptr);
        p.diffDst = memory(dstMd, eng, nullptr);
        p.diffSrc = memory(srcMd, eng, nullptr);
        if (fwdTrainPd.workspace_desc().get_size() > 0)
            p.workspace = memory(fwdTrainPd.workspace_desc(), eng);
        return p;
    }

    PoolGeometry m_g;
    dnnl::algorithm m_algo;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

// The def shared by MaxPool2D and AvgPool2D: square window, stride 0 = the window size,
// padding valid/same.
class WindowPoolDef : public SingleOutputDef {
public:
    virtual dnnl::algorithm poolAlgorithm() const = 0;

    std::string category() const override { return "Pooling"; }
    ParamSchema schema() const override {
        ParamSpec stride =
            ParamSpec::integer("stride", "Stride", 0, 0, 15,
                               "Step between windows; 0 means the pool size (no overlap)");
        stride.zeroMeans = "pool size";
        return {ParamSpec::integer("pool_size", "Pool size", 2, 1, 15,
                                   "Height and width of the window"),
                stride,
                ParamSpec::choice("padding", "Padding", {"valid", "same", "explicit"}, "valid",
                                  "valid: drop what does not fill a window; same: pad so the "
                                  "output is input/stride; explicit: 'Pad' on every side "
                                  "(PyTorch's padding=p)"),
                ParamSpec::integer("pad", "Pad", 1, 0, 7,
                                   "Border on every side when padding is explicit, at most half "
                                   "the pool size; the border is never a maximum nor counted "
                                   "in an average")};
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> out = SingleOutputDef::examples();
        // PyTorch's ResNet stem pool (3×3, stride 2, padding 1): what ONNX files from
        // torch.onnx.export carry and "same" cannot express (it pads 0 before, 1 after).
        Params p = out.front().params;
        p.set("pool_size", int64_t{3});
        p.set("stride", int64_t{2});
        p.set("padding", std::string("explicit"));
        p.set("pad", int64_t{1});
        out.push_back({"explicit pad 1, size 3, stride 2", p, exampleInputs(p)});
        return out;
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        PoolGeometry g = geometry(in[0], p);
        return Shape{g.channels, g.y.out, g.x.out};
    }
    int64_t flops(const std::vector<Shape>&, const Shape& out, const Params& p) const override {
        const int64_t k = p.getInt("pool_size");
        return out.elements() * k * k;
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        const int64_t k = p.getInt("pool_size");
        const int64_t s = p.getInt("stride") > 0 ? p.getInt("stride") : k;
        const int64_t side = std::max<int64_t>(6, k + s + 1);
        return {Shape{2, side, side}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<PoolLayer>(geometry(in[0], p), poolAlgorithm());
    }

    static PoolGeometry geometry(const Shape& in, const Params& p) {
        spatial::requireImage(in);
        PoolGeometry g;
        g.channels = in[0];
        g.inH = in[1];
        g.inW = in[2];
        g.kernelH = g.kernelW = p.getInt("pool_size");
        g.strideH = g.strideW = p.getInt("stride") > 0 ? p.getInt("stride") : g.kernelH;
        const std::string padding = p.getString("padding");
        if (padding == "explicit") {
            const int64_t pad = p.getInt("pad");
            // A window wholly in the border would have no value to keep or average.
            if (2 * pad > g.kernelH)
                throw Error("pad " + std::to_string(pad) + " is more than half the pool size " +
                            std::to_string(g.kernelH) +
                            ": a window could lie wholly in the border (PyTorch refuses it too)");
            g.y = spatial::slideExplicit(g.inH, g.kernelH, g.strideH, 1, pad, "height");
            g.x = spatial::slideExplicit(g.inW, g.kernelW, g.strideW, 1, pad, "width");
            return g;
        }
        const bool same = padding == "same";
        g.y = spatial::slide(g.inH, g.kernelH, g.strideH, 1, same, "height");
        g.x = spatial::slide(g.inW, g.kernelW, g.strideW, 1, same, "width");
        return g;
    }
};

// The ONNX attributes of a window pool (MaxPool, AveragePool): square kernel, stride, explicit
// pads {top, left, bottom, right}.
inline OnnxAttributes onnxPoolAttributes(const PoolGeometry& g) {
    return {
        {"kernel_shape", std::vector<int64_t>{g.kernelH, g.kernelW}},
        {"strides", std::vector<int64_t>{g.strideH, g.strideW}},
        {"pads", std::vector<int64_t>{g.y.padBefore, g.x.padBefore, g.y.padAfter, g.x.padAfter}}};
}

}  // namespace netloom::engine::detail
