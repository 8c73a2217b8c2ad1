// ONNX export: walks the graph in topological order and lets each layer's ONNX hook emit its
// nodes into a ModelProto (the emitter below), then runs ONNX's checker and writes the bytes.
#include "engine/export/onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <set>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/graph/subgraph.h"
#include "engine/io/project_io.h"
#include "engine/layers/init.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/registry.h"
#include "engine/model/model.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/registry.h"

namespace netloom::engine {
namespace {

void setShape(onnx::ValueInfoProto& info, const Shape& sample) {
    auto* tensor = info.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tensor->mutable_shape();
    shape->add_dim()->set_dim_param("N");  // any batch size
    for (int64_t d : sample.dims) shape->add_dim()->set_dim_value(d);
}

// OnnxEmitter on a GraphProto: unique names, nodes named after the layer that emitted them.
class ProtoEmitter final : public OnnxEmitter {
public:
    explicit ProtoEmitter(onnx::GraphProto& graph) : m_graph(graph) {}

    void beginLayer(const std::string& name) {
        m_layer = name;
        m_nodesOfLayer = 0;
    }
    void reserve(const std::string& name) { m_names.insert(name); }

    void addNode(const std::string& op, const std::vector<std::string>& inputs,
                 const std::vector<std::string>& outputs, const OnnxAttributes& attributes,
                 const std::string& doc) override {
        onnx::NodeProto* node = m_graph.add_node();
        // The layer's first node carries its name: the importer names the layer after it.
        node->set_name(m_nodesOfLayer++ == 0 ? m_layer : freshName(m_layer + "/" + op));
        node->set_op_type(op);
        if (!doc.empty()) node->set_doc_string(doc);
        for (const std::string& in : inputs) node->add_input(in);
        for (const std::string& out : outputs) node->add_output(out);
        for (const auto& [key, value] : attributes) {
            onnx::AttributeProto* a = node->add_attribute();
            a->set_name(key);
            if (auto* i = std::get_if<int64_t>(&value)) {
                a->set_type(onnx::AttributeProto::INT);
                a->set_i(*i);
            } else if (auto* f = std::get_if<float>(&value)) {
                a->set_type(onnx::AttributeProto::FLOAT);
                a->set_f(*f);
            } else if (auto* is = std::get_if<std::vector<int64_t>>(&value)) {
                a->set_type(onnx::AttributeProto::INTS);
                for (int64_t v : *is) a->add_ints(v);
            } else if (auto* fs = std::get_if<std::vector<float>>(&value)) {
                a->set_type(onnx::AttributeProto::FLOATS);
                for (float v : *fs) a->add_floats(v);
            } else if (auto* ss = std::get_if<std::vector<std::string>>(&value)) {
                a->set_type(onnx::AttributeProto::STRINGS);
                for (const std::string& v : *ss) a->add_strings(v);
            } else {
                a->set_type(onnx::AttributeProto::STRING);
                a->set_s(std::get<std::string>(value));
            }
        }
    }

    std::string addFloats(const std::string& base, const std::vector<int64_t>& dims,
                          const std::vector<float>& values) override {
        checkCount(base, dims, values.size());
        onnx::TensorProto* t = m_graph.add_initializer();
        t->set_name(freshName(base));
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (int64_t d : dims) t->add_dims(d);
        t->set_raw_data(values.data(), values.size() * sizeof(float));  // little-endian host
        return t->name();
    }

    std::string addInt64s(const std::string& base, const std::vector<int64_t>& dims,
                          const std::vector<int64_t>& values) override {
        checkCount(base, dims, values.size());
        onnx::TensorProto* t = m_graph.add_initializer();
        t->set_name(freshName(base));
        t->set_data_type(onnx::TensorProto::INT64);
        for (int64_t d : dims) t->add_dims(d);
        for (int64_t v : values) t->add_int64_data(v);
        return t->name();
    }

    std::string freshName(const std::string& base) override {
        std::string name = base;
        for (int k = 2; m_names.count(name); ++k) name = base + "_" + std::to_string(k);
        m_names.insert(name);
        return name;
    }

    void addGraphInput(const std::string& name, const Shape& sample,
                       const std::string& doc) override {
        onnx::ValueInfoProto* in = m_graph.add_input();
        in->set_name(name);
        if (!doc.empty()) in->set_doc_string(doc);
        setShape(*in, sample);
    }

private:
    void checkCount(const std::string& base, const std::vector<int64_t>& dims, size_t count) {
        int64_t n = 1;
        for (int64_t d : dims) n *= d;
        if (n != static_cast<int64_t>(count))
            throw Error("layer '" + m_layer + "': tensor '" + base + "' has " +
                        std::to_string(count) + " values for " + std::to_string(n) + " places");
    }

    onnx::GraphProto& m_graph;
    std::set<std::string> m_names;
    std::string m_layer;
    int m_nodesOfLayer = 0;
};

const OnnxExportHook* onnxHookOf(const LayerDef* def) {
    return def ? dynamic_cast<const OnnxExportHook*>(def->exportHook(kOnnxFormat)) : nullptr;
}

// Port 0 of a node is named after the node, port k after "node:k".
std::string tensorName(const Node& node, int port) {
    return port == 0 ? node.name : node.name + ":" + std::to_string(port);
}

}  // namespace

std::vector<std::string> layersWithoutOnnxExport(const Graph& graph) {
    std::vector<std::string> missing;
    for (const Node& n : graph.nodes())
        if (!onnxHookOf(findLayerDef(n.type)))
            missing.push_back("'" + n.name + "' (" + n.type + ")");
    return missing;
}

std::string exportOnnxModel(const Graph& graph, const WeightSet& weights,
                            const std::string& modelName) {
    const std::vector<std::string> missing = layersWithoutOnnxExport(graph);
    if (!missing.empty()) {
        std::string list;
        for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
        throw Error("cannot export to ONNX: no ONNX export for layer" +
                    std::string(missing.size() > 1 ? "s " : " ") + list);
    }
    const GraphAnalysis analysis = analyzeGraph(graph);
    if (!analysis.ok()) throw Error("cannot export to ONNX: " + analysis.firstProblem());

    onnx::ModelProto model;
    model.set_ir_version(kOnnxIrVersion);
    model.set_producer_name("NetLoom");
    model.set_producer_version(NETLOOM_VERSION_STRING);
    onnx::OperatorSetIdProto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    onnx::GraphProto* g = model.mutable_graph();
    g->set_name(modelName.empty() ? "netloom" : modelName);

    ProtoEmitter emitter(*g);
    for (const Node& n : graph.nodes()) emitter.reserve(n.name);
    static const std::map<std::string, Tensor> kNoWeights;
    for (const std::string& id : analysis.order) {
        const Node& node = graph.node(id);
        const NodeAnalysis& na = analysis.nodes.at(id);
        OnnxNodeInfo info;
        info.name = node.name;
        info.params = na.params;
        info.inputShapes = na.inputs;
        info.outputShapes = na.outputs;
        for (const Edge& e : graph.inputsOf(id))
            info.inputs.push_back(tensorName(graph.node(e.from), e.fromPort));
        for (size_t k = 0; k < na.outputs.size(); ++k)
            info.outputs.push_back(tensorName(node, static_cast<int>(k)));
        auto w = weights.find(id);
        info.weights = w != weights.end() ? &w->second : &kNoWeights;
        emitter.beginLayer(node.name);
        try {
            onnxHookOf(na.def)->write(info, emitter);
        } catch (const Error& e) {
            throw Error("cannot export layer '" + node.name + "' (" + node.type +
                        ") to ONNX: " + e.what());
        }
    }
    const Node& sink = graph.node(analysis.outputNode);
    onnx::ValueInfoProto* out = g->add_output();
    out->set_name(tensorName(sink, 0));
    setShape(*out, analysis.nodes.at(analysis.outputNode).output);

    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        throw Error(std::string("the exported ONNX model fails ONNX's checker: ") + e.what());
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes)) throw Error("could not serialize the ONNX model");
    return bytes;
}

std::vector<OnnxExportPart> onnxExportParts(const Project& project,
                                            const OnnxExportOptions& options,
                                            std::vector<std::string>* notes) {
    auto trainedOrInitialized = [&](const Network& net) {
        const GraphAnalysis a = analyzeGraph(net.graph);
        if (!net.weights.empty() && !a.ok()) return net.weights;
        if (!a.ok()) throw Error("cannot export to ONNX: " + a.firstProblem());
        ComputeContext ctx;
        Model model(net.graph, ctx);
        model.initialize(project.training.seed, parseInitScheme(project.training.init));
        if (!net.weights.empty()) {
            // Layers imported with trained weights beside new ones (transfer learning): the
            // new ones get the initial weights a run would start them from.
            const std::vector<std::string> fresh = model.loadFittingWeights(net.weights);
            if (fresh.empty()) return net.weights;
            if (notes) notes->push_back("the " + net.role + " network: " + freshWeightsNote(fresh));
            return model.weights();
        }
        if (notes)
            notes->push_back("the " + net.role +
                             " network has no trained weights: exported with initial weights "
                             "(seed " +
                             std::to_string(project.training.seed) + ")");
        return model.weights();
    };
    std::vector<OnnxExportPart> parts;
    const TaskDef& task = taskFor(project.training);
    if (task.isMultiNetwork()) {
        const Network* generator = findNetwork(project, kGeneratorRole);
        if (!generator) throw Error("cannot export to ONNX: the project has no generator network");
        parts.push_back({"generator", "", generator->graph, trainedOrInitialized(*generator)});
        if (options.discriminator) {
            const Network* d = findNetwork(project, kDiscriminatorRole);
            if (!d) throw Error("cannot export to ONNX: the project has no discriminator network");
            parts.push_back(
                {"discriminator", "-discriminator", d->graph, trainedOrInitialized(*d)});
        }
        return parts;
    }
    const Network& net = project.model();
    parts.push_back({"model", "", net.graph, trainedOrInitialized(net)});
    if (task.views().reconstructions) {
        const GraphAnalysis a = analyzeGraph(net.graph);
        const std::string code = findCodeNode(a);
        if (code.empty()) {
            if (notes) notes->push_back("no code layer found: encoder and decoder not written");
            return parts;
        }
        const WeightSet w = parts.front().weights;  // a copy: push_back reallocates
        parts.push_back({"encoder", "-encoder", upstreamGraph(net.graph, code), w});
        parts.push_back(
            {"decoder", "-decoder", downstreamGraph(net.graph, code, a.nodes.at(code).output), w});
        if (notes)
            notes->push_back("encoder and decoder split at layer '" + net.graph.node(code).name +
                             "'");
    }
    return parts;
}

OnnxExportReport exportProjectToOnnx(const Project& project, const std::string& path,
                                     const OnnxExportOptions& options) {
    OnnxExportReport report;
    const std::vector<OnnxExportPart> parts = onnxExportParts(project, options, &report.notes);
    std::string stem = path;
    if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, ".onnx") == 0)
        stem.resize(stem.size() - 5);
    // Build (and check) every part before writing any file.
    std::vector<std::pair<std::string, std::string>> files;
    for (const OnnxExportPart& part : parts) {
        const std::string name =
            project.name.empty() ? part.label : project.name + "-" + part.label;
        // Weights of nodes outside a half are simply not looked up.
        files.emplace_back(part.suffix.empty() ? path : stem + part.suffix + ".onnx",
                           exportOnnxModel(part.graph, part.weights, name));
    }
    for (const auto& [file, bytes] : files) {
        writeFileAtomically(file, bytes);
        report.files.push_back(file);
    }
    return report;
}

}  // namespace netloom::engine
