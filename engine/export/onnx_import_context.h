#pragma once
// The state of one ONNX import, shared by the driver (onnx_import.cpp: parsing, validation,
// order) and the operator converters (onnx_import_ops.cpp). Private to engine/export.
#include <onnx/onnx_pb.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/shape.h"
#include "engine/graph/graph.h"
#include "engine/model/weight_set.h"

namespace netloom::engine::onnximport {

// A constant: an initializer or a Constant node's value.
struct Constant {
    std::vector<int64_t> dims;
    std::vector<float> floats;  // float tensors
    std::vector<int64_t> ints;  // int64/int32 tensors
    bool isInt = false;
    int64_t count() const {
        return isInt ? static_cast<int64_t>(ints.size()) : static_cast<int64_t>(floats.size());
    }
};

// A tensor produced by the NetLoom graph: the node's output port and its sample shape.
struct Value {
    std::string node;
    int port = 0;
    Shape shape;
    // A sequence with batch and time swapped ([T,N,F], what ONNX's RNN operators read and
    // write): only Transpose back and the recurrent converters may read it.
    bool timeMajor = false;
};

// A converter could not map a node: the message names what (the driver adds the node).
struct NodeProblem : Error {
    using Error::Error;
};

class Context {
public:
    const onnx::GraphProto* graph = nullptr;
    int64_t opset = 17;
    std::map<std::string, Constant> constants;
    std::map<std::string, Value> values;
    std::map<std::string, std::vector<int>> consumers;  // tensor → indices of nodes reading it
    std::set<int> consumed;                             // nodes a pattern already converted
    Graph out;
    WeightSet weights;

    const onnx::NodeProto& node(int i) const { return graph->node(i); }
    // The NetLoom value of input k of node i; throws NodeProblem when it is a constant.
    const Value& input(const onnx::NodeProto& n, int k) const;
    // The constant behind input k (or nullptr when it is not one / absent).
    const Constant* constantInput(const onnx::NodeProto& n, int k) const;
    const Constant& requireConstant(const onnx::NodeProto& n, int k, const std::string& what) const;
    bool hasInput(const onnx::NodeProto& n, int k) const {
        return k < n.input_size() && !n.input(k).empty();
    }
    // The single node reading tensor `name`, or -1 (none, several, or it is a graph output).
    int soleConsumer(const std::string& name) const;
    // The index of the node writing tensor `name`, or -1 (a graph input or constant).
    int producer(const std::string& name) const;

    // Adds a NetLoom layer fed by `inputs`, named after the ONNX node; returns its id and
    // checks the shapes (throws NodeProblem with the layer's complaint).
    std::string addLayer(const std::string& type, const std::string& onnxName, Params params,
                         const std::vector<Value>& inputs);
    Value outputOf(const std::string& nodeId, int port = 0) const;  // computes its shape
    void produce(const std::string& tensor, const Value& v) { values[tensor] = v; }

    bool isGraphOutput(const std::string& tensor) const;

private:
    Shape shapeOf(const std::string& nodeId, int port) const;
    mutable std::map<std::pair<std::string, int>, Shape> m_shapes;
};

// Attribute helpers: the value or the default.
int64_t attrInt(const onnx::NodeProto& n, const std::string& name, int64_t def);
float attrFloat(const onnx::NodeProto& n, const std::string& name, float def);
std::string attrString(const onnx::NodeProto& n, const std::string& name, const std::string& def);
std::vector<int64_t> attrInts(const onnx::NodeProto& n, const std::string& name,
                              std::vector<int64_t> def);
// A float attribute as the double a user would type (1 − 0.9f → 0.1, not 0.0999999642).
double tidy(double v);

// Converts node i (and whatever pattern it starts); throws NodeProblem.
using Converter = std::function<void(Context&, int)>;
const std::map<std::string, Converter>& converters();

}  // namespace netloom::engine::onnximport
