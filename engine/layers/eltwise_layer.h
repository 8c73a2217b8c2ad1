#pragma once
// Shared plumbing of the activation layers (ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh): one
// oneDNN eltwise algorithm applied to every element, forward_training + eltwise_backward. Each
// activation file only declares its LayerDef and calls makeEltwiseLayer() with its algorithm.
#include <dnnl.hpp>
#include <memory>
#include <string>
#include <vector>

#include "engine/layers/layer.h"

namespace netloom::engine {

// A layer computing `algorithm` elementwise on samples of `shape`. Algorithms named
// *_use_dst_for_bwd take the gradient from the output (so backward needs only the output);
// the others (GELU) from the input. alpha/beta mean what oneDNN says for the algorithm
// (negative slope for ReLU, α for ELU).
std::unique_ptr<Layer> makeEltwiseLayer(const Shape& shape, dnnl::algorithm algorithm,
                                        float alpha = 0.0f, float beta = 0.0f);

// What every activation def shares: category, "output shape = input shape", any input rank,
// cost per element and a small example input for the gradient check.
class ActivationDef : public SingleOutputDef {
public:
    std::string category() const override { return "Activation"; }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override { return in[0]; }
    int64_t flops(const std::vector<Shape>&, const Shape& out, const Params&) const override {
        return flopsPerElement() * out.elements();
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{2, 3, 3}}; }

protected:
    virtual int64_t flopsPerElement() const { return 1; }
};

}  // namespace netloom::engine
