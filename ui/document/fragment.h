#pragma once
// A piece of a graph on the clipboard: the selected nodes, the edges among them and their
// layout, as JSON under its own MIME type so copy/paste works between windows and projects.
#include <QByteArray>
#include <map>
#include <string>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/project/project.h"

class QMimeData;

namespace netloom::ui {

inline constexpr const char* kFragmentMimeType = "application/x-netloom-fragment+json";

struct Fragment {
    std::vector<engine::Node> nodes;
    std::vector<engine::Edge> edges;  // only edges whose both ends are in `nodes`
    std::map<std::string, engine::NodeUi> layout;
    bool empty() const { return nodes.empty(); }
};

Fragment extractFragment(const engine::Graph& graph,
                         const std::map<std::string, engine::NodeUi>& layout,
                         const std::vector<std::string>& nodeIds);

QByteArray fragmentToJson(const Fragment& fragment);
// Throws netloom::Error saying what is wrong with the clipboard contents.
Fragment fragmentFromJson(const QByteArray& json);

QMimeData* createFragmentMimeData(const Fragment& fragment);
bool mimeHasFragment(const QMimeData* mime);

}  // namespace netloom::ui
