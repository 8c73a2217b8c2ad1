#pragma once
// The one way to run a trained network forward: model + batching + reading the outputs the way
// the task means them. Eval mode, in chunks (bounded activation memory), on the thread that
// built the session (oneDNN's scratchpad is thread-local: a session never shares primitives
// with a training thread). What the outputs mean comes from the task's target, never from a
// layer's type:
//   ClassLabels     class probabilities {N, C}: softmax of the logits, or the outputs themselves
//                   when the graph's output layer already gives probabilities
//   Regression      the values {N, outputs...}
//   Reconstruction  images shaped like the input {N, input...}
//   None            (a GAN generator) the outputs {N, outputs...}, e.g. images
//   NextToken       next-token probabilities {N, T, V}: a softmax over each step's V logits
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/row_math.h"
#include "engine/data/batch_source.h"
#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/graph/graph.h"
#include "engine/model/model.h"
#include "engine/model/weight_set.h"

namespace netloom::engine {

struct InferenceOptions {
    int64_t chunk = 256;  // rows per forward call
    // Pad the last chunk to a full one so every call has one batch size and the layers keep
    // their primitives (interactive views calling again and again); results are the same rows.
    bool padToChunk = false;
    // OpenMP threads for this thread's forward passes (0 = leave as is). The GUI uses 1 so a
    // prediction leaves no spinning thread team that competes with training.
    int threads = 0;
};

class InferenceSession {
public:
    // Builds the graph on a compute context of its own and loads the weights. Throws Error when
    // the graph is invalid or the weights do not fit ("no trained 'weight' for layer 'fc1'").
    InferenceSession(const Graph& graph, const WeightSet& weights, TargetKind target,
                     InferenceOptions options = {});
    // Runs a model that already exists (the trainer's, between epochs) on its thread; graph
    // (may be null: outputs are then logits) tells whether the outputs are probabilities.
    InferenceSession(Model& model, const Graph* graph, TargetKind target,
                     InferenceOptions options = {});
    ~InferenceSession();
    InferenceSession(const InferenceSession&) = delete;
    InferenceSession& operator=(const InferenceSession&) = delete;

    // Same graph, other weights (a new epoch's): no rebuild. Throws like the constructor.
    void setWeights(const WeightSet& weights);

    TargetKind target() const { return m_target; }
    const Shape& inputShape() const { return m_model->inputShape(); }
    const Shape& outputShape() const { return m_model->outputShape(); }
    int64_t outputSize() const { return m_model->outputShape().elements(); }
    // True when the output layer gives probabilities (see LayerDef::outputsProbabilities).
    bool outputsAreProbabilities() const { return m_outputsProbabilities; }

    // Raw outputs {N, output...} of x {N, input...} (a copy). Throws Error when the samples do
    // not have the input's size.
    Tensor forward(const Tensor& x);
    // Raw outputs of the dataset samples `indices`, converted exactly as training converts them.
    Tensor forward(const Dataset& data, const std::vector<int64_t>& indices);

    // The outputs read by task (table above).
    Tensor predict(const Tensor& x) { return interpret(forward(x)); }
    Tensor interpret(Tensor outputs) const;
    // Class probabilities {N, C} of x, or of raw outputs (any task with flat outputs).
    Tensor probabilities(const Tensor& x) { return toProbabilities(forward(x)); }
    Tensor toProbabilities(Tensor outputs) const;
    // Per-step probabilities of {N, T, V} raw outputs: a softmax over the last axis.
    Tensor toStepProbabilities(Tensor outputs) const;

    // Live attention maps: runs x (one chunk at most) forward and returns every attention
    // layer's weights per head for sample `sample` of x (Model::attentionMaps). Throws Error for
    // a sample outside x or more samples than one chunk.
    std::vector<AttentionMap> attentionMaps(const Tensor& x, int64_t sample = 0);

    // A whole dataset in order, one chunk at a time: onChunk(batch, rawOutputs) with the
    // batch's samples (and targets when withTargets). The outputs are valid during the call.
    using ChunkCallback = std::function<void(const Batch& batch, const Tensor& outputs)>;
    void run(const Dataset& data, bool withTargets, const ChunkCallback& onChunk);

private:
    void checkThread() const;
    const Tensor& forwardChunk(const Tensor& x);

    std::thread::id m_thread;
    TargetKind m_target;
    InferenceOptions m_options;
    std::unique_ptr<ComputeContext> m_ownContext;
    std::unique_ptr<Model> m_ownModel;
    Model* m_model = nullptr;
    bool m_outputsProbabilities = false;
    Tensor m_padded;
};

}  // namespace netloom::engine
