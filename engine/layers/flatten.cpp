// Flatten: any sample shape → {elements}. The data is already row-major, so forward and
// backward are plain copies (skipped when the caller runs the layer in place).
#include <cstring>

#include "engine/layers/layer.h"

namespace netloom::engine {
namespace {

void copyTensor(const Tensor& from, Tensor& to) {
    if (from.data() != to.data())
        std::memcpy(to.data(), from.data(), static_cast<size_t>(to.size()) * sizeof(float));
}

class FlattenLayer final : public Layer {
public:
    void prepare(int64_t, ComputeContext&) override {}
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        copyTensor(*in[0], out);
    }
    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (!gradIn.empty() && gradIn[0]) copyTensor(gradOut, *gradIn[0]);
    }
};

class FlattenDef final : public LayerDef {
public:
    std::string type() const override { return "Flatten"; }
    std::string displayName() const override { return "Flatten"; }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "Lays an image (channels × height × width) out as one long row of numbers, so a "
               "Dense layer can follow.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        return Shape{in[0].elements()};
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params&) const override { return 0; }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{2, 3, 4}}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
        return std::make_unique<FlattenLayer>();
    }
};

}  // namespace

const LayerDef& flattenLayerDef() {
    static const FlattenDef def;
    return def;
}

}  // namespace netloom::engine
