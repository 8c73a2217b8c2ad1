#pragma once
// A layer kind is described by a LayerDef (schema, ports, shape rule, cost, factory) and runs as
// a Layer (forward, backward, parameters). Each kind lives in one file in this folder and is
// listed once in registry.cpp; the palette, inspector, project I/O and the gradient-check test
// all iterate the registry.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/core/shape.h"
#include "engine/core/tensor.h"
#include "engine/layers/init.h"
#include "engine/layers/params.h"

namespace netloom::engine {

// A trainable tensor and its gradient (same plain layout: Dense {out,in}, Conv {oc,ic,kh,kw}).
struct Parameter {
    std::string name;  // "weight", "bias", "gamma", "beta"
    Tensor value;
    Tensor grad;
    bool decay = true;  // weight decay and L1/L2 apply (false for biases and norm parameters)
    bool frozen = false;
};

class Layer {
public:
    virtual ~Layer() = default;

    // Called on the compute thread before the first forward and whenever the batch size changes.
    // Creates oneDNN primitives for this batch size (implementations cache them per batch size)
    // and sizes internal buffers. Input shapes were fixed when the layer was created.
    virtual void prepare(int64_t batch, ComputeContext& ctx) = 0;

    // output is already sized {batch, outputShape...} by the caller.
    virtual void forward(const std::vector<const Tensor*>& inputs, Tensor& output,
                         bool training) = 0;

    // gradInputs[i] is null when input i needs no gradient (e.g. the data input); otherwise it is
    // sized like inputs[i] and must be overwritten (not accumulated). Parameter gradients are
    // overwritten too. Called after forward(..., training=true) with the same inputs.
    virtual void backward(const std::vector<const Tensor*>& inputs, const Tensor& output,
                          const Tensor& gradOutput, const std::vector<Tensor*>& gradInputs) = 0;

    virtual std::vector<Parameter*> parameters() { return {}; }
    // Non-trained state that is saved with the weights (BatchNorm running mean/variance).
    virtual std::vector<std::pair<std::string, Tensor*>> states() { return {}; }
    virtual void initialize(Rng& rng, InitScheme scheme) {}
};

class LayerDef {
public:
    virtual ~LayerDef() = default;

    virtual std::string type() const = 0;  // stable id in project files: "Dense"
    virtual std::string displayName() const { return type(); }
    virtual std::string category() const = 0;  // palette group: Input, Core, Convolution, ...
    virtual std::string description() const = 0;  // palette tooltip
    virtual ParamSchema schema() const { return {}; }

    virtual int minInputs(const Params&) const { return 1; }
    virtual int maxInputs(const Params& p) const { return minInputs(p); }

    // Output shape for these input shapes, or throws netloom::Error with a message a user can
    // act on ("expects a flat input, got 64×7×7: insert Flatten"). The caller adds the node name.
    virtual Shape inferShape(const std::vector<Shape>& inputs, const Params& params) const = 0;

    virtual int64_t parameterCount(const std::vector<Shape>& inputs, const Params& params) const {
        return 0;
    }
    // Forward FLOPs per sample (a multiply-add counts 2).
    virtual int64_t flops(const std::vector<Shape>& inputs, const Shape& output,
                          const Params& params) const {
        return output.elements();
    }

    // True when every output row is a probability distribution (non-negative, summing to 1):
    // inference then passes a network ending here through instead of applying softmax.
    virtual bool outputsProbabilities(const Params&) const { return false; }

    // Input shapes the registry-driven gradient check uses for this layer (small).
    virtual std::vector<Shape> exampleInputs(const Params& params) const = 0;

    virtual std::unique_ptr<Layer> create(const std::vector<Shape>& inputs,
                                          const Params& params) const = 0;
};

}  // namespace netloom::engine
