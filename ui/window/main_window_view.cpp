// MainWindow's view of itself: the first size, the dock layout (default, saved, restored), docks
// brought to the front when they have something to show, and View ▸ Theme.
#include <QAction>
#include <QActionGroup>
#include <QDesktopServices>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QShowEvent>
#include <QStyle>
#include <QUrl>
#include <algorithm>

#include "engine/core/compute.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/style.h"
#include "ui/widgets/theme.h"
#include "ui/window/main_window.h"
#include "ui/window/shortcuts_dialog.h"

namespace netloom::ui {

namespace {
struct SchemeAction {
    const char* name;
    const char* text;
    ColorScheme scheme;
};
constexpr SchemeAction kSchemeActions[] = {
    {"themeSystem", QT_TRANSLATE_NOOP("netloom::ui::MainWindow", "&System"), ColorScheme::System},
    {"themeLight", QT_TRANSLATE_NOOP("netloom::ui::MainWindow", "&Light"), ColorScheme::Light},
    {"themeDark", QT_TRANSLATE_NOOP("netloom::ui::MainWindow", "&Dark"), ColorScheme::Dark},
};
}  // namespace

QSize MainWindow::firstStartSize() const {
    // Roomy on a large screen, never beyond 90 % of a small one (1366×768 laptops).
    QSize size(1400, 860);
    if (const QScreen* s = screen() ? screen() : QGuiApplication::primaryScreen()) {
        const QSize available = s->availableGeometry().size();
        size = size.boundedTo(QSize(available.width() * 9 / 10, available.height() * 9 / 10));
    }
    return size;
}

void MainWindow::showEvent(QShowEvent* event) {
    // Before the first show every dock exists (installTraining adds its own after the
    // constructor), so this is where a saved layout can place them all.
    if (!m_layoutRestored) {
        m_layoutRestored = true;
        restoreLayout();
        themeCharts(this);
    }
    QMainWindow::showEvent(event);
}

void MainWindow::restoreLayout() {
    const QByteArray state = QSettings().value("window/state").toByteArray();
    if (state.isEmpty() || !restoreState(state, kLayoutVersion)) applyDefaultLayout();
}

void MainWindow::applyDefaultLayout() {
    // In front of their tab groups: what a user editing the graph needs.
    for (QDockWidget* dock : {m_inspectorDock, m_problemsDock}) raiseTab(dock);
    const int h = height();
    // The right column as wide as the training settings want (their combos whole, beside a
    // vertical scroll bar), within a third of the window.
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    const int right = std::clamp(m_training->sizeHint().width() + scrollBar + 12, 340,
                                 std::max(340, width() / 3));
    if (auto* palette = findChild<QDockWidget*>("paletteDock"))
        resizeDocks({palette, m_inspectorDock}, {200, right}, Qt::Horizontal);
    // A short bottom row (problems are a line or two; a run enlarges the training panel), and a
    // right column where the settings come first: at 1000 pixels the common ones show without
    // scrolling, and the summary table scrolls below them.
    const int bottom = std::clamp(h / 9, 110, 130);
    const int column = std::max(200, h - bottom - 120);  // less menu, tool and status bars
    resizeDocks({m_problemsDock}, {bottom}, Qt::Vertical);
    resizeDocks({m_inspectorDock, m_summaryDock}, {column * 64 / 100, column * 36 / 100},
                Qt::Vertical);
}

void MainWindow::raiseTab(QDockWidget* dock) {
    // (Tabs behind others are moved out of sight, not hidden: hidden means closed.)
    if (!dock || dock->isHidden() || dock->isFloating()) return;
    if (tabifiedDockWidgets(dock).isEmpty()) return;
    dock->raise();
}

void MainWindow::createThemeMenu() {
    QMenu* menu = m_viewMenu->addMenu(tr("&Theme"));
    menu->setObjectName("themeMenu");
    auto* group = new QActionGroup(menu);
    for (const SchemeAction& s : kSchemeActions) {
        QAction* a = menu->addAction(tr(s.text));
        a->setObjectName(s.name);
        a->setCheckable(true);
        a->setChecked(s.scheme == savedColorScheme());
        group->addAction(a);
        const ColorScheme scheme = s.scheme;
        connect(a, &QAction::triggered, this, [scheme] { setColorScheme(scheme); });
    }
    action("themeSystem")->setStatusTip(tr("Follow the light or dark colours of the desktop"));
}

bool MainWindow::event(QEvent* event) {
    const bool handled = QMainWindow::event(event);
    // The desktop's theme changed (its palette change, if any, reaches PaletteWatcher).
    if (event->type() == QEvent::ThemeChange) followPaletteChange();
    return handled;
}

void MainWindow::onPaletteChanged() {
    if (!m_doc->analysis().ok())  // errorColor() depends on the palette
        m_graphStatus->setStyleSheet(QString("color:%1").arg(errorColor().name()));
    for (const SchemeAction& s : kSchemeActions)
        if (QAction* a = action(s.name)) a->setChecked(s.scheme == currentColorScheme());
}

QString MainWindow::aboutText() {
    return tr("<h3>NetLoom %1</h3>"
              "<p>Build neural networks by drag and drop, train them live on the CPU.</p>"
              "<p>Qt %2 · oneDNN %3</p>")
        .arg(QStringLiteral(NETLOOM_VERSION), QString::fromLatin1(qVersion()),
             QString::fromStdString(engine::computeLibraryVersion()));
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About NetLoom"), aboutText());
}

void MainWindow::showShortcuts() {
    if (auto* open = findChild<ShortcutsDialog*>()) {
        open->raise();
        return;
    }
    auto* dialog = new ShortcutsDialog(menuBar(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();  // modeless: the keys stay in view while trying them
}

void MainWindow::openDocumentation() {
    const QString dir = documentationDir();
    if (dir.isEmpty()) {
        showShortcuts();  // says where the documentation lives
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(dir + "/docs"));
}

}  // namespace netloom::ui
