#include "ui/canvas/canvas_menu.h"

#include <QApplication>
#include <QClipboard>
#include <QGraphicsItem>
#include <QMenu>
#include <functional>
#include <set>

#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "ui/canvas/edge_item.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/group_items.h"
#include "ui/canvas/node_geometry.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/ports.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/document/fragment.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

QString tr(const char* s) {
    return QApplication::translate("CanvasMenu", s);
}

// One submenu per palette category, each entry calling `pick` with the layer type.
void addLayerMenus(QMenu* parent, bool needsInput, const std::function<void(std::string)>& pick) {
    std::vector<std::string> categories = engine::layerCategories();
    std::set<std::string> known(categories.begin(), categories.end());
    for (const auto* def : engine::allLayerDefs())
        if (known.insert(def->category()).second) categories.push_back(def->category());
    for (const std::string& category : categories) {
        QMenu* sub = nullptr;
        for (const auto* def : engine::allLayerDefs()) {
            if (def->category() != category) continue;
            engine::Node probe;
            probe.type = def->type();
            if (needsInput && maxInputPorts(probe) < 1) continue;
            const QString cat = QString::fromStdString(category);
            if (!sub) sub = parent->addMenu(categoryIcon(cat), cat);
            QAction* a =
                sub->addAction(categoryIcon(cat), QString::fromStdString(def->displayName()));
            a->setToolTip(QString::fromStdString(def->description()));
            const std::string type = def->type();
            QObject::connect(a, &QAction::triggered, parent, [pick, type] { pick(type); });
        }
        if (sub) sub->setToolTipsVisible(true);
    }
}

// Collapse/Expand, Rename Group…, Ungroup for one group.
void addGroupActions(QMenu& menu, GraphView& view, const engine::NodeGroup& g) {
    GraphScene* scene = view.graphScene();
    const std::string id = g.id;
    const bool collapsed = g.collapsed;
    QObject::connect(menu.addAction(collapsed ? tr("Expand Group") : tr("Collapse Group")),
                     &QAction::triggered, scene,
                     [scene, id, collapsed] { scene->setGroupCollapsed(id, !collapsed); });
    QObject::connect(menu.addAction(tr("Rename Group…")), &QAction::triggered, &view,
                     [&view, id] { view.startRenameGroup(QString::fromStdString(id)); });
    QObject::connect(menu.addAction(tr("Ungroup")), &QAction::triggered, scene, [scene, id] {
        scene->clearSelection();
        if (GroupCardItem* c = scene->groupCard(id)) c->setSelected(true);
        if (GroupFrameItem* f = scene->groupFrame(id)) f->setSelected(true);
        scene->ungroupSelection();
    });
}

}  // namespace

void populateCanvasMenu(QMenu& menu, GraphView& view, QPointF scenePos) {
    GraphScene* scene = view.graphScene();
    GraphDocument* doc = scene->document();
    QGraphicsItem* hit = nullptr;
    for (QGraphicsItem* item : scene->items(scenePos))
        if (item->isVisible() &&
            (item->type() == NodeItem::Type || item->type() == EdgeItem::Type ||
             item->type() == GroupCardItem::Type || item->type() == GroupFrameItem::Type)) {
            hit = item;
            break;
        }

    if (hit && (hit->type() == GroupCardItem::Type || hit->type() == GroupFrameItem::Type)) {
        const std::string id = hit->type() == GroupCardItem::Type
                                   ? static_cast<GroupCardItem*>(hit)->groupId()
                                   : static_cast<GroupFrameItem*>(hit)->groupId();
        const engine::NodeGroup* g = engine::findGroup(doc->groups(), id);
        if (!g) return;
        if (!hit->isSelected()) {
            scene->clearSelection();
            hit->setSelected(true);
        }
        addGroupActions(menu, view, *g);
        menu.addSeparator();
        QObject::connect(menu.addAction(actionIcon("copy"), tr("Copy")), &QAction::triggered, scene,
                         &GraphScene::copySelection);
        QObject::connect(menu.addAction(actionIcon("delete"), tr("Delete")), &QAction::triggered,
                         scene, &GraphScene::deleteSelection);
        return;
    }

    if (hit && hit->type() == NodeItem::Type) {
        auto* node = static_cast<NodeItem*>(hit);
        if (!node->isSelected()) scene->selectNodes({node->nodeId()});
        const QString id = QString::fromStdString(node->nodeId());
        QObject::connect(menu.addAction(tr("Rename…")), &QAction::triggered, &view,
                         [&view, id] { view.startRename(id); });
        QObject::connect(menu.addAction(actionIcon("duplicate"), tr("Duplicate")),
                         &QAction::triggered, scene, &GraphScene::duplicateSelection);
        QObject::connect(menu.addAction(actionIcon("copy"), tr("Copy")), &QAction::triggered, scene,
                         &GraphScene::copySelection);
        QObject::connect(menu.addAction(actionIcon("cut"), tr("Cut")), &QAction::triggered, scene,
                         &GraphScene::cutSelection);
        menu.addSeparator();
        if (const engine::NodeGroup* g = engine::groupOfNode(doc->groups(), node->nodeId())) {
            addGroupActions(menu, view, *g);
        } else {
            QAction* group = menu.addAction(tr("Group"));
            group->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
            QObject::connect(group, &QAction::triggered, scene, &GraphScene::groupSelection);
        }
        menu.addSeparator();
        QObject::connect(menu.addAction(actionIcon("delete"), tr("Delete")), &QAction::triggered,
                         scene, &GraphScene::deleteSelection);
        return;
    }
    if (hit && hit->type() == EdgeItem::Type) {
        const engine::Edge edge = static_cast<EdgeItem*>(hit)->edge();
        QMenu* insert = menu.addMenu(tr("Insert Layer Here"));
        addLayerMenus(insert, true, [scene, doc, edge, scenePos](const std::string& type) {
            try {
                const QPointF topLeft = scenePos - QPointF(geom::kCardWidth / 2, 40);
                auto* cmd = new InsertOnEdgeCommand(doc, type, topLeft, edge);
                doc->undoStack()->push(cmd);
                scene->selectNodes({cmd->nodeId()});
            } catch (const netloom::Error& e) {
                emit scene->statusMessage(QString::fromStdString(e.what()));
            }
        });
        QObject::connect(
            menu.addAction(actionIcon("delete"), tr("Delete Connection")), &QAction::triggered,
            scene, [doc, edge] { doc->undoStack()->push(new DisconnectCommand(doc, {edge})); });
        return;
    }
    QMenu* add = menu.addMenu(tr("Add Layer Here"));
    addLayerMenus(add, false, [scene, scenePos](const std::string& type) {
        scene->addLayerAt(type, scenePos);
    });
    QAction* paste = menu.addAction(actionIcon("paste"), tr("Paste"));
    paste->setEnabled(mimeHasFragment(QApplication::clipboard()->mimeData()));
    QObject::connect(paste, &QAction::triggered, scene, &GraphScene::paste);
    menu.addSeparator();
    QAction* layout = menu.addAction(actionIcon("layout"), tr("Auto-Layout"));
    layout->setEnabled(!doc->graph().nodes().empty());
    QObject::connect(layout, &QAction::triggered, &view, [doc, &view] {
        doc->undoStack()->push(makeAutoLayoutCommand(doc));
        view.showGraphReadable();
    });
    QObject::connect(menu.addAction(actionIcon("fit"), tr("Fit to Window")), &QAction::triggered,
                     &view, &GraphView::fitGraph);
}

}  // namespace netloom::ui
