#pragma once
// One NetLoom network as a PyTorch nn.Module: the class's source text (one attribute per layer
// that has a module, one forward line per node in topological order) and the map between the
// module's state_dict and NetLoom's weights. Built from the layers' PyTorch export hooks
// (engine/layers/pytorch_export_hook.h); layers without one are listed as problems by name.
#include <string>
#include <vector>

#include "engine/core/shape.h"
#include "engine/graph/graph.h"

namespace netloom::engine {

struct PyTorchTensor {
    std::string key;     // state_dict key in the network's module: "fc1.weight"
    std::string nodeId;  // NetLoom's WeightSet entry: [nodeId][param]
    std::string nodeName;
    std::string param;  // "weight", "gamma", "running_mean"
    std::vector<int64_t> dims;
    bool trainable = true;      // false for states (BatchNorm running statistics)
    bool decay = true;          // weight decay, L1 and L2 apply (NetLoom's Parameter::decay)
    double lrMultiplier = 1.0;  // the layer's (training_params.h); 0 when frozen
};

struct PyTorchNetwork {
    std::string className;
    std::string code;  // "class Net(nn.Module): ..."
    std::vector<PyTorchTensor> tensors;
    Shape inputShape, outputShape;
    bool outputsProbabilities = false;
    std::vector<std::string> problems;  // "layer 'fc1' (Foo) has no PyTorch export"; code empty
};

// Never throws for an unsupported layer (it becomes a problem); throws Error when the graph is
// invalid (its first problem).
PyTorchNetwork describePyTorchNetwork(const Graph& graph, const std::string& className);

}  // namespace netloom::engine
