#pragma once
// A layer kind is described by a LayerDef (schema, ports, shape rule, cost, factory) and runs as
// a Layer (forward, backward, parameters). Each kind lives in one file in this folder and is
// listed once in registry.cpp; the palette, inspector, project I/O and the gradient-check test
// all iterate the registry.
#include <memory>
#include <string>
#include <string_view>
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

// Runs one layer. Inputs and outputs are lists, one tensor per port (most layers have one output:
// derive from SingleOutputLayer below).
class Layer {
public:
    virtual ~Layer() = default;

    // Called on the compute thread before the first forward and whenever the batch size changes.
    // Creates oneDNN primitives for this batch size (implementations keep them in a
    // PrimitiveCache) and sizes internal buffers. Input shapes were fixed when the layer was
    // created.
    virtual void prepare(int64_t batch, ComputeContext& ctx) = 0;

    // outputs[k] is already sized {batch, outputShape k...} by the caller.
    virtual void forward(const std::vector<const Tensor*>& inputs,
                         const std::vector<Tensor*>& outputs, bool training) = 0;

    // gradOutputs[k] is d(loss)/d(output k), or null when nothing consumed output k (treat it as
    // zero). gradInputs[i] is null when input i needs no gradient (e.g. the data input);
    // otherwise it is sized like inputs[i] and must be overwritten (not accumulated). Parameter
    // gradients are overwritten too. Called after forward(..., training=true) with the same
    // inputs.
    virtual void backward(const std::vector<const Tensor*>& inputs,
                          const std::vector<const Tensor*>& outputs,
                          const std::vector<const Tensor*>& gradOutputs,
                          const std::vector<Tensor*>& gradInputs) = 0;

    // Single-output conveniences (tests, simple callers).
    void forward(const std::vector<const Tensor*>& inputs, Tensor& output, bool training) {
        forward(inputs, std::vector<Tensor*>{&output}, training);
    }
    void backward(const std::vector<const Tensor*>& inputs, const Tensor& output,
                  const Tensor& gradOutput, const std::vector<Tensor*>& gradInputs) {
        backward(inputs, std::vector<const Tensor*>{&output},
                 std::vector<const Tensor*>{&gradOutput}, gradInputs);
    }

    virtual std::vector<Parameter*> parameters() { return {}; }
    // Non-trained state that is saved with the weights (BatchNorm running mean/variance).
    virtual std::vector<std::pair<std::string, Tensor*>> states() { return {}; }
    virtual void initialize(Rng& rng, InitScheme scheme) {}
    // oneDNN's implementation names (pd.impl_info_str()) of the current primitives, for tests
    // that check no layer fell back to a slow reference kernel ("ref:any"). Empty for layers
    // computing in plain loops.
    virtual std::vector<std::string> primitiveImplementations() const { return {}; }
    // Attention layers: the attention weights of the last forward for one sample of its batch,
    // one {T, S} tensor per head (each row sums to 1), for live attention maps. Empty for other
    // layers, before a forward, or for a sample outside the batch.
    virtual std::vector<Tensor> attentionWeights(int64_t sample) const { return {}; }
};

// Adapter for the common case of one output port: implement the single-tensor forward/backward.
class SingleOutputLayer : public Layer {
public:
    using Layer::backward;
    using Layer::forward;

    virtual void forward(const std::vector<const Tensor*>& inputs, Tensor& output,
                         bool training) = 0;
    // gradOutput is never null here: with no gradient for the output, the input and parameter
    // gradients are zero and this is not called.
    virtual void backward(const std::vector<const Tensor*>& inputs, const Tensor& output,
                          const Tensor& gradOutput, const std::vector<Tensor*>& gradInputs) = 0;

    void forward(const std::vector<const Tensor*>& inputs, const std::vector<Tensor*>& outputs,
                 bool training) final {
        forward(inputs, *outputs[0], training);
    }
    void backward(const std::vector<const Tensor*>& inputs,
                  const std::vector<const Tensor*>& outputs,
                  const std::vector<const Tensor*>& gradOutputs,
                  const std::vector<Tensor*>& gradInputs) final;
};

// Names of a layer's ports, as the canvas shows them (tooltips) and graph errors name them.
struct PortInfo {
    std::vector<std::string> inputs;   // one name per input port; variadic layers repeat the last
    std::vector<std::string> outputs;  // one name per output port
};

// A configuration of a layer for the registry-driven tests: parameters (normalized against the
// schema by the test), the input shapes and a label for the test row.
struct LayerExample {
    std::string label;
    Params params;
    std::vector<Shape> inputs;
    // > 0: the inputs hold integer token ids in [0, tokenIds) (Embedding), not arbitrary values.
    int64_t tokenIds = 0;
};

class LayerExportHook;  // engine/layers/export_hook.h

class LayerDef {
public:
    virtual ~LayerDef() = default;

    virtual std::string type() const = 0;  // stable id in project files: "Dense"
    virtual std::string displayName() const { return type(); }
    virtual std::string category() const = 0;     // palette group: Input, Core, Convolution, ...
    virtual std::string description() const = 0;  // palette tooltip
    virtual ParamSchema schema() const { return {}; }

    // Input ports: minInputs..maxInputs of them (variadic layers such as Add and Concat have a
    // range). Output ports: outputCount of them, port 0 is the main one (the network's output is
    // its sink's port 0).
    virtual int minInputs(const Params&) const { return 1; }
    virtual int maxInputs(const Params& p) const { return minInputs(p); }
    virtual int outputCount(const Params&) const { return 1; }
    // Port names; the defaults are "in"/"in 1", "in 2", ... and "out".
    virtual PortInfo ports(const Params& params) const;

    // One shape per output port for these input shapes, or throws netloom::Error with a message
    // a user can act on ("expects a flat input, got 64×7×7: insert Flatten"). The caller adds
    // the node name.
    virtual std::vector<Shape> inferShapes(const std::vector<Shape>& inputs,
                                           const Params& params) const = 0;

    virtual int64_t parameterCount(const std::vector<Shape>& inputs, const Params& params) const {
        return 0;
    }
    // Forward FLOPs per sample (a multiply-add counts 2).
    virtual int64_t flops(const std::vector<Shape>& inputs, const std::vector<Shape>& outputs,
                          const Params& params) const;

    // True when every output row is a probability distribution (non-negative, summing to 1):
    // inference then passes a network ending here through instead of applying softmax.
    virtual bool outputsProbabilities(const Params&) const { return false; }

    // Input shapes the registry-driven gradient check uses for this layer (small).
    virtual std::vector<Shape> exampleInputs(const Params& params) const = 0;
    // Configurations the registry-driven tests run (gradient check, shapes). Default: the
    // schema's defaults with exampleInputs(). Layers with modes worth checking add rows.
    virtual std::vector<LayerExample> examples() const;

    // Where an exporter (ONNX, ...) finds how to write this layer in `format`; nullptr when the
    // layer does not support that format. See export_hook.h.
    virtual const LayerExportHook* exportHook(std::string_view format) const { return nullptr; }

    virtual std::unique_ptr<Layer> create(const std::vector<Shape>& inputs,
                                          const Params& params) const = 0;
};

// Adapter for defs of single-output layers: one inferShape, one output shape in flops.
class SingleOutputDef : public LayerDef {
public:
    virtual Shape inferShape(const std::vector<Shape>& inputs, const Params& params) const = 0;
    virtual int64_t flops(const std::vector<Shape>& inputs, const Shape& output,
                          const Params& params) const {
        return output.elements();
    }

    std::vector<Shape> inferShapes(const std::vector<Shape>& inputs,
                                   const Params& params) const final {
        return {inferShape(inputs, params)};
    }
    int64_t flops(const std::vector<Shape>& inputs, const std::vector<Shape>& outputs,
                  const Params& params) const final {
        return flops(inputs, outputs.at(0), params);
    }
};

}  // namespace netloom::engine
