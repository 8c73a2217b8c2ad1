#pragma once
// Undo commands of the editor's groups (engine/graph/groups.h): group a selection, ungroup,
// rename, collapse/expand, and insert a composite block (a wired fragment that arrives as a
// group). Constructors check the edit and throw netloom::Error naming what is wrong; nothing
// changes until the command is pushed.
#include <QPointF>
#include <optional>
#include <string>
#include <vector>

#include "ui/commands/graph_edit_command.h"
#include "ui/document/fragment.h"

namespace netloom::ui {

class GroupCommand : public GraphEditCommand {
public:
    // Refuses an empty selection and nodes already in a group (naming node and group).
    GroupCommand(GraphDocument* doc, const std::vector<std::string>& nodeIds,
                 const std::string& name = {}, QUndoCommand* parent = nullptr);
    const std::string& groupId() const { return m_id; }

private:
    std::string m_id;
};

class UngroupCommand : public GraphEditCommand {
public:
    UngroupCommand(GraphDocument* doc, const std::string& groupId, QUndoCommand* parent = nullptr);
};

class RenameGroupCommand : public GraphEditCommand {
public:
    RenameGroupCommand(GraphDocument* doc, const std::string& groupId, const std::string& name,
                       QUndoCommand* parent = nullptr);
};

class SetGroupCollapsedCommand : public GraphEditCommand {
public:
    SetGroupCollapsedCommand(GraphDocument* doc, const std::string& groupId, bool collapsed,
                             QUndoCommand* parent = nullptr);
};

// Where a block's outside input goes: the member ports fed by the block's input (a residual
// block feeds its first layer and its Add's skip input).
struct BlockEntry {
    std::string nodeId;  // a node id of the fragment
    int port = 0;
};

// Adds `fragment` (fresh ids and names, its top-left corner at `topLeft`) as one group named
// `name`; when `source` is given (node id, output port), connects it to every entry. One step.
class InsertBlockCommand : public GraphEditCommand {
public:
    InsertBlockCommand(GraphDocument* doc, const Fragment& fragment,
                       const std::vector<BlockEntry>& entries, const std::string& name,
                       QPointF topLeft, const std::optional<std::pair<std::string, int>>& source,
                       QUndoCommand* parent = nullptr);
    const std::vector<std::string>& nodeIds() const { return m_ids; }
    const std::string& groupId() const { return m_group; }

private:
    std::vector<std::string> m_ids;
    std::string m_group;
};

}  // namespace netloom::ui
