#pragma once
// How a group (engine/graph/groups.h) looks on the canvas. Expanded: a GroupFrameItem, a
// labelled frame behind its members; dragging the frame moves them together. Collapsed: a
// GroupCardItem, one card with the group's name, its shape summary (inputs → outputs) and its
// parameter count, in its first member's place; the members' cards are hidden and the edges crossing the group's
// boundary end at its ports. Both hold only the group id and read the document.
#include <QGraphicsItem>
#include <string>

#include "engine/graph/groups.h"

namespace netloom::ui {

class GraphScene;

class GroupFrameItem : public QGraphicsItem {
public:
    enum { Type = UserType + 4 };
    explicit GroupFrameItem(const std::string& groupId);
    int type() const override { return Type; }
    const std::string& groupId() const { return m_id; }

    // Re-fits the frame around the members' cards.
    void refresh();
    QRectF labelRect() const;  // the name strip on top (inline rename goes here)

    QRectF boundingRect() const override { return m_rect; }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

private:
    GraphScene* graphScene() const;
    std::string m_id;
    QRectF m_rect;
};

class GroupCardItem : public QGraphicsItem {
public:
    enum { Type = UserType + 3 };
    explicit GroupCardItem(const std::string& groupId);
    int type() const override { return Type; }
    const std::string& groupId() const { return m_id; }

    // Re-reads the document: the summary, the ports and the position (its first member's).
    void refresh();
    const engine::GroupSummary& summary() const { return m_summary; }
    int inputPortCount() const { return static_cast<int>(m_summary.inputs.size()); }
    int outputPortCount() const { return static_cast<int>(m_summary.outputs.size()); }
    // The card's port for a member's boundary port; -1 when that port is not on the boundary.
    int inputIndexOf(const std::string& nodeId, int port) const;
    int outputIndexOf(const std::string& nodeId, int port) const;
    QPointF inputPortScenePos(int index) const;
    QPointF outputPortScenePos(int index) const;
    QRectF cardRect() const;
    QRectF nameRect() const;
    // "1×28×28 → 32×28×28 · 18.6k params · 7 layers", what the card shows under the name.
    QString summaryText() const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

private:
    GraphScene* graphScene() const;
    int rows() const;
    std::string m_id;
    engine::GroupSummary m_summary;
    int m_members = 0;
    bool m_placing = false;  // refresh() sets the position: not a user's drag
};

}  // namespace netloom::ui
