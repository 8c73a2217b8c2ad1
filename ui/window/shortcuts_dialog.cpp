#include "ui/window/shortcuts_dialog.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace netloom::ui {

namespace {

QString plain(QString text) {
    return text.remove('&').remove(QStringLiteral("…")).trimmed();
}

void collect(const QMenu* menu, const QString& path, QList<ShortcutRow>& rows,
             QSet<const QAction*>& seen) {
    for (QAction* a : menu->actions()) {
        if (a->isSeparator()) continue;
        if (a->menu()) {
            collect(a->menu(), path + QStringLiteral(" ▸ ") + plain(a->text()), rows, seen);
            continue;
        }
        if (a->shortcuts().isEmpty() || seen.contains(a)) continue;
        seen.insert(a);
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
        rows.push_back({path, plain(a->text()), keys.join(", ")});
    }
}

}  // namespace

QList<ShortcutRow> shortcutRows(const QMenuBar* menuBar) {
    QList<ShortcutRow> rows;
    QSet<const QAction*> seen;
    for (QAction* top : menuBar->actions())
        if (top->menu()) collect(top->menu(), plain(top->text()), rows, seen);
    return rows;
}

QString documentationDir() {
    QStringList candidates;
    const QString exe = QCoreApplication::applicationDirPath();
    if (!exe.isEmpty())
        candidates << exe + "/../share/doc/netloom" << exe + "/.." << exe + "/../..";
    const QString env = qEnvironmentVariable("NETLOOM_SOURCE_DIR");
    if (!env.isEmpty()) candidates << env;
#ifdef NETLOOM_UI_SOURCE_DIR
    candidates << QString(NETLOOM_UI_SOURCE_DIR);
#endif
    for (const QString& c : candidates)
        if (QFileInfo::exists(c + "/README.md") && QFileInfo(c + "/docs").isDir())
            return QFileInfo(c).canonicalFilePath();
    return {};
}

ShortcutsDialog::ShortcutsDialog(const QMenuBar* menuBar, QWidget* parent) : QDialog(parent) {
    setObjectName("shortcutsDialog");
    setWindowTitle(tr("Keyboard Shortcuts"));
    const QList<ShortcutRow> rows = shortcutRows(menuBar);
    auto* table = new QTableWidget(static_cast<int>(rows.size()), 3, this);
    table->setObjectName("shortcutsTable");
    table->setHorizontalHeaderLabels({tr("Menu"), tr("Command"), tr("Keys")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].menu));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].action));
        table->setItem(i, 2, new QTableWidgetItem(rows[i].keys));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);

    auto* canvas = new QLabel(
        tr("On the canvas: drag from an output port to an input port to connect; the mouse "
           "wheel zooms; drag the background to pan; double-click a palette entry to add it."),
        this);
    canvas->setWordWrap(true);
    auto* docs = new QLabel(this);
    docs->setObjectName("documentationLink");
    const QString dir = documentationDir();
    if (dir.isEmpty()) {
        docs->setText(tr("The documentation is the README and the docs/ folder of the source."));
    } else {
        docs->setText(
            tr("Documentation: <a href=\"%1\">README</a> · <a href=\"%2\">docs/ folder</a> "
               "(architecture, settings, project format, performance)")
                .arg(QUrl::fromLocalFile(dir + "/README.md").toString(),
                     QUrl::fromLocalFile(dir + "/docs").toString()));
        docs->setOpenExternalLinks(true);
    }
    docs->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table, 1);
    layout->addWidget(canvas);
    layout->addWidget(docs);
    layout->addWidget(buttons);
    resize(560, 520);
}

}  // namespace netloom::ui
