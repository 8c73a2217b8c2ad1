#include "ui/training/training_dock.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <algorithm>

#include "engine/tasks/registry.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/palette_widget.h"
#include "ui/evaluation/prediction_gallery.h"
#include "ui/evaluation/try_it_panel.h"
#include "ui/training/checkpoint_offer.h"
#include "ui/training/gan_panel.h"
#include "ui/training/gan_training_controller.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/widgets/prompter.h"
#include "ui/widgets/scrolling.h"
#include "ui/window/main_window.h"

namespace netloom::ui {

namespace {

// Actions that edit the graph. (New and Open stay: they ask what becomes of the run first.)
constexpr const char* kEditActions[] = {"cut",  "paste",      "duplicate", "delete", "undo",
                                        "redo", "autoLayout", "revert",    "train"};

class EditLock : public QObject {
public:
    EditLock(MainWindow* w, TrainingController* controller, GanTrainingController* gan)
        : QObject(w), m_w(w) {
        m_banner = new QLabel(
            QObject::tr("Training in progress — the network is read-only until the run ends."),
            w->view());
        m_banner->setObjectName("trainingBanner");
        m_banner->setStyleSheet(
            "QLabel{background:#fff3bf;color:#5c3c00;border:1px solid #e0b000;"
            "border-radius:4px;padding:4px 10px;font-weight:bold}");
        m_banner->adjustSize();
        m_banner->move(12, 12);
        m_banner->hide();
        auto reassert = [this] {
            if (m_locked) apply();
        };
        // Connected after MainWindow's own handlers, so these run last and win.
        connect(w->document(), &GraphDocument::changed, this, reassert);
        connect(w->document(), &GraphDocument::modifiedChanged, this, reassert);
        connect(w->scene(), &QGraphicsScene::selectionChanged, this, reassert);
        connect(w->document()->undoStack(), &QUndoStack::canUndoChanged, this, reassert);
        connect(w->document()->undoStack(), &QUndoStack::canRedoChanged, this, reassert);
        // Either kind of run (a GAN trains two networks) locks the graph.
        auto update = [this, controller, gan] {
            setLocked(controller->isActive() || gan->isActive());
        };
        connect(controller, &TrainingController::stateChanged, this, update);
        connect(gan, &GanTrainingController::stateChanged, this, update);
    }

    void setLocked(bool locked) {
        if (locked == m_locked) return;
        m_locked = locked;
        m_w->setRunning(locked);
        if (locked) {
            m_w->scene()->clearSelection();
            apply();
            const QTabBar* tabs = m_w->networkTabs();  // GAN projects: keep the tabs visible
            m_banner->move(12, 12 + (tabs && tabs->isVisible() ? tabs->height() : 0));
            m_banner->show();
            m_banner->raise();
            return;
        }
        m_banner->hide();
        m_w->view()->setInteractive(true);
        for (QWidget* panel : panels()) panel->setEnabled(true);
        // Give the editing actions back the state the window would give them.
        GraphDocument* doc = m_w->document();
        const bool nodes = !m_w->scene()->selectedNodeIds().empty();
        const bool any = nodes || !m_w->scene()->selectedEdges().empty();
        m_w->action("cut")->setEnabled(nodes);
        m_w->action("duplicate")->setEnabled(nodes);
        m_w->action("delete")->setEnabled(any);
        m_w->action("paste")->setEnabled(true);
        m_w->action("undo")->setEnabled(doc->undoStack()->canUndo());
        m_w->action("redo")->setEnabled(doc->undoStack()->canRedo());
        m_w->action("autoLayout")->setEnabled(!doc->graph().nodes().empty());
        m_w->action("revert")->setEnabled(!doc->filePath().isEmpty() && doc->isModified());
        m_w->action("train")->setEnabled(doc->analysis().ok());
    }

private:
    QList<QWidget*> panels() const {
        return {m_w->palette(), m_w->inspector(), m_w->trainingSettings()};
    }
    void apply() {
        m_w->view()->setInteractive(false);  // no selection, moves, drops or context edits
        for (QWidget* panel : panels()) panel->setEnabled(false);
        for (const char* name : kEditActions)
            if (QAction* a = m_w->action(name)) a->setEnabled(false);
    }

    MainWindow* m_w;
    QLabel* m_banner;
    bool m_locked = false;
};

}  // namespace

TrainingPanel* installTraining(MainWindow* w) {
    auto* controller = new TrainingController(w->document(), w->document());
    auto* panel = new TrainingPanel(controller, w->document());
    // Adversarial projects (GANs) train through their own controller and page.
    auto* ganController = new GanTrainingController(w->document(), w->document());
    auto* ganPanel = new GanPanel(ganController, w->document());
    auto* pages = new QStackedWidget;
    pages->addWidget(panel);
    pages->addWidget(ganPanel);
    // Tasks with several networks (the GAN's generator and discriminator) have their own page.
    auto isGan = [w] {
        const engine::TaskDef* task = engine::findTask(w->document()->training().task);
        return task && task->isMultiNetwork();
    };
    auto showPage = [pages, panel, ganPanel, isGan] {
        QWidget* current = isGan() ? static_cast<QWidget*>(ganPanel) : panel;
        // A stack is as large as its largest page unless the hidden one's size is ignored:
        // the classifier panel must not be as tall as the GAN panel on a 768-pixel screen.
        for (QWidget* page : {static_cast<QWidget*>(panel), static_cast<QWidget*>(ganPanel)}) {
            const auto policy = page == current ? QSizePolicy::Preferred : QSizePolicy::Ignored;
            page->setSizePolicy(policy, policy);
        }
        pages->setCurrentWidget(current);
    };
    showPage();
    QObject::connect(
        w->document(), &GraphDocument::changed, pages, [showPage](const GraphChange& c) {
            if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training)
                showPage();
        });
    auto* dock = new QDockWidget(QObject::tr("Training"), w);
    dock->setObjectName("trainingRunDock");
    QScrollArea* pagesArea = scrollingBelowMinimum(pages);
    dock->setWidget(pagesArea);
    w->addDockWidget(Qt::BottomDockWidgetArea, dock);
    auto* problems = w->findChild<QDockWidget*>("problemsDock");
    if (problems) w->tabifyDockWidget(problems, dock);
    new EditLock(w, controller, ganController);
    // The active run, of either kind (null when idle).
    auto activeRun = [controller, ganController]() -> RunController* {
        if (controller->isActive()) return controller;
        if (ganController->isActive()) return ganController;
        return nullptr;
    };
    // Train ▸ Pause/Resume and Stop (menu and keys) act on it like the panel's buttons.
    QAction* pause = w->action("pause");
    QAction* stop = w->action("stop");
    QObject::connect(pause, &QAction::triggered, w, [activeRun] {
        if (RunController* run = activeRun())
            run->state() == RunController::State::Paused ? run->resume() : run->pause();
    });
    QObject::connect(stop, &QAction::triggered, w, [activeRun] {
        if (RunController* run = activeRun()) run->stop();
    });
    auto updateRunActions = [activeRun, pause, stop] {
        RunController* run = activeRun();
        using S = RunController::State;
        const S state = run ? run->state() : S::Idle;
        pause->setEnabled(state == S::Running || state == S::Paused);
        pause->setText(state == S::Paused ? QObject::tr("&Resume") : QObject::tr("&Pause"));
        stop->setEnabled(state == S::Running || state == S::Paused);
    };
    QObject::connect(controller, &RunController::stateChanged, w, updateRunActions);
    QObject::connect(ganController, &RunController::stateChanged, w, updateRunActions);
    updateRunActions();

    // Quitting or replacing the project mid-run asks what becomes of the run first.
    w->setRunGuard([w, activeRun](const QString& doing) {
        RunController* run = activeRun();
        if (!run) return true;
        // A run already stopping ends by itself; waiting for it keeps its weights as promised.
        const Prompter::RunChoice choice = run->state() == RunController::State::Stopping
                                               ? Prompter::RunChoice::StopAndKeep
                                               : prompter().askStopRun(w, doing);
        if (choice == Prompter::RunChoice::KeepTraining) return false;
        QApplication::setOverrideCursor(Qt::WaitCursor);
        run->endNow(choice == Prompter::RunChoice::StopAndKeep);
        QApplication::restoreOverrideCursor();
        return true;
    });

    // "Try it yourself" beside the inspector: usable while training (it only reads weights).
    auto* tryIt = new TryItPanel(panel->liveWeights());
    auto* tryDock = new QDockWidget(QObject::tr("Try it yourself"), w);
    tryDock->setObjectName("tryItDock");
    // Scrolls only below its minimum: the square pad shrinks so that its predictions show.
    tryDock->setWidget(scrollingBelowMinimum(tryIt));
    w->addDockWidget(Qt::RightDockWidgetArea, tryDock);
    auto* inspector = w->findChild<QDockWidget*>("inspectorDock");
    if (inspector) w->tabifyDockWidget(inspector, tryDock);
    // Tabifying puts the newcomers in front; an editing user needs the inspector and the
    // problems (the training panel comes forward when a run starts).
    w->raiseTab(inspector);
    w->raiseTab(problems);
    // Both docks can be reopened from the Train menu once closed.
    for (QAction* top : w->menuBar()->actions())
        if (QMenu* menu = top->menu(); menu && menu->actions().contains(w->action("train"))) {
            menu->addSeparator();
            menu->addAction(dock->toggleViewAction());
            menu->addAction(tryDock->toggleViewAction());
        }
    // The inspector is read-only during a run: show the live predictions in its place.
    QObject::connect(controller, &TrainingController::runStarted, tryDock, [tryDock] {
        if (tryDock->toggleViewAction()->isChecked()) tryDock->raise();
    });
    QObject::connect(panel->gallery(), &PredictionGallery::imageActivated, tryIt,
                     [tryIt, tryDock](qint64 index) {
                         tryDock->show();
                         tryDock->raise();
                         tryIt->pickTestImage(index);
                     });

    auto showDock = [w, dock, pages, pagesArea] {
        dock->show();
        dock->raise();
        // Tall enough for the whole panel without scrolling (plus the horizontal scroll bar a
        // narrow window needs), above the dock's title.
        const QSize needed = pages->minimumSizeHint();
        int chrome = dock->height() - pagesArea->height();  // (until laid out: a guess)
        if (chrome <= 0 || chrome > 60) chrome = 24;
        int height = needed.height() + chrome;
        if (needed.width() > pagesArea->viewport()->width())
            height += pagesArea->horizontalScrollBar()->sizeHint().height();
        w->resizeDocks({dock}, {std::max(340, height)}, Qt::Vertical);
    };
    QObject::connect(w, &MainWindow::trainRequested, panel, [panel, ganPanel, isGan, showDock] {
        showDock();
        if (isGan())
            ganPanel->startTraining();
        else
            panel->startTraining();
    });
    installCheckpointOffer(w, panel, controller, showDock);
    QObject::connect(ganPanel->trainButton(), &QPushButton::clicked, dock, showDock);
    QObject::connect(ganPanel, &GanPanel::progressTextChanged, w,
                     [w, ganController](const QString& t) {
                         w->statusBar()->showMessage(t, ganController->isActive() ? 0 : 15000);
                     });
    QObject::connect(panel->trainButton(), &QPushButton::clicked, dock, showDock);
    QObject::connect(panel, &TrainingPanel::progressTextChanged, w,
                     [w, controller](const QString& t) {
                         w->statusBar()->showMessage(t, controller->isActive() ? 0 : 15000);
                     });
    return panel;
}

}  // namespace netloom::ui
