// PatchEmbedding ("to tokens"): an image C×H×W → one token per p×p patch {H/p·W/p, d}, the
// first layer of a Vision Transformer. It is a Conv2D with kernel = stride = p (each patch's
// pixels times a learned {d, C, p, p} filter bank plus a bias) followed by a token transpose
// {d, P} → {P, d}, patches in row-major order, exactly PyTorch's
// `conv(x).flatten(2).transpose(1, 2)`. The convolution is the Conv2D layer itself (its oneDNN
// primitives, initialisation and parameter names weight {d, C, p, p}, bias {d}); this file only
// adds the transpose and the patch-size check.
#include <algorithm>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/spatial.h"

namespace netloom::engine {

const LayerDef& conv2dLayerDef();  // engine/layers/conv2d.cpp

namespace {

struct PatchGeometry {
    int64_t channels, height, width, patch, dim, patches;
};

// The geometry, or an Error naming the patch size and the side it does not divide.
PatchGeometry patchGeometry(const Shape& in, const Params& p) {
    spatial::requireImage(in);
    PatchGeometry g{in[0], in[1], in[2], p.getInt("patch"), p.getInt("dim"), 0};
    for (auto [side, name] : {std::pair{g.height, "height"}, std::pair{g.width, "width"}})
        if (side % g.patch != 0) {
            std::string fits;
            for (int64_t k = 2; k <= std::min(g.height, g.width); ++k)
                if (g.height % k == 0 && g.width % k == 0)
                    fits += (fits.empty() ? "" : ", ") + std::to_string(k);
            throw Error("patch size " + std::to_string(g.patch) + " does not divide the image " +
                        name + " " + std::to_string(side) + " (image " + in.toString() + ")" +
                        (fits.empty() ? std::string(": only patch size 1 fits")
                                      : ": patch sizes that fit are " + fits));
        }
    g.patches = (g.height / g.patch) * (g.width / g.patch);
    return g;
}

Params convParams(const PatchGeometry& g) {
    Params c;
    c.set("filters", g.dim);
    c.set("kernel", g.patch);
    c.set("stride", g.patch);
    c.set("padding", std::string("valid"));
    c.set("dilation", int64_t{1});
    c.set("use_bias", true);
    return c;
}

class PatchEmbeddingLayer final : public SingleOutputLayer {
public:
    PatchEmbeddingLayer(const Shape& in, const PatchGeometry& g)
        : m_g(g), m_conv(conv2dLayerDef().create({in}, convParams(g))) {}

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_conv->prepare(batch, ctx);
        m_planes.resize({batch, m_g.dim, m_g.height / m_g.patch, m_g.width / m_g.patch});
        m_gradPlanes.resize(m_planes.dims());
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        m_conv->forward(in, m_planes, training);
        transpose(m_planes.data(), out.data(), in[0]->batch(), m_g.dim, m_g.patches);
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        transpose(gradOut.data(), m_gradPlanes.data(), in[0]->batch(), m_g.patches, m_g.dim);
        m_conv->backward(in, m_planes, m_gradPlanes, gradIn);
    }

    std::vector<Parameter*> parameters() override { return m_conv->parameters(); }
    void initialize(Rng& rng, InitScheme scheme) override { m_conv->initialize(rng, scheme); }
    std::vector<std::string> primitiveImplementations() const override {
        return m_conv->primitiveImplementations();
    }

private:
    // Per sample: src {rows, cols} → dst {cols, rows}.
    static void transpose(const float* src, float* dst, int64_t batch, int64_t rows, int64_t cols) {
        for (int64_t b = 0; b < batch; ++b) {
            const float* s = src + b * rows * cols;
            float* d = dst + b * rows * cols;
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c) d[c * rows + r] = s[r * cols + c];
        }
    }

    PatchGeometry m_g;
    std::unique_ptr<Layer> m_conv;
    Tensor m_planes, m_gradPlanes;  // the convolution's {N, d, H/p, W/p} output and gradient
};

// ---- ONNX export: Conv (kernel = stride = p; its doc string names this layer for the
// importer), Reshape {N, d, P}, Transpose to {N, P, d}.
const OnnxHookFn kPatchEmbeddingOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const PatchGeometry g = patchGeometry(n.inputShapes[0], n.params);
    const std::string planes = out.freshName(n.name + ".planes"),
                      flat = out.freshName(n.name + ".flat");
    out.addNode("Conv",
                {n.inputs[0],
                 out.addFloats(n.name + ".weight", {g.dim, g.channels, g.patch, g.patch},
                               onnxValues(n.weight("weight"))),
                 out.addFloats(n.name + ".bias", {g.dim}, onnxValues(n.weight("bias")))},
                {planes},
                {{"kernel_shape", std::vector<int64_t>{g.patch, g.patch}},
                 {"strides", std::vector<int64_t>{g.patch, g.patch}}},
                "netloom:PatchEmbedding");
    out.addNode("Reshape", {planes, out.addInt64s(n.name + ".shape", {3}, {0, g.dim, g.patches})},
                {flat});
    out.addNode("Transpose", {flat}, {n.outputs[0]}, {{"perm", std::vector<int64_t>{0, 2, 1}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kPatchEmbeddingPyTorch([](const PyTorchNode& n) {
    const int64_t patch = n.params.getInt("patch");
    return PyTorchModule{"nn.Conv2d(" + std::to_string(n.inputs[0][0]) + ", " +
                             std::to_string(n.params.getInt("dim")) + ", " + std::to_string(patch) +
                             ", stride=" + std::to_string(patch) + ")",
                         "{m}({0}).flatten(2).transpose(1, 2)",
                         {{"weight", "weight"}, {"bias", "bias"}}};
});
// ---- end of PyTorch export ----

class PatchEmbeddingDef final : public SingleOutputDef {
public:
    std::string type() const override { return "PatchEmbedding"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kPatchEmbeddingOnnx;
        if (format == kPyTorchFormat) return &kPatchEmbeddingPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Patch Embedding"; }
    std::string category() const override { return "Attention"; }
    std::string description() const override {
        return "Cuts an image into square patches and turns each into a learned token vector "
               "(a Vision Transformer's input): C×H×W → (H/p·W/p) tokens × token size.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("patch", "Patch size", 7, 1, 64,
                                   "Height and width of each patch; must divide the image's "
                                   "height and width"),
                ParamSpec::integer("dim", "Token size", 64, 1, 4096,
                                   "Length of each patch's token vector (the model width)")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        const PatchGeometry g = patchGeometry(in[0], p);
        return Shape::sequenceOf({g.patches, g.dim});
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        const int64_t k = p.getInt("patch"), d = p.getInt("dim");
        return d * in[0][0] * k * k + d;
    }
    int64_t flops(const std::vector<Shape>& in, const Shape& out, const Params& p) const override {
        const int64_t k = p.getInt("patch");
        return 2 * out.elements() * in[0][0] * k * k;
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{2, 6, 4}}; }
    std::vector<LayerExample> examples() const override {
        Params p;
        p.set("patch", int64_t{2});
        p.set("dim", int64_t{5});
        return {{"default", normalizeParams(schema(), p, type()), {Shape{2, 6, 4}}}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<PatchEmbeddingLayer>(in[0], patchGeometry(in[0], p));
    }
};

}  // namespace

const LayerDef& patchEmbeddingLayerDef() {
    static const PatchEmbeddingDef def;
    return def;
}

}  // namespace netloom::engine
