#pragma once
// A graph compiled for execution: layers in topological order, activation and gradient buffers.
// Built and run on one thread (the oneDNN scratchpad is thread-local).
#include <memory>
#include <string>
#include <vector>

#include "engine/core/compute.h"
#include "engine/graph/analysis.h"
#include "engine/graph/graph.h"
#include "engine/layers/layer.h"
#include "engine/model/weight_set.h"

namespace netloom::engine {

// One head's attention weights {T, S} in one attention layer (row i: how query token i spread
// its attention over the S key tokens; each row sums to 1).
struct AttentionMap {
    std::string layer;  // the node's name
    int head = 0;
    Tensor weights;
};

class Model {
public:
    // Throws Error with the first problem when the graph is invalid.
    Model(const Graph& graph, ComputeContext& ctx);
    ~Model();

    const Shape& inputShape() const { return m_inputShape; }
    const Shape& outputShape() const { return m_outputShape; }

    // Shapes of every output port of the sink; outputShape() is port 0, the network's output.
    const std::vector<Shape>& outputShapes() const { return m_outputShapes; }

    // Forward for a batch {N, inputShape...}; returns the output {N, outputShape...} (the sink's
    // port 0). The sink's other ports are in output(k) afterwards.
    const Tensor& forward(const Tensor& input, bool training);
    const Tensor& output(int port = 0) const;
    // Backward from d(loss)/d(output); fills parameter gradients. When gradInput is not null it
    // receives d(loss)/d(input) (used by GAN generator steps).
    void backward(const Tensor& gradOutput, Tensor* gradInput = nullptr);
    // Backward for a sink with several outputs: gradOutputs[k] is d(loss)/d(output k), null for
    // an output the loss does not use (zero).
    void backward(const std::vector<const Tensor*>& gradOutputs, Tensor* gradInput = nullptr);

    std::vector<Parameter*> parameters();
    // The attention weights every attention layer computed in the last forward, for sample
    // `sample` of that batch, in the layers' order then by head; empty without attention layers.
    std::vector<AttentionMap> attentionMaps(int64_t sample) const;
    void initialize(uint64_t seed, InitScheme scheme);
    WeightSet weights() const;                   // copies of parameters and states
    void loadWeights(const WeightSet& weights);  // throws Error on missing/mismatched tensors
    // Continuing a run after graph edits: loads every layer whose saved tensors are all there
    // with the right shapes and leaves the others as initialized. Returns the names of the
    // layers (with parameters or state) that start fresh: added, or changed since training.
    std::vector<std::string> loadFittingWeights(const WeightSet& weights);

    struct LayerTiming {
        std::string name, type;
        double forwardMs = 0, backwardMs = 0;
        int64_t calls = 0;
    };
    void setProfiling(bool on) { m_profiling = on; }
    std::vector<LayerTiming> timings() const;

private:
    struct Step;
    void prepare(int64_t batch);
    ComputeContext& m_ctx;
    std::vector<std::unique_ptr<Step>> m_steps;
    Shape m_inputShape, m_outputShape;
    std::vector<Shape> m_outputShapes;
    std::vector<const Tensor*> m_sinkGrads;  // backward(gradOutput)'s argument list, reused
    int64_t m_batch = -1;
    bool m_profiling = false;
};

// What a run tells the user about loadFittingWeights' fresh layers: "fc2 and fc3 start from
// fresh weights (added or changed since the last run); ..."; empty when there are none.
std::string freshWeightsNote(const std::vector<std::string>& layers);

}  // namespace netloom::engine
