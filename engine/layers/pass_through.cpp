#include "engine/layers/pass_through.h"

#include <algorithm>
#include <cstring>

namespace netloom::engine {
namespace {

void copyTensor(const Tensor& from, Tensor& to) {
    if (from.data() != to.data())
        std::memcpy(to.data(), from.data(), static_cast<size_t>(to.size()) * sizeof(float));
}

// Same values, another shape: forward and backward are plain copies.
class CopyLayer final : public SingleOutputLayer {
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

// A source: the model hands the batch in as the only input; nothing flows back.
class SourceLayer final : public SingleOutputLayer {
public:
    void prepare(int64_t, ComputeContext&) override {}
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        if (!in.empty() && in[0] != &out)
            std::copy(in[0]->data(), in[0]->data() + out.size(), out.data());
    }
    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor&,
                  const std::vector<Tensor*>&) override {}
};

}  // namespace

std::unique_ptr<Layer> makeCopyLayer() {
    return std::make_unique<CopyLayer>();
}
std::unique_ptr<Layer> makeSourceLayer() {
    return std::make_unique<SourceLayer>();
}

}  // namespace netloom::engine
