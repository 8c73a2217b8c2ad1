#pragma once
// The canvas widget: zoom (wheel, Ctrl+±), fit to view, pan (middle button or space+drag),
// rubber-band selection, and the inline editor for renaming a node (double-click).
#include <QGraphicsView>
#include <QPointer>

class QLineEdit;

namespace netloom::ui {

class GraphScene;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);
    GraphScene* graphScene() const { return m_scene; }

    qreal zoom() const { return transform().m11(); }
    void zoomBy(qreal factor);
    void zoomIn() { zoomBy(1.25); }
    void zoomOut() { zoomBy(1 / 1.25); }
    void resetZoom();
    void fitGraph();
    // After an auto-layout: the whole graph when it fits at a readable zoom (kReadableZoom or
    // more); else that zoom, scrolled to where the graph starts. Never text too small to read.
    void showGraphReadable();
    static constexpr qreal kReadableZoom = 0.8;
    void centreOnNode(const std::string& id);
    void ensureNodesVisible(const QStringList& ids);
    void startRename(const QString& nodeId);
    // The same inline editor over a group's name (its frame's label or its collapsed card).
    void startRenameGroup(const QString& groupId);
    // Scene point under the cursor if the cursor is over the view, else the view's centre.
    QPointF dropPoint() const;

signals:
    void zoomChanged(qreal zoom);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void finishRename(bool commit);
    void updateSceneRect();

    GraphScene* m_scene;
    bool m_panning = false;
    bool m_spaceHeld = false;
    QPoint m_panLast;
    QPointer<QLineEdit> m_renameEdit;
    std::string m_renameId;
    bool m_renamingGroup = false;  // m_renameId is a group id
    bool m_showedHint = true;      // the graph was empty at the last change
};

}  // namespace netloom::ui
