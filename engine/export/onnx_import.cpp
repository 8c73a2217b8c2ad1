// ONNX import driver: parse, validate what a hostile file could abuse (sizes, dimensions,
// missing tensors, cycles) before converting anything, run ONNX's checker, then convert the
// nodes in dependency order with the converters of onnx_import_ops.cpp.
#include "engine/export/onnx_import.h"

#include <onnx/checker.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <queue>

#include "engine/export/onnx_import_context.h"
#include "engine/graph/analysis.h"
#include "engine/layers/registry.h"

namespace netloom::engine {
namespace onnximport {

constexpr int64_t kMaxElements = int64_t{1} << 28;  // 1 GiB of floats per tensor

int64_t attrInt(const onnx::NodeProto& n, const std::string& name, int64_t def) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return a.i();
    return def;
}
float attrFloat(const onnx::NodeProto& n, const std::string& name, float def) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return a.f();
    return def;
}
std::string attrString(const onnx::NodeProto& n, const std::string& name, const std::string& def) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return a.s();
    return def;
}
std::vector<int64_t> attrInts(const onnx::NodeProto& n, const std::string& name,
                              std::vector<int64_t> def) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return {a.ints().begin(), a.ints().end()};
    return def;
}
double tidy(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::strtod(buf, nullptr);
}

const Value& Context::input(const onnx::NodeProto& n, int k) const {
    if (!hasInput(n, k)) throw NodeProblem("input " + std::to_string(k + 1) + " is missing");
    auto it = values.find(n.input(k));
    if (it == values.end()) {
        if (constants.count(n.input(k)))
            throw NodeProblem("input '" + n.input(k) + "' is a constant, not a computed tensor");
        throw NodeProblem("input '" + n.input(k) + "' is not available");
    }
    if (it->second.timeMajor)
        throw NodeProblem("input '" + n.input(k) +
                          "' has time before batch; only a Transpose back or a recurrent "
                          "operator may read it");
    return it->second;
}
const Constant* Context::constantInput(const onnx::NodeProto& n, int k) const {
    if (!hasInput(n, k)) return nullptr;
    auto it = constants.find(n.input(k));
    return it == constants.end() ? nullptr : &it->second;
}
const Constant& Context::requireConstant(const onnx::NodeProto& n, int k,
                                         const std::string& what) const {
    const Constant* c = constantInput(n, k);
    if (!c)
        throw NodeProblem(what + " (input " + std::to_string(k + 1) + ") must be an initializer");
    return *c;
}
bool Context::isGraphOutput(const std::string& tensor) const {
    for (const auto& o : graph->output())
        if (o.name() == tensor) return true;
    return false;
}
int Context::soleConsumer(const std::string& name) const {
    auto it = consumers.find(name);
    if (it == consumers.end() || it->second.size() != 1 || isGraphOutput(name)) return -1;
    return it->second.front();
}

int Context::producer(const std::string& name) const {
    for (int i = 0; i < graph->node_size(); ++i)
        for (const auto& o : graph->node(i).output())
            if (o == name) return i;
    return -1;
}

// PyTorch names nodes by module path and operator: "/features/features.0/Conv" → "features.0",
// "/Relu" → "relu"; our exporter's names ("conv1", "gelu1/Erf") are kept as they are.
std::string layerName(const std::string& onnxName, const std::string& type) {
    std::string s = onnxName;
    if (!s.empty() && s.front() == '/') {
        s.resize(s.rfind('/'));          // drop "/Conv"
        s = s.substr(s.rfind('/') + 1);  // the innermost module
    }
    if (s.empty()) {
        s = type;
        for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return s;
}

std::string Context::addLayer(const std::string& type, const std::string& onnxName, Params params,
                              const std::vector<Value>& inputs) {
    const LayerDef* def = findLayerDef(type);
    std::vector<Shape> shapes;
    for (const Value& v : inputs) shapes.push_back(v.shape);
    try {
        params = normalizeParams(def->schema(), params, type);
        def->inferShapes(shapes, params);
    } catch (const Error& e) {
        throw NodeProblem(std::string("as ") + type + ": " + e.what());
    }
    Node node{out.makeId(), type, out.makeName(layerName(onnxName, type)), params};
    out.addNode(node);
    for (size_t k = 0; k < inputs.size(); ++k)
        out.connect({inputs[k].node, inputs[k].port, node.id, static_cast<int>(k)});
    return node.id;
}

Value Context::outputOf(const std::string& nodeId, int port) const {
    // The shapes of the node's inputs are known (the values feeding it), so its own follow
    // from its def; analyzing the whole graph would be quadratic in the node count.
    const Node& n = out.node(nodeId);
    std::vector<Shape> shapes;
    for (const Edge& e : out.inputsOf(nodeId)) shapes.push_back(shapeOf(e.from, e.fromPort));
    const LayerDef* def = findLayerDef(n.type);
    const Params params = normalizeParams(def->schema(), n.params, n.name);
    const std::vector<Shape> outs = def->inferShapes(shapes, params);
    m_shapes[{nodeId, 0}] = outs.at(0);
    for (size_t k = 0; k < outs.size(); ++k) m_shapes[{nodeId, static_cast<int>(k)}] = outs[k];
    return {nodeId, port, outs.at(static_cast<size_t>(port))};
}

Shape Context::shapeOf(const std::string& nodeId, int port) const {
    return m_shapes.at({nodeId, port});
}

}  // namespace onnximport

namespace {

using namespace onnximport;

// A TensorProto's values after checking its dims against its data (never trusting a size).
Constant readConstant(const onnx::TensorProto& t, const std::string& what) {
    Constant c;
    int64_t count = 1;
    for (int64_t d : t.dims()) {
        if (d < 0 || d > kMaxElements || count * d > kMaxElements)
            throw Error(what + " '" + t.name() + "' has an invalid or huge dimension " +
                        std::to_string(d));
        count *= d;
        c.dims.push_back(d);
    }
    if (t.has_data_location() && t.data_location() == onnx::TensorProto::EXTERNAL)
        throw Error(what + " '" + t.name() + "' keeps its data in an external file (unsupported)");
    auto check = [&](int64_t have) {
        if (have != count)
            throw Error(what + " '" + t.name() + "' has " + std::to_string(have) +
                        " values for its shape of " + std::to_string(count));
    };
    const std::string& raw = t.raw_data();
    switch (t.data_type()) {
        case onnx::TensorProto::FLOAT:
            if (!raw.empty()) {
                check(static_cast<int64_t>(raw.size() / 4));
                if (raw.size() % 4) check(-1);
                c.floats.resize(static_cast<size_t>(count));
                std::memcpy(c.floats.data(), raw.data(), raw.size());
            } else {
                check(t.float_data_size());
                c.floats.assign(t.float_data().begin(), t.float_data().end());
            }
            break;
        case onnx::TensorProto::DOUBLE:
            check(t.double_data_size());
            for (double v : t.double_data()) c.floats.push_back(static_cast<float>(v));
            break;
        case onnx::TensorProto::INT64:
            c.isInt = true;
            if (!raw.empty()) {
                check(static_cast<int64_t>(raw.size() / 8));
                if (raw.size() % 8) check(-1);
                c.ints.resize(static_cast<size_t>(count));
                std::memcpy(c.ints.data(), raw.data(), raw.size());
            } else {
                check(t.int64_data_size());
                c.ints.assign(t.int64_data().begin(), t.int64_data().end());
            }
            break;
        case onnx::TensorProto::INT32:
        case onnx::TensorProto::BOOL:
            c.isInt = true;
            if (!raw.empty()) {
                const size_t size = t.data_type() == onnx::TensorProto::BOOL ? 1 : 4;
                check(static_cast<int64_t>(raw.size() / size));
                for (size_t k = 0; k < raw.size(); k += size) {
                    int32_t v = 0;
                    std::memcpy(&v, raw.data() + k, size);
                    c.ints.push_back(v);
                }
            } else {
                check(t.int32_data_size());
                c.ints.assign(t.int32_data().begin(), t.int32_data().end());
            }
            break;
        default:
            throw Error(what + " '" + t.name() + "' has data type " +
                        std::to_string(t.data_type()) + ", which NetLoom does not read");
    }
    return c;
}

// The sample shape of a graph input: fixed positive dims after the batch axis.
Shape inputShape(const onnx::ValueInfoProto& in, std::vector<std::string>& notes) {
    const std::string where = "graph input '" + in.name() + "'";
    if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape())
        throw Error(where + " has no tensor shape");
    if (in.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
        throw Error(where + " is not float32");
    const auto& dims = in.type().tensor_type().shape().dim();
    if (dims.size() < 2) throw Error(where + " needs a batch axis and at least one more");
    if (dims[0].has_dim_value())
        notes.push_back(where + " had a fixed batch size of " +
                        std::to_string(dims[0].dim_value()) + "; NetLoom takes any");
    Shape s;
    int64_t count = 1;
    for (int k = 1; k < dims.size(); ++k) {
        if (!dims[k].has_dim_value())
            throw Error(where + " has a symbolic dimension '" + dims[k].dim_param() + "' at axis " +
                        std::to_string(k) + ": NetLoom needs fixed sample shapes");
        const int64_t d = dims[k].dim_value();
        if (d <= 0 || d > kMaxElements || count * d > kMaxElements)
            throw Error(where + " has an invalid or huge dimension " + std::to_string(d));
        count *= d;
        s.dims.push_back(d);
    }
    return s;
}

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& i : items) s += (s.empty() ? "" : "; ") + i;
    return s;
}

}  // namespace

namespace {
OnnxImportResult importModel(const std::string& bytes, const std::string& source);
}

OnnxImportResult importOnnxModel(const std::string& bytes, const std::string& source) {
    try {
        return importModel(bytes, source);
    } catch (const Error& e) {
        const std::string m = e.what();
        if (m.rfind(source + ": ", 0) == 0) throw;
        throw Error(source + ": " + m);  // every message names the file
    }
}

namespace {
OnnxImportResult importModel(const std::string& bytes, const std::string& source) {
    auto fail = [&](const std::string& m) { return Error(source + ": " + m); };
    onnx::ModelProto model;
    if (bytes.empty()) throw fail("empty file, not an ONNX model");
    if (!model.ParseFromString(bytes))
        throw fail("not an ONNX model (the protobuf data is truncated or corrupt)");
    if (!model.has_graph() || model.graph().node_size() == 0)
        throw fail("not an ONNX model (no graph with nodes)");
    Context c;
    c.graph = &model.graph();
    const onnx::GraphProto& g = model.graph();
    c.opset = 0;
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") c.opset = o.version();
    if (c.opset == 0) throw fail("the model imports no version of the standard ONNX operators");

    // Constants: initializers and Constant nodes.
    for (const auto& t : g.initializer()) c.constants[t.name()] = readConstant(t, "initializer");
    for (const auto& n : g.node())
        if (n.op_type() == "Constant") {
            if (n.output_size() != 1)
                throw fail("Constant node '" + n.name() + "' needs one output");
            const onnx::TensorProto* value = nullptr;
            for (const auto& a : n.attribute())
                if (a.name() == "value" && a.has_t()) value = &a.t();
            if (!value) throw fail("Constant node '" + n.name() + "' has no tensor value");
            c.constants[n.output(0)] = readConstant(*value, "constant");
        }

    // Every tensor a node reads must come from somewhere; then a dependency order, or a cycle.
    std::map<std::string, int> producer;
    for (int i = 0; i < g.node_size(); ++i)
        for (const auto& o : g.node(i).output())
            if (!o.empty()) producer[o] = i;
    std::set<std::string> inputs;
    for (const auto& in : g.input())
        if (!c.constants.count(in.name())) inputs.insert(in.name());
    std::vector<int> pending(static_cast<size_t>(g.node_size()), 0);
    std::vector<std::vector<int>> next(static_cast<size_t>(g.node_size()));
    for (int i = 0; i < g.node_size(); ++i) {
        const auto& n = g.node(i);
        for (const auto& in : n.input()) {
            if (in.empty()) continue;
            c.consumers[in].push_back(i);
            if (c.constants.count(in) || inputs.count(in)) continue;
            auto p = producer.find(in);
            if (p == producer.end())
                throw fail("node '" + n.name() + "' (" + n.op_type() + ") reads '" + in +
                           "', which no node, initializer or graph input provides");
            if (g.node(p->second).op_type() == "Constant") continue;
            ++pending[static_cast<size_t>(i)];
            next[static_cast<size_t>(p->second)].push_back(i);
        }
    }
    std::vector<int> order;
    std::queue<int> ready;
    for (int i = 0; i < g.node_size(); ++i)
        if (pending[static_cast<size_t>(i)] == 0) ready.push(i);
    while (!ready.empty()) {
        const int i = ready.front();
        ready.pop();
        order.push_back(i);
        for (int j : next[static_cast<size_t>(i)])
            if (--pending[static_cast<size_t>(j)] == 0) ready.push(j);
    }
    if (order.size() != static_cast<size_t>(g.node_size())) {
        std::vector<std::string> stuck;
        for (int i = 0; i < g.node_size() && stuck.size() < 5; ++i)
            if (pending[static_cast<size_t>(i)] > 0) stuck.push_back("'" + g.node(i).name() + "'");
        throw fail("the graph has a cycle (through nodes " + joined(stuck) + ")");
    }

    // Unsupported operators, all of them, before converting anything.
    std::vector<std::string> unsupported;
    for (const auto& n : g.node())
        if (n.op_type() != "Constant" &&
            (!converters().count(n.op_type()) || !(n.domain().empty() || n.domain() == "ai.onnx")))
            unsupported.push_back(n.op_type() + " (node '" + n.name() + "')");
    if (!unsupported.empty())
        throw fail(
            "unsupported operators: " + joined(unsupported) +
            ". NetLoom imports Gemm, MatMul, Conv, ConvTranspose, MaxPool, AveragePool, "
            "GlobalAveragePool, BatchNormalization, Relu, LeakyRelu, Elu, Sigmoid, Tanh, "
            "GELU (erf form), Softmax, Flatten, Reshape, Dropout, Identity, zero Pad, Add, "
            "Sum, Concat, Resize, RNN, LSTM, GRU (as NetLoom writes them: Transposes around, "
            "squeezed outputs), Cast + Gather (Embedding), Gather (last step) and "
            "ReduceMean (sequence mean)");

    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        throw fail(std::string("invalid ONNX model: ") + e.what());
    }

    OnnxImportResult result;
    if (inputs.size() != 1)
        throw fail("NetLoom networks have one input; this model has " +
                   std::to_string(inputs.size()));
    if (g.output_size() != 1)
        throw fail("NetLoom networks have one output; this model has " +
                   std::to_string(g.output_size()));
    for (const auto& in : g.input()) {
        if (!inputs.count(in.name())) continue;
        const Shape shape = inputShape(in, result.notes);
        std::string dims;
        for (int64_t d : shape.dims) dims += (dims.empty() ? "" : ",") + std::to_string(d);
        Params p;
        const std::string noise = "netloom:Noise:";
        const bool isNoise = in.doc_string().rfind(noise, 0) == 0;
        p.set("shape", dims);
        if (isNoise) p.set("distribution", in.doc_string().substr(noise.size()));
        try {
            const std::string id = c.addLayer(isNoise ? "Noise" : "Input", in.name(), p, {});
            c.produce(in.name(), c.outputOf(id));
        } catch (const Error& e) {
            throw fail("graph input '" + in.name() + "': " + e.what());
        }
    }

    std::vector<std::string> problems;
    std::set<std::string> failed;  // tensors of nodes that could not be converted
    for (int i : order) {
        const onnx::NodeProto& n = g.node(i);
        if (n.op_type() == "Constant" || c.consumed.count(i)) continue;
        bool blocked = false;
        for (const auto& in : n.input()) blocked = blocked || failed.count(in);
        if (!blocked) {
            try {
                converters().at(n.op_type())(c, i);
                continue;
            } catch (const Error& e) {
                problems.push_back("node '" + n.name() + "' (" + n.op_type() + "): " + e.what());
            }
        }
        for (const auto& o : n.output()) failed.insert(o);
    }
    if (!problems.empty()) throw fail(joined(problems));

    auto out = c.values.find(g.output(0).name());
    if (out == c.values.end())
        throw fail("the graph output '" + g.output(0).name() + "' is not computed");
    const GraphAnalysis analysis = analyzeGraph(c.out);
    if (!analysis.ok()) throw fail(analysis.firstProblem());
    if (analysis.outputNode != out->second.node)
        throw fail("the graph output '" + g.output(0).name() + "' is not the network's last layer");
    result.network.graph = std::move(c.out);
    result.network.weights = std::move(c.weights);
    return result;
}
}  // namespace

OnnxImportResult importOnnxFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
    const std::streamoff size = in.tellg();  // -1 for a folder or a pipe
    if (size < 0) throw Error(path + ": cannot read (not a regular file)");
    if (size > (std::streamoff{1} << 30)) throw Error(path + ": larger than 1 GiB, refused");
    std::string bytes(static_cast<size_t>(size), '\0');
    in.seekg(0);
    if (!in.read(bytes.data(), size)) throw Error(path + ": cannot read");
    return importOnnxModel(bytes, path);
}

Project projectFromOnnx(const OnnxImportResult& imported, const std::string& name) {
    Project p;
    p.name = name;
    p.description = "Imported from ONNX";
    p.networks = {imported.network};
    return p;
}

}  // namespace netloom::engine
