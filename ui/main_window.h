#pragma once
// The editor window: palette (left), canvas (centre), inspector, training settings and model
// summary (right), problems (bottom); menus and toolbar; project files (new, open, recent,
// save, revert, export), unsaved-changes questions, autosave recovery, dropped files.
#include <QMainWindow>
#include <QPointer>

#include "ui/graph_document.h"

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
    bool save();
    bool saveAs();
    bool saveTo(const QString& path);
    bool revert();
    bool exportPicture(const QString& path);  // .png or .svg
    bool maybeSave();                         // false when the user cancels

signals:
    void trainRequested();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void createActions();
    void createMenus();
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
    void offerRecovery(const QString& projectPath);
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
    QLabel* m_zoomLabel = nullptr;
    QTabBar* m_networkTabs = nullptr;
    QList<QDockWidget*> m_docks;
};

}  // namespace netloom::ui
