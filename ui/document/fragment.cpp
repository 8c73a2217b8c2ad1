#include "ui/document/fragment.h"

#include <QMimeData>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/core/error.h"
#include "engine/layers/registry.h"

namespace netloom::ui {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "netloom-fragment";

json paramToJson(const engine::ParamValue& v) {
    return std::visit([](const auto& x) { return json(x); }, v);
}

engine::ParamValue paramFromJson(const json& j, const std::string& where) {
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<int64_t>();
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) return j.get<std::string>();
    throw Error("clipboard: " + where + " is not a number, boolean or text");
}

const json& field(const json& obj, const char* key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) throw Error("clipboard: " + where + " has no '" + key + "'");
    return *it;
}

std::string text(const json& obj, const char* key, const std::string& where) {
    const json& j = field(obj, key, where);
    if (!j.is_string()) throw Error("clipboard: " + where + "/" + key + " must be text");
    return j.get<std::string>();
}

}  // namespace

Fragment extractFragment(const engine::Graph& graph,
                         const std::map<std::string, engine::NodeUi>& layout,
                         const std::vector<std::string>& nodeIds) {
    Fragment f;
    std::set<std::string> wanted(nodeIds.begin(), nodeIds.end());
    for (const auto& n : graph.nodes()) {  // document order, so paste keeps it
        if (!wanted.count(n.id)) continue;
        f.nodes.push_back(n);
        auto it = layout.find(n.id);
        f.layout[n.id] = it == layout.end() ? engine::NodeUi{} : it->second;
    }
    for (const auto& e : graph.edges())
        if (wanted.count(e.from) && wanted.count(e.to)) f.edges.push_back(e);
    return f;
}

QByteArray fragmentToJson(const Fragment& f) {
    json nodes = json::array();
    for (const auto& n : f.nodes) {
        json params = json::object();
        for (const auto& [key, value] : n.params.values()) params[key] = paramToJson(value);
        const auto it = f.layout.find(n.id);
        const engine::NodeUi ui = it == f.layout.end() ? engine::NodeUi{} : it->second;
        nodes.push_back({{"id", n.id},
                         {"type", n.type},
                         {"name", n.name},
                         {"params", params},
                         {"x", ui.x},
                         {"y", ui.y},
                         {"comment", ui.comment}});
    }
    json edges = json::array();
    for (const auto& e : f.edges)
        edges.push_back(
            {{"from", e.from}, {"fromPort", e.fromPort}, {"to", e.to}, {"toPort", e.toPort}});
    const json doc{{"format", kFormat}, {"version", 1}, {"nodes", nodes}, {"edges", edges}};
    return QByteArray::fromStdString(doc.dump());
}

static Fragment parseFragment(const QByteArray& bytes) {
    json doc;
    try {
        doc = json::parse(bytes.toStdString());
    } catch (const json::exception& e) {
        throw Error(std::string("clipboard: not valid JSON (") + e.what() + ")");
    }
    if (!doc.is_object() || doc.value("format", "") != kFormat)
        throw Error("clipboard: not a NetLoom selection");
    const json& nodes = field(doc, "nodes", "/");
    const json& edges = field(doc, "edges", "/");
    if (!nodes.is_array() || !edges.is_array())
        throw Error("clipboard: 'nodes' and 'edges' must be lists");
    Fragment f;
    std::set<std::string> ids;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const std::string where = "/nodes/" + std::to_string(i);
        const json& jn = nodes[i];
        if (!jn.is_object()) throw Error("clipboard: " + where + " must be an object");
        engine::Node n{text(jn, "id", where), text(jn, "type", where), text(jn, "name", where), {}};
        if (!engine::findLayerDef(n.type))
            throw Error("clipboard: " + where + ": unknown layer type '" + n.type + "'");
        if (!ids.insert(n.id).second) throw Error("clipboard: duplicate node id '" + n.id + "'");
        const json& params = field(jn, "params", where);
        if (!params.is_object()) throw Error("clipboard: " + where + "/params must be an object");
        for (const auto& [key, value] : params.items())
            n.params.set(key, paramFromJson(value, where + "/params/" + key));
        engine::NodeUi ui;
        ui.x = jn.value("x", 0.0);
        ui.y = jn.value("y", 0.0);
        ui.comment = jn.value("comment", "");
        f.layout[n.id] = ui;
        f.nodes.push_back(std::move(n));
    }
    for (size_t i = 0; i < edges.size(); ++i) {
        const std::string where = "/edges/" + std::to_string(i);
        const json& je = edges[i];
        if (!je.is_object()) throw Error("clipboard: " + where + " must be an object");
        engine::Edge e{text(je, "from", where), je.value("fromPort", 0), text(je, "to", where),
                       je.value("toPort", 0)};
        if (!ids.count(e.from) || !ids.count(e.to))
            throw Error("clipboard: " + where + " refers to a layer that is not in the selection");
        f.edges.push_back(e);
    }
    return f;
}

Fragment fragmentFromJson(const QByteArray& bytes) {
    try {
        return parseFragment(bytes);
    } catch (const json::exception& e) {
        throw Error(std::string("clipboard: unexpected contents (") + e.what() + ")");
    }
}

QMimeData* createFragmentMimeData(const Fragment& fragment) {
    auto* mime = new QMimeData;
    const QByteArray json = fragmentToJson(fragment);
    mime->setData(kFragmentMimeType, json);
    mime->setText(QString::fromUtf8(json));
    return mime;
}

bool mimeHasFragment(const QMimeData* mime) {
    return mime && mime->hasFormat(kFragmentMimeType);
}

}  // namespace netloom::ui
