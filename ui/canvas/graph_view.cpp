#include "ui/canvas/graph_view.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/core/error.h"
#include "ui/canvas/canvas_menu.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/group_items.h"
#include "ui/canvas/node_item.h"
#include "ui/commands/node_commands.h"

namespace netloom::ui {

namespace {
constexpr qreal kMinZoom = 0.1;
constexpr qreal kMaxZoom = 4.0;
}  // namespace

GraphView::GraphView(GraphScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), m_scene(scene) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    updateSceneRect();
    connect(scene->document(), &GraphDocument::changed, this, [this] {
        updateSceneRect();
        // The start hint is drawn over the whole viewport, but a new card repaints only its own
        // area: without a full repaint the hint's text would stay around the first cards.
        const bool empty = m_scene->document()->graph().nodes().empty();
        if (empty != m_showedHint) viewport()->update();
        m_showedHint = empty;
    });
    connect(scene, &GraphScene::renameRequested, this, &GraphView::startRename);
    connect(scene, &GraphScene::renameGroupRequested, this, &GraphView::startRenameGroup);
    connect(scene, &GraphScene::nodesAdded, this, &GraphView::ensureNodesVisible);
}

// Room to pan well beyond the graph in every direction. It only grows, and in big steps, so
// the view does not jump while the user drags a card around.
void GraphView::updateSceneRect() {
    const QRectF needed = m_scene->graphBounds().adjusted(-1000, -1000, 1000, 1000);
    const QRectF current = sceneRect();
    if (current.contains(needed) && current.width() >= 6000) return;
    setSceneRect(current.united(needed.adjusted(-3000, -3000, 3000, 3000)));
}

void GraphView::zoomBy(qreal factor) {
    const qreal target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(target, zoom())) return;
    const ViewportAnchor anchor = transformationAnchor();
    if (!underMouse()) setTransformationAnchor(AnchorViewCenter);
    scale(target / zoom(), target / zoom());
    setTransformationAnchor(anchor);
    emit zoomChanged(zoom());
}

void GraphView::resetZoom() {
    setTransform(QTransform());
    emit zoomChanged(zoom());
}

void GraphView::fitGraph() {
    const QRectF r = m_scene->graphBounds().adjusted(-40, -40, 40, 40);
    fitInView(r, Qt::KeepAspectRatio);
    // Never blow small graphs up beyond 100 %, never shrink below the minimum.
    if (zoom() > 1.0) resetZoom();
    if (zoom() < kMinZoom) setTransform(QTransform::fromScale(kMinZoom, kMinZoom));
    centerOn(r.center());
    emit zoomChanged(zoom());
}

void GraphView::showGraphReadable() {
    fitGraph();
    if (zoom() >= kReadableZoom) return;
    setTransform(QTransform::fromScale(kReadableZoom, kReadableZoom));
    const QRectF r = m_scene->graphBounds().adjusted(-40, -40, 40, 40);
    const QSizeF seen = QSizeF(viewport()->size()) / kReadableZoom;
    // The left end (the input) at the left edge; vertically centred when the height fits.
    const double y = r.height() <= seen.height() ? r.center().y() : r.top() + seen.height() / 2;
    centerOn(r.left() + seen.width() / 2, y);
    emit zoomChanged(zoom());
}

void GraphView::centreOnNode(const std::string& id) {
    if (NodeItem* item = m_scene->nodeItem(id)) centerOn(item);
}

// Scrolls only when none of the new cards can be seen (a paste far away): a card dropped
// partly over the edge stays where the user put it, and so does everything else on screen.
void GraphView::ensureNodesVisible(const QStringList& ids) {
    QRectF r;
    for (const QString& id : ids)
        if (NodeItem* item = m_scene->nodeItem(id.toStdString())) r |= item->sceneBoundingRect();
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    if (!r.isNull() && !visible.intersects(r)) ensureVisible(r, 20, 20);
}

QPointF GraphView::dropPoint() const {
    const QPoint cursor = viewport()->mapFromGlobal(QCursor::pos());
    if (viewport()->rect().contains(cursor)) return mapToScene(cursor);
    return mapToScene(viewport()->rect().center());
}

void GraphView::wheelEvent(QWheelEvent* event) {
    const QPoint delta = event->angleDelta();
    if (delta.y() == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.0015, delta.y()));
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (m_spaceHeld && event->button() == Qt::LeftButton)) {
        m_panning = true;
        m_panLast = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPoint p = event->position().toPoint();
        const QPoint d = p - m_panLast;
        m_panLast = p;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        if (m_spaceHeld)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat() && !m_renameEdit) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat() && m_spaceHeld) {
        m_spaceHeld = false;
        if (!m_panning) viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::drawForeground(QPainter* painter, const QRectF& rect) {
    if (!m_scene->document()->graph().nodes().empty()) return;
    // An empty canvas says what to do.
    painter->save();
    painter->resetTransform();
    QColor c = palette().color(QPalette::Text);
    c.setAlphaF(0.45f);
    painter->setPen(c);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    painter->setFont(f);
    painter->drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap,
                      tr("Drag an Input layer from the palette to start,\n"
                         "or open a sample from File ▸ New."));
    painter->restore();
}

void GraphView::contextMenuEvent(QContextMenuEvent* event) {
    if (m_scene->isConnecting()) return;
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    populateCanvasMenu(menu, *this, mapToScene(event->pos()));
    menu.exec(event->globalPos());
    event->accept();
}

// ---------------------------------------------------------------------------------------------
// Inline rename

namespace {
// Escape cancels; Enter and focus loss commit (through editingFinished).
class RenameEdit : public QLineEdit {
public:
    using QLineEdit::QLineEdit;
    std::function<void()> onCancel;

protected:
    void keyPressEvent(QKeyEvent* e) override {
        if (e->key() == Qt::Key_Escape && onCancel) {
            onCancel();
            return;
        }
        QLineEdit::keyPressEvent(e);
    }
};
}  // namespace

void GraphView::startRename(const QString& nodeId) {
    NodeItem* item = m_scene->nodeItem(nodeId.toStdString());
    const engine::Node* node = m_scene->document()->graph().findNode(nodeId.toStdString());
    if (!item || !node) return;
    finishRename(false);
    m_renameId = node->id;
    m_renamingGroup = false;
    auto* edit = new RenameEdit(viewport());
    edit->onCancel = [this] { finishRename(false); };
    m_renameEdit = edit;
    edit->setText(QString::fromStdString(node->name));
    const QRect r = mapFromScene(item->mapToScene(item->nameRect())).boundingRect();
    edit->setGeometry(r.adjusted(-4, -3, 4, 3));
    connect(edit, &QLineEdit::editingFinished, this, [this] { finishRename(true); });
    edit->show();
    edit->selectAll();
    edit->setFocus();
}

void GraphView::startRenameGroup(const QString& groupId) {
    const std::string id = groupId.toStdString();
    const engine::NodeGroup* group = engine::findGroup(m_scene->document()->groups(), id);
    if (!group) return;
    QRectF where;
    if (GroupFrameItem* frame = m_scene->groupFrame(id))
        where = frame->mapRectToScene(frame->labelRect().adjusted(0, 0, 0, 0));
    else if (GroupCardItem* card = m_scene->groupCard(id))
        where = card->mapRectToScene(card->nameRect());
    else
        return;
    finishRename(false);
    m_renameId = id;
    m_renamingGroup = true;
    auto* edit = new RenameEdit(viewport());
    edit->onCancel = [this] { finishRename(false); };
    m_renameEdit = edit;
    edit->setText(QString::fromStdString(group->name));
    QRect r = mapFromScene(where).boundingRect();
    r.setWidth(std::min(r.width(), 260));
    edit->setGeometry(r.adjusted(-4, -3, 4, 3));
    connect(edit, &QLineEdit::editingFinished, this, [this] { finishRename(true); });
    edit->show();
    edit->selectAll();
    edit->setFocus();
}

void GraphView::finishRename(bool commit) {
    if (!m_renameEdit) return;
    QLineEdit* edit = m_renameEdit;
    m_renameEdit = nullptr;  // editingFinished may fire again on focus loss
    const std::string name = edit->text().trimmed().toStdString();
    edit->hide();
    edit->deleteLater();
    setFocus();
    if (m_renamingGroup) {
        const engine::NodeGroup* g = engine::findGroup(m_scene->document()->groups(), m_renameId);
        if (commit && g && g->name != name) m_scene->renameGroup(m_renameId, name);
        return;
    }
    const engine::Node* node = m_scene->document()->graph().findNode(m_renameId);
    if (!commit || !node || node->name == name) return;
    try {
        m_scene->document()->undoStack()->push(
            new RenameCommand(m_scene->document(), m_renameId, name));
    } catch (const netloom::Error& e) {
        emit m_scene->statusMessage(QString::fromStdString(e.what()));
    }
}

}  // namespace netloom::ui
