#pragma once
// The engine's real forward pass for the window's evaluation views and the draw pad. A Predictor
// owns its own ComputeContext and Model and runs on the thread that built it (the GUI thread):
// oneDNN's scratchpad is thread-local, so it never shares primitives with the training thread.
// It runs with one OpenMP thread, so a prediction does not leave a spinning thread team that
// competes with the training thread for the cores.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/compute.h"
#include "engine/graph/graph.h"
#include "engine/project/project.h"
#include "engine/model/model.h"

namespace netloom::engine {
struct Dataset;
}

namespace netloom::ui {

class Predictor {
public:
    // Throws netloom::Error when the graph is invalid or the weights do not fit it ("no trained
    // 'weight' for layer 'fc1'", "... the layer changed since training").
    Predictor(const engine::Graph& graph, const engine::WeightSet& weights);
    ~Predictor();

    // Same graph, other weights (after an epoch): no rebuild. Throws like the constructor.
    void setWeights(const engine::WeightSet& weights);

    const engine::Shape& inputShape() const { return m_model->inputShape(); }
    int64_t outputSize() const { return m_model->outputShape().elements(); }

    // Eval-mode forward of x {N, input...} in chunks; returns {N, outputs} (a copy).
    engine::Tensor forward(const engine::Tensor& x);
    // Class probabilities per row: softmax of the logits, or the output itself when the graph
    // already ends in a Softmax layer.
    engine::Tensor probabilities(const engine::Tensor& x) { return toProbabilities(forward(x)); }
    engine::Tensor toProbabilities(const engine::Tensor& outputs) const;
    // Forward of the dataset samples `indices` (converted exactly as the trainer converts them).
    engine::Tensor forward(const engine::Dataset& data, const std::vector<int64_t>& indices);

private:
    void checkThread() const;

    std::thread::id m_thread;
    std::unique_ptr<engine::ComputeContext> m_ctx;
    std::unique_ptr<engine::Model> m_model;
    bool m_endsInSoftmax = false;
};

// Keeps one Predictor in step with a graph and changing weights: rebuilt when the graph
// changes, weights swapped when only they change (after each epoch).
class PredictorSlot {
public:
    // The predictor for these, or null (no weights yet, or they do not fit: see error()).
    Predictor* update(const engine::Graph& graph,
                      const std::shared_ptr<const engine::WeightSet>& weights);
    const std::string& error() const { return m_error; }
    void reset();

private:
    engine::Graph m_graph;
    std::shared_ptr<const engine::WeightSet> m_weights;
    std::unique_ptr<Predictor> m_predictor;
    std::string m_error;
};

// Row-wise softmax of {N, C} values (max-subtracted, in double for the sums).
engine::Tensor softmaxRows(const engine::Tensor& logits);

// Index of the largest value in row `row` of {N, C}.
int argmaxOf(const engine::Tensor& t, int64_t row);

}  // namespace netloom::ui
