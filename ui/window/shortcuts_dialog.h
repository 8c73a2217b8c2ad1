#pragma once
// Help ▸ Keyboard Shortcuts: every menu action that has keys, by menu, read from the menus
// themselves (so the list cannot drift from the program), and a link to the documentation.
#include <QDialog>
#include <QList>
#include <QString>

class QMenuBar;

namespace netloom::ui {

struct ShortcutRow {
    QString menu;    // "Edit", "Train"
    QString action;  // "Duplicate"
    QString keys;    // "Ctrl+D", several separated by ", "
};

// The menu bar's actions with shortcuts, in menu order (submenus included, each action once).
QList<ShortcutRow> shortcutRows(const QMenuBar* menuBar);

// The documentation of this installation or source tree: the folder holding README.md and
// docs/ (empty when none is found).
QString documentationDir();

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    ShortcutsDialog(const QMenuBar* menuBar, QWidget* parent = nullptr);
};

}  // namespace netloom::ui
