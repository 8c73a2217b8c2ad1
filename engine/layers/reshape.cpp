// Reshape: reinterprets a sample as another shape with the same number of values (row-major, as
// in PyTorch's view). Forward and backward are plain copies.
#include <cstring>

#include "engine/core/error.h"
#include "engine/layers/layer.h"

namespace netloom::engine {
namespace {

void copyTensor(const Tensor& from, Tensor& to) {
    if (from.data() != to.data())
        std::memcpy(to.data(), from.data(), static_cast<size_t>(to.size()) * sizeof(float));
}

class ReshapeLayer final : public Layer {
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

class ReshapeDef final : public LayerDef {
public:
    std::string type() const override { return "Reshape"; }
    std::string displayName() const override { return "Reshape"; }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "Arranges the same numbers into a new shape, e.g. 784 values into a 1×28×28 "
               "image; the number of values must stay the same.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::shape("shape", "Target shape", "1,28,28",
                                 "New shape of one sample, e.g. 1,28,28 or 64,7,7; it must "
                                 "hold as many values as the input")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        Shape target = parseShape(p.getString("shape"));
        if (target.elements() != in[0].elements())
            throw Error("cannot reshape " + std::to_string(in[0].elements()) + " values into " +
                        target.toString() + " (" + std::to_string(target.elements()) + " values)");
        return target;
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params&) const override { return 0; }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        return {Shape{parseShape(p.getString("shape")).elements()}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
        return std::make_unique<ReshapeLayer>();
    }
};

}  // namespace

const LayerDef& reshapeLayerDef() {
    static const ReshapeDef def;
    return def;
}

}  // namespace netloom::engine
