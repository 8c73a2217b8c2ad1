#include "ui/widgets/prompter.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

namespace netloom::ui {

Prompter::SaveChoice Prompter::askSaveChanges(QWidget* parent, const QString& documentName) {
    const auto answer = QMessageBox::warning(
        parent, QObject::tr("Unsaved changes"),
        QObject::tr("%1 has unsaved changes. Save them?").arg(documentName),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return SaveChoice::Save;
    if (answer == QMessageBox::Discard) return SaveChoice::Discard;
    return SaveChoice::Cancel;
}

Prompter::RunChoice Prompter::askStopRun(QWidget* parent, const QString& doing) {
    QMessageBox box(QMessageBox::Warning, QObject::tr("Training in progress"),
                    QObject::tr("A training run is in progress. Stop it to %1?").arg(doing),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(
        QObject::tr("Stopping keeps the weights reached so far in the project (save them "
                    "next); discarding the run forgets them."));
    QPushButton* keep =
        box.addButton(QObject::tr("Stop and Keep the Weights"), QMessageBox::AcceptRole);
    QPushButton* discard =
        box.addButton(QObject::tr("Discard the Run"), QMessageBox::DestructiveRole);
    QPushButton* cont = box.addButton(QObject::tr("Keep Training"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setEscapeButton(cont);
    box.exec();
    if (box.clickedButton() == keep) return RunChoice::StopAndKeep;
    if (box.clickedButton() == discard) return RunChoice::Discard;
    return RunChoice::KeepTraining;
}

bool Prompter::askYesNo(QWidget* parent, const QString& title, const QString& text) {
    return QMessageBox::question(parent, title, text, QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::Yes) == QMessageBox::Yes;
}

void Prompter::showError(QWidget* parent, const QString& title, const QString& text) {
    QMessageBox::critical(parent, title, text);
}

QString Prompter::askOpenFile(QWidget* parent, const QString& title, const QString& dir,
                              const QString& filter) {
    return QFileDialog::getOpenFileName(parent, title, dir, filter);
}

QString Prompter::askSaveFile(QWidget* parent, const QString& title, const QString& suggested,
                              const QString& filter) {
    return QFileDialog::getSaveFileName(parent, title, suggested, filter);
}

namespace {
Prompter* g_custom = nullptr;
}

Prompter& prompter() {
    static Prompter standard;
    return g_custom ? *g_custom : standard;
}

void setPrompter(Prompter* p) {
    g_custom = p;
}

}  // namespace netloom::ui
