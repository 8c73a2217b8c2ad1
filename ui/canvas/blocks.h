#pragma once
// Composite blocks of the palette ("Residual block", "Transformer encoder block"): wired
// sub-graphs that arrive as a group. Each block is data, one JSON file under resources/blocks/
// listed once in resources/netloom.qrc: a clipboard fragment (ui/document/fragment.h) plus a
// "block" object with its name, the group's name, a description and its entries (the member
// input ports the block's outside input feeds). A block whose layer types this build does not
// register is listed, disabled, with the missing types; it works as soon as they exist.
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

#include "ui/commands/group_commands.h"
#include "ui/document/fragment.h"

namespace netloom::ui {

struct BlockDef {
    std::string id;  // the file's base name: "residual"
    QString name;    // "Residual block"
    std::string groupName;
    QString description;
    std::vector<BlockEntry> entries;
    QStringList layerTypes;  // every layer type it uses, in order of first use
    QByteArray json;         // the fragment
};

// Every block under :/blocks, by name. A file that cannot be read is skipped with a warning
// (qWarning names it): a broken block must not take the palette down.
const std::vector<BlockDef>& allBlocks();
const BlockDef* findBlock(const std::string& id);
// Parses one block file; throws netloom::Error naming `source` and what is wrong.
BlockDef parseBlock(const QByteArray& json, const std::string& id, const std::string& source);
// Layer types the block uses that no LayerDef registers (looked up now, not cached).
QStringList missingLayerTypes(const BlockDef& block);
// The block's layers and connections; throws netloom::Error while types are missing.
Fragment blockFragment(const BlockDef& block);

}  // namespace netloom::ui
