#include "engine/project/layer_import.h"

#include <algorithm>
#include <limits>
#include <set>

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/layers/layer.h"

namespace netloom::engine {
namespace {

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

std::string shapesText(const std::vector<Shape>& shapes) {
    if (shapes.empty()) return "no input";
    std::string text;
    for (size_t i = 0; i < shapes.size(); ++i) text += (i ? " and " : "") + shapes[i].toString();
    return text;
}

// The tensors a layer of this kind holds for these input shapes and params, by name.
std::map<std::string, std::vector<int64_t>> tensorDims(const NodeAnalysis& na) {
    std::unique_ptr<Layer> layer = na.def->create(na.inputs, na.params);
    std::map<std::string, std::vector<int64_t>> dims;
    for (Parameter* p : layer->parameters()) dims[p->name] = p->value.dims();
    for (auto& [name, t] : layer->states()) dims[name] = t->dims();
    return dims;
}

// The first trained tensor that does not fit the layer as analysed, as "its trained weight is
// 256×784, here it needs 256×3072"; empty when all fit.
std::string misfit(const std::map<std::string, Tensor>& trained, const NodeAnalysis& na) {
    const auto need = tensorDims(na);
    for (const auto& [name, dims] : need) {
        auto it = trained.find(name);
        if (it == trained.end()) return "it has no trained '" + name + "'";
        if (it->second.dims() != dims)
            return "its trained " + name + " is " + Shape(it->second.dims()).toString() +
                   ", here it would need " + Shape(dims).toString();
    }
    return {};
}

}  // namespace

std::vector<std::string> LayerImport::ids() const {
    std::vector<std::string> out;
    for (const Node& n : nodes) out.push_back(n.id);
    return out;
}

LayerImport planLayerImport(const Network& source, const Network& target,
                            const LayerImportRequest& request) {
    if (request.nodeIds.empty()) throw Error("choose at least one layer to import");
    const std::set<std::string> chosen(request.nodeIds.begin(), request.nodeIds.end());
    for (const std::string& id : chosen)
        if (!source.graph.findNode(id))
            throw Error(request.sourceName + " has no layer with id " + quoted(id));
    const Node* attach = nullptr;
    if (!request.attachTo.empty()) {
        attach = target.graph.findNode(request.attachTo);
        if (!attach) throw Error("this network has no layer with id " + quoted(request.attachTo));
    }

    const GraphAnalysis sourceAnalysis = analyzeGraph(source.graph);
    LayerImport out;
    Graph merged = target.graph;
    std::map<std::string, std::string> newId;  // source id → new id
    // Source order, so the copy reads like the source whatever order the ids were chosen in.
    for (const Node& n : source.graph.nodes()) {
        if (!chosen.count(n.id)) continue;
        Node copy = n;
        copy.id = merged.makeId();
        copy.name = merged.makeName(n.name);
        newId[n.id] = copy.id;
        merged.addNode(copy);
        out.nodes.push_back(copy);

        const NodeAnalysis& na = sourceAnalysis.nodes.at(n.id);
        auto trained = source.weights.find(n.id);
        if (trained != source.weights.end()) {
            // Tensors that do not even fit the layer in its own project are not worth copying.
            if (na.ok) {
                if (const std::string why = misfit(trained->second, na); !why.empty())
                    throw Error(quoted(n.name) + " in " + request.sourceName +
                                " has weights that do not fit it (" + why +
                                "): the layer changed since it was trained");
            }
            out.weights[copy.id] = trained->second;
        } else if (na.ok && na.parameters > 0) {
            out.untrained.push_back(copy.name);
        }
    }
    // Edges among the chosen layers come along; those entering from outside are the places an
    // attach point can feed.
    struct Entry {
        std::string to;
        int toPort;
        std::string fromName;
    };
    std::vector<Entry> entries;
    for (const Edge& e : source.graph.edges()) {
        const bool in = chosen.count(e.to), from = chosen.count(e.from);
        if (in && from) {
            Edge copy{newId.at(e.from), e.fromPort, newId.at(e.to), e.toPort};
            merged.connect(copy);
            out.edges.push_back(copy);
        } else if (in) {
            entries.push_back({newId.at(e.to), e.toPort, source.graph.node(e.from).name});
        }
    }

    if (attach) {
        if (entries.empty())
            throw Error(
                "the chosen layers take no input from outside the selection, so there is "
                "nothing for " +
                quoted(attach->name) + " to feed");
        if (entries.size() > 1)
            throw Error("the chosen layers take inputs at " + std::to_string(entries.size()) +
                        " places; import them unconnected and wire them by hand");
        const Edge feed{attach->id, 0, entries[0].to, entries[0].toPort};
        merged.connect(feed);
        out.edges.push_back(feed);

        // Wired, every copied layer must see the input shapes its weights were trained for.
        const GraphAnalysis mergedAnalysis = analyzeGraph(merged);
        for (const Node& copy : out.nodes) {
            const NodeAnalysis& na = mergedAnalysis.nodes.at(copy.id);
            std::string srcId;
            for (const auto& [s, d] : newId)
                if (d == copy.id) srcId = s;
            const NodeAnalysis& was = sourceAnalysis.nodes.at(srcId);
            const std::string where =
                quoted(copy.name) + " does not fit after " + quoted(attach->name) + ": ";
            if (!na.ok) throw Error(where + na.error);
            auto trained = out.weights.find(copy.id);
            if (trained == out.weights.end()) continue;
            if (const std::string why = misfit(trained->second, na); !why.empty())
                throw Error(where + why + " (trained on inputs of " + shapesText(was.inputs) +
                            " in " + request.sourceName + ", here it gets " +
                            shapesText(na.inputs) + ")");
        }
    }

    // Layout: the source's arrangement, moved so that its top-left corner is at (x, y).
    double minX = std::numeric_limits<double>::max(), minY = minX;
    for (const auto& [src, dst] : newId) {
        auto ui = source.layout.find(src);
        if (ui == source.layout.end()) continue;
        minX = std::min(minX, ui->second.x);
        minY = std::min(minY, ui->second.y);
    }
    double row = 0;
    for (const Node& copy : out.nodes) {
        std::string srcId;
        for (const auto& [s, d] : newId)
            if (d == copy.id) srcId = s;
        NodeUi ui;
        auto was = source.layout.find(srcId);
        if (was != source.layout.end()) {
            ui = was->second;
            ui.x = request.x + ui.x - minX;
            ui.y = request.y + ui.y - minY;
        } else {  // no layout in the source: one after another
            ui.x = request.x + row;
            ui.y = request.y;
            row += 260;
        }
        out.layout[copy.id] = ui;
    }
    return out;
}

}  // namespace netloom::engine
