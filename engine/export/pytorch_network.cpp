#include "engine/export/pytorch_network.h"

#include <cctype>
#include <map>
#include <set>

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/layers/layer.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/training_params.h"

namespace netloom::engine {
namespace {

// A Python identifier from a node name ("conv 1" → conv_1), unique among `used`; names the
// script itself uses (x, self, torch, ...) and keywords get a trailing underscore.
std::string identifierFor(const std::string& name, std::set<std::string>& used) {
    static const std::set<std::string> reserved{
        "x",        "self",     "torch",  "nn",   "F",      "np",    "and",    "as",
        "assert",   "break",    "class",  "def",  "del",    "elif",  "else",   "except",
        "False",    "finally",  "for",    "from", "global", "if",    "import", "in",
        "is",       "lambda",   "None",   "not",  "or",     "pass",  "raise",  "return",
        "True",     "try",      "while",  "with", "yield",  "async", "await",  "nonlocal",
        "continue", "training", "forward"};
    std::string id;
    for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "layer_" + id;
    if (reserved.count(id) || id[0] == '_') id += "_";
    std::string unique = id;
    for (int k = 2; used.count(unique); ++k) unique = id + "_" + std::to_string(k);
    used.insert(unique);
    return unique;
}

// Replaces {m}, {x} and {0}, {1}, ... in a hook's forward template.
std::string fillForward(const std::string& tmpl, const std::string& module, const std::string& x,
                        const std::vector<std::string>& inputs, const std::string& where) {
    std::string out;
    for (size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] != '{') {
            out += tmpl[i];
            continue;
        }
        const size_t close = tmpl.find('}', i);
        if (close == std::string::npos) throw Error(where + ": bad PyTorch forward template");
        const std::string key = tmpl.substr(i + 1, close - i - 1);
        if (key == "m") {
            out += module;
        } else if (key == "x") {
            out += x;
        } else {
            const size_t port = std::stoul(key);
            if (port >= inputs.size())
                throw Error(where + ": the PyTorch forward uses input " + key +
                            " it does not have");
            out += inputs[port];
        }
        i = close;
    }
    return out;
}

// The variable key of output port `port` of node `id` (port 0 is the node id itself).
std::string portKey(const std::string& id, int port) {
    return port == 0 ? id : id + "#" + std::to_string(port);
}

}  // namespace

PyTorchNetwork describePyTorchNetwork(const Graph& graph, const std::string& className) {
    const GraphAnalysis a = analyzeGraph(graph);
    if (!a.ok()) throw Error("the network is not valid: " + a.firstProblem());
    PyTorchNetwork net;
    net.className = className;

    std::set<std::string> used;
    std::map<std::string, std::string> var;  // node id → variable holding its output
    std::string init, forward;
    for (const std::string& id : a.order) {
        const Node& node = graph.node(id);
        const NodeAnalysis& na = a.nodes.at(id);
        const std::string where = "layer '" + node.name + "' (" + node.type + ")";
        const auto* hook =
            dynamic_cast<const PyTorchExportHook*>(na.def->exportHook(kPyTorchFormat));
        if (!hook) {
            net.problems.push_back(where + " has no PyTorch export");
            continue;
        }
        const PyTorchModule m = hook->module(PyTorchNode{na.params, na.inputs, na.outputs});
        const std::string name = identifierFor(node.name, used);
        std::vector<std::string> inputs;
        for (const Edge& e : graph.inputsOf(id))
            inputs.push_back(
                var.count(portKey(e.from, e.fromPort)) ? var[portKey(e.from, e.fromPort)] : "None");
        const std::string expr = fillForward(m.forward, "self." + name, "x", inputs, where);
        if (expr == "x") {
            var[id] = "x";
            net.inputShape = na.output;
            continue;
        }
        var[id] = name;
        // A layer with several outputs (LSTM: out, h, c) returns a tuple: one variable a port.
        std::string targets = name;
        const PortInfo ports = na.def->ports(na.params);
        for (size_t k = 1; k < ports.outputs.size(); ++k) {
            const std::string v = identifierFor(name + "_" + ports.outputs[k], used);
            var[portKey(id, static_cast<int>(k))] = v;
            targets += ", " + v;
        }
        if (!m.constructor.empty())
            init += "        self." + name + " = " + m.constructor +
                    (name == node.name ? "" : "  # " + node.name) + "\n";
        forward += "        " + targets + " = " + expr + "\n";

        // NetLoom's tensors of this layer, mapped to the module's state_dict.
        const std::unique_ptr<Layer> layer = na.def->create(na.inputs, na.params);
        auto keyOf = [&](const std::string& param) -> std::string {
            for (const auto& [from, to] : m.tensors)
                if (from == param) return name + "." + to;
            net.problems.push_back(where + ": its '" + param + "' has no PyTorch counterpart");
            return "";
        };
        const double multiplier = skipsTraining(node.params) ? 0.0 : lrMultiplierOf(node.params);
        for (Parameter* p : layer->parameters())
            net.tensors.push_back({keyOf(p->name), id, node.name, p->name, p->value.dims(), true,
                                   p->decay, multiplier});
        for (auto& [stateName, t] : layer->states())
            net.tensors.push_back(
                {keyOf(stateName), id, node.name, stateName, t->dims(), false, false});
    }
    if (!net.problems.empty()) return net;
    const NodeAnalysis& out = a.nodes.at(a.outputNode);
    net.outputShape = out.output;
    net.outputsProbabilities = out.def->outputsProbabilities(out.params);
    net.code = "class " + className +
               "(nn.Module):\n    def __init__(self):\n        super().__init__()\n" +
               (init.empty() ? "        pass\n" : init) + "\n    def forward(self, x):\n" +
               forward + "        return " + var[a.outputNode] + "\n";
    return net;
}

}  // namespace netloom::engine
