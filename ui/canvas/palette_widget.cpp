#include "ui/canvas/palette_widget.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QVBoxLayout>
#include <set>

#include "engine/layers/registry.h"
#include "ui/canvas/blocks.h"
#include "ui/canvas/mime_types.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {
constexpr int kTypeRole = Qt::UserRole + 1;
constexpr int kSearchRole = Qt::UserRole + 2;
constexpr int kBlockRole = Qt::UserRole + 3;
}  // namespace

QStringList PaletteTree::mimeTypes() const {
    return {kLayerMimeType};
}

QMimeData* PaletteTree::mimeData(const QList<QTreeWidgetItem*>& items) const {
    for (QTreeWidgetItem* item : items) {
        const QString type = item->data(0, kTypeRole).toString();
        if (!type.isEmpty()) return PaletteWidget::mimeDataForLayer(type.toStdString());
        const QString block = item->data(0, kBlockRole).toString();
        if (!block.isEmpty()) return createBlockMimeData(block.toStdString());
    }
    return nullptr;
}

PaletteWidget::PaletteWidget(QWidget* parent) : QWidget(parent) {
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter layers…"));
    m_filter->setClearButtonEnabled(true);
    m_tree = new PaletteTree(this);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setIndentation(8);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setDefaultDropAction(Qt::CopyAction);  // a drag never removes palette entries
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setIconSize(QSize(18, 18));
    m_tree->setUniformRowHeights(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree);
    populate();
    connect(m_filter, &QLineEdit::textChanged, this, &PaletteWidget::setFilter);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString type = item->data(0, kTypeRole).toString();
        if (!type.isEmpty()) emit layerActivated(type);
        const QString block = item->data(0, kBlockRole).toString();
        if (!block.isEmpty() && (item->flags() & Qt::ItemIsEnabled)) emit blockActivated(block);
    });
}

QMimeData* PaletteWidget::mimeDataForLayer(const std::string& type) {
    return createLayerMimeData(type);
}

void PaletteWidget::populate() {
    // Categories in the registry's order, then any category only a layer mentions.
    std::vector<std::string> categories = engine::layerCategories();
    std::set<std::string> known(categories.begin(), categories.end());
    for (const engine::LayerDef* def : engine::allLayerDefs())
        if (known.insert(def->category()).second) categories.push_back(def->category());

    QFont groupFont = font();
    groupFont.setBold(true);
    for (const std::string& category : categories) {
        QTreeWidgetItem* group = nullptr;
        for (const engine::LayerDef* def : engine::allLayerDefs()) {
            if (def->category() != category) continue;
            const QString cat = QString::fromStdString(category);
            if (!group) {
                group = new QTreeWidgetItem(m_tree, {cat});
                group->setFont(0, groupFont);
                group->setFlags(Qt::ItemIsEnabled);
                group->setForeground(0, categoryColor(cat));
            }
            const QString name = QString::fromStdString(def->displayName());
            const QString desc = QString::fromStdString(def->description());
            auto* item = new QTreeWidgetItem(group, {name});
            item->setIcon(0, categoryIcon(cat));
            item->setData(0, kTypeRole, QString::fromStdString(def->type()));
            item->setData(
                0, kSearchRole,
                (name + " " + QString::fromStdString(def->type()) + " " + cat + " " + desc)
                    .toLower());
            item->setToolTip(0, "<p style='max-width:320px'><b>" + name.toHtmlEscaped() +
                                    "</b><br>" + desc.toHtmlEscaped() + "</p>");
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        }
    }
    populateBlocks();
    m_tree->expandAll();
}

// Checked against the layer registry now: a block becomes usable in the first palette built
// after its layer types are registered.
void PaletteWidget::populateBlocks() {
    if (allBlocks().empty()) return;
    QFont groupFont = font();
    groupFont.setBold(true);
    auto* group = new QTreeWidgetItem(m_tree, {tr("Blocks")});
    group->setFont(0, groupFont);
    group->setFlags(Qt::ItemIsEnabled);
    const QColor color(0x5b, 0x6b, 0x8c);
    group->setForeground(0, color);
    for (const BlockDef& b : allBlocks()) {
        auto* item = new QTreeWidgetItem(group, {b.name});
        item->setIcon(0, categoryIcon("Blocks"));
        item->setData(0, kBlockRole, QString::fromStdString(b.id));
        item->setData(
            0, kSearchRole,
            (b.name + " block group " + b.layerTypes.join(' ') + " " + b.description).toLower());
        const QStringList missing = missingLayerTypes(b);
        QString tip = "<p style='max-width:340px'><b>" + b.name.toHtmlEscaped() + "</b> (" +
                      tr("inserted as a group") + ")<br>" + b.description.toHtmlEscaped();
        if (missing.isEmpty()) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        } else {
            item->setFlags(Qt::NoItemFlags);  // greyed; neither dragged nor double-clicked
            tip += "<br><span style='color:#d63a3a'>" +
                   tr("Not available: this build has no %1 layer")
                       .arg(missing.join(", ").toHtmlEscaped()) +
                   "</span>";
        }
        item->setToolTip(0, tip + "</p>");
    }
}

QTreeWidgetItem* PaletteWidget::blockItem(const std::string& blockId) const {
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            if (group->child(i)->data(0, kBlockRole).toString().toStdString() == blockId)
                return group->child(i);
    }
    return nullptr;
}

void PaletteWidget::setFilter(const QString& text) {
    if (m_filter->text() != text) m_filter->setText(text);
    const QStringList words = text.toLower().split(' ', Qt::SkipEmptyParts);
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        int shown = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const QString hay = item->data(0, kSearchRole).toString();
            bool match = true;
            for (const QString& w : words) match = match && hay.contains(w);
            item->setHidden(!match);
            shown += match;
        }
        group->setHidden(shown == 0);
    }
    m_tree->expandAll();
}

QStringList PaletteWidget::visibleTypes() const {
    QStringList types;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        if (group->isHidden()) continue;
        for (int i = 0; i < group->childCount(); ++i)
            if (!group->child(i)->isHidden() &&
                !group->child(i)->data(0, kTypeRole).toString().isEmpty())
                types << group->child(i)->data(0, kTypeRole).toString();
    }
    return types;
}

}  // namespace netloom::ui
