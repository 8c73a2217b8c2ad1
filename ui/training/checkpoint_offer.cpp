#include "ui/training/checkpoint_offer.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QTimer>
#include <memory>
#include <optional>

#include "engine/io/checkpoint_store.h"
#include "ui/document/graph_document.h"
#include "ui/training/training_panel.h"
#include "ui/widgets/prompter.h"
#include "ui/window/main_window.h"

namespace netloom::ui {

namespace {

std::optional<engine::CheckpointStore::Entry> resumableOf(const GraphDocument* doc) {
    if (doc->filePath().isEmpty()) return std::nullopt;
    return engine::CheckpointStore(
               engine::CheckpointStore::folderFor(doc->filePath().toStdString()), 1)
        .resumable();
}

}  // namespace

QAction* installCheckpointOffer(MainWindow* w, TrainingPanel* panel, TrainingController* controller,
                                std::function<void()> showDock) {
    GraphDocument* doc = w->document();
    auto* action = new QAction(QObject::tr("Resume from checkpoint"), w);
    action->setObjectName("resumeCheckpoint");
    for (QAction* top : w->menuBar()->actions())
        if (QMenu* menu = top->menu(); menu && menu->actions().contains(w->action("train")))
            menu->insertAction(
                menu->actions().value(menu->actions().indexOf(w->action("train")) + 1), action);
    auto resume = [w, panel, doc, showDock] {
        const std::optional<engine::CheckpointStore::Entry> e = resumableOf(doc);
        if (!e) return;
        std::shared_ptr<const engine::Checkpoint> c;
        try {
            c = std::make_shared<engine::Checkpoint>(engine::readCheckpoint(e->path));
        } catch (const std::exception& ex) {
            prompter().showError(w, QObject::tr("Cannot resume"), QString::fromUtf8(ex.what()));
            return;
        }
        showDock();
        panel->resumeFromCheckpoint(std::move(c));
    };
    auto update = [action, doc, controller] {
        const std::optional<engine::CheckpointStore::Entry> e = resumableOf(doc);
        action->setText(e ? QObject::tr("Resume from checkpoint (epoch %1)").arg(e->epoch)
                          : QObject::tr("Resume from checkpoint"));
        action->setEnabled(e.has_value() && !controller->isActive());
    };
    QObject::connect(action, &QAction::triggered, w, resume);
    // On opening a project (a new path), once the window has shown it: ask.
    QObject::connect(doc, &GraphDocument::filePathChanged, w, [w, doc, controller, update, resume] {
        update();
        QTimer::singleShot(0, w, [w, doc, controller, resume] {
            const std::optional<engine::CheckpointStore::Entry> e = resumableOf(doc);
            if (!e || controller->isActive()) return;
            if (prompter().askYesNo(
                    w, QObject::tr("Resume from checkpoint (epoch %1)").arg(e->epoch),
                    QObject::tr("The last run of this project did not finish: it has a "
                                "checkpoint after epoch %1 (%2). Resume from checkpoint "
                                "(epoch %1)?")
                        .arg(e->epoch)
                        .arg(QString::fromStdString(e->path))))
                resume();
        });
    });
    QObject::connect(controller, &RunController::stateChanged, action, update);
    // A finished run marks its checkpoints ended in another slot of the same signal: look after.
    QObject::connect(controller, &RunController::finished, action,
                     [action, update] { QTimer::singleShot(0, action, update); });
    update();
    return action;
}

}  // namespace netloom::ui
