// Conv2D: 2-D convolution (cross-correlation, like PyTorch and TensorFlow) on oneDNN. Weights are
// kept plain {filters, in channels, kh, kw} like PyTorch's Conv2d; oneDNN may run on blocked
// layouts it prefers, with reorders only at the edges of each primitive.
#include <algorithm>

#include "engine/core/error.h"
#include "engine/layers/conv_layer_base.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/spatial.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

struct ConvGeometry {
    int64_t inC, inH, inW, outC, outH, outW, kernel, stride, dilation;
    spatial::Axis y, x;
};

class Conv2DLayer final : public ConvLayerBase {
public:
    Conv2DLayer(const ConvGeometry& g, bool useBias)
        : ConvLayerBase({g.outC, g.inC, g.kernel, g.kernel}, g.outC, useBias), m_g(g) {}

    void initialize(Rng& rng, InitScheme scheme) override {
        const int64_t area = m_g.kernel * m_g.kernel;
        initializeWith(rng, scheme, m_g.inC * area, m_g.outC * area);
    }

private:
    // oneDNN chooses activation and weight layouts (blocked formats run the fast direct
    // kernels); the tensors we hand in and out stay plain row-major.
    ConvPrimitives build(int64_t batch, const dnnl::engine& eng) override {
        const ConvGeometry& g = m_g;
        ConvPrimitives::Plain plain{dnnlu::plainDesc({batch, g.inC, g.inH, g.inW}),
                                    dnnlu::plainDesc({g.outC, g.inC, g.kernel, g.kernel}),
                                    dnnlu::plainDesc({g.outC}),
                                    dnnlu::plainDesc({batch, g.outC, g.outH, g.outW})};
        const auto srcAny = anyLayout(plain.src), wAny = anyLayout(plain.weights),
                   dstAny = anyLayout(plain.dst);
        const memory::desc& bMd = plain.bias;
        const memory::dims strides{g.stride, g.stride};
        const memory::dims dilates{g.dilation - 1, g.dilation - 1};  // oneDNN counts from 0
        const memory::dims padL{g.y.padBefore, g.x.padBefore};
        const memory::dims padR{g.y.padAfter, g.x.padAfter};
        const auto algo = algorithm::convolution_direct;

        auto fwdDesc = [&](prop_kind kind) {
            if (m_useBias)
                return convolution_forward::desc(kind, algo, srcAny, wAny, bMd, dstAny, strides,
                                                 dilates, padL, padR);
            return convolution_forward::desc(kind, algo, srcAny, wAny, dstAny, strides, dilates,
                                             padL, padR);
        };
        auto train = convolution_forward::primitive_desc(fwdDesc(prop_kind::forward_training), eng);
        auto infer =
            convolution_forward::primitive_desc(fwdDesc(prop_kind::forward_inference), eng);
        auto bwdData = convolution_backward_data::primitive_desc(
            {algo, srcAny, wAny, dstAny, strides, dilates, padL, padR}, eng, train);
        auto bwdWeightsDesc =
            m_useBias ? convolution_backward_weights::desc(algo, srcAny, wAny, bMd, dstAny, strides,
                                                           dilates, padL, padR)
                      : convolution_backward_weights::desc(algo, srcAny, wAny, dstAny, strides,
                                                           dilates, padL, padR);
        auto bwdWeights = convolution_backward_weights::primitive_desc(bwdWeightsDesc, eng, train);
        return ConvPrimitives::assemble<convolution_forward, convolution_backward_data,
                                        convolution_backward_weights>(train, infer, bwdData,
                                                                      bwdWeights, plain, eng);
    }

    ConvGeometry m_g;
};

ConvGeometry geometry(const Shape& in, const Params& p) {
    spatial::requireImage(in);
    ConvGeometry g{};
    g.inC = in[0];
    g.inH = in[1];
    g.inW = in[2];
    g.outC = p.getInt("filters");
    g.kernel = p.getInt("kernel");
    g.stride = p.getInt("stride");
    g.dilation = p.getInt("dilation");
    const std::string padding = p.getString("padding");
    if (padding == "explicit") {
        const int64_t pad = p.getInt("pad");
        g.y = spatial::slideExplicit(g.inH, g.kernel, g.stride, g.dilation, pad, "height");
        g.x = spatial::slideExplicit(g.inW, g.kernel, g.stride, g.dilation, pad, "width");
    } else {
        const bool same = padding == "same";
        g.y = spatial::slide(g.inH, g.kernel, g.stride, g.dilation, same, "height");
        g.x = spatial::slide(g.inW, g.kernel, g.stride, g.dilation, same, "width");
    }
    g.outH = g.y.out;
    g.outW = g.x.out;
    return g;
}

// ---- ONNX export: Conv with explicit pads (TensorFlow's "same" may pad more after).
const OnnxHookFn kConv2DOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const ConvGeometry g = geometry(n.inputShapes[0], n.params);
    std::vector<std::string> inputs{
        n.inputs[0], out.addFloats(n.name + ".weight", {g.outC, g.inC, g.kernel, g.kernel},
                                   onnxValues(n.weight("weight")))};
    if (n.params.getBool("use_bias"))
        inputs.push_back(out.addFloats(n.name + ".bias", {g.outC}, onnxValues(n.weight("bias"))));
    out.addNode(
        "Conv", inputs, {n.outputs[0]},
        {{"kernel_shape", std::vector<int64_t>{g.kernel, g.kernel}},
         {"strides", std::vector<int64_t>{g.stride, g.stride}},
         {"dilations", std::vector<int64_t>{g.dilation, g.dilation}},
         {"pads", std::vector<int64_t>{g.y.padBefore, g.x.padBefore, g.y.padAfter, g.x.padAfter}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kConv2DPyTorch([](const PyTorchNode& n) {
    // "same" may pad more after than before (TensorFlow's rule); nn.Conv2d pads symmetrically,
    // so an uneven padding is applied with F.pad in the forward line.
    const ConvGeometry g = geometry(n.inputs[0], n.params);
    const bool bias = n.params.getBool("use_bias");
    const bool even = g.y.padBefore == g.y.padAfter && g.x.padBefore == g.x.padAfter;
    std::string ctor = "nn.Conv2d(" + std::to_string(g.inC) + ", " + std::to_string(g.outC) + ", " +
                       std::to_string(g.kernel) + pyArg("stride", g.stride, 1) +
                       pyArg("dilation", g.dilation, 1) + pyBiasArg(bias);
    PyTorchModule m;
    if (even) {
        m.constructor = ctor + pyPaddingArg(g.y.padBefore, g.x.padBefore) + ")";
    } else {
        m.constructor = ctor + ")";
        m.forward = "{m}(F.pad({0}, (" + std::to_string(g.x.padBefore) + ", " +
                    std::to_string(g.x.padAfter) + ", " + std::to_string(g.y.padBefore) + ", " +
                    std::to_string(g.y.padAfter) + ")))";
    }
    m.tensors = {{"weight", "weight"}};
    if (bias) m.tensors.push_back({"bias", "bias"});
    return m;
});
// ---- end of PyTorch export ----

class Conv2DDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Conv2D"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kConv2DOnnx;
        if (format == kPyTorchFormat) return &kConv2DPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Conv 2D"; }
    std::string category() const override { return "Convolution"; }
    std::string description() const override {
        return "Slides small learned filters over an image; each filter produces one output "
               "channel that lights up where its pattern (an edge, a texture) appears.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("filters", "Filters", 32, 1, 4096,
                                   "Number of filters, i.e. output channels"),
                ParamSpec::integer("kernel", "Kernel size", 3, 1, 15,
                                   "Height and width of each filter"),
                ParamSpec::integer("stride", "Stride", 1, 1, 8,
                                   "Step between filter positions; 2 halves the image size"),
                ParamSpec::choice("padding", "Padding", {"same", "valid", "explicit"}, "same",
                                  "same: pad with zeros so the output is input/stride; "
                                  "valid: no padding, the output shrinks; explicit: 'Pad' "
                                  "zeros on every side (PyTorch's padding=p)"),
                ParamSpec::integer("pad", "Pad", 1, 0, 7,
                                   "Zeros on every side when padding is explicit"),
                ParamSpec::integer("dilation", "Dilation", 1, 1, 8,
                                   "Spacing between filter taps; >1 widens the view cheaply"),
                ParamSpec::boolean("use_bias", "Use bias", true, "Add a learned bias per filter")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        ConvGeometry g = geometry(in[0], p);
        return Shape{g.outC, g.outH, g.outW};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        const int64_t k = p.getInt("kernel"), filters = p.getInt("filters");
        return filters * in[0][0] * k * k + (p.getBool("use_bias") ? filters : 0);
    }
    int64_t flops(const std::vector<Shape>& in, const Shape& out, const Params& p) const override {
        const int64_t k = p.getInt("kernel");
        return 2 * out.elements() * in[0][0] * k * k;
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> out = SingleOutputDef::examples();
        // PyTorch's usual downsampling conv (3×3, stride 2, padding 1): what ONNX files from
        // torch.onnx.export carry and "same" cannot express (it pads 0 before, 1 after).
        Params p = out.front().params;
        p.set("padding", std::string("explicit"));
        p.set("pad", int64_t{1});
        p.set("stride", int64_t{2});
        out.push_back({"explicit pad 1, stride 2", p, exampleInputs(p)});
        return out;
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        const int64_t ext = spatial::extent(p.getInt("kernel"), p.getInt("dilation"));
        const int64_t side = std::max<int64_t>(6, ext + p.getInt("stride"));
        return {Shape{3, side, side}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<Conv2DLayer>(geometry(in[0], p), p.getBool("use_bias"));
    }
};

}  // namespace

const LayerDef& conv2dLayerDef() {
    static const Conv2DDef def;
    return def;
}

}  // namespace netloom::engine
