// Noise: the latent input of a GAN generator. Like Input it is a source whose output is the batch
// the recipe hands in; the GAN trainer draws that batch with drawNoise() from a seeded Rng, so
// the layer stays deterministic and the same noise can be fed again to regenerate samples.
#include "engine/layers/noise.h"

#include <random>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pass_through.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: a graph input the caller fills with noise; the doc_string names the
// distribution so that an import gives the Noise layer back.
const OnnxHookFn kNoiseOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    out.addGraphInput(n.outputs[0], n.outputShapes[0],
                      "netloom:Noise:" + n.params.getString("distribution"));
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kNoisePyTorch([](const PyTorchNode&) {
    // The generator's input z: the script draws it (normal or uniform) and passes it in.
    return PyTorchModule{"", "{x}", {}};
});
// ---- end of PyTorch export ----

class NoiseDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Noise"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kNoiseOnnx;
        if (format == kPyTorchFormat) return &kNoisePyTorch;
        return nullptr;
    }
    std::string category() const override { return "Input"; }
    std::string description() const override {
        return "Random latent vector z, the source of a GAN generator: each sample is drawn "
               "from N(0, 1) or U(-1, 1) during training and when generating.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::shape("shape", "Size", "100",
                                 "Latent size (e.g. 100), or a shape such as 100,1,1"),
                ParamSpec::choice("distribution", "Distribution", {"normal", "uniform"}, "normal",
                                  "normal: N(0, 1); uniform: U(-1, 1)")};
    }
    int minInputs(const Params&) const override { return 0; }
    Shape inferShape(const std::vector<Shape>&, const Params& p) const override {
        return parseShape(p.getString("shape"));
    }
    int64_t flops(const std::vector<Shape>&, const Shape&, const Params&) const override {
        return 0;
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
        return makeSourceLayer();
    }
};

}  // namespace

const LayerDef& noiseLayerDef() {
    static const NoiseDef def;
    return def;
}

void drawNoise(const Params& noiseParams, int64_t count, Rng& rng, Tensor& z) {
    const Params p = normalizeParams(noiseLayerDef().schema(), noiseParams, "Noise");
    if (count < 1) throw Error("noise: need at least one sample, got " + std::to_string(count));
    z.resize(count, parseShape(p.getString("shape")));
    float* v = z.data();
    const int64_t n = z.size();
    if (p.getString("distribution") == "uniform") {
        std::uniform_real_distribution<float> d(-1.0f, 1.0f);
        for (int64_t i = 0; i < n; ++i) v[i] = d(rng.generator());
    } else {
        std::normal_distribution<float> d(0.0f, 1.0f);
        for (int64_t i = 0; i < n; ++i) v[i] = d(rng.generator());
    }
}

}  // namespace netloom::engine
