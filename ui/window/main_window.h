#pragma once
// The editor window: palette (left), canvas (centre), inspector, training settings and model
// summary (right), problems (bottom); menus and toolbar; project files (new, open, recent,
// save, revert, export), unsaved-changes questions, autosave recovery, dropped files.
// The dock layout is saved on close and restored when the window is first shown, after
// installTraining() and the like have added their docks; View ▸ Theme picks the colours.
#include <QMainWindow>
#include <QPointer>
#include <functional>

#include "ui/document/graph_document.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTabBar;
class QUndoView;

namespace netloom::ui {

class Autosave;
class GraphScene;
class GraphView;
class InspectorWidget;
class PaletteWidget;
class ProblemsWidget;
class SummaryWidget;
class TrainingSettingsWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Saved dock layouts of another version are ignored (the default layout changed).
    static constexpr int kLayoutVersion = 1;

    GraphDocument* document() const { return m_doc; }
    GraphScene* scene() const { return m_scene; }
    GraphView* view() const { return m_view; }
    PaletteWidget* palette() const { return m_palette; }
    InspectorWidget* inspector() const { return m_inspector; }
    SummaryWidget* summary() const { return m_summary; }
    ProblemsWidget* problems() const { return m_problems; }
    TrainingSettingsWidget* trainingSettings() const { return m_training; }
    Autosave* autosave() const { return m_autosave; }
    // "Generator" / "Discriminator" over the canvas; hidden unless the project has several
    // networks. Picking a tab makes that network the document's active one.
    QTabBar* networkTabs() const { return m_networkTabs; }
    QAction* action(const QString& name) const;  // by objectName: "save", "train", ...

    // What runGui does after showing the window: open the file (or the last one, or blank) and
    // offer a newer recovery file.
    void startup(const QString& fileToOpen);

    // File operations; each asks about unsaved changes where it would lose them.
    bool newBlank();
    bool newFromSample(const QString& samplePath);
    bool openFile(const QString& path);  // errors go to the prompter; project untouched
    // File ▸ Open Project Beside…: shows the project at `path` read-only in the "Project beside"
    // dock, whose layers drag onto the canvas. False (the reason in the dock) when refused.
    bool openProjectBeside(const QString& path);
    bool save();
    bool saveAs();
    bool saveTo(const QString& path);
    bool revert();
    bool exportPicture(const QString& path);  // .png or .svg
    bool maybeSave();                         // false when the user cancels
    // Before quitting or replacing the project while a run trains: asks whether to stop it and
    // keep its weights, keep training (false) or discard the run. The guard is installed with the
    // training dock (installTraining); without one there is nothing to ask.
    using RunGuard = std::function<bool(const QString& doing)>;
    void setRunGuard(RunGuard guard) { m_runGuard = std::move(guard); }
    bool maybeEndRun(const QString& doing);
    // maybeEndRun, then maybeSave: what every action that replaces the project asks first.
    bool maybeLeaveProject(const QString& doing);
    // The project's network(s) as ONNX (the model; an autoencoder's halves; a GAN's generator
    // and, when `discriminator`, its discriminator); a report dialog lists files and notes.
    bool exportOnnx(const QString& path, bool discriminator);
    // An ONNX model as a new untitled project, laid out, with its weights; errors (unsupported
    // operators by node) go to the prompter.
    bool importOnnx(const QString& path);
    // Brings a dock that shares a tab group to the front, if the user has not closed it;
    // focus stays where it is.
    void raiseTab(QDockWidget* dock);
    // While a run trains the graph (it is read-only then), the status bar says so instead of
    // "ready to train". Set by the training dock's edit lock.
    void setRunning(bool running);
    QString graphStatusText() const;
    // Help ▸ About: the version, and the Qt and oneDNN versions actually linked.
    static QString aboutText();
    void showAbout();
    // Help ▸ Keyboard Shortcuts: every menu action with its keys, and where the docs are.
    void showShortcuts();
    // Help ▸ Documentation: opens the README and docs/ of this installation or source tree.
    void openDocumentation();
    // "Save (Ctrl+S)": a tooltip naming the action's keys.
    static QString withShortcut(const QAction* action, const QString& tip);

signals:
    void trainRequested();

protected:
    bool event(QEvent* event) override;  // desktop theme changes
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void createActions();
    void createInteropActions();
    void showReport(const QString& title, const QString& text, const QStringList& details);
    void createMenus();
    void createThemeMenu();
    void onPaletteChanged();
    void restoreLayout();
    void applyDefaultLayout();
    QSize firstStartSize() const;
    void updateTitle();
    void updateActions();
    void updateTrainState();
    void updateNetworkTabs();
    void onSelectionChanged();
    void focusNode(const QString& nodeId);
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void rebuildNewMenu();
    bool loadInto(const QString& path, bool asUntitled);
    // Offers the newest recovery of this project ("" = untitled) left by a crashed editor, then
    // older ones while the user declines; true when one was restored. `thenOpening` names the
    // file that opens next, for the question.
    bool offerRecovery(const QString& projectPath, const QString& thenOpening = {});
    void showStatus(const QString& text, int ms = 6000);
    QAction* makeAction(const QString& name, const QString& text, const QString& icon,
                        const QKeySequence& shortcut = {});

    GraphDocument* m_doc;
    GraphScene* m_scene;
    GraphView* m_view;
    PaletteWidget* m_palette = nullptr;
    InspectorWidget* m_inspector = nullptr;
    SummaryWidget* m_summary = nullptr;
    ProblemsWidget* m_problems = nullptr;
    TrainingSettingsWidget* m_training = nullptr;
    QUndoView* m_undoView = nullptr;
    Autosave* m_autosave = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_newMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QLabel* m_graphStatus = nullptr;
    bool m_running = false;
    RunGuard m_runGuard;
    QLabel* m_zoomLabel = nullptr;
    QTabBar* m_networkTabs = nullptr;
    QList<QDockWidget*> m_docks;
    QDockWidget* m_inspectorDock = nullptr;
    QDockWidget* m_summaryDock = nullptr;
    QDockWidget* m_problemsDock = nullptr;
    bool m_layoutRestored = false;
    bool m_wasValid = false;  // the graph's state before the last change
};

// Open Recent's entries: the file name, plus as many parent folders as it takes to tell apart
// files of the same name ("model.netloom — experiments/a").
QStringList recentFileLabels(const QStringList& paths);

}  // namespace netloom::ui
