#include "engine/infer/inference_session.h"

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "engine/core/error.h"
#include "engine/core/row_math.h"
#include "engine/graph/analysis.h"
#include "engine/layers/layer.h"

namespace netloom::engine {

namespace {

// Whether the graph's output layer gives a probability distribution per row (a flat output
// whose layer says so), read from the graph's analysis.
bool endsInProbabilities(const Graph& graph) {
    const GraphAnalysis a = analyzeGraph(graph);
    if (!a.ok()) throw Error(a.firstProblem());
    const NodeAnalysis& out = a.nodes.at(a.outputNode);
    return out.def && out.output.rank() == 1 && out.def->outputsProbabilities(out.params);
}

}  // namespace

InferenceSession::InferenceSession(const Graph& graph, const WeightSet& weights, TargetKind target,
                                   InferenceOptions options)
    : m_thread(std::this_thread::get_id()), m_target(target), m_options(options) {
    if (m_options.chunk < 1) throw Error("inference chunk must be at least 1 sample");
    // Per-thread OpenMP setting: it affects the calling thread only.
    if (m_options.threads > 0) omp_set_num_threads(m_options.threads);
    m_outputsProbabilities = endsInProbabilities(graph);
    m_ownContext = std::make_unique<ComputeContext>(0);
    m_ownModel = std::make_unique<Model>(graph, *m_ownContext);
    m_model = m_ownModel.get();
    m_model->loadWeights(weights);
}

InferenceSession::InferenceSession(Model& model, const Graph* graph, TargetKind target,
                                   InferenceOptions options)
    : m_thread(std::this_thread::get_id()), m_target(target), m_options(options), m_model(&model) {
    if (m_options.chunk < 1) throw Error("inference chunk must be at least 1 sample");
    m_outputsProbabilities = graph && endsInProbabilities(*graph);
}

InferenceSession::~InferenceSession() = default;

void InferenceSession::checkThread() const {
    if (std::this_thread::get_id() != m_thread)
        throw Error(
            "internal: an inference session was used on another thread than the one that "
            "built it");
}

void InferenceSession::setWeights(const WeightSet& weights) {
    checkThread();
    m_model->loadWeights(weights);
}

const Tensor& InferenceSession::forwardChunk(const Tensor& x) {
    return m_model->forward(x, false);
}

std::vector<AttentionMap> InferenceSession::attentionMaps(const Tensor& x, int64_t sample) {
    if (sample < 0 || sample >= x.batch())
        throw Error("attention maps: sample " + std::to_string(sample) + " is outside the " +
                    std::to_string(x.batch()) + " samples given");
    if (x.batch() > m_options.chunk)
        throw Error("attention maps: at most " + std::to_string(m_options.chunk) +
                    " samples at once, got " + std::to_string(x.batch()));
    forward(x);  // one call: the layers keep this batch's weights
    return m_model->attentionMaps(sample);
}

Tensor InferenceSession::forward(const Tensor& x) {
    checkThread();
    const int64_t n = x.batch();
    const int64_t in = inputShape().elements();
    const int64_t outs = outputSize();
    if (n > 0 && x.size() / n != in)
        throw Error("the network's Input expects " + inputShape().toString() + ", got samples of " +
                    x.sampleShape().toString());
    Tensor result(n, outputShape());
    if (n == 0) return result;
    const int64_t chunk = std::min(n, m_options.chunk);
    if (n <= chunk && x.sampleShape() == inputShape()) {  // one call, no copy
        const Tensor& out = forwardChunk(x);
        std::memcpy(result.data(), out.data(), static_cast<size_t>(n * outs) * sizeof(float));
        return result;
    }
    for (int64_t start = 0; start < n; start += chunk) {
        const int64_t rows = std::min(chunk, n - start);
        const int64_t batch = m_options.padToChunk ? chunk : rows;
        m_padded.resize(batch, inputShape());
        std::memcpy(m_padded.data(), x.data() + start * in,
                    static_cast<size_t>(rows * in) * sizeof(float));
        if (rows < batch)
            std::fill(m_padded.data() + rows * in, m_padded.data() + batch * in, 0.0f);
        const Tensor& out = forwardChunk(m_padded);
        std::memcpy(result.data() + start * outs, out.data(),
                    static_cast<size_t>(rows * outs) * sizeof(float));
    }
    return result;
}

Tensor InferenceSession::forward(const Dataset& data, const std::vector<int64_t>& indices) {
    Tensor x;
    data.fillBatch(indices.data(), static_cast<int64_t>(indices.size()), x, nullptr);
    return forward(x);
}

Tensor InferenceSession::toProbabilities(Tensor outputs) const {
    if (!m_outputsProbabilities) softmaxRows(outputs);
    return outputs;
}

Tensor InferenceSession::toStepProbabilities(Tensor outputs) const {
    if (m_outputsProbabilities || outputs.batch() == 0) return outputs;
    // {N, T, V} logits: a softmax over each step's V values (the last axis).
    const Shape& out = outputShape();
    const int64_t vocab = out.rank() > 0 ? out[out.rank() - 1] : 1;
    const std::vector<int64_t> dims = outputs.dims();
    const int64_t rows = outputs.size() / vocab;
    outputs.resize({rows, vocab});
    softmaxRows(outputs);
    outputs.resize(dims);
    return outputs;
}

Tensor InferenceSession::interpret(Tensor outputs) const {
    switch (m_target) {
        case TargetKind::ClassLabels:
            return toProbabilities(std::move(outputs));
        case TargetKind::Reconstruction:
            if (outputs.batch() > 0 && outputs.size() / outputs.batch() == inputShape().elements())
                outputs.resize(outputs.batch(), inputShape());  // same values, image shape
            return outputs;
        case TargetKind::NextToken:
            return toStepProbabilities(std::move(outputs));
        case TargetKind::Regression:
        case TargetKind::None:
            return outputs;
    }
    return outputs;
}

void InferenceSession::run(const Dataset& data, bool withTargets, const ChunkCallback& onChunk) {
    checkThread();
    if (data.count == 0) return;
    BatchSourceOptions o;
    o.withTargets = withTargets;
    o.dropLast = false;
    BatchSource source(data, m_options.chunk, {}, o);
    source.start(sequentialOrder(data.count));
    while (const Batch* b = source.next()) onChunk(*b, forwardChunk(b->x));
}

}  // namespace netloom::engine
