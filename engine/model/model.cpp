#include "engine/model/model.h"

#include <chrono>

#include "engine/core/error.h"
#include "engine/layers/registry.h"

namespace netloom::engine {

struct Model::Step {
    std::string id, name, type;
    std::unique_ptr<Layer> layer;
    std::vector<size_t> inputs;  // indices of the steps feeding each input port
    int consumers = 0;           // number of edges leaving this step
    bool hasParameters = false;
    Shape shape;
    Tensor output;
    Tensor grad;                  // d(loss)/d(output), summed over consumers
    std::vector<Tensor> scratch;  // per input port, for inputs with several consumers
    bool gradWritten = false;     // during one backward pass
    double forwardMs = 0, backwardMs = 0;
    int64_t calls = 0;
};

Model::Model(const Graph& graph, ComputeContext& ctx) : m_ctx(ctx) {
    GraphAnalysis a = analyzeGraph(graph);
    if (!a.ok()) throw Error(a.firstProblem());
    std::map<std::string, size_t> index;
    for (const std::string& id : a.order) {
        const Node& n = graph.node(id);
        const NodeAnalysis& na = a.nodes.at(id);
        auto step = std::make_unique<Step>();
        step->id = id;
        step->name = n.name;
        step->type = n.type;
        step->shape = na.output;
        step->layer = na.def->create(na.inputs, na.params);
        step->hasParameters = !step->layer->parameters().empty();
        for (const Edge& e : graph.inputsOf(id)) {
            step->inputs.push_back(index.at(e.from));
            ++m_steps[index.at(e.from)]->consumers;
        }
        step->scratch.resize(step->inputs.size());
        index[id] = m_steps.size();
        m_steps.push_back(std::move(step));
    }
    m_inputShape = a.nodes.at(a.inputNode).output;
    m_outputShape = a.nodes.at(a.outputNode).output;
    // A valid graph has one Input (the only node without inputs, so first in order) and one
    // sink, which every node reaches (so it is last in any topological order).
    if (m_steps.front()->id != a.inputNode || m_steps.back()->id != a.outputNode)
        throw Error("internal: Input or output layer out of place in topological order");
}

Model::~Model() = default;

void Model::prepare(int64_t batch) {
    if (batch == m_batch) return;
    for (auto& s : m_steps) {
        s->output.resize(batch, s->shape);
        s->layer->prepare(batch, m_ctx);
    }
    m_batch = batch;
}

const Tensor& Model::forward(const Tensor& input, bool training) {
    if (input.sampleShape().elements() != m_inputShape.elements())
        throw Error("input batch has samples of " + input.sampleShape().toString() +
                    ", the network's Input expects " + m_inputShape.toString());
    prepare(input.batch());
    using Clock = std::chrono::steady_clock;
    std::vector<const Tensor*> ins;
    for (size_t i = 0; i < m_steps.size(); ++i) {
        Step& s = *m_steps[i];
        ins.clear();
        if (i == 0) {
            ins.push_back(&input);
        } else {
            for (size_t src : s.inputs) ins.push_back(&m_steps[src]->output);
        }
        auto t0 = m_profiling ? Clock::now() : Clock::time_point{};
        s.layer->forward(ins, s.output, training);
        if (m_profiling) {
            s.forwardMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            ++s.calls;
        }
    }
    return m_steps.back()->output;
}

void Model::backward(const Tensor& gradOutput, Tensor* gradInput) {
    Step& last = *m_steps.back();
    if (gradOutput.size() != last.output.size())
        throw Error("internal: loss gradient has " + std::to_string(gradOutput.size()) +
                    " values, the output has " + std::to_string(last.output.size()));
    // Which steps need d(loss)/d(output)? Those with parameters upstream-or-self, or the input
    // when the caller asks for it. Layers whose inputs need no gradient skip backward-data.
    std::vector<char> needs(m_steps.size(), 0);
    needs[0] = gradInput != nullptr;
    for (size_t i = 1; i < m_steps.size(); ++i) {
        needs[i] = m_steps[i]->hasParameters;
        for (size_t src : m_steps[i]->inputs) needs[i] = needs[i] || needs[src];
    }
    for (auto& s : m_steps) {
        s->gradWritten = false;
        s->grad.resize(s->output.dims());
    }
    std::copy(gradOutput.data(), gradOutput.data() + gradOutput.size(), last.grad.data());
    last.gradWritten = true;

    using Clock = std::chrono::steady_clock;
    std::vector<const Tensor*> ins;
    std::vector<Tensor*> gradIns;
    for (size_t i = m_steps.size() - 1; i >= 1; --i) {
        Step& s = *m_steps[i];
        if (!needs[i] || !s.gradWritten) continue;
        ins.clear();
        gradIns.clear();
        for (size_t p = 0; p < s.inputs.size(); ++p) {
            Step& src = *m_steps[s.inputs[p]];
            ins.push_back(&src.output);
            if (!needs[s.inputs[p]]) {
                gradIns.push_back(nullptr);
            } else if (src.consumers == 1) {
                gradIns.push_back(&src.grad);
            } else {
                s.scratch[p].resize(src.output.dims());
                gradIns.push_back(&s.scratch[p]);
            }
        }
        auto t0 = m_profiling ? Clock::now() : Clock::time_point{};
        s.layer->backward(ins, s.output, s.grad, gradIns);
        if (m_profiling)
            s.backwardMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        for (size_t p = 0; p < s.inputs.size(); ++p) {
            if (!gradIns[p]) continue;
            Step& src = *m_steps[s.inputs[p]];
            if (gradIns[p] != &src.grad) {  // several consumers: sum their contributions
                float* dst = src.grad.data();
                const float* add = gradIns[p]->data();
                const int64_t n = src.grad.size();
                if (src.gradWritten) {
#pragma omp simd
                    for (int64_t k = 0; k < n; ++k) dst[k] += add[k];
                } else {
                    std::copy(add, add + n, dst);
                }
            }
            src.gradWritten = true;
        }
    }
    if (gradInput) {
        Step& first = *m_steps[0];
        gradInput->resize(first.output.dims());
        if (first.gradWritten)
            std::copy(first.grad.data(), first.grad.data() + first.grad.size(), gradInput->data());
        else
            gradInput->zero();
    }
}

std::vector<Parameter*> Model::parameters() {
    std::vector<Parameter*> all;
    for (auto& s : m_steps)
        for (Parameter* p : s->layer->parameters()) all.push_back(p);
    return all;
}

void Model::initialize(uint64_t seed, InitScheme scheme) {
    for (size_t i = 0; i < m_steps.size(); ++i) {
        // Each layer draws from its own stream so adding a layer does not shift the others.
        Rng rng(Rng::mix(seed ^ std::hash<std::string>{}(m_steps[i]->id)));
        m_steps[i]->layer->initialize(rng, scheme);
    }
}

WeightSet Model::weights() const {
    WeightSet w;
    for (const auto& s : m_steps) {
        for (Parameter* p : s->layer->parameters()) w[s->id][p->name] = p->value;
        for (auto& [name, t] : s->layer->states()) w[s->id][name] = *t;
    }
    for (auto& [id, tensors] : w)
        for (auto& [name, t] : tensors) t.storage().resize(static_cast<size_t>(t.size()));
    return w;
}

void Model::loadWeights(const WeightSet& weights) {
    auto load = [&](const Step& s, const std::string& name, Tensor& dst) {
        auto node = weights.find(s.id);
        if (node == weights.end() || !node->second.count(name))
            throw Error("no trained '" + name + "' for layer '" + s.name + "'");
        const Tensor& src = node->second.at(name);
        if (src.dims() != dst.dims())
            throw Error("trained '" + name + "' of layer '" + s.name + "' has shape " +
                        Shape(src.dims()).toString() + ", the layer needs " +
                        Shape(dst.dims()).toString() + ": the layer changed since training");
        std::copy(src.data(), src.data() + src.size(), dst.data());
    };
    // Validate everything first so a failure changes nothing.
    for (int pass = 0; pass < 2; ++pass) {
        for (auto& s : m_steps) {
            for (Parameter* p : s->layer->parameters()) {
                Tensor copy = p->value;
                load(*s, p->name, pass == 0 ? copy : p->value);
            }
            for (auto& [name, t] : s->layer->states()) {
                Tensor copy = *t;
                load(*s, name, pass == 0 ? copy : *t);
            }
        }
    }
}

std::vector<std::string> Model::loadFittingWeights(const WeightSet& weights) {
    std::vector<std::string> fresh;
    for (auto& s : m_steps) {
        std::vector<std::pair<Tensor*, const Tensor*>> copies;  // destination, source
        bool fits = true;
        auto match = [&](const std::string& name, Tensor& dst) {
            auto node = weights.find(s->id);
            const Tensor* src = nullptr;
            if (node != weights.end())
                if (auto it = node->second.find(name); it != node->second.end()) src = &it->second;
            if (!src || src->dims() != dst.dims())
                fits = false;
            else
                copies.push_back({&dst, src});
        };
        for (Parameter* p : s->layer->parameters()) match(p->name, p->value);
        for (auto& [name, t] : s->layer->states()) match(name, *t);
        if (copies.empty() && fits) continue;  // nothing to load: no parameters, no state
        if (!fits) {
            fresh.push_back(s->name);
            continue;
        }
        for (auto [dst, src] : copies)
            std::copy(src->data(), src->data() + src->size(), dst->data());
    }
    return fresh;
}

std::string freshWeightsNote(const std::vector<std::string>& layers) {
    if (layers.empty()) return {};
    std::string names;
    for (size_t i = 0; i < layers.size(); ++i)
        names += (i == 0 ? "" : i + 1 == layers.size() ? " and " : ", ") + layers[i];
    return names + (layers.size() == 1 ? " starts" : " start") +
           " from fresh weights (added or changed since the last run); the other layers "
           "continue from their trained weights.";
}

std::vector<Model::LayerTiming> Model::timings() const {
    std::vector<LayerTiming> out;
    for (const auto& s : m_steps)
        out.push_back({s->name, s->type, s->forwardMs, s->backwardMs, s->calls});
    return out;
}

}  // namespace netloom::engine
