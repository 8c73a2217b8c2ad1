#include "engine/model/model.h"

#include <chrono>
#include <map>

#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "engine/layers/training_params.h"
#include "engine/model/parameter_training.h"

namespace netloom::engine {

// Where an input port of a step reads from: output `port` of step `step`.
struct PortRef {
    size_t step = 0;
    int port = 0;
};

struct Model::Step {
    std::string id, name, type;
    std::unique_ptr<Layer> layer;
    std::vector<PortRef> inputs;    // per input port
    std::vector<int> consumers;     // per output port: the number of edges leaving it
    bool hasTrainable = false;      // has parameters that are not frozen
    std::vector<Shape> shapes;      // per output port
    std::vector<Tensor> outputs;    // per output port
    std::vector<Tensor> grads;      // d(loss)/d(output k), summed over its consumers
    std::vector<char> gradWritten;  // per output port, during one backward pass
    std::vector<Tensor> scratch;    // per input port, for outputs with several consumers
    // Argument lists for the layer, pointing into the steps' tensors; built once so a batch
    // allocates nothing (the Tensor objects never move, only their storage does).
    std::vector<const Tensor*> ins, outsConst, gradOuts;
    std::vector<Tensor*> outs, gradIns;
    double forwardMs = 0, backwardMs = 0;
    int64_t calls = 0;

    bool anyGradWritten() const {
        for (char w : gradWritten)
            if (w) return true;
        return false;
    }
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
        step->shapes = na.outputs;
        step->layer = na.def->create(na.inputs, na.params);
        // A frozen layer (training_params.h) reaches the optimizer through Parameter::frozen;
        // a multiplier of 0 is a freeze (no step, no state), not a step of size 0. Other
        // multipliers go to the optimizer by position (parameter_training.h).
        for (Parameter* p : step->layer->parameters()) {
            p->frozen = skipsTraining(n.params);
            step->hasTrainable = step->hasTrainable || !p->frozen;
        }
        const size_t ports = na.outputs.size();
        step->consumers.assign(ports, 0);
        step->outputs.resize(ports);
        step->grads.resize(ports);
        step->gradWritten.assign(ports, 0);
        for (const Edge& e : graph.inputsOf(id)) {
            const size_t src = index.at(e.from);
            step->inputs.push_back({src, e.fromPort});
            ++m_steps[src]->consumers.at(static_cast<size_t>(e.fromPort));
        }
        step->scratch.resize(step->inputs.size());
        for (const PortRef& in : step->inputs)
            step->ins.push_back(&m_steps[in.step]->outputs[static_cast<size_t>(in.port)]);
        for (size_t k = 0; k < ports; ++k) {
            step->outs.push_back(&step->outputs[k]);
            step->outsConst.push_back(&step->outputs[k]);
        }
        step->gradOuts.assign(ports, nullptr);
        step->gradIns.assign(step->inputs.size(), nullptr);
        index[id] = m_steps.size();
        m_steps.push_back(std::move(step));
    }
    m_inputShape = a.nodes.at(a.inputNode).output;
    m_outputShapes = a.nodes.at(a.outputNode).outputs;
    m_outputShape = m_outputShapes.at(0);
    // A valid graph has one Input (the only node without inputs, so first in order) and one
    // sink, which every node reaches (so it is last in any topological order).
    if (m_steps.front()->id != a.inputNode || m_steps.back()->id != a.outputNode)
        throw Error("internal: Input or output layer out of place in topological order");
}

Model::~Model() = default;

void Model::prepare(int64_t batch) {
    if (batch == m_batch) return;
    for (auto& s : m_steps) {
        for (size_t k = 0; k < s->outputs.size(); ++k) s->outputs[k].resize(batch, s->shapes[k]);
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
    m_steps[0]->ins.assign(1, &input);  // the source passes the batch through
    for (auto& step : m_steps) {
        Step& s = *step;
        auto t0 = m_profiling ? Clock::now() : Clock::time_point{};
        s.layer->forward(s.ins, s.outs, training);
        if (m_profiling) {
            s.forwardMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            ++s.calls;
        }
    }
    return m_steps.back()->outputs[0];
}

const Tensor& Model::output(int port) const {
    const Step& last = *m_steps.back();
    if (port < 0 || static_cast<size_t>(port) >= last.outputs.size())
        throw Error("internal: the network's output layer has no output " +
                    std::to_string(port + 1));
    return last.outputs[static_cast<size_t>(port)];
}

void Model::backward(const Tensor& gradOutput, Tensor* gradInput) {
    m_sinkGrads.assign(m_steps.back()->outputs.size(), nullptr);  // allocates only once
    m_sinkGrads[0] = &gradOutput;
    backward(m_sinkGrads, gradInput);
}

void Model::backward(const std::vector<const Tensor*>& gradOutputs, Tensor* gradInput) {
    Step& last = *m_steps.back();
    if (gradOutputs.size() != last.outputs.size())
        throw Error("internal: " + std::to_string(gradOutputs.size()) +
                    " loss gradients for an output layer with " +
                    std::to_string(last.outputs.size()) + " outputs");
    for (size_t k = 0; k < gradOutputs.size(); ++k)
        if (gradOutputs[k] && gradOutputs[k]->size() != last.outputs[k].size())
            throw Error("internal: loss gradient has " + std::to_string(gradOutputs[k]->size()) +
                        " values, the output has " + std::to_string(last.outputs[k].size()));
    // Which steps need d(loss)/d(output)? Those with trainable parameters upstream-or-self, or
    // the input when the caller asks for it. Layers whose inputs need no gradient skip
    // backward-data, so a frozen front of the network (a pre-trained encoder) runs no backward.
    std::vector<char> needs(m_steps.size(), 0);
    needs[0] = gradInput != nullptr;
    for (size_t i = 1; i < m_steps.size(); ++i) {
        needs[i] = m_steps[i]->hasTrainable;
        for (const PortRef& src : m_steps[i]->inputs) needs[i] = needs[i] || needs[src.step];
    }
    for (auto& s : m_steps) {
        for (size_t k = 0; k < s->outputs.size(); ++k) {
            s->gradWritten[k] = 0;
            s->grads[k].resize(s->outputs[k].dims());
        }
    }
    for (size_t k = 0; k < gradOutputs.size(); ++k) {
        if (!gradOutputs[k]) continue;
        const Tensor& g = *gradOutputs[k];
        std::copy(g.data(), g.data() + g.size(), last.grads[k].data());
        last.gradWritten[k] = 1;
    }

    using Clock = std::chrono::steady_clock;
    for (size_t i = m_steps.size() - 1; i >= 1; --i) {
        Step& s = *m_steps[i];
        if (!needs[i] || !s.anyGradWritten()) continue;
        for (size_t k = 0; k < s.outputs.size(); ++k)
            s.gradOuts[k] = s.gradWritten[k] ? &s.grads[k] : nullptr;
        for (size_t p = 0; p < s.inputs.size(); ++p) {
            const PortRef& ref = s.inputs[p];
            Step& src = *m_steps[ref.step];
            const size_t port = static_cast<size_t>(ref.port);
            if (!needs[ref.step]) {
                s.gradIns[p] = nullptr;
            } else if (src.consumers[port] == 1) {
                s.gradIns[p] = &src.grads[port];
            } else {
                s.scratch[p].resize(src.outputs[port].dims());
                s.gradIns[p] = &s.scratch[p];
            }
        }
        auto t0 = m_profiling ? Clock::now() : Clock::time_point{};
        s.layer->backward(s.ins, s.outsConst, s.gradOuts, s.gradIns);
        if (m_profiling)
            s.backwardMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        for (size_t p = 0; p < s.inputs.size(); ++p) {
            if (!s.gradIns[p]) continue;
            const PortRef& ref = s.inputs[p];
            Step& src = *m_steps[ref.step];
            const size_t port = static_cast<size_t>(ref.port);
            Tensor& grad = src.grads[port];
            if (s.gradIns[p] != &grad) {  // several consumers: sum their contributions
                float* dst = grad.data();
                const float* add = s.gradIns[p]->data();
                const int64_t n = grad.size();
                if (src.gradWritten[port]) {
#pragma omp simd
                    for (int64_t k = 0; k < n; ++k) dst[k] += add[k];
                } else {
                    std::copy(add, add + n, dst);
                }
            }
            src.gradWritten[port] = 1;
        }
    }
    if (gradInput) {
        Step& first = *m_steps[0];
        gradInput->resize(first.outputs[0].dims());
        if (first.gradWritten[0])
            std::copy(first.grads[0].data(), first.grads[0].data() + first.grads[0].size(),
                      gradInput->data());
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

std::vector<AttentionMap> Model::attentionMaps(int64_t sample) const {
    std::vector<AttentionMap> maps;
    for (const auto& s : m_steps) {
        std::vector<Tensor> heads = s->layer->attentionWeights(sample);
        for (size_t h = 0; h < heads.size(); ++h)
            maps.push_back({s->name, static_cast<int>(h), std::move(heads[h])});
    }
    return maps;
}

std::vector<Model::LayerTiming> Model::timings() const {
    std::vector<LayerTiming> out;
    for (const auto& s : m_steps)
        out.push_back({s->name, s->type, s->forwardMs, s->backwardMs, s->calls});
    return out;
}

std::vector<double> parameterLrMultipliers(const Graph& graph) {
    GraphAnalysis a = analyzeGraph(graph);
    if (!a.ok()) throw Error(a.firstProblem());
    std::vector<double> out;
    for (const std::string& id : a.order) {
        const NodeAnalysis& na = a.nodes.at(id);
        // The same layers Model builds, in its order; made here only to count their tensors.
        const size_t count = na.def->create(na.inputs, na.params)->parameters().size();
        out.insert(out.end(), count, lrMultiplierOf(graph.node(id).params));
    }
    return out;
}

}  // namespace netloom::engine
