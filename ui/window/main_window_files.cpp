// MainWindow's project file handling: new/open/save/revert/export, recent files, unsaved-change
// questions and recovery of autosaved work.
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "engine/core/error.h"
#include "engine/export/onnx_export.h"
#include "engine/export/onnx_import.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "ui/canvas/auto_layout.h"
#include "ui/canvas/graph_export.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/document/autosave.h"
#include "ui/document/samples.h"
#include "ui/widgets/prompter.h"
#include "ui/widgets/style.h"
#include "ui/window/beside_project_view.h"
#include "ui/window/main_window.h"

namespace netloom::ui {

namespace {
constexpr int kMaxRecent = 10;
const char* kProjectFilter = "NetLoom projects (*.netloom);;All files (*)";
}  // namespace

bool MainWindow::maybeSave() {
    if (!m_doc->isModified()) return true;
    switch (prompter().askSaveChanges(this, m_doc->displayName())) {
        case Prompter::SaveChoice::Save:
            return save();
        case Prompter::SaveChoice::Discard:
            return true;
        case Prompter::SaveChoice::Cancel:
            return false;
    }
    return false;
}

bool MainWindow::maybeEndRun(const QString& doing) {
    return !m_runGuard || m_runGuard(doing);
}

bool MainWindow::maybeLeaveProject(const QString& doing) {
    return maybeEndRun(doing) && maybeSave();
}

bool MainWindow::newBlank() {
    if (!maybeLeaveProject(tr("start a new project"))) return false;
    m_doc->reset(engine::Project{});
    m_view->resetZoom();
    m_view->centerOn(0, 0);
    showStatus(tr("New blank project: drag an Input layer from the palette to start"));
    return true;
}

bool MainWindow::newFromSample(const QString& samplePath) {
    if (!maybeLeaveProject(tr("start a new project"))) return false;
    return loadInto(samplePath, true);
}

bool MainWindow::openFile(const QString& path) {
    if (!maybeLeaveProject(tr("open another project"))) return false;
    return loadInto(path, false);
}

bool MainWindow::openProjectBeside(const QString& path) {
    auto* dock = findChild<QDockWidget*>("besideDock");
    auto* view = findChild<BesideProjectView*>("besideProjectView");
    if (!dock || !view) return false;
    dock->show();
    dock->raise();
    const bool ok = view->open(path);
    showStatus(ok ? tr("%1 is open beside, read-only: drag its layers onto the canvas")
                        .arg(QFileInfo(path).fileName())
                  : view->status());
    return ok;
}

bool MainWindow::loadInto(const QString& path, bool asUntitled) {
    try {
        if (asUntitled) {
            engine::Project project = engine::loadProject(path.toStdString());
            m_doc->reset(std::move(project), {});
        } else {
            m_doc->load(path);
        }
    } catch (const std::exception& e) {
        prompter().showError(
            this, tr("Cannot open project"),
            tr("Could not open %1:\n\n%2")
                .arg(QDir::toNativeSeparators(path), QString::fromStdString(e.what())));
        return false;
    }
    m_view->fitGraph();
    if (asUntitled) {
        showStatus(tr("New project from the sample %1").arg(sampleTitle(path)));
        return true;
    }
    addRecentFile(m_doc->filePath());
    QSettings().setValue("files/lastDir", QFileInfo(path).absolutePath());
    showStatus(tr("Opened %1").arg(QDir::toNativeSeparators(m_doc->filePath())));
    offerRecovery(m_doc->filePath());
    return true;
}

namespace {
// A project file shipped in samples/: saving over it would change the sample for every later
// "New ▸ From Sample", so it is saved elsewhere like an untitled project.
bool isShippedSample(const QString& path) {
    if (path.isEmpty()) return false;
    const QString dir = QFileInfo(path).absoluteDir().canonicalPath();
    return sampleDirs().contains(dir);
}

// The user's folder for new files: where they last saved or opened, unless that is samples/.
QString userFolder() {
    QString dir = QSettings().value("files/lastDir").toString();
    if (dir.isEmpty() || sampleDirs().contains(QDir(dir).canonicalPath())) dir = QDir::homePath();
    return dir;
}
}  // namespace

bool MainWindow::save() {
    if (m_doc->filePath().isEmpty() || isShippedSample(m_doc->filePath())) return saveAs();
    return saveTo(m_doc->filePath());
}

bool MainWindow::saveAs() {
    QString suggested = m_doc->filePath();
    if (isShippedSample(suggested)) {
        suggested = userFolder() + "/" + QFileInfo(suggested).fileName();
    } else if (suggested.isEmpty()) {
        const std::string name = m_doc->project().name;
        suggested = userFolder() + "/" +
                    (name.empty() ? tr("network") : QString::fromStdString(name)) + ".netloom";
    }
    QString path =
        prompter().askSaveFile(this, tr("Save project as"), suggested, tr(kProjectFilter));
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += ".netloom";
    return saveTo(path);
}

bool MainWindow::saveTo(const QString& path) {
    try {
        m_doc->save(path);
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Cannot save project"), QString::fromStdString(e.what()));
        return false;
    }
    addRecentFile(m_doc->filePath());
    QSettings().setValue("files/lastDir", QFileInfo(path).absolutePath());
    showStatus(tr("Saved %1").arg(QDir::toNativeSeparators(m_doc->filePath())));
    return true;
}

bool MainWindow::revert() {
    if (m_doc->filePath().isEmpty() || !m_doc->isModified()) return false;
    if (!prompter().askYesNo(
            this, tr("Revert"),
            tr("Discard all changes since %1 was saved?").arg(m_doc->displayName())))
        return false;
    try {
        m_doc->revert();
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Cannot revert"), QString::fromStdString(e.what()));
        return false;
    }
    showStatus(tr("Reverted to the saved %1").arg(m_doc->displayName()));
    return true;
}

bool MainWindow::exportPicture(const QString& path) {
    try {
        if (path.endsWith(".svg", Qt::CaseInsensitive))
            exportGraphSvg(m_scene, path, m_doc->displayName());
        else
            exportGraphPng(m_scene, path);
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Cannot export"), QString::fromStdString(e.what()));
        return false;
    }
    showStatus(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::startup(const QString& fileToOpen) {
    // Untitled work left by a crashed session is offered first, whatever opens next: it has no
    // file of its own that would bring it up later.
    const bool restored = offerRecovery({}, fileToOpen);
    if (!fileToOpen.isEmpty()) {
        // With restored work this asks to save it first; Cancel keeps it and skips the file.
        if (!openFile(fileToOpen) && restored)
            showStatus(tr("Restored autosaved changes; %1 was not opened")
                           .arg(QDir::toNativeSeparators(fileToOpen)),
                       0);
        return;
    }
    if (restored) return;
    const QString last = QSettings().value("session/lastFile").toString();
    if (!last.isEmpty() && QFileInfo::exists(last)) loadInto(last, false);
}

bool MainWindow::offerRecovery(const QString& projectPath, const QString& thenOpening) {
    QStringList declined;  // older recoveries are offered in turn, each once
    while (const std::optional<Recovery> r = Autosave::findRecovery(projectPath)) {
        if (declined.contains(r->recoveryFile)) return false;  // (could not be removed)
        const QString what =
            projectPath.isEmpty() ? tr("an untitled project") : QFileInfo(projectPath).fileName();
        QString question = tr("NetLoom found unsaved changes to %1, autosaved on %2. "
                              "Restore them?")
                               .arg(what, QLocale().toString(r->saved, QLocale::ShortFormat));
        if (!thenOpening.isEmpty())
            question +=
                "\n\n" +
                tr("You can save them before %1 opens.").arg(QFileInfo(thenOpening).fileName());
        if (!prompter().askYesNo(this, tr("Recover unsaved work"), question)) {
            declined << r->recoveryFile;
            Autosave::removeRecovery(*r);
            continue;
        }
        try {
            engine::Project project = engine::loadProject(r->recoveryFile.toStdString());
            m_doc->reset(std::move(project), projectPath);
            m_doc->markModified();
            Autosave::removeRecovery(*r);
            m_autosave->saveNow();
            m_view->fitGraph();
            showStatus(tr("Restored autosaved changes; save to keep them"));
            return true;
        } catch (const std::exception& e) {
            prompter().showError(this, tr("Cannot restore"), QString::fromStdString(e.what()));
            return false;
        }
    }
    return false;
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList files = settings.value("files/recent").toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecent) files.removeLast();
    settings.setValue("files/recent", files);
}

QStringList recentFileLabels(const QStringList& paths) {
    QStringList labels;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        QStringList twins;  // other entries with the same file name
        for (const QString& other : paths)
            if (other != path && QFileInfo(other).fileName() == info.fileName()) twins << other;
        if (twins.isEmpty()) {
            labels << info.fileName();
            continue;
        }
        // As many parent folders as it takes to tell this one from its twins.
        const QStringList dirs =
            QDir::cleanPath(info.absolutePath()).split('/', Qt::SkipEmptyParts);
        QString suffix;
        for (qsizetype depth = 1; depth <= dirs.size(); ++depth) {
            suffix = dirs.mid(dirs.size() - depth).join('/');
            bool distinct = true;
            for (const QString& twin : twins) {
                const QString twinDir = QDir::cleanPath(QFileInfo(twin).absolutePath());
                distinct = distinct && !(twinDir == suffix || twinDir.endsWith('/' + suffix));
            }
            if (distinct) break;
        }
        labels << QString("%1 — %2").arg(info.fileName(),
                                         QDir::toNativeSeparators(suffix.isEmpty() ? "/" : suffix));
    }
    return labels;
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    QStringList files = QSettings().value("files/recent").toStringList();
    files.removeIf([](const QString& f) { return !QFileInfo::exists(f); });
    const QStringList labels = recentFileLabels(files);
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString f = files[i];
        QAction* a = m_recentMenu->addAction(QString(labels[i]).replace('&', "&&"));
        a->setToolTip(QDir::toNativeSeparators(f));
        a->setStatusTip(QDir::toNativeSeparators(f));
        connect(a, &QAction::triggered, this, [this, f] { openFile(f); });
    }
    if (m_recentMenu->isEmpty())
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("Clear Menu")), &QAction::triggered, this,
            [] { QSettings().remove("files/recent"); });
}

void MainWindow::rebuildNewMenu() {
    m_newMenu->clear();
    m_newMenu->addAction(action("newBlank"));
    m_newMenu->addSeparator();
    const QFileInfoList samples = findSamples();
    for (const QFileInfo& f : samples) {
        QAction* a = m_newMenu->addAction(tr("From Sample: %1").arg(sampleTitle(f.fileName())));
        a->setStatusTip(QDir::toNativeSeparators(f.absoluteFilePath()));
        const QString path = f.absoluteFilePath();
        connect(a, &QAction::triggered, this, [this, path] { newFromSample(path); });
    }
    if (samples.isEmpty()) m_newMenu->addAction(tr("No samples found"))->setEnabled(false);
}

// ---- ONNX: File ▸ Export ▸ ONNX… and File ▸ Import ONNX…

void MainWindow::createInteropActions() {
    connect(makeAction("exportOnnx", tr("&ONNX…"), "export"), &QAction::triggered, this, [this] {
        const QString path = prompter().askSaveFile(
            this, tr("Export as ONNX"), m_doc->displayName().section('.', 0, 0) + ".onnx",
            tr("ONNX models (*.onnx)"));
        if (path.isEmpty()) return;
        const bool gan = m_doc->project().networks.size() > 1;
        const bool withD = gan && prompter().askYesNo(this, tr("Export as ONNX"),
                                                      tr("Also export the discriminator?"));
        exportOnnx(path.endsWith(".onnx") ? path : path + ".onnx", withD);
    });
    connect(makeAction("importOnnx", tr("&Import ONNX…"), "open"), &QAction::triggered, this,
            [this] {
                if (!maybeSave()) return;
                const QString path = prompter().askOpenFile(
                    this, tr("Import ONNX model"), QSettings().value("files/lastDir").toString(),
                    tr("ONNX models (*.onnx);;All files (*)"));
                if (!path.isEmpty()) importOnnx(path);
            });
}

// A report that does not block (open(), not exec()): files written, notes, and the details.
void MainWindow::showReport(const QString& title, const QString& text, const QStringList& details) {
    auto* box = new QMessageBox(QMessageBox::Information, title, text, QMessageBox::Ok, this);
    box->setObjectName("interopReport");
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (!details.isEmpty()) box->setInformativeText(details.join("\n"));
    box->open();
}

bool MainWindow::exportOnnx(const QString& path, bool discriminator) {
    engine::OnnxExportReport report;
    try {
        report = engine::exportProjectToOnnx(m_doc->project(), path.toStdString(),
                                             {.discriminator = discriminator});
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Cannot export to ONNX"), QString::fromStdString(e.what()));
        return false;
    }
    QStringList files, notes;
    for (const std::string& f : report.files)
        files << QDir::toNativeSeparators(QString::fromStdString(f));
    for (const std::string& n : report.notes) notes << QString::fromStdString(n);
    showReport(tr("Exported to ONNX"),
               tr("Wrote %1 (opset %2):\n%3")
                   .arg(files.size())
                   .arg(engine::kOnnxOpset)
                   .arg(files.join("\n")),
               notes);
    showStatus(tr("Exported %1").arg(files.join(", ")));
    return true;
}

bool MainWindow::importOnnx(const QString& path) {
    engine::OnnxImportResult imported;
    try {
        imported = engine::importOnnxFile(path.toStdString());
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Cannot import ONNX model"),
                             QString::fromStdString(e.what()));
        return false;
    }
    engine::Project project =
        engine::projectFromOnnx(imported, QFileInfo(path).completeBaseName().toStdString());
    for (const auto& [id, pos] : computeAutoLayout(project.model().graph))
        project.model().layout[id] = engine::NodeUi{pos.x(), pos.y(), {}};
    m_doc->reset(std::move(project));
    m_view->fitGraph();
    QStringList notes;
    for (const std::string& n : imported.notes) notes << QString::fromStdString(n);
    showReport(tr("Imported ONNX model"),
               tr("%1 layers with their weights from %2. Choose the task and dataset in the "
                  "training settings before training.")
                   .arg(m_doc->graph().nodes().size())
                   .arg(QDir::toNativeSeparators(path)),
               notes);
    showStatus(tr("Imported %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

}  // namespace netloom::ui
