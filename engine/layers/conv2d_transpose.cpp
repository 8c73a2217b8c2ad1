// Conv2DTranspose: transposed 2-D convolution (a.k.a. deconvolution) on oneDNN, the learned
// upsampling of decoders and GAN generators. Geometry and weights follow PyTorch's
// ConvTranspose2d: out = (in − 1)·stride − 2·padding + kernel + output_padding, weights plain
// {in channels, filters, kh, kw}. oneDNN's deconvolution wants {filters, in channels, kh, kw}:
// the same bytes described with the iohw tag, so no copy is needed.
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

struct DeconvGeometry {
    int64_t inC, inH, inW, outC, outH, outW, kernel, stride, padding, outputPadding;
};

class Conv2DTransposeLayer final : public ConvLayerBase {
public:
    Conv2DTransposeLayer(const DeconvGeometry& g, bool useBias)
        : ConvLayerBase({g.inC, g.outC, g.kernel, g.kernel}, g.outC, useBias), m_g(g) {}

    // PyTorch and Keras both take the fan-in of a transposed convolution from the weight's
    // second axis: filters·k² (and the fan-out from in channels·k²); so do we, so that
    // "default" matches ConvTranspose2d's U(±1/sqrt(fan_in)) for weights and bias.
    void initialize(Rng& rng, InitScheme scheme) override {
        const int64_t area = m_g.kernel * m_g.kernel;
        initializeWith(rng, scheme, m_g.outC * area, m_g.inC * area);
    }

private:
    ConvPrimitives build(int64_t batch, const dnnl::engine& eng) override {
        const DeconvGeometry& g = m_g;
        // oneDNN's {filters, in, kh, kw} over our {in, filters, kh, kw} buffer.
        ConvPrimitives::Plain plain{
            dnnlu::plainDesc({batch, g.inC, g.inH, g.inW}),
            memory::desc({g.outC, g.inC, g.kernel, g.kernel}, dnnlu::dt::f32, dnnlu::tag::iohw),
            dnnlu::plainDesc({g.outC}), dnnlu::plainDesc({batch, g.outC, g.outH, g.outW})};
        const auto srcAny = anyLayout(plain.src), wAny = anyLayout(plain.weights),
                   dstAny = anyLayout(plain.dst);
        const memory::desc& bMd = plain.bias;
        const memory::dims strides{g.stride, g.stride};
        // oneDNN: out = (in − 1)·stride − padL − padR + kernel, so output_padding is a smaller
        // (possibly negative) padding after the data, as PyTorch's own oneDNN path does.
        const memory::dims padL{g.padding, g.padding};
        const memory::dims padR{g.padding - g.outputPadding, g.padding - g.outputPadding};
        const auto algo = algorithm::deconvolution_direct;

        auto fwdDesc = [&](prop_kind kind) {
            if (m_useBias)
                return deconvolution_forward::desc(kind, algo, srcAny, wAny, bMd, dstAny, strides,
                                                   padL, padR);
            return deconvolution_forward::desc(kind, algo, srcAny, wAny, dstAny, strides, padL,
                                               padR);
        };
        auto train =
            deconvolution_forward::primitive_desc(fwdDesc(prop_kind::forward_training), eng);
        auto infer =
            deconvolution_forward::primitive_desc(fwdDesc(prop_kind::forward_inference), eng);
        auto bwdData = deconvolution_backward_data::primitive_desc(
            {algo, srcAny, wAny, dstAny, strides, padL, padR}, eng, train);
        auto bwdWeightsDesc = m_useBias ? deconvolution_backward_weights::desc(
                                              algo, srcAny, wAny, bMd, dstAny, strides, padL, padR)
                                        : deconvolution_backward_weights::desc(
                                              algo, srcAny, wAny, dstAny, strides, padL, padR);
        auto bwdWeights =
            deconvolution_backward_weights::primitive_desc(bwdWeightsDesc, eng, train);
        return ConvPrimitives::assemble<deconvolution_forward, deconvolution_backward_data,
                                        deconvolution_backward_weights>(train, infer, bwdData,
                                                                        bwdWeights, plain, eng);
    }

    DeconvGeometry m_g;
};

// Output length of one axis, or throws naming the axis and what to change.
int64_t outputLength(int64_t in, const DeconvGeometry& g, const char* axisName) {
    const int64_t out = (in - 1) * g.stride - 2 * g.padding + g.kernel + g.outputPadding;
    if (out < 1)
        throw Error("padding " + std::to_string(g.padding) + " crops the whole output " + axisName +
                    " (input " + axisName + " " + std::to_string(in) + ", kernel " +
                    std::to_string(g.kernel) + ", stride " + std::to_string(g.stride) +
                    "): use less padding");
    return out;
}

DeconvGeometry geometry(const Shape& in, const Params& p) {
    spatial::requireImage(in);
    DeconvGeometry g{};
    g.inC = in[0];
    g.inH = in[1];
    g.inW = in[2];
    g.outC = p.getInt("filters");
    g.kernel = p.getInt("kernel");
    g.stride = p.getInt("stride");
    g.padding = p.getInt("padding");
    g.outputPadding = p.getInt("output_padding");
    if (g.outputPadding >= g.stride)
        throw Error("output padding " + std::to_string(g.outputPadding) +
                    " must be smaller than the stride " + std::to_string(g.stride) +
                    ": it only picks one of the sizes a stride-" + std::to_string(g.stride) +
                    " convolution maps to the same input size");
    if (g.padding >= g.kernel)
        throw Error("padding " + std::to_string(g.padding) + " must be smaller than the kernel " +
                    "size " + std::to_string(g.kernel) + ": it trims that many rows and " +
                    "columns from each border of the output");
    g.outH = outputLength(g.inH, g, "height");
    g.outW = outputLength(g.inW, g, "width");
    return g;
}

// ---- ONNX export: ConvTranspose; our plain weights {in, filters, k, k} are ONNX's layout.
const OnnxHookFn kConv2DTransposeOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const DeconvGeometry g = geometry(n.inputShapes[0], n.params);
    std::vector<std::string> inputs{
        n.inputs[0], out.addFloats(n.name + ".weight", {g.inC, g.outC, g.kernel, g.kernel},
                                   onnxValues(n.weight("weight")))};
    if (n.params.getBool("use_bias"))
        inputs.push_back(out.addFloats(n.name + ".bias", {g.outC}, onnxValues(n.weight("bias"))));
    out.addNode("ConvTranspose", inputs, {n.outputs[0]},
                {{"kernel_shape", std::vector<int64_t>{g.kernel, g.kernel}},
                 {"strides", std::vector<int64_t>{g.stride, g.stride}},
                 {"pads", std::vector<int64_t>{g.padding, g.padding, g.padding, g.padding}},
                 {"output_padding", std::vector<int64_t>{g.outputPadding, g.outputPadding}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kConv2DTransposePyTorch([](const PyTorchNode& n) {
    // Same geometry and weight layout {in, filters, kh, kw} as nn.ConvTranspose2d.
    const DeconvGeometry g = geometry(n.inputs[0], n.params);
    const bool bias = n.params.getBool("use_bias");
    PyTorchModule m{"nn.ConvTranspose2d(" + std::to_string(g.inC) + ", " + std::to_string(g.outC) +
                        ", " + std::to_string(g.kernel) + pyArg("stride", g.stride, 1) +
                        pyArg("padding", g.padding, 0) +
                        pyArg("output_padding", g.outputPadding, 0) + pyBiasArg(bias) + ")",
                    "{m}({0})",
                    {{"weight", "weight"}}};
    if (bias) m.tensors.push_back({"bias", "bias"});
    return m;
});
// ---- end of PyTorch export ----

class Conv2DTransposeDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Conv2DTranspose"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kConv2DTransposeOnnx;
        if (format == kPyTorchFormat) return &kConv2DTransposePyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Conv 2D Transpose"; }
    std::string category() const override { return "Convolution"; }
    std::string description() const override {
        return "Learned upsampling: each input pixel stamps a learned filter onto a larger "
               "output, so stride 2 doubles the image size. The decoder half of autoencoders "
               "and GAN generators.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("filters", "Filters", 32, 1, 4096,
                                   "Number of filters, i.e. output channels"),
                ParamSpec::integer("kernel", "Kernel size", 3, 1, 15,
                                   "Height and width of each filter"),
                ParamSpec::integer("stride", "Stride", 2, 1, 8,
                                   "Spacing of the filter stamps in the output; 2 doubles the "
                                   "image size"),
                ParamSpec::integer("padding", "Padding", 1, 0, 14,
                                   "Rows and columns trimmed from each border of the output "
                                   "(PyTorch's padding); must be smaller than the kernel"),
                ParamSpec::integer("output_padding", "Output padding", 1, 0, 7,
                                   "Extra rows and columns added at the bottom and right; must be "
                                   "smaller than the stride. Kernel 3, stride 2, padding 1, "
                                   "output padding 1 gives exactly twice the input size"),
                ParamSpec::boolean("use_bias", "Use bias", true, "Add a learned bias per filter")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        DeconvGeometry g = geometry(in[0], p);
        return Shape{g.outC, g.outH, g.outW};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        const int64_t k = p.getInt("kernel"), filters = p.getInt("filters");
        return filters * in[0][0] * k * k + (p.getBool("use_bias") ? filters : 0);
    }
    // Every input value is multiplied into filters·k² outputs.
    int64_t flops(const std::vector<Shape>& in, const Shape&, const Params& p) const override {
        const int64_t k = p.getInt("kernel");
        return 2 * in[0].elements() * p.getInt("filters") * k * k;
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        const int64_t side = 4 + p.getInt("padding");
        return {Shape{3, side, side}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<Conv2DTransposeLayer>(geometry(in[0], p), p.getBool("use_bias"));
    }
};

}  // namespace

const LayerDef& conv2dTransposeLayerDef() {
    static const Conv2DTransposeDef def;
    return def;
}

}  // namespace netloom::engine
