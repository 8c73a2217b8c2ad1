// MainWindow: docks, actions, menus and the state shown in the title and status bar. File
// operations are in main_window_files.cpp.
#include "ui/window/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMetaMethod>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QToolBar>
#include <QToolButton>
#include <QUndoView>

#include "engine/export/pytorch_exporter.h"  // PyTorch export (issue 17)
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/mime_types.h"
#include "ui/canvas/palette_widget.h"
#include "ui/commands/import_weights_command.h"  // File > Import weights (issue 17)
#include "ui/commands/node_commands.h"
#include "ui/data/csv_data_view.h"
#include "ui/document/autosave.h"
#include "ui/document/data_facts_watcher.h"
#include "ui/experiments/experiments_view.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/widgets/problems_widget.h"
#include "ui/widgets/prompter.h"
#include "ui/widgets/style.h"
#include "ui/widgets/summary_widget.h"
#include "ui/widgets/theme.h"
#include "ui/window/beside_project_view.h"   // File > Open Project Beside (issue 18)
#include "ui/window/import_layers_dialog.h"  // File > Import layers (issue 18)

namespace netloom::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName("MainWindow");
    m_doc = new GraphDocument(this);
    m_scene = new GraphScene(m_doc, this);
    m_view = new GraphView(m_scene, this);
    setCentralWidget(m_view);
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    setWindowIcon(actionIcon("netloom"));

    createDocks();
    createActions();
    createMenus();

    m_graphStatus = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_graphStatus);
    statusBar()->addPermanentWidget(m_zoomLabel);

    m_autosave = new Autosave(m_doc, 60'000, this);
    new DataFactsWatcher(m_doc, this);  // the editor checks the networks against the data

    // A child of the view (the view stays the central widget), pinned to its top-left corner.
    m_networkTabs = new QTabBar(m_view);
    m_networkTabs->setObjectName("networkTabs");
    m_networkTabs->setDocumentMode(true);
    m_networkTabs->setDrawBase(false);
    m_networkTabs->setAutoFillBackground(true);
    m_networkTabs->setExpanding(false);
    m_networkTabs->hide();
    connect(m_networkTabs, &QTabBar::currentChanged, this, [this](int index) {
        if (index >= 0) m_doc->setActiveNetwork(index);
    });
    connect(m_doc, &GraphDocument::activeNetworkChanged, this, &MainWindow::updateNetworkTabs);

    connect(m_doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset) updateNetworkTabs();
        updateTrainState();
        updateActions();
        // An edit that breaks the graph shows why, in front of the training panel.
        const bool valid = m_doc->analysis().ok();
        if (!valid && c.kind != GraphChange::Kind::Layout &&
            (m_wasValid || c.kind == GraphChange::Kind::Reset))
            raiseTab(m_problemsDock);
        m_wasValid = valid;
    });
    connect(m_doc, &GraphDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &GraphDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_scene, &GraphScene::statusMessage, this, [this](const QString& t) { showStatus(t); });
    connect(m_scene, &GraphScene::fileDropped, this, &MainWindow::openFile);
    connect(m_problems, &ProblemsWidget::nodeActivated, this, &MainWindow::focusNode);
    connect(m_summary, &SummaryWidget::nodeActivated, this, &MainWindow::focusNode);
    connect(m_palette, &PaletteWidget::layerActivated, this, [this](const QString& type) {
        m_scene->addLayerBesideSelection(
            type.toStdString(), m_view->mapToScene(m_view->viewport()->rect()).boundingRect());
    });
    connect(m_palette, &PaletteWidget::blockActivated, this, [this](const QString& id) {
        m_scene->addBlockBesideSelection(
            id.toStdString(), m_view->mapToScene(m_view->viewport()->rect()).boundingRect());
    });
    connect(m_view, &GraphView::zoomChanged, this,
            [this](qreal z) { m_zoomLabel->setText(QString("%1 %").arg(qRound(z * 100))); });
    m_zoomLabel->setText("100 %");

    // The dock layout is restored on first show, once every dock exists (see restoreLayout).
    if (!restoreGeometry(QSettings().value("window/geometry").toByteArray()))
        resize(firstStartSize());
    connect(PaletteWatcher::instance(), &PaletteWatcher::changed, this,
            &MainWindow::onPaletteChanged);
    if (savedColorScheme() != currentColorScheme()) applyColorScheme(savedColorScheme());
    m_wasValid = m_doc->analysis().ok();
    updateTitle();
    updateTrainState();
    updateActions();
    updateNetworkTabs();
}

MainWindow::~MainWindow() {
    // The document is a child: it dies in ~QWidget, when this is no longer a MainWindow, and
    // its undo stack still signals "clean changed" then. No slot of this may run by then.
    m_doc->undoStack()->disconnect(this);
    m_doc->disconnect(this);
    // The canvas goes first, while the document it draws is still alive.
    m_scene->disconnect(this);
    delete m_view;
    delete m_scene;
    delete m_autosave;
    qDeleteAll(m_docks);
}

QAction* MainWindow::action(const QString& name) const {
    return findChild<QAction*>(name);
}

void MainWindow::createDocks() {
    auto makeDock = [this](const QString& name, const QString& title, QWidget* content,
                           Qt::DockWidgetArea area, bool scroll) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        if (scroll) {
            auto* area = new QScrollArea(dock);
            area->setWidget(content);
            area->setWidgetResizable(true);
            area->setFrameShape(QFrame::NoFrame);
            dock->setWidget(area);
        } else {
            dock->setWidget(content);
        }
        addDockWidget(area, dock);
        m_docks << dock;
        return dock;
    };
    m_palette = new PaletteWidget;
    QDockWidget* paletteDock =
        makeDock("paletteDock", tr("Layers"), m_palette, Qt::LeftDockWidgetArea, false);
    paletteDock->setMinimumWidth(190);
    m_inspector = new InspectorWidget(m_doc);
    QDockWidget* inspectorDock =
        makeDock("inspectorDock", tr("Inspector"), m_inspector, Qt::RightDockWidgetArea, true);
    m_inspectorDock = inspectorDock;
    m_training = new TrainingSettingsWidget(m_doc);
    QDockWidget* trainingDock = makeDock("trainingDock", tr("Training settings"), m_training,
                                         Qt::RightDockWidgetArea, true);
    tabifyDockWidget(inspectorDock, trainingDock);
    inspectorDock->raise();
    m_summary = new SummaryWidget(m_doc);
    m_summaryDock =
        makeDock("summaryDock", tr("Model summary"), m_summary, Qt::RightDockWidgetArea, false);
    m_problems = new ProblemsWidget(m_doc);
    QDockWidget* problemsDock =
        makeDock("problemsDock", tr("Problems"), m_problems, Qt::BottomDockWidgetArea, false);
    m_problemsDock = problemsDock;
    connect(m_problems, &ProblemsWidget::countChanged, problemsDock, [problemsDock](int n) {
        problemsDock->setWindowTitle(n ? tr("Problems (%1)").arg(n) : tr("Problems"));
    });
    // The data view of CSV projects (column statistics, class balance, preparation), beside
    // the problems; raised when a CSV project opens.
    auto* dataView = new CsvDataView(m_doc);
    QDockWidget* dataDock =
        makeDock("dataDock", tr("Data"), dataView, Qt::BottomDockWidgetArea, true);
    tabifyDockWidget(problemsDock, dataDock);
    connect(m_doc, &GraphDocument::changed, dataDock, [this, dataDock](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset && m_doc->training().dataset.kind == "csv")
            dataDock->raise();
    });
    QDockWidget* experimentsDock =
        makeDock("experimentsDock", tr("Experiments"), new ExperimentsView(m_doc),
                 Qt::BottomDockWidgetArea, true);  // scrolls: the bottom row stays one line
    tabifyDockWidget(problemsDock, experimentsDock);
    problemsDock->raise();
    // A second project, read-only, whose layers drag onto the canvas (transfer learning).
    QDockWidget* besideDock = makeDock("besideDock", tr("Project beside"), new BesideProjectView,
                                       Qt::LeftDockWidgetArea, false);
    besideDock->hide();
    m_undoView = new QUndoView(m_doc->undoStack());
    m_undoView->setEmptyLabel(tr("<opened project>"));
    QDockWidget* historyDock =
        makeDock("historyDock", tr("History"), m_undoView, Qt::RightDockWidgetArea, false);
    historyDock->hide();
}

QAction* MainWindow::makeAction(const QString& name, const QString& text, const QString& icon,
                                const QKeySequence& shortcut) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!icon.isEmpty()) a->setIcon(actionIcon(icon));
    if (!shortcut.isEmpty()) a->setShortcut(shortcut);
    addAction(a);
    return a;
}

void MainWindow::createActions() {
    connect(makeAction("newBlank", tr("&Blank project"), "new", QKeySequence::New),
            &QAction::triggered, this, &MainWindow::newBlank);
    connect(makeAction("open", tr("&Open…"), "open", QKeySequence::Open), &QAction::triggered, this,
            [this] {
                if (!maybeLeaveProject(tr("open another project"))) return;
                const QString path = prompter().askOpenFile(
                    this, tr("Open project"), QSettings().value("files/lastDir").toString(),
                    tr("NetLoom projects (*.netloom);;All files (*)"));
                if (!path.isEmpty()) loadInto(path, false);
            });
    connect(makeAction("save", tr("&Save"), "save", QKeySequence::Save), &QAction::triggered, this,
            &MainWindow::save);
    connect(makeAction("saveAs", tr("Save &As…"), "save-as", QKeySequence::SaveAs),
            &QAction::triggered, this, &MainWindow::saveAs);
    connect(makeAction("revert", tr("&Revert to Saved"), "revert"), &QAction::triggered, this,
            &MainWindow::revert);
    connect(makeAction("exportPng", tr("Export Graph as &PNG…"), "export"), &QAction::triggered,
            this, [this] {
                const QString path = prompter().askSaveFile(
                    this, tr("Export as PNG"), m_doc->displayName().section('.', 0, 0) + ".png",
                    tr("PNG images (*.png)"));
                if (!path.isEmpty()) exportPicture(path.endsWith(".png") ? path : path + ".png");
            });
    connect(makeAction("exportSvg", tr("Export Graph as S&VG…"), "export"), &QAction::triggered,
            this, [this] {
                const QString path = prompter().askSaveFile(
                    this, tr("Export as SVG"), m_doc->displayName().section('.', 0, 0) + ".svg",
                    tr("SVG images (*.svg)"));
                if (!path.isEmpty()) exportPicture(path.endsWith(".svg") ? path : path + ".svg");
            });
    createInteropActions();  // main_window_files.cpp: ONNX export and import
    // PyTorch half of the export issue: the training script out, trained weights back in.
    connect(makeAction("exportPyTorch", tr("PyTorch Training &Script…"), "export"),
            &QAction::triggered, this, [this] {
                const QString dir = prompter().askSaveFile(
                    this, tr("Export PyTorch training script (a folder)"),
                    m_doc->displayName().section('.', 0, 0) + "-pytorch", tr("Folders (*)"));
                if (dir.isEmpty()) return;
                try {
                    const auto report = engine::exportPyTorch(m_doc->project(), dir.toStdString());
                    if (!report.ok())
                        prompter().showError(this, tr("Export to PyTorch"),
                                             QString::fromStdString(report.text()));
                    else
                        statusBar()->showMessage(tr("Wrote %1/model.py and weights.nlw").arg(dir),
                                                 8000);
                } catch (const std::exception& e) {
                    prompter().showError(this, tr("Export to PyTorch"), e.what());
                }
            });
    connect(makeAction("importWeights", tr("&Import Weights…"), "open"), &QAction::triggered, this,
            [this] {
                const QString path = prompter().askOpenFile(
                    this, tr("Import weights"), QSettings().value("files/lastDir").toString(),
                    tr("NetLoom tensor files (*.nlw);;All files (*)"));
                if (path.isEmpty()) return;
                const QString error = importWeightsInto(m_doc, path);
                if (!error.isEmpty())
                    prompter().showError(this, tr("Import weights"), error);
                else
                    statusBar()->showMessage(tr("Imported weights from %1").arg(path), 8000);
            });
    // Transfer learning (issue 18): trained layers of another project onto this canvas.
    connect(makeAction("importLayers", tr("Import &Layers from Project…"), "open"),
            &QAction::triggered, this, [this] {
                const QString path =
                    prompter().askOpenFile(this, tr("Import layers from project"),
                                           QSettings().value("files/lastDir").toString(),
                                           tr("NetLoom projects (*.netloom);;All files (*)"));
                if (!path.isEmpty())
                    openImportLayersDialog(this, m_doc, m_scene->graphBounds(), path);
            });
    connect(makeAction("openBeside", tr("Open Project &Beside…"), "open"), &QAction::triggered,
            this, [this] {
                const QString path =
                    prompter().askOpenFile(this, tr("Open project beside (read-only)"),
                                           QSettings().value("files/lastDir").toString(),
                                           tr("NetLoom projects (*.netloom);;All files (*)"));
                if (!path.isEmpty()) openProjectBeside(path);
            });
    connect(makeAction("quit", tr("&Quit"), "", QKeySequence::Quit), &QAction::triggered, this,
            &QWidget::close);

    QAction* undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName("undo");
    undo->setShortcut(QKeySequence::Undo);
    undo->setIcon(actionIcon("undo"));
    addAction(undo);
    QAction* redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName("redo");
    // The platform's Redo keys plus both common conventions, each once: a key bound twice to the
    // same action is an ambiguous shortcut and does nothing.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence& extra :
         {QKeySequence(Qt::CTRL | Qt::Key_Y), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)})
        if (!redoKeys.contains(extra)) redoKeys.append(extra);
    redo->setShortcuts(redoKeys);
    redo->setIcon(actionIcon("redo"));
    addAction(redo);
    connect(makeAction("cut", tr("Cu&t"), "cut", QKeySequence::Cut), &QAction::triggered, m_scene,
            &GraphScene::cutSelection);
    connect(makeAction("copy", tr("&Copy"), "copy", QKeySequence::Copy), &QAction::triggered,
            m_scene, &GraphScene::copySelection);
    connect(makeAction("paste", tr("&Paste"), "paste", QKeySequence::Paste), &QAction::triggered,
            m_scene, &GraphScene::paste);
    connect(
        makeAction("duplicate", tr("D&uplicate"), "duplicate", QKeySequence(Qt::CTRL | Qt::Key_D)),
        &QAction::triggered, m_scene, &GraphScene::duplicateSelection);
    QAction* del = makeAction("delete", tr("&Delete"), "delete");
    del->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    connect(del, &QAction::triggered, m_scene, &GraphScene::deleteSelection);
    connect(makeAction("selectAll", tr("Select &All"), "", QKeySequence::SelectAll),
            &QAction::triggered, m_scene, &GraphScene::selectAllItems);
    connect(makeAction("group", tr("&Group"), "", QKeySequence(Qt::CTRL | Qt::Key_G)),
            &QAction::triggered, m_scene, &GraphScene::groupSelection);
    connect(
        makeAction("ungroup", tr("U&ngroup"), "", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G)),
        &QAction::triggered, m_scene, &GraphScene::ungroupSelection);

    connect(makeAction("zoomIn", tr("Zoom &In"), "zoom-in", QKeySequence::ZoomIn),
            &QAction::triggered, m_view, &GraphView::zoomIn);
    action("zoomIn")->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    connect(makeAction("zoomOut", tr("Zoom &Out"), "zoom-out", QKeySequence::ZoomOut),
            &QAction::triggered, m_view, &GraphView::zoomOut);
    connect(makeAction("zoomReset", tr("&Actual Size"), "", QKeySequence(Qt::CTRL | Qt::Key_0)),
            &QAction::triggered, m_view, &GraphView::resetZoom);
    connect(makeAction("fit", tr("&Fit to Window"), "fit", QKeySequence(Qt::CTRL | Qt::Key_1)),
            &QAction::triggered, m_view, &GraphView::fitGraph);
    connect(
        makeAction("autoLayout", tr("Auto-&Layout"), "layout", QKeySequence(Qt::CTRL | Qt::Key_L)),
        &QAction::triggered, this, [this] {
            if (m_doc->graph().nodes().empty()) return;
            m_doc->undoStack()->push(makeAutoLayoutCommand(m_doc));
            m_view->showGraphReadable();
        });

    // Pause/Resume and Stop act on the active run; installTraining connects them and keeps
    // them enabled only while a run is active.
    QAction* pause = makeAction("pause", tr("&Pause"), "", QKeySequence(Qt::CTRL | Qt::Key_P));
    pause->setEnabled(false);
    QAction* stop = makeAction("stop", tr("&Stop"), "", QKeySequence(Qt::CTRL | Qt::Key_Period));
    stop->setStatusTip(tr("Stop the run and keep the weights reached so far"));
    stop->setEnabled(false);
    connect(makeAction("shortcuts", tr("&Keyboard Shortcuts"), "", QKeySequence::HelpContents),
            &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(makeAction("documentation", tr("&Documentation"), ""), &QAction::triggered, this,
            &MainWindow::openDocumentation);

    QAction* train = makeAction("train", tr("&Train"), "train", QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(train, &QAction::triggered, this, [this] {
        if (!m_doc->analysis().ok()) return;
        if (isSignalConnected(QMetaMethod::fromSignal(&MainWindow::trainRequested)))
            emit trainRequested();
        else
            showStatus(
                tr("The network is valid; the training panel is not part of this build yet."));
    });
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_newMenu = file->addMenu(actionIcon("new"), tr("&New"));
    connect(m_newMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildNewMenu);
    rebuildNewMenu();
    file->addAction(action("open"));
    file->addAction(action("importOnnx"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    file->addSeparator();
    file->addAction(action("save"));
    file->addAction(action("saveAs"));
    file->addAction(action("revert"));
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(actionIcon("export"), tr("&Export"));
    exportMenu->addAction(action("exportPng"));
    exportMenu->addAction(action("exportSvg"));
    exportMenu->addSeparator();
    exportMenu->addAction(action("exportOnnx"));
    exportMenu->addAction(action("exportPyTorch"));
    file->addAction(action("importWeights"));
    file->addAction(action("importLayers"));
    file->addAction(action("openBeside"));
    file->addSeparator();
    file->addAction(action("quit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(action("undo"));
    edit->addAction(action("redo"));
    QAction* history = findChild<QDockWidget*>("historyDock")->toggleViewAction();
    history->setText(tr("Undo &History"));
    history->setObjectName("history");
    history->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    edit->addAction(history);
    edit->addSeparator();
    for (const char* name : {"cut", "copy", "paste", "duplicate", "delete"})
        edit->addAction(action(name));
    edit->addSeparator();
    edit->addAction(action("selectAll"));
    edit->addSeparator();
    edit->addAction(action("group"));
    edit->addAction(action("ungroup"));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (const char* name : {"zoomIn", "zoomOut", "zoomReset", "fit"})
        m_viewMenu->addAction(action(name));
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(action("autoLayout"));
    m_viewMenu->addSeparator();
    QMenu* panels = m_viewMenu->addMenu(tr("&Panels"));
    for (QDockWidget* dock : m_docks) panels->addAction(dock->toggleViewAction());
    createThemeMenu();

    QMenu* trainMenu = menuBar()->addMenu(tr("&Train"));
    trainMenu->addAction(action("train"));
    trainMenu->addAction(action("pause"));
    trainMenu->addAction(action("stop"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action("shortcuts"));
    help->addAction(action("documentation"));
    help->addSeparator();
    QAction* about = help->addAction(tr("&About NetLoom"), this, &MainWindow::showAbout);
    about->setObjectName("about");
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName("mainToolBar");
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    bar->addAction(action("newBlank"));
    bar->addAction(action("open"));
    bar->addAction(action("save"));
    bar->addSeparator();
    bar->addAction(action("undo"));
    bar->addAction(action("redo"));
    bar->addSeparator();
    bar->addAction(action("delete"));
    bar->addAction(action("autoLayout"));
    bar->addAction(action("fit"));
    bar->addSeparator();
    bar->addAction(action("train"));
    for (const char* name : {"undo", "redo", "delete", "fit", "newBlank", "open", "save"})
        if (QWidget* w = bar->widgetForAction(action(name)))
            static_cast<QToolButton*>(w)->setToolButtonStyle(Qt::ToolButtonIconOnly);
    // Tooltips name the keys ("Save (Ctrl+S)"), and follow the text where it changes (Undo).
    for (QAction* a : bar->actions()) {
        if (a->isSeparator() || a == action("train")) continue;  // Train: updateTrainState
        auto tip = [a] {
            const QString text = QString(a->text()).remove('&').remove(QStringLiteral("…"));
            const QString tipped = withShortcut(a, text);
            if (a->toolTip() != tipped) a->setToolTip(tipped);
        };
        tip();
        connect(a, &QAction::changed, this, tip);
    }
}

QString MainWindow::withShortcut(const QAction* a, const QString& tip) {
    const QString keys = a->shortcut().toString(QKeySequence::NativeText);
    return keys.isEmpty() ? tip : tr("%1 (%2)").arg(tip, keys);
}

void MainWindow::updateTitle() {
    setWindowTitle(m_doc->displayName() + "[*] — NetLoom");
    setWindowModified(m_doc->isModified());
    action("revert")->setEnabled(!m_doc->filePath().isEmpty() && m_doc->isModified());
}

void MainWindow::updateActions() {
    const bool nodes = !m_scene->selectedNodeIds().empty();
    const bool any = nodes || !m_scene->selectedEdges().empty();
    action("cut")->setEnabled(nodes);
    action("copy")->setEnabled(nodes);
    action("duplicate")->setEnabled(nodes);
    action("delete")->setEnabled(any);
    action("autoLayout")->setEnabled(!m_doc->graph().nodes().empty());
    action("revert")->setEnabled(!m_doc->filePath().isEmpty() && m_doc->isModified());
}

void MainWindow::setRunning(bool running) {
    m_running = running;
    updateTrainState();
}

QString MainWindow::graphStatusText() const {
    return m_graphStatus->text();
}

void MainWindow::updateTrainState() {
    const engine::GraphAnalysis& a = m_doc->analysis();
    QAction* train = action("train");
    train->setEnabled(a.ok());
    if (a.ok()) {
        train->setToolTip(withShortcut(
            train, tr("Train the network (%1 parameters)").arg(humanCount(a.totalParameters))));
        m_graphStatus->setText((m_running ? tr("%1 layers · %2 parameters · training")
                                          : tr("%1 layers · %2 parameters · ready to train"))
                                   .arg(m_doc->graph().nodes().size())
                                   .arg(humanCount(a.totalParameters)));
        m_graphStatus->setStyleSheet({});
    } else {
        const QString reason = QString::fromStdString(a.firstProblem());
        train->setToolTip(withShortcut(train, tr("Cannot train yet: %1").arg(reason)));
        const int extra = static_cast<int>(a.problems.size()) - 1;
        m_graphStatus->setText(tr("Cannot train: %1").arg(reason) +
                               (extra > 0 ? tr(" (+%1 more)").arg(extra) : QString()));
        m_graphStatus->setStyleSheet(QString("color:%1").arg(errorColor().name()));
    }
    m_graphStatus->setToolTip(train->toolTip());
}

void MainWindow::updateNetworkTabs() {
    const QSignalBlocker block(m_networkTabs);
    const int count = m_doc->networkCount();
    while (m_networkTabs->count() > count) m_networkTabs->removeTab(m_networkTabs->count() - 1);
    for (int i = 0; i < count; ++i) {
        if (i < m_networkTabs->count())
            m_networkTabs->setTabText(i, m_doc->networkTitle(i));
        else
            m_networkTabs->addTab(m_doc->networkTitle(i));
    }
    m_networkTabs->setCurrentIndex(m_doc->activeNetwork());
    m_networkTabs->setVisible(count > 1);
    m_networkTabs->adjustSize();
    m_networkTabs->move(0, 0);
    m_networkTabs->raise();
}

void MainWindow::onSelectionChanged() {
    const std::vector<std::string> nodes = m_scene->selectedNodeIds();
    m_inspector->setSelection(nodes);
    // A picked node shows its parameters, even when "Try it yourself" or the training
    // settings were in front.
    if (!nodes.empty()) raiseTab(m_inspectorDock);
    updateActions();
}

void MainWindow::focusNode(const QString& nodeId) {
    const std::string id = nodeId.toStdString();
    if (!m_scene->nodeItem(id)) return;
    m_scene->selectNodes({id});
    m_view->centreOnNode(id);
    if (auto* dock = findChild<QDockWidget*>("inspectorDock")) {
        dock->show();
        dock->raise();
    }
}

void MainWindow::showStatus(const QString& text, int ms) {
    if (text.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(text, ms);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeLeaveProject(tr("quit"))) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState(kLayoutVersion));
    settings.setValue("session/lastFile", m_doc->filePath());
    m_autosave->discard();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!projectFilesFromMime(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList files = projectFilesFromMime(event->mimeData());
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    openFile(files.front());
}

}  // namespace netloom::ui
