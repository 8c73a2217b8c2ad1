#include "engine/export/pytorch_import.h"

#include <cmath>
#include <set>

#include "engine/core/error.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/project/network_roles.h"

namespace netloom::engine {
namespace {

std::string dimsText(const std::vector<int64_t>& dims) {
    std::string s = "[";
    for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

// "a, b, c and 4 more"
std::string listSome(const std::vector<std::string>& items) {
    std::string s;
    const size_t shown = std::min<size_t>(items.size(), 5);
    for (size_t i = 0; i < shown; ++i) s += (i ? ", " : "") + items[i];
    if (items.size() > shown) s += " and " + std::to_string(items.size() - shown) + " more";
    return s;
}

}  // namespace

std::map<std::string, WeightSet> readPyTorchWeights(const Project& project,
                                                    const std::string& path) {
    const TensorFile file = readTensorFile(path);
    std::map<std::string, WeightSet> out;
    std::set<std::string> expected;
    std::vector<std::string> missing, misShaped, nonFinite;
    for (const auto& [role, net] : pytorchNetworks(project)) {
        if (!net.problems.empty())
            throw Error("the project's " + role +
                        " cannot be described for PyTorch: " + net.problems.front());
        WeightSet& set = out[role];
        for (const PyTorchTensor& t : net.tensors) {
            const std::string name = role + "." + t.key;
            expected.insert(name);
            const Tensor* found = file.find(name);
            if (!found) {
                missing.push_back("'" + name + "' (" + t.nodeName + " " + t.param + ", " +
                                  dimsText(t.dims) + ")");
                continue;
            }
            if (found->dims() != t.dims) {
                misShaped.push_back("'" + name + "' is " + dimsText(found->dims()) + " but layer " +
                                    t.nodeName + " needs " + dimsText(t.dims));
                continue;
            }
            for (int64_t i = 0; i < found->size(); ++i)
                if (!std::isfinite((*found)[i])) {
                    nonFinite.push_back("'" + name + "'");
                    break;
                }
            set[t.nodeId][t.param] = *found;
        }
    }
    std::vector<std::string> unexpected;
    for (const auto& [name, t] : file.tensors)
        if (!expected.count(name)) unexpected.push_back("'" + name + "'");

    std::string why;
    if (!misShaped.empty()) why += " Wrong shapes: " + listSome(misShaped) + ".";
    if (!missing.empty()) why += " Missing: " + listSome(missing) + ".";
    if (!unexpected.empty()) why += " Not in this project: " + listSome(unexpected) + ".";
    if (!why.empty())
        throw Error(path + ": these weights are for a different graph than the project's." + why +
                    " Export the project again (netloom export --pytorch) and train with that "
                    "script.");
    if (!nonFinite.empty())
        throw Error(path + ": " + listSome(nonFinite) +
                    " hold NaN or infinite values (the training diverged)");
    return out;
}

std::string importPyTorchWeights(Project& project, const std::string& path) {
    std::map<std::string, WeightSet> sets = readPyTorchWeights(project, path);
    size_t count = 0;
    std::string roles;
    for (auto& [role, set] : sets) {
        Network* net = role == "model" ? &project.model() : findNetwork(project, role);
        for (const auto& [node, tensors] : set) count += tensors.size();
        net->weights = std::move(set);
        roles += (roles.empty() ? "" : " and ") + role;
    }
    return std::to_string(count) + " tensors of " + roles + " from " + path;
}

}  // namespace netloom::engine
