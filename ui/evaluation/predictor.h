#pragma once
// The window's handle on engine::InferenceSession (engine/infer): the evaluation views, the draw
// pad, the reconstruction grid and the GAN panel run the engine's real forward pass through it.
// A Predictor builds its own compute context on the thread that creates it (the GUI thread), so
// it never shares oneDNN primitives with the training thread; it runs with one OpenMP thread
// (no spinning thread team competing with training) and pads the last chunk so repeated calls
// keep their primitives.
#include <memory>
#include <string>

#include "engine/data/target_kind.h"
#include "engine/graph/graph.h"
#include "engine/infer/inference_session.h"
#include "engine/model/weight_set.h"

namespace netloom::ui {

class Predictor : public engine::InferenceSession {
public:
    // Throws netloom::Error when the graph is invalid or the weights do not fit it ("no trained
    // 'weight' for layer 'fc1'", "... the layer changed since training"). target: how predict()
    // reads the outputs (None: as they are, e.g. a generator's images).
    Predictor(const engine::Graph& graph, const engine::WeightSet& weights,
              engine::TargetKind target = engine::TargetKind::None);
};

// Keeps one Predictor in step with a graph and changing weights: rebuilt when the graph (or the
// task's target) changes, weights swapped when only they change (after each epoch).
class PredictorSlot {
public:
    // The predictor for these, or null (no weights yet, or they do not fit: see error()).
    Predictor* update(const engine::Graph& graph,
                      const std::shared_ptr<const engine::WeightSet>& weights,
                      engine::TargetKind target = engine::TargetKind::None);
    const std::string& error() const { return m_error; }
    void reset();

private:
    engine::Graph m_graph;
    engine::TargetKind m_target = engine::TargetKind::None;
    std::shared_ptr<const engine::WeightSet> m_weights;
    std::unique_ptr<Predictor> m_predictor;
    std::string m_error;
};

// Index of the largest value in row `row` of {N, C}.
inline int argmaxOf(const engine::Tensor& t, int64_t row) {
    return static_cast<int>(engine::argmaxRow(t, row));
}

}  // namespace netloom::ui
