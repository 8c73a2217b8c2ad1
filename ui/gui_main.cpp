#include "ui/gui_main.h"

#include <QApplication>
#include <QFileInfo>
#include <QIcon>

#include "ui/gui_bench.h"
#include "ui/main_window.h"
#include "ui/style.h"
#include "ui/training_dock.h"

namespace netloom::ui {

int runGui(int argc, char** argv, const QString& fileToOpen) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("NetLoom");
    QApplication::setOrganizationDomain("netloom.org");
    QApplication::setApplicationName("NetLoom");
    QApplication::setApplicationDisplayName("NetLoom");
    QApplication::setApplicationVersion(NETLOOM_VERSION);
    QApplication::setDesktopFileName("netloom");
    QApplication::setWindowIcon(actionIcon("netloom"));

    MainWindow window;
    TrainingPanel* panel = installTraining(&window);
    window.show();
    window.startup(fileToOpen.isEmpty() ? QString() : QFileInfo(fileToOpen).absoluteFilePath());
    startGuiBenchmarkIfRequested(&window, panel);
    return app.exec();
}

}  // namespace netloom::ui
