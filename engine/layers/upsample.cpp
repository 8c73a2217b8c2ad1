// Upsample: enlarges an image by an integer factor with oneDNN's resampling, either repeating
// each pixel (nearest) or interpolating between neighbours (bilinear, half-pixel centres like
// PyTorch's Upsample with align_corners=False). No parameters; followed by a Conv2D it is the
// checkerboard-free alternative to Conv2DTranspose.
#include <map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/spatial.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

struct UpsampleGeometry {
    int64_t channels = 0, inH = 0, inW = 0, factor = 1;
    bool bilinear = false;
};

class UpsampleLayer final : public SingleOutputLayer {
public:
    explicit UpsampleLayer(const UpsampleGeometry& g) : m_g(g) {}

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    // Resampling keeps no state between forward and backward, so one forward primitive serves
    // training and inference alike.
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        Prims& p = *m_cache;
        p.fwd.execute(m_ctx->dnnl().stream, {{DNNL_ARG_SRC, dnnlu::bind(p.src, *in[0])},
                                             {DNNL_ARG_DST, dnnlu::bind(p.dst, out)}});
        m_ctx->dnnl().stream.wait();
    }

    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;  // no parameters: nothing else to compute
        Prims& p = *m_cache;
        p.bwd.execute(m_ctx->dnnl().stream,
                      {{DNNL_ARG_DIFF_DST, dnnlu::bind(p.diffDst, gradOut)},
                       {DNNL_ARG_DIFF_SRC, dnnlu::bind(p.diffSrc, *gradIn[0])}});
        m_ctx->dnnl().stream.wait();
    }

private:
    struct Prims {
        resampling_forward fwd;
        resampling_backward bwd;
        memory src, dst, diffDst, diffSrc;
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        const UpsampleGeometry& g = m_g;
        const auto srcMd = dnnlu::plainDesc({batch, g.channels, g.inH, g.inW});
        const auto dstMd =
            dnnlu::plainDesc({batch, g.channels, g.inH * g.factor, g.inW * g.factor});
        const auto algo = g.bilinear ? algorithm::resampling_linear : algorithm::resampling_nearest;
        const std::vector<float> factors(2, static_cast<float>(g.factor));
        auto fwdPd = resampling_forward::primitive_desc(
            {prop_kind::forward_training, algo, factors, srcMd, dstMd}, eng);
        auto bwdPd = resampling_backward::primitive_desc({algo, factors, srcMd, dstMd}, eng, fwdPd);
        Prims p;
        p.fwd = resampling_forward(fwdPd);
        p.bwd = resampling_backward(bwdPd);
        p.src = memory(srcMd, eng, nullptr);
        p.dst = memory(dstMd, eng, nullptr);
        p.diffDst = memory(dstMd, eng, nullptr);
        p.diffSrc = memory(srcMd, eng, nullptr);
        return p;
    }

    UpsampleGeometry m_g;
    ComputeContext* m_ctx = nullptr;
    PrimitiveCache<Prims> m_cache;
};

UpsampleGeometry geometry(const Shape& in, const Params& p) {
    spatial::requireImage(in);
    UpsampleGeometry g;
    g.channels = in[0];
    g.inH = in[1];
    g.inW = in[2];
    g.factor = p.getInt("scale_factor");
    g.bilinear = p.getString("mode") == "bilinear";
    return g;
}

// ---- ONNX export: Resize by whole scales; nearest = floor(out/scale) (asymmetric), bilinear
// with half-pixel centres like oneDNN's linear resampling and PyTorch's align_corners=False.
const OnnxHookFn kUpsampleOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const float f = static_cast<float>(n.params.getInt("scale_factor"));
    const std::string scales = out.addFloats(n.name + ".scales", {4}, {1.0f, 1.0f, f, f});
    const bool bilinear = n.params.getString("mode") == "bilinear";
    OnnxAttributes a{
        {"mode", std::string(bilinear ? "linear" : "nearest")},
        {"coordinate_transformation_mode", std::string(bilinear ? "half_pixel" : "asymmetric")}};
    if (!bilinear) a["nearest_mode"] = std::string("floor");
    out.addNode("Resize", {n.inputs[0], "", scales}, {n.outputs[0]}, a);
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kUpsamplePyTorch([](const PyTorchNode& n) {
    // oneDNN's linear resampling uses half-pixel centres: align_corners=False.
    const UpsampleGeometry g = geometry(n.inputs[0], n.params);
    const std::string mode =
        g.bilinear ? "mode=\"bilinear\", align_corners=False" : "mode=\"nearest\"";
    return PyTorchModule{
        "nn.Upsample(scale_factor=" + std::to_string(g.factor) + ", " + mode + ")", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class UpsampleDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Upsample"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kUpsampleOnnx;
        if (format == kPyTorchFormat) return &kUpsamplePyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Upsample"; }
    std::string category() const override { return "Convolution"; }
    std::string description() const override {
        return "Enlarges an image by a whole factor, repeating pixels (nearest) or blending "
               "neighbours (bilinear). Nothing to learn: follow it with a Conv 2D.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("scale_factor", "Scale factor", 2, 1, 8,
                                   "How many times larger the height and width become"),
                ParamSpec::choice("mode", "Mode", {"nearest", "bilinear"}, "nearest",
                                  "nearest: repeat each pixel; bilinear: interpolate between "
                                  "neighbouring pixels (smoother)")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        const UpsampleGeometry g = geometry(in[0], p);
        return Shape{g.channels, g.inH * g.factor, g.inW * g.factor};
    }
    // Bilinear blends 4 neighbours per output value (4 multiply-adds); nearest only copies.
    int64_t flops(const std::vector<Shape>&, const Shape& out, const Params& p) const override {
        return p.getString("mode") == "bilinear" ? 8 * out.elements() : out.elements();
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{2, 3, 4}}; }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = SingleOutputDef::examples();
        Params bilinear = rows.front().params;
        bilinear.set("mode", std::string("bilinear"));
        rows.push_back({"bilinear", bilinear, exampleInputs(bilinear)});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<UpsampleLayer>(geometry(in[0], p));
    }
};

}  // namespace

const LayerDef& upsampleLayerDef() {
    static const UpsampleDef def;
    return def;
}

}  // namespace netloom::engine
