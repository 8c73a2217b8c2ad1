#pragma once
// The layer palette: generated from the engine registry, grouped by category, with a filter box.
// Dragging an entry starts a QDrag carrying kLayerMimeType; double-clicking asks for the layer
// to be added at the centre of the canvas. A last section, "Blocks", lists the composite blocks
// (ui/canvas/blocks.h; kBlockMimeType): a block whose layer types are not registered when the
// palette is built is shown disabled, its tooltip naming the missing types.
#include <QTreeWidget>
#include <QWidget>
#include <string>

class QLineEdit;

namespace netloom::ui {

class PaletteTree : public QTreeWidget {
    Q_OBJECT
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override { return Qt::CopyAction; }
    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override;
};

class PaletteWidget : public QWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget* parent = nullptr);

    // What a drag of this layer carries (the same function the tree's drag uses).
    static QMimeData* mimeDataForLayer(const std::string& type);
    void setFilter(const QString& text);
    // Layer types currently visible, in display order (for tests and keyboard use).
    QStringList visibleTypes() const;
    QTreeWidget* tree() const { return m_tree; }
    // The "Blocks" entry of a block id, or nullptr.
    QTreeWidgetItem* blockItem(const std::string& blockId) const;

signals:
    void layerActivated(const QString& type);
    void blockActivated(const QString& blockId);

private:
    void populate();
    void populateBlocks();

    QLineEdit* m_filter;
    PaletteTree* m_tree;
};

}  // namespace netloom::ui
