#include "ui/evaluation/predictor.h"

namespace netloom::ui {

namespace {

engine::InferenceOptions guiOptions() {
    engine::InferenceOptions o;
    o.chunk = 256;  // bounds the activation memory
    o.padToChunk = true;
    o.threads = 1;
    return o;
}

}  // namespace

Predictor::Predictor(const engine::Graph& graph, const engine::WeightSet& weights,
                     engine::TargetKind target)
    : engine::InferenceSession(graph, weights, target, guiOptions()) {}

Predictor* PredictorSlot::update(const engine::Graph& graph,
                                 const std::shared_ptr<const engine::WeightSet>& weights,
                                 engine::TargetKind target) {
    if (!weights || weights->empty()) {
        reset();
        m_error = "The network has no trained weights yet: press Train.";
        return nullptr;
    }
    const bool sameNetwork = m_predictor && graph == m_graph && target == m_target;
    if (sameNetwork && weights == m_weights) return m_predictor.get();
    try {
        if (sameNetwork) {
            m_predictor->setWeights(*weights);
        } else {
            m_predictor.reset();
            m_predictor = std::make_unique<Predictor>(graph, *weights, target);
            m_graph = graph;
            m_target = target;
        }
        m_weights = weights;
        m_error.clear();
        return m_predictor.get();
    } catch (const std::exception& e) {
        reset();
        m_error = std::string("The trained weights do not fit the network: ") + e.what() +
                  ". Train again.";
        return nullptr;
    }
}

void PredictorSlot::reset() {
    m_predictor.reset();
    m_weights.reset();
    m_graph = engine::Graph{};
    m_target = engine::TargetKind::None;
    m_error.clear();
}

}  // namespace netloom::ui
