#pragma once
// The canvas model-view: one NodeItem per node and one EdgeItem per edge, kept in sync with the
// document. It turns mouse gestures into undo commands: drops from the palette (new node, or a
// node inserted on the edge under the cursor), port-to-port drags (connect, refusing invalid
// targets while dragging), moves (one command per drag), and the clipboard operations.
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QMimeData>
#include <map>
#include <optional>
#include <vector>

#include "ui/canvas/node_item.h"
#include "ui/document/fragment.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

struct ProjectLayersDrag;

class EdgeItem;
class GroupCardItem;
class GroupFrameItem;
class PortHintItem;

// How a port looks while a connection is being dragged.
enum class PortState { Idle, Source, Candidate, Refused, Target, RefusedTarget };

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(GraphDocument* doc, QObject* parent = nullptr);
    ~GraphScene() override;

    GraphDocument* document() const { return m_doc; }
    NodeItem* nodeItem(const std::string& id) const;
    EdgeItem* edgeItem(const engine::Edge& edge) const;
    PortState portState(const PortRef& port) const;
    bool isConnecting() const { return m_drag.has_value(); }
    // The label beside the port under the cursor while a connection is dragged (why it is
    // refused, or that releasing replaces a connection); empty when none is shown.
    QString portHintText() const;

    // Selected layers, with every member of a selected group (frame or collapsed card).
    std::vector<std::string> selectedNodeIds() const;
    std::vector<engine::Edge> selectedEdges() const;
    void selectNodes(const std::vector<std::string>& ids);
    void selectAllItems();
    QRectF graphBounds() const;  // bounding box of all cards (or a default area)

    // Edits on the selection / clipboard; each is one undo step. Return false when nothing
    // happened (and say why through statusMessage).
    bool deleteSelection();
    bool copySelection();
    bool cutSelection();
    // Pastes at the mouse cursor when it is over the canvas, else in the middle of the visible
    // area, keeping the layers' relative layout.
    bool paste();
    bool duplicateSelection();
    // Adds a layer with its card centred on scenePos (the drop handler and palette double-click).
    std::string addLayerAt(const std::string& type, QPointF scenePos);
    // A drop of layers from a second project (project_layers_mime.h) at `pos`: imports them with
    // their weights as one undo step (onto a card: fed by it); returns the new ids, or none with
    // the refusal (the layer and why) as a status message. The real drop and tests call this.
    std::vector<std::string> dropProjectLayers(const ProjectLayersDrag& drag, QPointF pos);
    // The palette's double-click: a new layer in free space beside the selection (right of the
    // selected card, or in the middle of `visible` without a selection), never on top of another
    // card; fed by the selected node's output when that is unambiguous (one selected node with
    // one output, a new layer with one input). One undo step.
    std::string addLayerBesideSelection(const std::string& type, const QRectF& visible);

    // --- Groups (engine/graph/groups.h; one undo step each, false + statusMessage when refused)
    // Ctrl+G: the selected layers become a group.
    bool groupSelection();
    // The groups the selection touches (a member, a frame or a collapsed card selected).
    std::vector<std::string> selectedGroupIds() const;
    bool ungroupSelection();
    bool setGroupCollapsed(const std::string& groupId, bool collapsed);
    bool renameGroup(const std::string& groupId, const std::string& name);
    GroupFrameItem* groupFrame(const std::string& groupId) const;  // while expanded
    GroupCardItem* groupCard(const std::string& groupId) const;    // while collapsed
    // The members' cards, in scene coordinates (hidden ones included).
    QRectF memberCardBounds(const std::string& groupId) const;
    // Where an edge ends: the node's port, or the port of the collapsed group card that stands
    // for it. None while the items are not there yet.
    std::optional<QPointF> outputAnchor(const std::string& nodeId, int port) const;
    std::optional<QPointF> inputAnchor(const std::string& nodeId, int port) const;
    // Both ends inside the same collapsed group: the edge is not drawn.
    bool edgeHiddenByGroup(const engine::Edge& edge) const;
    // Called by a collapsed card while the user drags it: its hidden members follow.
    void groupCardDragged(const std::string& groupId, QPointF delta);
    void groupCardMoved(const std::string& groupId);

    // A composite block (ui/canvas/blocks.h) as a group, its top-left card near scenePos; fed
    // by the selected node's output when `feedFromSelection` and that is unambiguous (one
    // selected node with one output port). Returns the group id, empty when refused.
    std::string addBlockAt(const std::string& blockId, QPointF scenePos,
                           bool feedFromSelection = false);
    // The palette's double-click: right of the selection (fed by it when unambiguous), or in
    // the middle of `visible`.
    std::string addBlockBesideSelection(const std::string& blockId, const QRectF& visible);

    // Without the dot grid (picture export).
    void setPlainBackground(bool on) { m_plainBackground = on; }

    // Called by NodeItem when the user drags it, to keep its edges attached.
    void nodeItemMoved(const std::string& id);

signals:
    void statusMessage(const QString& text);
    void renameRequested(const QString& nodeId);
    void renameGroupRequested(const QString& groupId);
    void fileDropped(const QString& path);
    void nodesAdded(const QStringList& ids);  // selected afterwards; views may scroll to them

protected:
    void dragEnterEvent(QGraphicsSceneDragDropEvent* event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent* event) override;
    void dragLeaveEvent(QGraphicsSceneDragDropEvent* event) override;
    void dropEvent(QGraphicsSceneDragDropEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    // A connection being dragged from `anchor` (an output, or a free input when dragging
    // backwards). `replacing` is the edge picked up by its input end, if any.
    struct ConnectDrag {
        PortRef anchor;
        std::optional<engine::Edge> replacing;
        std::map<std::pair<std::string, int>, std::string> refusals;  // port → reason ("" ok)
        // Refused inputs that are only already fed: the edge that releasing there replaces.
        std::map<std::pair<std::string, int>, engine::Edge> replaceable;
        std::optional<PortRef> target;
    };

    void onDocumentChanged(const GraphChange& change);
    void rebuild();
    void syncItems();
    void refreshEdgesOf(const std::string& id);
    bool acceptsDrag(const QMimeData* mime) const;
    EdgeItem* insertableEdgeAt(QPointF scenePos, const QMimeData* mime) const;
    void setDropHighlight(EdgeItem* edge);
    std::optional<PortRef> portAt(QPointF scenePos) const;
    void startConnect(const PortRef& anchor, std::optional<engine::Edge> replacing);
    void updateConnect(QPointF scenePos);
    void finishConnect(QPointF scenePos);
    void cancelConnect();
    void updatePortHint();
    QString replaceOffer(const engine::Edge& feed, const engine::Edge& edge) const;
    std::optional<engine::Edge> edgeFor(const PortRef& anchor, const PortRef& target) const;
    void pushMoveIfMoved();
    // Where a paste goes: the scene point under the cursor if it is over one of the views,
    // else the centre of the first visible view; none without a visible view.
    struct PasteTarget {
        QPointF spot;                  // scene point the fragment is centred on
        std::optional<QPoint> cursor;  // global cursor position, when pasting at the cursor
        QRectF visible;                // the view's visible scene area
    };
    std::optional<PasteTarget> pasteTarget() const;
    // The first top-left corner from `start` on, stepping by `step`, where a new card overlaps
    // no card (with a margin).
    QPointF freeSpotFrom(QPointF start, QPointF step) const;
    static QRectF fragmentBounds(const Fragment& f);  // the cards as laid out in the fragment

    GraphDocument* m_doc;
    void syncGroups();
    const engine::NodeGroup* collapsedGroupOf(const std::string& nodeId) const;

    std::map<std::string, NodeItem*> m_nodes;
    std::map<std::string, GroupFrameItem*> m_frames;  // expanded groups
    std::map<std::string, GroupCardItem*> m_cards;    // collapsed groups
    std::vector<EdgeItem*> m_edges;
    QGraphicsPathItem* m_dragLine = nullptr;
    PortHintItem* m_portHint = nullptr;
    std::optional<ConnectDrag> m_drag;
    EdgeItem* m_dropEdge = nullptr;
    bool m_syncing = false;
    int m_pasteCount = 0;                    // pastes from the same place in a row
    std::optional<PasteTarget> m_lastPaste;  // where the first of them went
    bool m_plainBackground = false;
};

}  // namespace netloom::ui
