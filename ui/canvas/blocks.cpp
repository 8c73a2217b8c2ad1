#include "ui/canvas/blocks.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/layers/registry.h"

// The resources live in a static library: register them before the first read.
static void initBlockResources() {
    Q_INIT_RESOURCE(netloom);
}

namespace netloom::ui {

using nlohmann::json;

BlockDef parseBlock(const QByteArray& bytes, const std::string& id, const std::string& source) {
    json doc;
    try {
        doc = json::parse(bytes.toStdString());
    } catch (const json::exception& e) {
        throw Error(source + ": not valid JSON (" + e.what() + ")");
    }
    try {
        const json& block = doc.at("block");
        BlockDef b;
        b.id = id;
        b.name = QString::fromStdString(block.at("name").get<std::string>());
        b.groupName = block.value("group", id);
        b.description = QString::fromStdString(block.value("description", ""));
        for (const json& e : block.at("entries"))
            b.entries.push_back({e.at("node").get<std::string>(), e.value("port", 0)});
        for (const json& n : doc.at("nodes")) {
            const QString type = QString::fromStdString(n.at("type").get<std::string>());
            if (!b.layerTypes.contains(type)) b.layerTypes << type;
        }
        b.json = bytes;
        return b;
    } catch (const json::exception& e) {
        throw Error(source + ": not a block definition (" + e.what() + ")");
    }
}

const std::vector<BlockDef>& allBlocks() {
    static const std::vector<BlockDef> blocks = [] {
        static const bool once = (initBlockResources(), true);
        (void)once;
        std::vector<BlockDef> list;
        const QDir dir(":/blocks");
        for (const QFileInfo& info : dir.entryInfoList({"*.json"}, QDir::Files, QDir::Name)) {
            QFile file(info.filePath());
            try {
                if (!file.open(QIODevice::ReadOnly))
                    throw Error(info.filePath().toStdString() + ": cannot be read");
                list.push_back(parseBlock(file.readAll(), info.baseName().toStdString(),
                                          info.filePath().toStdString()));
            } catch (const Error& e) {
                qWarning("%s", e.what());
            }
        }
        std::sort(list.begin(), list.end(),
                  [](const BlockDef& a, const BlockDef& b) { return a.name < b.name; });
        return list;
    }();
    return blocks;
}

const BlockDef* findBlock(const std::string& id) {
    for (const BlockDef& b : allBlocks())
        if (b.id == id) return &b;
    return nullptr;
}

QStringList missingLayerTypes(const BlockDef& block) {
    QStringList missing;
    for (const QString& type : block.layerTypes)
        if (!engine::findLayerDef(type.toStdString())) missing << type;
    return missing;
}

Fragment blockFragment(const BlockDef& block) {
    if (const QStringList missing = missingLayerTypes(block); !missing.isEmpty())
        throw Error("The " + block.name.toStdString() +
                    " needs layer types this build lacks: " + missing.join(", ").toStdString());
    Fragment f = fragmentFromJson(block.json);
    for (const BlockEntry& e : block.entries)
        if (std::none_of(f.nodes.begin(), f.nodes.end(),
                         [&](const engine::Node& n) { return n.id == e.nodeId; }))
            throw Error("block '" + block.id + "': entry '" + e.nodeId +
                        "' is not one of its layers");
    return f;
}

}  // namespace netloom::ui
