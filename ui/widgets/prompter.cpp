#include "ui/widgets/prompter.h"

#include <QFileDialog>
#include <QMessageBox>

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
