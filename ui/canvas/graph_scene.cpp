#include "ui/canvas/graph_scene.h"

#include <QApplication>
#include <QClipboard>
#include <QCursor>
#include <QFileInfo>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QPalette>
#include <cmath>
#include <set>
#include <utility>

#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/layer_import.h"
#include "ui/canvas/blocks.h"
#include "ui/canvas/edge_item.h"
#include "ui/canvas/group_items.h"
#include "ui/canvas/mime_types.h"
#include "ui/canvas/node_geometry.h"
#include "ui/canvas/port_hint.h"
#include "ui/canvas/ports.h"
#include "ui/canvas/project_layers_mime.h"
#include "ui/commands/group_commands.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/commands/transfer_commands.h"
#include "ui/widgets/prompter.h"

namespace netloom::ui {

namespace {

QPointF rounded(QPointF p) {
    return {std::round(p.x()), std::round(p.y())};
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// The first top-left corner from `block`'s own on, stepping by `step`, where the block overlaps
// no visible card or collapsed group's card (with a margin): outward along the step,
// alternating sides of it (0, +1, -1, +2, ...). Its own corner when none is free nearby.
QPointF freeSpotFor(const QGraphicsScene& scene, const QRectF& block, QPointF step) {
    auto free = [&](const QRectF& at) {
        const QRectF r = at.adjusted(-20, -16, 20, 16);
        for (QGraphicsItem* item : scene.items(r, Qt::IntersectsItemBoundingRect))
            if ((item->type() == NodeItem::Type || item->type() == GroupCardItem::Type) &&
                item->isVisible() && item->sceneBoundingRect().intersects(r))
                return false;
        return true;
    };
    for (int i = 0; i < 200; ++i) {
        const int k = (i + 1) / 2 * (i % 2 ? 1 : -1);
        if (free(block.translated(step * k))) return rounded(block.topLeft() + step * k);
    }
    return rounded(block.topLeft());
}

}  // namespace

template <typename F>
bool pushOrReport(GraphScene* scene, GraphDocument* doc, F make) {
    try {
        doc->undoStack()->push(make());
        return true;
    } catch (const netloom::Error& e) {
        emit scene->statusMessage(QString::fromStdString(e.what()));
        return false;
    }
}

GraphScene::GraphScene(GraphDocument* doc, QObject* parent) : QGraphicsScene(parent), m_doc(doc) {
    setItemIndexMethod(QGraphicsScene::NoIndex);  // few items, moving often
    m_portHint = new PortHintItem;
    addItem(m_portHint);
    connect(doc, &GraphDocument::changed, this, &GraphScene::onDocumentChanged);
    // Another network of the project: its nodes may share ids with the last one's.
    connect(doc, &GraphDocument::activeNetworkChanged, this, [this] { rebuild(); });
    rebuild();
}

GraphScene::~GraphScene() {
    // Deleting items changes the selection; nobody may hear about it during teardown (the
    // document may already be gone).
    blockSignals(true);
    clear();
}

NodeItem* GraphScene::nodeItem(const std::string& id) const {
    auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

EdgeItem* GraphScene::edgeItem(const engine::Edge& edge) const {
    for (EdgeItem* e : m_edges)
        if (e->edge() == edge) return e;
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Keeping items in sync with the document

void GraphScene::onDocumentChanged(const GraphChange& change) {
    // Training changes too: the task and the data decide which cards show a problem.
    if (change.kind == GraphChange::Kind::Reset)
        rebuild();
    else
        syncItems();
}

void GraphScene::rebuild() {
    if (m_drag) {
        m_drag.reset();
        delete m_dragLine;
        m_dragLine = nullptr;
        m_portHint->hide();
    }
    m_dropEdge = nullptr;
    // Out of the containers first: deleting a selected item emits selectionChanged, and the
    // slots look the containers up.
    const std::vector<EdgeItem*> edges = std::exchange(m_edges, {});
    const std::map<std::string, NodeItem*> nodes = std::exchange(m_nodes, {});
    const auto frames = std::exchange(m_frames, {});
    const auto cards = std::exchange(m_cards, {});
    for (EdgeItem* e : edges) delete e;
    for (const auto& [id, item] : nodes) delete item;
    for (const auto& [id, item] : frames) delete item;
    for (const auto& [id, item] : cards) delete item;
    m_pasteCount = 0;
    m_lastPaste.reset();
    syncItems();
}

void GraphScene::syncItems() {
    m_syncing = true;
    const engine::Graph& g = m_doc->graph();
    std::vector<QGraphicsItem*> doomed;  // deleted once out of the containers (see rebuild)
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (!g.findNode(it->first)) {
            doomed.push_back(it->second);
            it = m_nodes.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& n : g.nodes()) {
        NodeItem*& item = m_nodes[n.id];
        if (!item) {
            item = new NodeItem(n.id);
            addItem(item);
        }
        item->refresh();
        const QPointF pos = m_doc->nodePos(n.id);
        if (item->pos() != pos) item->setPos(pos);
    }
    for (QGraphicsItem* item : doomed) delete item;
    doomed.clear();
    syncGroups();
    std::vector<EdgeItem*> kept;
    for (EdgeItem* e : m_edges) {
        if (g.hasEdge(e->edge())) {
            kept.push_back(e);
        } else {
            if (e == m_dropEdge) m_dropEdge = nullptr;
            doomed.push_back(e);
        }
    }
    m_edges = std::move(kept);
    for (QGraphicsItem* item : doomed) delete item;
    for (const auto& e : g.edges()) {
        if (edgeItem(e)) continue;
        auto* item = new EdgeItem(e);
        addItem(item);
        m_edges.push_back(item);
    }
    for (EdgeItem* e : m_edges) e->refresh();
    m_syncing = false;
}

void GraphScene::syncGroups() {
    const auto& groups = m_doc->groups();
    std::vector<QGraphicsItem*> doomed;
    auto wanted = [&](const std::string& id, bool collapsed) {
        const engine::NodeGroup* g = engine::findGroup(groups, id);
        return g && g->collapsed == collapsed;
    };
    for (auto it = m_frames.begin(); it != m_frames.end();)
        if (!wanted(it->first, false)) {
            doomed.push_back(it->second);
            it = m_frames.erase(it);
        } else {
            ++it;
        }
    for (auto it = m_cards.begin(); it != m_cards.end();)
        if (!wanted(it->first, true)) {
            doomed.push_back(it->second);
            it = m_cards.erase(it);
        } else {
            ++it;
        }
    for (QGraphicsItem* item : doomed) delete item;
    for (const engine::NodeGroup& g : groups) {
        if (g.collapsed) {
            GroupCardItem*& card = m_cards[g.id];
            if (!card) addItem(card = new GroupCardItem(g.id));
            card->refresh();
        } else {
            GroupFrameItem*& frame = m_frames[g.id];
            if (!frame) addItem(frame = new GroupFrameItem(g.id));
            frame->refresh();
        }
    }
    for (const auto& [id, item] : m_nodes) {
        const bool hidden = collapsedGroupOf(id) != nullptr;
        if (hidden && item->isSelected()) item->setSelected(false);
        item->setVisible(!hidden);
    }
}

const engine::NodeGroup* GraphScene::collapsedGroupOf(const std::string& nodeId) const {
    const engine::NodeGroup* g = engine::groupOfNode(m_doc->groups(), nodeId);
    return g && g->collapsed ? g : nullptr;
}

GroupFrameItem* GraphScene::groupFrame(const std::string& groupId) const {
    auto it = m_frames.find(groupId);
    return it == m_frames.end() ? nullptr : it->second;
}

GroupCardItem* GraphScene::groupCard(const std::string& groupId) const {
    auto it = m_cards.find(groupId);
    return it == m_cards.end() ? nullptr : it->second;
}

QRectF GraphScene::memberCardBounds(const std::string& groupId) const {
    QRectF r;
    if (const engine::NodeGroup* g = engine::findGroup(m_doc->groups(), groupId))
        for (const std::string& id : g->members)
            if (NodeItem* item = nodeItem(id)) r |= item->mapRectToScene(item->cardRect());
    return r;
}

std::optional<QPointF> GraphScene::outputAnchor(const std::string& nodeId, int port) const {
    if (const engine::NodeGroup* g = collapsedGroupOf(nodeId)) {
        GroupCardItem* card = groupCard(g->id);
        if (!card) return std::nullopt;
        return card->outputPortScenePos(std::max(0, card->outputIndexOf(nodeId, port)));
    }
    NodeItem* item = nodeItem(nodeId);
    if (!item) return std::nullopt;
    return item->outputPortScenePos(port);
}

std::optional<QPointF> GraphScene::inputAnchor(const std::string& nodeId, int port) const {
    if (const engine::NodeGroup* g = collapsedGroupOf(nodeId)) {
        GroupCardItem* card = groupCard(g->id);
        if (!card) return std::nullopt;
        return card->inputPortScenePos(std::max(0, card->inputIndexOf(nodeId, port)));
    }
    NodeItem* item = nodeItem(nodeId);
    if (!item) return std::nullopt;
    return item->inputPortScenePos(port);
}

bool GraphScene::edgeHiddenByGroup(const engine::Edge& edge) const {
    const engine::NodeGroup* a = collapsedGroupOf(edge.from);
    return a && a == collapsedGroupOf(edge.to);
}

void GraphScene::groupCardDragged(const std::string& groupId, QPointF delta) {
    const engine::NodeGroup* g = engine::findGroup(m_doc->groups(), groupId);
    if (!g) return;
    const bool wasSyncing = std::exchange(m_syncing, true);  // edges follow the card below
    for (const std::string& id : g->members)
        if (NodeItem* item = nodeItem(id)) item->setPos(item->pos() + delta);
    m_syncing = wasSyncing;
}

void GraphScene::groupCardMoved(const std::string&) {
    if (m_syncing) return;
    for (EdgeItem* e : m_edges) e->refresh();
}

void GraphScene::nodeItemMoved(const std::string& id) {
    if (m_syncing) return;
    refreshEdgesOf(id);
    if (const engine::NodeGroup* g = engine::groupOfNode(m_doc->groups(), id))
        if (GroupFrameItem* frame = groupFrame(g->id)) frame->refresh();
}

void GraphScene::refreshEdgesOf(const std::string& id) {
    for (EdgeItem* e : m_edges)
        if (e->edge().from == id || e->edge().to == id) e->refresh();
}

// ---------------------------------------------------------------------------------------------
// Selection and clipboard

std::vector<std::string> GraphScene::selectedNodeIds() const {
    std::vector<std::string> ids;
    for (const auto& n : m_doc->graph().nodes()) {  // document order: stable and predictable
        NodeItem* item = nodeItem(n.id);
        const engine::NodeGroup* g = engine::groupOfNode(m_doc->groups(), n.id);
        GroupCardItem* card = g ? groupCard(g->id) : nullptr;
        GroupFrameItem* frame = g ? groupFrame(g->id) : nullptr;
        if ((item && item->isSelected()) || (card && card->isSelected()) ||
            (frame && frame->isSelected()))
            ids.push_back(n.id);
    }
    return ids;
}

std::vector<engine::Edge> GraphScene::selectedEdges() const {
    std::vector<engine::Edge> edges;
    for (EdgeItem* e : m_edges)
        if (e->isSelected()) edges.push_back(e->edge());
    return edges;
}

void GraphScene::selectNodes(const std::vector<std::string>& ids) {
    clearSelection();
    for (const auto& id : ids)
        if (NodeItem* item = nodeItem(id)) item->setSelected(true);
}

void GraphScene::selectAllItems() {
    for (auto& [id, item] : m_nodes)
        if (item->isVisible()) item->setSelected(true);
    for (auto& [id, item] : m_cards) item->setSelected(true);
    for (EdgeItem* e : m_edges)
        if (e->isVisible()) e->setSelected(true);
}

QRectF GraphScene::graphBounds() const {
    QRectF r;
    for (const auto& [id, item] : m_nodes)
        if (item->isVisible()) r |= item->sceneBoundingRect();
    for (const auto& [id, item] : m_cards) r |= item->sceneBoundingRect();
    for (const auto& [id, item] : m_frames) r |= item->sceneBoundingRect();
    for (EdgeItem* e : m_edges)
        if (e->isVisible()) r |= e->sceneBoundingRect();
    return r.isNull() ? QRectF(-200, -150, 800, 500) : r;
}

bool GraphScene::deleteSelection() {
    const auto ids = selectedNodeIds();
    const auto edges = selectedEdges();
    if (ids.empty() && edges.empty()) {
        emit statusMessage(tr("Select layers or connections to delete"));
        return false;
    }
    return pushOrReport(this, m_doc, [&] { return new DeleteCommand(m_doc, ids, edges); });
}

bool GraphScene::copySelection() {
    const auto ids = selectedNodeIds();
    if (ids.empty()) {
        emit statusMessage(tr("Select layers to copy"));
        return false;
    }
    const Fragment f = extractFragment(m_doc->graph(), m_doc->currentNetwork().layout, ids);
    QApplication::clipboard()->setMimeData(createFragmentMimeData(f));
    m_pasteCount = 0;
    m_lastPaste.reset();
    emit statusMessage(tr("Copied %1 layer(s)").arg(ids.size()));
    return true;
}

bool GraphScene::cutSelection() {
    const auto ids = selectedNodeIds();
    if (!copySelection()) return false;
    return pushOrReport(this, m_doc, [&] {
        auto* cmd = new DeleteCommand(m_doc, ids, {});
        cmd->setText(tr("Cut"));
        return cmd;
    });
}

bool GraphScene::paste() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mimeHasFragment(mime)) {
        emit statusMessage(tr("The clipboard holds no layers"));
        return false;
    }
    Fragment f;
    try {
        f = fragmentFromJson(mime->data(kFragmentMimeType));
    } catch (const netloom::Error& e) {
        emit statusMessage(QString::fromStdString(e.what()));
        return false;
    }
    // At the cursor, or in the middle of what the user sees. Pasting again from the same place
    // (the mouse not moved, or still off the canvas) steps down and right from the last paste,
    // so the copies do not hide each other, even though the view scrolled to show the first.
    QPointF offset;
    if (const std::optional<PasteTarget> target = pasteTarget()) {
        const bool again = m_lastPaste && m_lastPaste->cursor == target->cursor &&
                           target->visible.contains(m_lastPaste->spot);
        m_pasteCount = again ? m_pasteCount + 1 : 0;
        if (!again) m_lastPaste = PasteTarget{rounded(target->spot), target->cursor, {}};
        offset = rounded(m_lastPaste->spot - fragmentBounds(f).center()) +
                 QPointF(30.0 * m_pasteCount, 30.0 * m_pasteCount);
    } else {  // no view: next to the originals
        ++m_pasteCount;
        offset = QPointF(30.0 * m_pasteCount, 30.0 * m_pasteCount);
    }
    PasteCommand* cmd = nullptr;
    if (!pushOrReport(this, m_doc, [&] { return cmd = new PasteCommand(m_doc, f, offset); }))
        return false;
    selectNodes(cmd->pastedIds());
    emit nodesAdded(toQStringList(cmd->pastedIds()));
    return true;
}

QRectF GraphScene::fragmentBounds(const Fragment& f) {
    QRectF r;
    for (const auto& n : f.nodes) {
        auto it = f.layout.find(n.id);
        if (it == f.layout.end()) continue;
        int inputs = 0;
        for (const auto& e : f.edges) inputs += e.to == n.id;
        r |= geom::cardRect(std::max(1, std::min(inputs, maxInputPorts(n))))
                 .translated(it->second.x, it->second.y);
    }
    return r;
}

std::optional<GraphScene::PasteTarget> GraphScene::pasteTarget() const {
    const QPoint cursor = QCursor::pos();
    QWidget* under = QApplication::widgetAt(cursor);
    auto visible = [](QGraphicsView* view) {
        return view->mapToScene(view->viewport()->rect()).boundingRect();
    };
    QGraphicsView* shown = nullptr;
    for (QGraphicsView* view : views()) {
        if (!view->isVisible()) continue;
        QWidget* port = view->viewport();
        const QPoint local = port->mapFromGlobal(cursor);
        // The topmost widget there, when the platform can tell, must be the canvas itself (not a
        // floating panel or menu over it).
        const bool over =
            port->rect().contains(local) && (!under || under == port || port->isAncestorOf(under));
        if (over) return PasteTarget{view->mapToScene(local), cursor, visible(view)};
        if (!shown) shown = view;
    }
    if (!shown) return std::nullopt;
    return PasteTarget{visible(shown).center(), std::nullopt, visible(shown)};
}

bool GraphScene::duplicateSelection() {
    const auto ids = selectedNodeIds();
    if (ids.empty()) {
        emit statusMessage(tr("Select layers to duplicate"));
        return false;
    }
    const Fragment f = extractFragment(m_doc->graph(), m_doc->currentNetwork().layout, ids);
    PasteCommand* cmd = nullptr;
    if (!pushOrReport(this, m_doc, [&] {
            return cmd = new PasteCommand(m_doc, f, QPointF(30, 30), tr("Duplicate"));
        }))
        return false;
    selectNodes(cmd->pastedIds());
    emit nodesAdded(toQStringList(cmd->pastedIds()));
    return true;
}

std::string GraphScene::addLayerAt(const std::string& type, QPointF scenePos) {
    const QPointF topLeft =
        rounded(scenePos - QPointF(geom::kCardWidth / 2, geom::cardHeight(1) / 2));
    AddNodeCommand* cmd = nullptr;
    if (!pushOrReport(this, m_doc, [&] { return cmd = new AddNodeCommand(m_doc, type, topLeft); }))
        return {};
    selectNodes({cmd->nodeId()});
    emit nodesAdded({qs(cmd->nodeId())});
    return cmd->nodeId();
}

QPointF GraphScene::freeSpotFrom(QPointF start, QPointF step) const {
    // Room for a second input port's height.
    return freeSpotFor(*this, geom::cardRect(2).translated(start), step);
}

std::string GraphScene::addLayerBesideSelection(const std::string& type, const QRectF& visible) {
    const std::vector<std::string> selected = selectedNodeIds();
    const double rowStep = geom::cardHeight(1) + geom::kRowGap;
    const double columnStep = geom::kCardWidth + geom::kColumnGap;
    if (selected.empty()) {
        const QPointF centre =
            visible.center() - QPointF(geom::kCardWidth / 2, geom::cardHeight(1) / 2);
        return addLayerAt(type, freeSpotFrom(centre, {0, rowStep}) +
                                    QPointF(geom::kCardWidth / 2, geom::cardHeight(1) / 2));
    }
    // Right of the rightmost selected card: where the next layer of the chain goes.
    const NodeItem* anchor = nullptr;
    for (const std::string& id : selected)
        if (NodeItem* item = nodeItem(id); item && (!anchor || item->x() > anchor->x()))
            anchor = item;
    if (!anchor) return {};
    const QPointF topLeft = freeSpotFrom(anchor->pos() + QPointF(columnStep, 0), {0, rowStep});
    engine::Node probe;
    probe.type = type;
    const engine::Node* from = m_doc->graph().findNode(anchor->nodeId());
    const bool connect =
        selected.size() == 1 && from && outputPorts(*from) == 1 && maxInputPorts(probe) == 1;
    if (!connect)
        return addLayerAt(type, topLeft + QPointF(geom::kCardWidth / 2, geom::cardHeight(1) / 2));
    AddAfterCommand* cmd = nullptr;
    if (!pushOrReport(this, m_doc,
                      [&] { return cmd = new AddAfterCommand(m_doc, type, topLeft, from->id, 0); }))
        return {};
    selectNodes({cmd->nodeId()});
    emit nodesAdded({qs(cmd->nodeId())});
    return cmd->nodeId();
}

// ---------------------------------------------------------------------------------------------
// Groups and blocks

bool GraphScene::groupSelection() {
    const auto ids = selectedNodeIds();
    GroupCommand* cmd = nullptr;
    if (!pushOrReport(this, m_doc, [&] { return cmd = new GroupCommand(m_doc, ids); }))
        return false;
    emit statusMessage(
        tr("Grouped %1 layers; double-click the frame to collapse it").arg(ids.size()));
    return true;
}

std::vector<std::string> GraphScene::selectedGroupIds() const {
    std::vector<std::string> ids;
    for (const engine::NodeGroup& g : m_doc->groups()) {
        bool hit = false;
        if (GroupFrameItem* f = groupFrame(g.id)) hit = f->isSelected();
        if (GroupCardItem* c = groupCard(g.id)) hit = hit || c->isSelected();
        for (const std::string& id : g.members)
            if (NodeItem* item = nodeItem(id)) hit = hit || item->isSelected();
        if (hit) ids.push_back(g.id);
    }
    return ids;
}

bool GraphScene::ungroupSelection() {
    const auto groups = selectedGroupIds();
    if (groups.empty()) {
        emit statusMessage(tr("Select a group to ungroup"));
        return false;
    }
    if (groups.size() == 1)
        return pushOrReport(this, m_doc, [&] { return new UngroupCommand(m_doc, groups[0]); });
    m_doc->undoStack()->beginMacro(tr("Ungroup %1 groups").arg(groups.size()));
    for (const std::string& id : groups)
        pushOrReport(this, m_doc, [&] { return new UngroupCommand(m_doc, id); });
    m_doc->undoStack()->endMacro();
    return true;
}

bool GraphScene::setGroupCollapsed(const std::string& groupId, bool collapsed) {
    const engine::NodeGroup* g = engine::findGroup(m_doc->groups(), groupId);
    if (!g || g->collapsed == collapsed) return false;
    const bool done = pushOrReport(
        this, m_doc, [&] { return new SetGroupCollapsedCommand(m_doc, groupId, collapsed); });
    if (done && collapsed)
        if (GroupCardItem* card = groupCard(groupId)) {
            clearSelection();
            card->setSelected(true);
        }
    return done;
}

bool GraphScene::renameGroup(const std::string& groupId, const std::string& name) {
    return pushOrReport(this, m_doc, [&] { return new RenameGroupCommand(m_doc, groupId, name); });
}

std::string GraphScene::addBlockAt(const std::string& blockId, QPointF scenePos,
                                   bool feedFromSelection) {
    const BlockDef* block = findBlock(blockId);
    if (!block) {
        emit statusMessage(tr("No block named '%1'").arg(qs(blockId)));
        return {};
    }
    std::optional<std::pair<std::string, int>> source;
    if (feedFromSelection) {
        const auto selected = selectedNodeIds();
        if (selected.size() == 1)
            if (const engine::Node* n = m_doc->graph().findNode(selected[0]);
                n && outputPorts(*n) == 1)
                source.emplace(n->id, 0);
    }
    InsertBlockCommand* cmd = nullptr;
    const QPointF topLeft =
        rounded(scenePos - QPointF(geom::kCardWidth / 2, geom::cardHeight(1) / 2));
    if (!pushOrReport(this, m_doc, [&] {
            return cmd = new InsertBlockCommand(m_doc, blockFragment(*block), block->entries,
                                                block->groupName, topLeft, source);
        }))
        return {};
    selectNodes(cmd->nodeIds());
    emit nodesAdded(toQStringList(cmd->nodeIds()));
    emit statusMessage(tr("Added the %1 as group '%2'")
                           .arg(block->name.toLower(),
                                qs(engine::findGroup(m_doc->groups(), cmd->groupId())->name)));
    return cmd->groupId();
}

std::string GraphScene::addBlockBesideSelection(const std::string& blockId, const QRectF& visible) {
    const std::vector<std::string> selected = selectedNodeIds();
    const QPointF half(geom::kCardWidth / 2, geom::cardHeight(1) / 2);
    const NodeItem* anchor = nullptr;
    for (const std::string& id : selected)
        if (NodeItem* item = nodeItem(id); item && (!anchor || item->x() > anchor->x()))
            anchor = item;
    if (!anchor) return addBlockAt(blockId, visible.center(), false);
    const QPointF topLeft = anchor->pos() + QPointF(geom::kCardWidth + geom::kColumnGap, 0);
    return addBlockAt(blockId, topLeft + half, true);
}

// ---------------------------------------------------------------------------------------------
// Drops from the palette, the clipboard format and project files

std::vector<std::string> GraphScene::dropProjectLayers(const ProjectLayersDrag& drag, QPointF pos) {
    // Dropped on a card: that layer feeds the copies (as the dialog's "fed by" choice).
    std::string attachTo;
    for (QGraphicsItem* item : items(pos))
        if (item->type() == NodeItem::Type) {
            attachTo = static_cast<NodeItem*>(item)->nodeId();
            break;
        }
    std::set<std::string> before;
    for (const engine::Node& n : m_doc->graph().nodes()) before.insert(n.id);
    // The copies keep their arrangement from the source; the block as a whole moves up or down
    // from the drop point to the nearest place where it covers no card (as a layer added beside
    // the selection does), so nothing lands on the layers already there. Its size is that of a
    // plan at the drop point; a plan that fails is left to importLayersInto to report.
    engine::Project source;
    try {
        source = engine::loadProject(drag.path.toStdString());
    } catch (const Error& e) {
        emit statusMessage(tr("Nothing imported: %1").arg(qs(e.what())));
        return {};
    }
    QPointF at = attachTo.empty() ? rounded(pos)
                                  : rounded(pos + QPointF(geom::kCardWidth + geom::kColumnGap, 0));
    try {
        engine::LayerImportRequest request;
        request.nodeIds = drag.nodeIds;
        request.attachTo = attachTo;
        request.x = at.x();
        request.y = at.y();
        if (drag.network >= 0 && drag.network < int(source.networks.size())) {
            const engine::LayerImport plan = engine::planLayerImport(
                source.networks[size_t(drag.network)], m_doc->currentNetwork(), request);
            QRectF block;
            for (const auto& [id, ui] : plan.layout)
                block |= geom::cardRect(2).translated(ui.x, ui.y);
            if (!block.isEmpty())
                at += freeSpotFor(*this, block, {0, geom::cardHeight(1) + geom::kRowGap}) -
                      block.topLeft();
        }
    } catch (const Error&) {
    }
    const QString problem = importLayersInto(m_doc, source, QFileInfo(drag.path).fileName(),
                                             drag.network, drag.nodeIds, attachTo, at);
    if (!problem.isEmpty()) {
        emit statusMessage(tr("Nothing imported: %1").arg(problem));
        return {};
    }
    std::vector<std::string> added;
    for (const engine::Node& n : m_doc->graph().nodes())
        if (!before.count(n.id)) added.push_back(n.id);
    selectNodes(added);
    emit nodesAdded(toQStringList(added));
    emit statusMessage(tr("Imported %1 layers with their weights from %2 (Edit ▸ Undo takes them "
                          "back)")
                           .arg(added.size())
                           .arg(QFileInfo(drag.path).fileName()));
    return added;
}

bool GraphScene::acceptsDrag(const QMimeData* mime) const {
    return !layerTypeFromMime(mime).empty() || !blockIdFromMime(mime).empty() ||
           mimeHasFragment(mime) || projectLayersFromMime(mime).has_value() ||
           !projectFilesFromMime(mime).isEmpty();
}

EdgeItem* GraphScene::insertableEdgeAt(QPointF scenePos, const QMimeData* mime) const {
    const std::string type = layerTypeFromMime(mime);
    if (type.empty()) return nullptr;
    engine::Node probe;
    probe.type = type;
    if (maxInputPorts(probe) < 1) return nullptr;
    const QRectF area(scenePos - QPointF(6, 6), QSizeF(12, 12));
    for (QGraphicsItem* item : items(area)) {
        if (item->type() == NodeItem::Type) return nullptr;  // over a card: plain drop
        if (item->type() == EdgeItem::Type) return static_cast<EdgeItem*>(item);
    }
    return nullptr;
}

void GraphScene::setDropHighlight(EdgeItem* edge) {
    if (m_dropEdge == edge) return;
    if (m_dropEdge) m_dropEdge->setHighlighted(false);
    m_dropEdge = edge;
    if (m_dropEdge) m_dropEdge->setHighlighted(true);
}

void GraphScene::dragEnterEvent(QGraphicsSceneDragDropEvent* event) {
    if (!acceptsDrag(event->mimeData())) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
}

void GraphScene::dragMoveEvent(QGraphicsSceneDragDropEvent* event) {
    if (!acceptsDrag(event->mimeData())) {
        event->ignore();
        return;
    }
    setDropHighlight(insertableEdgeAt(event->scenePos(), event->mimeData()));
    event->setDropAction(Qt::CopyAction);
    event->accept();
}

void GraphScene::dragLeaveEvent(QGraphicsSceneDragDropEvent* event) {
    setDropHighlight(nullptr);
    event->accept();
}

void GraphScene::dropEvent(QGraphicsSceneDragDropEvent* event) {
    const QMimeData* mime = event->mimeData();
    const QPointF pos = event->scenePos();
    EdgeItem* edge = insertableEdgeAt(pos, mime);
    setDropHighlight(nullptr);
    if (!acceptsDrag(mime)) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();

    if (const std::string type = layerTypeFromMime(mime); !type.empty()) {
        if (edge) {
            const engine::Edge e = edge->edge();
            const QPointF topLeft =
                rounded(pos - QPointF(geom::kCardWidth / 2, geom::cardHeight(1) / 2));
            InsertOnEdgeCommand* cmd = nullptr;
            if (pushOrReport(this, m_doc, [&] {
                    return cmd = new InsertOnEdgeCommand(m_doc, type, topLeft, e);
                })) {
                selectNodes({cmd->nodeId()});
                emit nodesAdded({qs(cmd->nodeId())});
            }
        } else {
            addLayerAt(type, pos);
        }
        return;
    }
    if (const std::string block = blockIdFromMime(mime); !block.empty()) {
        addBlockAt(block, pos);
        return;
    }
    if (const std::optional<ProjectLayersDrag> drag = projectLayersFromMime(mime)) {
        dropProjectLayers(*drag, pos);
        return;
    }
    if (mimeHasFragment(mime)) {
        try {
            const Fragment f = fragmentFromJson(mime->data(kFragmentMimeType));
            QRectF bounds;
            for (const auto& [id, ui] : f.layout) bounds |= QRectF(ui.x, ui.y, 1, 1);
            PasteCommand* cmd = nullptr;
            if (pushOrReport(this, m_doc, [&] {
                    return cmd = new PasteCommand(m_doc, f, rounded(pos - bounds.topLeft()));
                })) {
                selectNodes(cmd->pastedIds());
                emit nodesAdded(toQStringList(cmd->pastedIds()));
            }
        } catch (const netloom::Error& e) {
            emit statusMessage(QString::fromStdString(e.what()));
        }
        return;
    }
    for (const QString& file : projectFilesFromMime(mime)) {
        emit fileDropped(file);
        break;  // one project per window
    }
}

// ---------------------------------------------------------------------------------------------
// Connecting ports by dragging

std::optional<PortRef> GraphScene::portAt(QPointF scenePos) const {
    const double r = geom::kPortHitRadius;
    const QRectF area(scenePos - QPointF(r, r), QSizeF(2 * r, 2 * r));
    for (QGraphicsItem* item : items(area)) {  // topmost first
        if (item->type() != NodeItem::Type || !item->isVisible()) continue;
        if (auto port = static_cast<NodeItem*>(item)->portAt(scenePos)) return port;
    }
    return std::nullopt;
}

std::optional<engine::Edge> GraphScene::edgeFor(const PortRef& anchor,
                                                const PortRef& target) const {
    if (anchor.input == target.input) return std::nullopt;
    const PortRef& out = anchor.input ? target : anchor;
    const PortRef& in = anchor.input ? anchor : target;
    return engine::Edge{out.nodeId, out.index, in.nodeId, in.index};
}

PortState GraphScene::portState(const PortRef& port) const {
    if (!m_drag) return PortState::Idle;
    if (port == m_drag->anchor) return PortState::Source;
    if (port.input == m_drag->anchor.input) return PortState::Idle;
    auto it = m_drag->refusals.find({port.nodeId, port.index});
    if (it == m_drag->refusals.end()) return PortState::Idle;
    const bool ok = it->second.empty();
    if (m_drag->target == port) return ok ? PortState::Target : PortState::RefusedTarget;
    return ok ? PortState::Candidate : PortState::Refused;
}

void GraphScene::startConnect(const PortRef& anchor, std::optional<engine::Edge> replacing) {
    ConnectDrag drag;
    drag.anchor = anchor;
    drag.replacing = replacing;
    const engine::Graph& g = m_doc->graph();
    const engine::Edge* rep = replacing ? &*replacing : nullptr;
    for (const auto& [id, item] : m_nodes) {
        if (anchor.input) {  // dragging backwards from a free input: targets are outputs
            for (int k = 0; k < item->outputPortCount(); ++k) {
                const engine::Edge e{id, k, anchor.nodeId, anchor.index};
                drag.refusals[{id, k}] = connectionProblem(g, e, rep);
            }
        } else {
            for (int i = 0; i < item->inputPortCount(); ++i) {
                const engine::Edge e{anchor.nodeId, anchor.index, id, i};
                drag.refusals[{id, i}] = connectionProblem(g, e, rep);
                if (auto feed = replaceableFeed(g, e, rep)) drag.replaceable[{id, i}] = *feed;
            }
        }
    }
    m_drag = std::move(drag);
    if (replacing)
        if (EdgeItem* e = edgeItem(*replacing)) e->hide();
    m_dragLine = new QGraphicsPathItem;
    m_dragLine->setZValue(3);
    addItem(m_dragLine);
    for (auto& [id, item] : m_nodes) item->update();
}

void GraphScene::updateConnect(QPointF scenePos) {
    if (!m_drag) return;
    std::optional<PortRef> target = portAt(scenePos);
    if (target && (target->input == m_drag->anchor.input ||
                   !m_drag->refusals.count({target->nodeId, target->index})))
        target.reset();
    if (target != m_drag->target) {
        if (m_drag->target)
            if (NodeItem* n = nodeItem(m_drag->target->nodeId)) n->update();
        m_drag->target = target;
        if (target)
            if (NodeItem* n = nodeItem(target->nodeId)) n->update();
        if (target) {
            const std::string& why = m_drag->refusals[{target->nodeId, target->index}];
            const auto feed = m_drag->replaceable.find({target->nodeId, target->index});
            const std::optional<engine::Edge> edge = edgeFor(m_drag->anchor, *target);
            emit statusMessage(why.empty() ? tr("Release to connect")
                               : feed != m_drag->replaceable.end() && edge
                                   ? replaceOffer(feed->second, *edge)
                                   : tr("Cannot connect: %1").arg(qs(why)));
        } else {
            emit statusMessage({});
        }
        updatePortHint();
    }
    NodeItem* anchorItem = nodeItem(m_drag->anchor.nodeId);
    if (!anchorItem) return;
    const QPointF a = m_drag->anchor.input ? anchorItem->inputPortScenePos(m_drag->anchor.index)
                                           : anchorItem->outputPortScenePos(m_drag->anchor.index);
    QPointF b = scenePos;
    if (target)
        if (NodeItem* t = nodeItem(target->nodeId))
            b = target->input ? t->inputPortScenePos(target->index)
                              : t->outputPortScenePos(target->index);
    const bool refused = target && !m_drag->refusals[{target->nodeId, target->index}].empty();
    QColor color = refused ? QColor(0xd6, 0x3a, 0x3a)
                           : (target ? QColor(0x2e, 0xa0, 0x43)
                                     : QApplication::palette().color(QPalette::Text));
    m_dragLine->setPen(QPen(color, 2.2, target ? Qt::SolidLine : Qt::DashLine, Qt::RoundCap));
    m_dragLine->setPath(m_drag->anchor.input ? EdgeItem::curve(b, a) : EdgeItem::curve(a, b));
}

QString GraphScene::portHintText() const {
    return m_portHint->isVisible() ? m_portHint->text() : QString();
}

QString GraphScene::replaceOffer(const engine::Edge& feed, const engine::Edge& edge) const {
    const engine::Graph& g = m_doc->graph();
    const engine::Node* from = g.findNode(feed.from);
    const engine::Node* to = g.findNode(edge.to);
    return tr("'%1' already feeds '%2': release to replace that connection")
        .arg(qs(from ? from->name : feed.from), qs(to ? to->name : edge.to));
}

// The reason at the port itself, where the user looks, not only in the status bar.
void GraphScene::updatePortHint() {
    if (!m_drag || !m_drag->target) {
        m_portHint->hide();
        return;
    }
    const PortRef& t = *m_drag->target;
    const std::string& why = m_drag->refusals[{t.nodeId, t.index}];
    NodeItem* item = nodeItem(t.nodeId);
    if (why.empty() || !item) {
        m_portHint->hide();
        return;
    }
    const QPointF at =
        t.input ? item->inputPortScenePos(t.index) : item->outputPortScenePos(t.index);
    const auto feed = m_drag->replaceable.find({t.nodeId, t.index});
    const std::optional<engine::Edge> edge = edgeFor(m_drag->anchor, t);
    if (feed != m_drag->replaceable.end() && edge)
        m_portHint->showAt(at, replaceOffer(feed->second, *edge), PortHintItem::Tone::Offer);
    else
        m_portHint->showAt(at, tr("Cannot connect: %1").arg(qs(why)), PortHintItem::Tone::Refused);
}

void GraphScene::cancelConnect() {
    if (!m_drag) return;
    m_portHint->hide();
    const std::optional<engine::Edge> replacing = m_drag->replacing;
    m_drag.reset();
    delete m_dragLine;
    m_dragLine = nullptr;
    if (replacing)
        if (EdgeItem* e = edgeItem(*replacing)) e->show();
    for (auto& [id, item] : m_nodes) item->update();
}

void GraphScene::keyPressEvent(QKeyEvent* event) {
    if (m_drag && event->key() == Qt::Key_Escape) {
        cancelConnect();
        emit statusMessage(tr("Connection cancelled"));
        event->accept();
        return;
    }
    QGraphicsScene::keyPressEvent(event);
}

void GraphScene::finishConnect(QPointF scenePos) {
    updateConnect(scenePos);
    const ConnectDrag drag = *m_drag;
    cancelConnect();  // clears the drag state; the edit below is decided from `drag`

    if (drag.target) {
        const std::string why = drag.refusals.at({drag.target->nodeId, drag.target->index});
        const std::optional<engine::Edge> edge = edgeFor(drag.anchor, *drag.target);
        const auto feed = drag.replaceable.find({drag.target->nodeId, drag.target->index});
        if (edge && feed != drag.replaceable.end()) {
            // Onto an input that is already fed: ask, then swap the connections in one step.
            const engine::Graph& g = m_doc->graph();
            const engine::Node* oldFrom = g.findNode(feed->second.from);
            const engine::Node* newFrom = g.findNode(edge->from);
            const engine::Node* to = g.findNode(edge->to);
            if (!oldFrom || !newFrom || !to) return;
            const bool yes = prompter().askYesNo(
                views().value(0), tr("Replace connection"),
                tr("'%1' already feeds '%2'. Replace that connection with one from '%3'?")
                    .arg(qs(oldFrom->name), qs(to->name), qs(newFrom->name)));
            if (!yes) {
                emit statusMessage(tr("Connection not changed"));
                return;
            }
            if (pushOrReport(this, m_doc, [&] {
                    return new ReplaceConnectionCommand(m_doc, feed->second, *edge, drag.replacing);
                }))
                emit statusMessage(tr("Connection replaced"));
            return;
        }
        if (!why.empty() || !edge) {
            emit statusMessage(tr("Cannot connect: %1").arg(qs(why)));
            return;
        }
        if (drag.replacing && *edge == *drag.replacing) return;  // dropped where it was
        // The graph may have changed since the drag began: a refused push has already said why,
        // and that message must stay.
        const bool done =
            drag.replacing
                ? pushOrReport(this, m_doc,
                               [&] { return new ReconnectCommand(m_doc, *drag.replacing, *edge); })
                : pushOrReport(this, m_doc, [&] { return new ConnectCommand(m_doc, *edge); });
        if (done) emit statusMessage(tr("Connected"));
        return;
    }
    if (drag.replacing) {  // a picked-up connection dropped on empty canvas: remove it
        if (pushOrReport(this, m_doc,
                         [&] { return new DisconnectCommand(m_doc, {*drag.replacing}); }))
            emit statusMessage(tr("Connection removed"));
    }
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton && !m_drag) {
        if (std::optional<PortRef> port = portAt(event->scenePos())) {
            std::optional<engine::Edge> pickedUp;
            if (port->input)
                for (const auto& e : m_doc->graph().inputsOf(port->nodeId))
                    if (e.toPort == port->index) pickedUp = e;
            if (pickedUp)
                startConnect(PortRef{pickedUp->from, false, pickedUp->fromPort}, pickedUp);
            else
                startConnect(*port, std::nullopt);
            updateConnect(event->scenePos());
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_drag) {
        updateConnect(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_drag && event->button() == Qt::LeftButton) {
        finishConnect(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton) pushMoveIfMoved();
}

void GraphScene::pushMoveIfMoved() {
    std::map<std::string, QPointF> moved;
    for (const auto& [id, item] : m_nodes) {
        const QPointF pos = rounded(item->pos());
        if (pos != m_doc->nodePos(id)) moved[id] = pos;
    }
    if (moved.empty()) return;
    pushOrReport(this, m_doc, [&] { return new MoveNodesCommand(m_doc, moved); });
}

// ---------------------------------------------------------------------------------------------

void GraphScene::drawBackground(QPainter* painter, const QRectF& rect) {
    const QPalette pal = QApplication::palette();
    painter->fillRect(rect, pal.color(QPalette::Base));
    if (m_plainBackground) return;
    const double step = 24;
    const double left = std::floor(rect.left() / step) * step;
    const double top = std::floor(rect.top() / step) * step;
    const double count = (rect.width() / step) * (rect.height() / step);
    if (count > 40000) return;  // zoomed far out: dots would be noise
    QColor dot = pal.color(QPalette::Text);
    dot.setAlphaF(0.18f);
    QVector<QPointF> points;
    points.reserve(static_cast<int>(count) + 16);
    for (double x = left; x < rect.right(); x += step)
        for (double y = top; y < rect.bottom(); y += step) points.append({x, y});
    painter->setPen(QPen(dot, 1.5));
    painter->drawPoints(points.data(), static_cast<int>(points.size()));
}

}  // namespace netloom::ui
