#include "ui/evaluation/predictor.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/data/dataset.h"

namespace netloom::ui {

namespace {

constexpr int64_t kChunk = 256;  // rows per forward call; bounds the activation memory

}  // namespace

engine::Tensor softmaxRows(const engine::Tensor& logits) {
    engine::Tensor p(logits.dims());
    const int64_t n = logits.batch();
    const int64_t c = n > 0 ? logits.size() / n : 0;
    for (int64_t r = 0; r < n; ++r) {
        const float* in = logits.data() + r * c;
        float* out = p.data() + r * c;
        const float top = *std::max_element(in, in + c);
        double sum = 0;
        for (int64_t k = 0; k < c; ++k) sum += std::exp(static_cast<double>(in[k] - top));
        for (int64_t k = 0; k < c; ++k)
            out[k] = static_cast<float>(std::exp(static_cast<double>(in[k] - top)) / sum);
    }
    return p;
}

int argmaxOf(const engine::Tensor& t, int64_t row) {
    const int64_t c = t.batch() > 0 ? t.size() / t.batch() : 0;
    const float* p = t.data() + row * c;
    return static_cast<int>(std::max_element(p, p + c) - p);
}

Predictor::Predictor(const engine::Graph& graph, const engine::WeightSet& weights)
    : m_thread(std::this_thread::get_id()) {
    // Per-thread OpenMP setting: affects this (GUI) thread only, never the training thread.
    omp_set_num_threads(1);
    m_ctx = std::make_unique<engine::ComputeContext>(0);
    m_model = std::make_unique<engine::Model>(graph, *m_ctx);
    engine::GraphAnalysis a = engine::analyzeGraph(graph);
    m_endsInSoftmax = graph.node(a.outputNode).type == "Softmax";
    m_model->loadWeights(weights);
}

Predictor::~Predictor() = default;

void Predictor::checkThread() const {
    if (std::this_thread::get_id() != m_thread)
        throw Error("internal: a Predictor was used on another thread than the one that built it");
}

void Predictor::setWeights(const engine::WeightSet& weights) {
    checkThread();
    m_model->loadWeights(weights);
}

engine::Tensor Predictor::forward(const engine::Tensor& x) {
    checkThread();
    const int64_t n = x.batch();
    const int64_t in = inputShape().elements();
    const int64_t outs = outputSize();
    if (n > 0 && x.size() / n != in)
        throw Error("the network's Input expects " + inputShape().toString() + ", got samples of " +
                    x.sampleShape().toString());
    engine::Tensor result(std::vector<int64_t>{n, outs});
    // One batch size for every call keeps the layers' primitives: the last chunk is padded.
    const int64_t chunk = std::min(n, kChunk);
    engine::Tensor part(chunk, inputShape());
    for (int64_t start = 0; start < n; start += chunk) {
        const int64_t rows = std::min(chunk, n - start);
        std::memcpy(part.data(), x.data() + start * in,
                    static_cast<size_t>(rows * in) * sizeof(float));
        if (rows < chunk) std::fill(part.data() + rows * in, part.data() + chunk * in, 0.0f);
        const engine::Tensor& out = m_model->forward(part, false);
        std::memcpy(result.data() + start * outs, out.data(),
                    static_cast<size_t>(rows * outs) * sizeof(float));
    }
    return result;
}

engine::Tensor Predictor::toProbabilities(const engine::Tensor& outputs) const {
    return m_endsInSoftmax ? outputs : softmaxRows(outputs);
}

engine::Tensor Predictor::forward(const engine::Dataset& data,
                                  const std::vector<int64_t>& indices) {
    engine::Tensor x;
    data.fillBatch(indices.data(), static_cast<int64_t>(indices.size()), x, nullptr);
    return forward(x);
}

Predictor* PredictorSlot::update(const engine::Graph& graph,
                                 const std::shared_ptr<const engine::WeightSet>& weights) {
    if (!weights || weights->empty()) {
        reset();
        m_error = "The network has no trained weights yet: press Train.";
        return nullptr;
    }
    if (m_predictor && graph == m_graph && weights == m_weights) return m_predictor.get();
    try {
        if (m_predictor && graph == m_graph) {
            m_predictor->setWeights(*weights);
        } else {
            m_predictor.reset();
            m_predictor = std::make_unique<Predictor>(graph, *weights);
            m_graph = graph;
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
    m_error.clear();
}

}  // namespace netloom::ui
