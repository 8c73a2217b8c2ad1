// Project ⇄ JSON. The file format, version 2 (docs/project-format.md says the same at length):
//
// {
//   "format": "netloom-project",          required; anything else is not a project
//   "version": 2,                         required; older versions go through migrateProject(),
//                                         newer ones are refused with a clear message
//   "name": "...", "description": "...",
//   "networks": [                         required, at least one; networks[0] is the model
//     { "role": "model",
//       "nodes": [ {"id": "n1", "type": "Input", "name": "input",
//                   "params": {"shape": "1,28,28"},   every layer also accepts "frozen"
//                                                      and "lr_multiplier" (version 2)
//                   "ui": {"x": 0.0, "y": 0.0, "comment": ""}}, ... ],
//       "edges": [ {"from": "n1", "fromPort": 0, "to": "n2", "toPort": 0}, ... ],
//       "groups": [ {"id": "g1", "name": "residual", "members": ["n2", "n3"],
//                    "collapsed": false}, ... ],   editor grouping (v2; v1 files get [])
//       "weights": { "n2": { "weight": {"shape": [256, 784], "dtype": "f32", "crc32": 123,
//                                       "data": "<base64 of little-endian float32>"}, ... } } } ],
//   "training": { "task", "loss", "optimizer": {"type", "lr", ...}, "batch_size", ...,
//                 "gan": {..., "discriminator_optimizer" (optional, as "optimizer")} },
//   "dataset": { "kind", ... },   both written and read from the settings schema
//                                 (engine/settings, io/settings_json.h; docs/settings.md)
//   "history": [ { "started": "2026-11-23T10:00:00Z", "seconds": 12.5, "status": "finished",
//                  "message": "", "config": {"training": {...}, "dataset": {...}},
//                  "epochs": [{"epoch", "train_loss", "train_accuracy", "val_loss",
//                              "val_accuracy", "seconds", "learning_rate" (optional: the LR
//                              the epoch ended with), "metrics": {"<name>": number}}],
//                  "test_loss", "test_accuracy", "data_prep" (optional: a CSV run's fitted
//                  preparation, io/csv_prep_json.h) } ]
// }
//
// Param values keep their JSON type: integer → int64, number with a fraction or exponent →
// double, true/false → bool, string → string. Non-finite doubles are written as null and read
// back as NaN. Missing optional fields take the defaults of the C++ structs, unknown fields are
// ignored. The writer refuses what the reader would refuse (unknown layer types, invalid params,
// weights for missing nodes), so a file NetLoom saved always opens again. Output is
// deterministic: fixed key order, params and weights sorted by key.
//
// Required: "format", "version", "networks" (non-empty); per node "id" (unique, non-empty) and
// "type" (a registered layer); per edge all four fields (ports ≥ 0, each input port used once);
// per tensor "shape" (rank ≤ 6, dims ≥ 1, ≤ 2^28 elements) and "data" (length checked against
// the shape before decoding). "dtype" defaults to "f32" (the only one); "crc32" is checked
// when present. A node without "name" is named by its id; "ui" is omitted for nodes without
// layout. Task "adversarial" needs exactly one network with role "generator" and one with role
// "discriminator" (io/network_roles.h). Groups must name existing nodes, each node in one group
// at most (graph/groups.h: checkGroups); a bad group is refused naming it. A version below 1 or no
// version is refused (project_migrate.h); deeper nesting than 256 levels is refused before parsing.
// A run's "config" holds "training" and "dataset" exactly as at the top level.
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/io/csv_prep_json.h"
#include "engine/io/json_blobs.h"
#include "engine/io/json_read.h"
#include "engine/io/project_io.h"
#include "engine/io/project_migrate.h"
#include "engine/io/run_json.h"
#include "engine/io/search_space_json.h"
#include "engine/io/settings_json.h"
#include "engine/io/tensor_json.h"
#include "engine/layers/registry.h"
#include "engine/layers/training_params.h"
#include "engine/project/network_roles.h"
#include "engine/project/project.h"
#include "engine/tasks/registry.h"

namespace netloom::engine {
namespace {

using ojson = nlohmann::ordered_json;

// ---- shared validation: what the reader refuses, the writer refuses too ----------------------

struct ParamProblem {
    std::string key;  // empty: the node as a whole
    std::string reason;
};

std::string knownLayerTypes() {
    std::string s;
    for (const LayerDef* d : allLayerDefs()) s += (s.empty() ? "" : ", ") + d->type();
    return s;
}

std::string describeNode(const Node& node) {
    return node.type + " '" + (node.name.empty() ? node.id : node.name) + "'";
}

// Checks each given param on its own against the schema, so that the error names the param.
std::optional<ParamProblem> checkNodeParams(const LayerDef& def, const Node& node) {
    const ParamSchema schema = def.schema();
    for (const auto& [key, value] : node.params.values()) {
        bool known = isTrainingParamKey(key);  // frozen, lr_multiplier: every layer's
        for (const ParamSpec& spec : schema) known = known || spec.key == key;
        if (!known) {
            std::string keys;
            for (const ParamSpec& spec : schema) keys += (keys.empty() ? "" : ", ") + spec.key;
            return ParamProblem{
                key, describeNode(node) + ": unknown parameter '" + key + "' (" + def.type() +
                         " has " + (keys.empty() ? std::string("no parameters") : keys) + ")"};
        }
        Params single;
        single.set(key, value);
        try {
            normalizeParams(schema, single, describeNode(node));
        } catch (const Error& e) {
            return ParamProblem{key, e.what()};
        }
    }
    try {  // the whole set, in case a layer's schema ever relates params to each other
        normalizeParams(schema, node.params, describeNode(node));
    } catch (const Error& e) {
        return ParamProblem{{}, e.what()};
    }
    return std::nullopt;
}

// ---- writing ------------------------------------------------------------------------------

ojson paramToJson(const ParamValue& v) {
    if (auto p = std::get_if<int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<bool>(&v)) return *p;
    return std::get<std::string>(v);
}

// "training" and "dataset" side by side: the project root and a run's "config".
void configToJson(const TrainingConfig& t, ojson& parent) {
    ojson training = ojson::object(), dataset = ojson::object();
    settingsToJson(t, training, dataset);
    parent["training"] = std::move(training);
    parent["dataset"] = std::move(dataset);
}

ojson runToJson(const RunRecord& r) {
    ojson j;
    j["started"] = r.started;
    j["seconds"] = r.seconds;
    j["status"] = r.status;
    j["message"] = r.message;
    configToJson(r.config, j["config"]);
    ojson epochs = ojson::array();
    for (const EpochRecord& e : r.epochs) {
        ojson je;
        je["epoch"] = e.epoch;
        je["train_loss"] = e.trainLoss;
        je["train_accuracy"] = e.trainAccuracy;
        je["val_loss"] = e.valLoss;
        je["val_accuracy"] = e.valAccuracy;
        je["seconds"] = e.seconds;
        if (!std::isnan(e.learningRate)) je["learning_rate"] = e.learningRate;
        ojson metrics = ojson::object();
        for (const auto& [name, value] : e.metrics) metrics[name] = value;
        je["metrics"] = std::move(metrics);
        epochs.push_back(std::move(je));
    }
    j["epochs"] = std::move(epochs);
    j["test_loss"] = r.testLoss;
    j["test_accuracy"] = r.testAccuracy;
    if (r.dataPrep) j["data_prep"] = csvPrepToJson(*r.dataPrep);
    return j;
}

ojson networkToJson(const Network& net, size_t index, std::vector<std::string>* blobs) {
    const std::string where =
        "cannot save network " + std::to_string(index) + " ('" + net.role + "')";
    ojson nodes = ojson::array();
    for (const Node& node : net.graph.nodes()) {
        const LayerDef* def = findLayerDef(node.type);
        if (!def)
            throw Error(where + ": node '" + node.id + "' has an unknown layer type '" + node.type +
                        "'");
        if (auto problem = checkNodeParams(*def, node)) throw Error(where + ": " + problem->reason);
        ojson jn;
        jn["id"] = node.id;
        jn["type"] = node.type;
        jn["name"] = node.name;
        ojson params = ojson::object();
        for (const auto& [key, value] : node.params.values()) params[key] = paramToJson(value);
        jn["params"] = std::move(params);
        auto ui = net.layout.find(node.id);
        if (ui != net.layout.end()) {
            jn["ui"]["x"] = ui->second.x;
            jn["ui"]["y"] = ui->second.y;
            jn["ui"]["comment"] = ui->second.comment;
        }
        nodes.push_back(std::move(jn));
    }
    ojson edges = ojson::array();
    for (const Edge& e : net.graph.edges()) {
        ojson je;
        je["from"] = e.from;
        je["fromPort"] = e.fromPort;
        je["to"] = e.to;
        je["toPort"] = e.toPort;
        edges.push_back(std::move(je));
    }
    if (auto problem = checkGroups(net.graph, net.groups))
        throw Error(where + ": " + problem->message);
    ojson groups = ojson::array();
    for (const NodeGroup& g : net.groups) {
        ojson jg;
        jg["id"] = g.id;
        jg["name"] = g.name;
        jg["members"] = g.members;
        jg["collapsed"] = g.collapsed;
        groups.push_back(std::move(jg));
    }
    ojson weights = ojson::object();
    for (const auto& [nodeId, tensors] : net.weights) {
        if (!net.graph.findNode(nodeId))
            throw Error(where + ": it has weights for node '" + nodeId +
                        "', which is not in the network");
        ojson jt = ojson::object();
        for (const auto& [name, tensor] : tensors)
            jt[name] = tensorToJson(
                tensor, where + ": weights '" + name + "' of node '" + nodeId + "'", blobs);
        weights[nodeId] = std::move(jt);
    }
    ojson j;
    j["role"] = net.role;
    j["nodes"] = std::move(nodes);
    j["edges"] = std::move(edges);
    j["groups"] = std::move(groups);
    j["weights"] = std::move(weights);
    return j;
}

// ---- reading ------------------------------------------------------------------------------

ParamValue paramFromJson(const JsonCursor& c) {
    const auto& v = c.value();
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer() || v.is_number_unsigned()) {
        if (v.is_number_unsigned() &&
            v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            c.fail("whole number " + std::to_string(v.get<uint64_t>()) + " is too large");
        return v.get<int64_t>();
    }
    if (v.is_number_float()) return v.get<double>();
    if (v.is_string()) return c.asString();  // through the cursor: long strings are lifted
    c.fail(std::string("must be a number, true/false or text, got ") +
           (v.is_null() ? "null" : v.type_name()));
}

// "training" and "dataset" side by side: the project root and a run's "config".
TrainingConfig configFromJson(const JsonCursor& c) {
    TrainingConfig t;
    const std::optional<JsonCursor> training = c.find("training"), dataset = c.find("dataset");
    settingsFromJson(training ? &*training : nullptr, dataset ? &*dataset : nullptr, t);
    return t;
}

RunRecord runFromJson(const JsonCursor& c) {
    RunRecord r;
    c.read("started", r.started);
    c.read("seconds", r.seconds);
    c.read("status", r.status);
    c.read("message", r.message);
    if (auto cfg = c.find("config")) r.config = configFromJson(*cfg);
    if (auto epochs = c.find("epochs")) {
        for (const JsonCursor& ec : epochs->elements()) {
            EpochRecord e;
            ec.read("epoch", e.epoch);
            ec.read("train_loss", e.trainLoss);
            ec.read("train_accuracy", e.trainAccuracy);
            ec.read("val_loss", e.valLoss);
            ec.read("val_accuracy", e.valAccuracy);
            ec.read("seconds", e.seconds);
            ec.read("learning_rate", e.learningRate);
            if (auto mc = ec.find("metrics"))
                for (const auto& [name, vc] : mc->members()) e.metrics[name] = vc.asDouble();
            r.epochs.push_back(e);
        }
    }
    c.read("test_loss", r.testLoss);
    c.read("test_accuracy", r.testAccuracy);
    if (auto dp = c.find("data_prep"))
        r.dataPrep = std::make_shared<const CsvPrepFit>(csvPrepFromJson(*dp));
    return r;
}

std::string requiredNonEmptyString(const JsonCursor& parent, const std::string& key) {
    JsonCursor c = parent.member(key);
    std::string s = c.asString();
    if (s.empty()) c.fail("must not be empty");
    return s;
}

void nodeFromJson(const JsonCursor& c, Network& net) {
    c.expectObject();
    Node node;
    node.id = requiredNonEmptyString(c, "id");
    if (net.graph.findNode(node.id)) c.member("id").fail("duplicate node id '" + node.id + "'");
    node.type = requiredNonEmptyString(c, "type");
    const LayerDef* def = findLayerDef(node.type);
    if (!def)
        c.member("type").fail("unknown layer type '" + node.type + "' (this NetLoom knows " +
                              knownLayerTypes() + ")");
    node.name = node.id;
    c.read("name", node.name);
    if (auto pc = c.find("params"))
        for (const auto& [key, vc] : pc->members()) node.params.set(key, paramFromJson(vc));
    if (auto problem = checkNodeParams(*def, node)) {
        if (problem->key.empty()) c.member("params").fail(problem->reason);
        c.member("params").member(problem->key).fail(problem->reason);
    }
    if (auto uc = c.find("ui")) {
        NodeUi ui;
        uc->read("x", ui.x);
        uc->read("y", ui.y);
        uc->read("comment", ui.comment);
        if (!std::isfinite(ui.x)) ui.x = 0;  // a position lost to NaN goes to the origin
        if (!std::isfinite(ui.y)) ui.y = 0;
        net.layout[node.id] = std::move(ui);
    }
    net.graph.addNode(std::move(node));
}

void edgeFromJson(const JsonCursor& c, Network& net, std::set<std::pair<std::string, int>>& used) {
    c.expectObject();
    Edge e;
    constexpr int kMaxPort = std::numeric_limits<int>::max();
    e.from = c.member("from").asString();
    e.fromPort = static_cast<int>(c.member("fromPort").asInt(0, kMaxPort));
    e.to = c.member("to").asString();
    e.toPort = static_cast<int>(c.member("toPort").asInt(0, kMaxPort));
    if (!net.graph.findNode(e.from)) c.member("from").fail("no node with id '" + e.from + "'");
    if (!net.graph.findNode(e.to)) c.member("to").fail("no node with id '" + e.to + "'");
    if (e.from == e.to) c.fail("connects node '" + e.from + "' to itself");
    if (!used.insert({e.to, e.toPort}).second)
        c.member("toPort").fail("input port " + std::to_string(e.toPort) + " of node '" + e.to +
                                "' is already connected by an earlier edge");
    try {
        net.graph.connect(e);
    } catch (const Error& err) {
        c.fail(err.what());
    }
}

NodeGroup groupFromJson(const JsonCursor& c) {
    c.expectObject();
    NodeGroup g;
    g.id = requiredNonEmptyString(c, "id");
    g.name = g.id;
    c.read("name", g.name);
    for (const JsonCursor& mc : c.member("members").elements()) g.members.push_back(mc.asString());
    c.read("collapsed", g.collapsed);
    return g;
}

Network networkFromJson(const JsonCursor& c) {
    c.expectObject();
    Network net;
    c.read("role", net.role);
    if (auto nodes = c.find("nodes"))
        for (const JsonCursor& nc : nodes->elements()) nodeFromJson(nc, net);
    if (auto edges = c.find("edges")) {
        std::set<std::pair<std::string, int>> used;
        for (const JsonCursor& ec : edges->elements()) edgeFromJson(ec, net, used);
    }
    if (auto groups = c.find("groups")) {
        const std::vector<JsonCursor> list = groups->elements();
        for (const JsonCursor& gc : list) net.groups.push_back(groupFromJson(gc));
        if (auto problem = checkGroups(net.graph, net.groups))
            list[problem->index].fail(problem->message);
    }
    if (auto weights = c.find("weights")) {
        for (const auto& [nodeId, wc] : weights->members()) {
            if (!net.graph.findNode(nodeId))
                wc.fail("weights for node '" + nodeId + "', which is not in the network");
            auto& tensors = net.weights[nodeId];
            for (const auto& [name, tc] : wc.members()) tensors[name] = tensorFromJson(tc);
        }
    }
    return net;
}

Project projectFromJson(const JsonCursor& root) {
    Project p;
    root.read("name", p.name);
    root.read("description", p.description);
    JsonCursor networks = root.member("networks");
    std::vector<JsonCursor> list = networks.elements();
    if (list.empty()) networks.fail("must hold at least one network");
    p.networks.clear();
    for (const JsonCursor& nc : list) p.networks.push_back(networkFromJson(nc));
    p.training = configFromJson(root);
    if (auto problem = checkNetworkRoles(p.networks, p.training.task)) {
        if (problem->network < 0) networks.fail(problem->message);
        const JsonCursor& net = list[static_cast<size_t>(problem->network)];
        if (auto role = net.find("role")) role->fail(problem->message);
        net.fail(problem->message);  // no "role": the default, "model"
    }
    if (auto history = root.find("history"))
        for (const JsonCursor& rc : history->elements()) {
            rc.expectObject();
            p.history.push_back(runFromJson(rc));
        }
    if (auto search = root.find("search"); search && !search->isNull())
        p.search = projectSearchFromJson(*search);
    return p;
}

// The whole document; with `blobs`, tensor data are placeholders (see json_blobs.h).
ojson projectToJson(const Project& project, std::vector<std::string>* blobs) {
    if (project.networks.empty()) throw Error("cannot save: the project has no network");
    if (auto problem = checkNetworkRoles(project.networks, project.training.task))
        throw Error("cannot save: " + problem->message);
    ojson root;
    root["format"] = kProjectFormat;
    root["version"] = kProjectVersion;
    root["name"] = project.name;
    root["description"] = project.description;
    ojson networks = ojson::array();
    for (size_t i = 0; i < project.networks.size(); ++i)
        networks.push_back(networkToJson(project.networks[i], i, blobs));
    root["networks"] = std::move(networks);
    configToJson(project.training, root);
    ojson history = ojson::array();
    for (const RunRecord& r : project.history) history.push_back(runToJson(r));
    root["history"] = std::move(history);
    if (project.search) root["search"] = projectSearchToJson(*project.search);
    return root;
}

// Invalid UTF-8 in user text becomes U+FFFD instead of failing the save.
std::string dumpJson(const ojson& doc) {
    return doc.dump(2, ' ', false, ojson::error_handler_t::replace);
}

}  // namespace

nlohmann::ordered_json runRecordToJson(const RunRecord& run) {
    return runToJson(run);
}

RunRecord runRecordFromJson(const JsonCursor& cursor) {
    return runFromJson(cursor);
}

std::string serializeProject(const Project& project) {
    std::vector<std::string> blobs;
    std::optional<std::string> text;
    {
        const std::string withPlaceholders = dumpJson(projectToJson(project, &blobs));
        text = spliceBlobs(withPlaceholders, blobs);
    }
    // Without a splice (some user text contains the placeholder prefix), the slow road gives the
    // same bytes.
    if (!text) text = dumpJson(projectToJson(project, nullptr));
    text->push_back('\n');
    return std::move(*text);
}

Project parseProject(const std::string& jsonText, const std::string& sourceName) {
    ParsedJson parsed = parseJsonText(jsonText, sourceName);
    nlohmann::json& doc = parsed.doc;
    try {
        {
            JsonCursor root(doc, sourceName, &parsed.blobs);
            root.expectObject();
            auto format = root.find("format");
            if (!format) root.fail("missing field \"format\": this is not a NetLoom project");
            std::string f = format->asString();
            if (f != kProjectFormat)
                format->fail("expected \"" + std::string(kProjectFormat) + "\", got \"" + f +
                             "\": this is not a NetLoom project");
            const int64_t version = root.member("version").asInt();
            try {
                migrateProject(doc, version);
            } catch (const Error& e) {
                throw Error(sourceName + ": at /version: " + e.what());
            }
        }
        return projectFromJson(JsonCursor(doc, sourceName, &parsed.blobs));  // migrated
    } catch (const nlohmann::json::exception& e) {  // a safety net: cursors check types first
        throw Error(sourceName + ": " + e.what());
    }
}

}  // namespace netloom::engine
