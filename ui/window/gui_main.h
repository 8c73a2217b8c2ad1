#pragma once
// Entry point of the graphical editor, called by app/main.cpp.
#include <QString>

namespace netloom::ui {

// Creates the QApplication, the main window, opens fileToOpen (else the last project, or a
// blank one, offering autosaved work), and runs the event loop. Returns the exit code.
int runGui(int argc, char** argv, const QString& fileToOpen);

}  // namespace netloom::ui
