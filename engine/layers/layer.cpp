#include "engine/layers/layer.h"

namespace netloom::engine {

void SingleOutputLayer::backward(const std::vector<const Tensor*>& inputs,
                                 const std::vector<const Tensor*>& outputs,
                                 const std::vector<const Tensor*>& gradOutputs,
                                 const std::vector<Tensor*>& gradInputs) {
    if (!gradOutputs.empty() && gradOutputs[0]) {
        backward(inputs, *outputs[0], *gradOutputs[0], gradInputs);
        return;
    }
    // Nobody consumed the output: every gradient is zero.
    for (Tensor* g : gradInputs)
        if (g) g->zero();
    for (Parameter* p : parameters()) p->grad.zero();
}

PortInfo LayerDef::ports(const Params& params) const {
    PortInfo info;
    const int maxIn = maxInputs(params);
    const int shown = maxIn > 8 ? 8 : maxIn;  // variadic: the names repeat the pattern
    for (int i = 0; i < shown; ++i)
        info.inputs.push_back(maxIn == 1 ? "in" : "in " + std::to_string(i + 1));
    const int outs = outputCount(params);
    for (int k = 0; k < outs; ++k)
        info.outputs.push_back(outs == 1 ? "out" : "out " + std::to_string(k + 1));
    return info;
}

int64_t LayerDef::flops(const std::vector<Shape>&, const std::vector<Shape>& outputs,
                        const Params&) const {
    int64_t n = 0;
    for (const Shape& s : outputs) n += s.elements();
    return n;
}

std::vector<LayerExample> LayerDef::examples() const {
    const Params defaults = normalizeParams(schema(), Params{}, type());
    return {{"default", defaults, exampleInputs(defaults)}};
}

}  // namespace netloom::engine
