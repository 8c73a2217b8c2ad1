#include "engine/train/checkpoint.h"

namespace netloom::engine {
namespace {

std::string dimsText(const Tensor& t) {
    std::string s;
    for (int64_t d : t.dims()) s += (s.empty() ? "" : "×") + std::to_string(d);
    return s.empty() ? "a scalar" : s;
}

}  // namespace

std::string weightsFitProblem(const WeightSet& saved, const WeightSet& current,
                              const Graph& graph) {
    auto layer = [&graph](const std::string& id) {
        const Node* n = graph.findNode(id);
        return "layer '" + (n ? n->name : id) + "'";
    };
    for (const auto& [node, tensors] : current) {
        auto it = saved.find(node);
        if (it == saved.end()) return layer(node) + " is in this network but not in the checkpoint";
        for (const auto& [name, t] : tensors) {
            auto s = it->second.find(name);
            if (s == it->second.end())
                return layer(node) + " " + name + " is not in the checkpoint";
            if (s->second.dims() != t.dims())
                return layer(node) + " " + name + " is " + dimsText(s->second) +
                       " in the checkpoint but " + dimsText(t) + " in this network";
        }
    }
    for (const auto& [node, tensors] : saved)
        if (!current.count(node))
            return layer(node) + " is in the checkpoint but not in this network";
    return {};
}

}  // namespace netloom::engine
