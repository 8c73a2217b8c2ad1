#include "ui/window/gui_main.h"

#include <QApplication>
#include <QFileInfo>
#include <QIcon>

#include "ui/window/gui_bench.h"
#include "ui/window/main_window.h"
#include "ui/widgets/style.h"
#include "ui/training/training_dock.h"

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
