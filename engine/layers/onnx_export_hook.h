#pragma once
// How a layer writes itself into an ONNX graph, without knowing protobuf: the layer's file
// defines an OnnxExportHook (returned by exportHook("onnx")) that writes ONNX nodes through the
// abstract OnnxEmitter; engine/export implements the emitter on the ONNX protobuf and checks the
// result. Tensors are named by strings; every tensor carries the batch as its first axis.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/shape.h"
#include "engine/core/tensor.h"
#include "engine/layers/export_hook.h"
#include "engine/layers/params.h"

namespace netloom::engine {

inline constexpr std::string_view kOnnxFormat = "onnx";

// One ONNX node attribute value: int, float, ints, floats, string or strings (an RNN's
// activations).
using OnnxAttributeValue = std::variant<int64_t, float, std::vector<int64_t>, std::vector<float>,
                                        std::string, std::vector<std::string>>;
using OnnxAttributes = std::map<std::string, OnnxAttributeValue>;

class OnnxEmitter {
public:
    virtual ~OnnxEmitter() = default;
    // Adds the node op(inputs) → outputs; an empty input name is an omitted optional input.
    // `doc` becomes the node's doc_string (hints for the importer, e.g. "netloom:sequence").
    virtual void addNode(const std::string& op, const std::vector<std::string>& inputs,
                         const std::vector<std::string>& outputs,
                         const OnnxAttributes& attributes = {}, const std::string& doc = "") = 0;
    // Adds a constant tensor (weights, shapes, scalars) and returns its unique name built from
    // `base`.
    virtual std::string addFloats(const std::string& base, const std::vector<int64_t>& dims,
                                  const std::vector<float>& values) = 0;
    virtual std::string addInt64s(const std::string& base, const std::vector<int64_t>& dims,
                                  const std::vector<int64_t>& values) = 0;
    // A unique name for an intermediate tensor, built from `base`.
    virtual std::string freshName(const std::string& base) = 0;
    // Declares `name` a graph input of one sample shape (batch axis added); `doc` is kept as the
    // input's doc_string (the importer reads "netloom:Noise:<distribution>" back).
    virtual void addGraphInput(const std::string& name, const Shape& sample,
                               const std::string& doc) = 0;
};

// What a hook knows about the node it writes.
struct OnnxNodeInfo {
    std::string name;  // the node's user-visible name, a prefix for the names it makes
    Params params;     // normalized against the schema
    std::vector<Shape> inputShapes, outputShapes;  // one sample, no batch axis
    std::vector<std::string> inputs;               // tensor names of the input ports
    std::vector<std::string> outputs;  // tensor names the hook must produce, one per port
    const std::map<std::string, Tensor>* weights = nullptr;  // parameters and states by name

    // The trained tensor `key` ("weight", "running_mean"); throws Error naming the layer.
    const Tensor& weight(const std::string& key) const {
        if (weights) {
            auto it = weights->find(key);
            if (it != weights->end()) return it->second;
        }
        throw Error("layer '" + name + "' has no '" + key + "' tensor to export");
    }
    bool hasWeight(const std::string& key) const { return weights && weights->count(key); }
};

class OnnxExportHook : public LayerExportHook {
public:
    virtual void write(const OnnxNodeInfo& node, OnnxEmitter& out) const = 0;
};

// A hook from a lambda, so a layer file's ONNX block is one function:
//   static const OnnxHookFn hook([](const OnnxNodeInfo& n, OnnxEmitter& out) {...});
template <class Fn>
class OnnxHookFn final : public OnnxExportHook {
public:
    explicit OnnxHookFn(Fn fn) : m_fn(std::move(fn)) {}
    void write(const OnnxNodeInfo& node, OnnxEmitter& out) const override { m_fn(node, out); }

private:
    Fn m_fn;
};

// The ONNX hook of a layer whose whole export is one node `op` with fixed attributes on its
// inputs (the activations, Flatten).
inline void emitSingleOnnxNode(const std::string& op, const OnnxNodeInfo& node, OnnxEmitter& out,
                               const OnnxAttributes& attributes = {}) {
    out.addNode(op, node.inputs, {node.outputs.at(0)}, attributes);
}

// A tensor's values as a vector (initializers).
inline std::vector<float> onnxValues(const Tensor& t) {
    return std::vector<float>(t.data(), t.data() + t.size());
}
// Recurrent layers: ONNX orders the gate blocks of its weights and biases differently (LSTM
// i,o,f,c against our/PyTorch's i,f,c,o; GRU z,r,h against r,z,h). `values` holds
// order.size() blocks of `blockSize` values each; block k of the result is block order[k] of
// the input, e.g. LSTM: onnxReorderBlocks(w, H * I, {0, 3, 1, 2}).
inline std::vector<float> onnxReorderBlocks(const std::vector<float>& values, int64_t blockSize,
                                            const std::vector<int>& order) {
    if (static_cast<int64_t>(order.size()) * blockSize != static_cast<int64_t>(values.size()))
        throw Error("gate blocks do not tile the tensor");
    std::vector<float> out;
    out.reserve(values.size());
    for (int k : order)
        out.insert(out.end(), values.begin() + k * blockSize, values.begin() + (k + 1) * blockSize);
    return out;
}

// MultiHeadAttention's ONNX block (many plain nodes) is marked for the importer: its query
// projection's MatMul carries kOnnxAttentionDoc + the dropout rate, the key and value ones
// kOnnxAttentionPartDoc.
inline const std::string kOnnxAttentionDoc = "netloom:MultiHeadAttention:dropout=";
inline const std::string kOnnxAttentionPartDoc = "netloom:MultiHeadAttention:part";

// Float attributes read from double parameters ("alpha", "epsilon").
inline float onnxFloat(const Params& p, const std::string& key) {
    return static_cast<float>(p.getFloat(key));
}

}  // namespace netloom::engine
