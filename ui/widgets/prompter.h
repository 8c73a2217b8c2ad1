#pragma once
// Every question the editor asks the user (message boxes, file dialogs) goes through one
// replaceable object, so tests can answer instead of a person and nothing blocks offscreen.
#include <QString>

class QWidget;

namespace netloom::ui {

class Prompter {
public:
    enum class SaveChoice { Save, Discard, Cancel };
    // Quitting or replacing the project while a run trains: stop it and take its weights into
    // the project, let it go on (cancels), or stop it without keeping anything.
    enum class RunChoice { StopAndKeep, KeepTraining, Discard };
    virtual ~Prompter() = default;

    virtual SaveChoice askSaveChanges(QWidget* parent, const QString& documentName);
    // `doing`: what the user asked for ("quit", "open another project").
    virtual RunChoice askStopRun(QWidget* parent, const QString& doing);
    virtual bool askYesNo(QWidget* parent, const QString& title, const QString& text);
    virtual void showError(QWidget* parent, const QString& title, const QString& text);
    virtual QString askOpenFile(QWidget* parent, const QString& title, const QString& dir,
                                const QString& filter);
    virtual QString askSaveFile(QWidget* parent, const QString& title, const QString& suggested,
                                const QString& filter);
};

// The prompter in use (a QMessageBox/QFileDialog one unless replaced).
Prompter& prompter();
// Replaces it; nullptr restores the default. The caller keeps ownership.
void setPrompter(Prompter* p);

}  // namespace netloom::ui
