// The main window as a whole, with the training docks installed as the program does: its dock
// layout survives a restart, the panel a user needs comes to the front (the inspector for a
// picked node, the problems for a graph an edit broke), it fits a 1366×768 laptop screen, and
// View ▸ Theme switches light and dark at runtime, canvas and charts included.
#include <QDockWidget>
#include <QHash>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtCharts/QChartView>
#include <QtCharts/QXYSeries>
#include <QtTest>

#include "engine/core/compute.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/training/gan_training_controller.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/widgets/summary_widget.h"
#include "ui/widgets/theme.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

QDockWidget* dock(const MainWindow& w, const char* name) {
    return w.findChild<QDockWidget*>(name);
}

// The dock is the one shown in its place (the front tab of its group), not merely open.
bool inFront(QDockWidget* d) {
    return d && d->isVisible() && !d->visibleRegion().isEmpty();
}

// The most frequent colour of a picture: the background of the canvas.
QColor dominantColour(const QImage& image) {
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) ++counts[image.pixel(x, y)];
    QRgb best = 0;
    int most = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > most) best = it.key(), most = it.value();
    return QColor::fromRgb(best);
}

// A valid network (the sample without its loose Dropout).
void loadValidProject(MainWindow& w) {
    engine::Project p = test::sampleProject();
    p.model().graph.removeNode("n6");
    p.model().layout.erase("n6");
    w.document()->reset(std::move(p));
}

}  // namespace

class TestWindow : public QObject, public test::PrompterFixture {
    Q_OBJECT

    static bool fitsWithoutScrolling(const QScrollArea* area) {
        return !area->verticalScrollBar()->isVisible() && !area->horizontalScrollBar()->isVisible();
    }
    static QString scrollReport(const QScrollArea* area) {
        return QString("dock %1×%2, content needs %3×%4")
            .arg(area->viewport()->width())
            .arg(area->viewport()->height())
            .arg(area->widget()->minimumSizeHint().width())
            .arg(area->widget()->minimumSizeHint().height());
    }

    std::unique_ptr<MainWindow> shownWindow(QSize size = {1300, 800}) {
        auto w = std::make_unique<MainWindow>();
        installTraining(w.get());
        w->resize(size);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get())) return nullptr;
        return w;
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() {
        QSettings().remove("window");
        QSettings().remove("view");
    }

    void dockLayoutIsRemembered() {
        {
            auto w = shownWindow();
            QVERIFY(w);
            // Docks that installTraining adds after the window's constructor, moved and closed.
            w->addDockWidget(Qt::LeftDockWidgetArea, dock(*w, "tryItDock"));
            dock(*w, "trainingRunDock")->close();
            dock(*w, "historyDock")->show();
            dock(*w, "historyDock")->setFloating(true);
            QVERIFY(w->close());  // saves the layout, like quitting
        }
        auto w = shownWindow();
        QVERIFY(w);
        QCOMPARE(w->dockWidgetArea(dock(*w, "tryItDock")), Qt::LeftDockWidgetArea);
        QVERIFY(dock(*w, "trainingRunDock")->isHidden());
        QVERIFY(!dock(*w, "historyDock")->isHidden());
        QVERIFY(dock(*w, "historyDock")->isFloating());
        QVERIFY(inFront(dock(*w, "inspectorDock")));
    }

    void layoutsOfAnotherVersionAreIgnored() {
        {
            auto w = shownWindow();
            QVERIFY(w);
            dock(*w, "tryItDock")->raise();
            dock(*w, "paletteDock")->close();
            QSettings().setValue("window/state", w->saveState(MainWindow::kLayoutVersion - 1));
        }
        auto w = shownWindow();
        QVERIFY(w);
        QVERIFY(!dock(*w, "paletteDock")->isHidden());
        QVERIFY(inFront(dock(*w, "inspectorDock")));
    }

    void defaultLayoutShowsInspectorAndProblems() {
        auto w = shownWindow();
        QVERIFY(w);
        QVERIFY(inFront(dock(*w, "inspectorDock")));
        QVERIFY(inFront(dock(*w, "problemsDock")));
        QVERIFY(inFront(dock(*w, "summaryDock")));
        QVERIFY(!inFront(dock(*w, "tryItDock")));
        QVERIFY(!inFront(dock(*w, "trainingRunDock")));
    }

    void pickingANodeShowsTheInspector() {
        auto w = shownWindow();
        QVERIFY(w);
        loadValidProject(*w);
        QDockWidget* inspector = dock(*w, "inspectorDock");
        QDockWidget* tryIt = dock(*w, "tryItDock");
        tryIt->raise();
        QVERIFY(inFront(tryIt));
        QVERIFY(!inFront(inspector));
        w->view()->setFocus();
        w->scene()->selectNodes({"n3"});
        QVERIFY(inFront(inspector));
        QVERIFY(!inFront(tryIt));
        QCOMPARE(w->focusWidget(), static_cast<QWidget*>(w->view()));  // focus stays
        // Clearing the selection leaves whatever is in front alone.
        tryIt->raise();
        w->scene()->clearSelection();
        QVERIFY(inFront(tryIt));
        // A closed inspector stays closed.
        inspector->close();
        w->scene()->selectNodes({"n4"});
        QVERIFY(inspector->isHidden());
        QVERIFY(inFront(tryIt));
    }

    void breakingTheGraphShowsTheProblems() {
        auto w = shownWindow();
        QVERIFY(w);
        loadValidProject(*w);
        QVERIFY(w->document()->analysis().ok());
        QDockWidget* problems = dock(*w, "problemsDock");
        QDockWidget* training = dock(*w, "trainingRunDock");
        training->raise();
        QVERIFY(inFront(training));
        w->view()->setFocus();
        // A harmless edit leaves the training panel in front.
        w->document()->undoStack()->push(new RenameCommand(w->document(), "n3", "hidden"));
        QVERIFY(inFront(training));
        // Deleting the Flatten breaks the graph: the problems come to the front.
        w->document()->undoStack()->push(new DeleteCommand(w->document(), {"n2"}, {}));
        QVERIFY(!w->document()->analysis().ok());
        QVERIFY(inFront(problems));
        QVERIFY(!inFront(training));
        QCOMPARE(w->focusWidget(), static_cast<QWidget*>(w->view()));
        // Further edits of a broken graph do not pull them forward again and again.
        training->raise();
        w->document()->undoStack()->push(new RenameCommand(w->document(), "n3", "still"));
        QVERIFY(inFront(training));
        // Undo makes it valid, redo breaks it again.
        w->document()->undoStack()->undo();
        w->document()->undoStack()->undo();
        QVERIFY(w->document()->analysis().ok());
        w->document()->undoStack()->redo();
        QVERIFY(inFront(problems));
        w->document()->undoStack()->setClean();
    }

    void windowFitsASmallScreen() {
        auto w = std::make_unique<MainWindow>();
        installTraining(w.get());
        // First start: at most 90 % of the screen.
        const QSize available = w->screen()->availableGeometry().size();
        QVERIFY(w->width() <= available.width() * 9 / 10);
        QVERIFY(w->height() <= available.height() * 9 / 10);
        // Whatever the screen, the window can be as small as a 1366×768 laptop's desktop.
        loadValidProject(*w);
        const QSize min = w->minimumSizeHint();
        QVERIFY2(min.width() <= 1366 && min.height() <= 740,
                 qPrintable(QString("minimum size %1×%2").arg(min.width()).arg(min.height())));
        // At that size the model summary shows several layers, not two.
        w->resize(1366, 740);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        QCOMPARE(w->size(), QSize(1366, 740));
        auto* table = w->summary()->findChild<QTreeWidget*>();
        QVERIFY(table && table->topLevelItemCount() >= 5);
        const int row = table->visualItemRect(table->topLevelItem(0)).height();
        QVERIFY(row > 0);
        QVERIFY2(table->viewport()->height() >= 3 * row,
                 qPrintable(
                     QString("%1 px for rows of %2 px").arg(table->viewport()->height()).arg(row)));
        w->document()->undoStack()->setClean();
    }

    // Pressing Train on a 1366×768 laptop (the window at 90 % of its desktop) shows the whole
    // training panel: the dock neither scrolls nor cuts the charts.
    // (The project holds trained weights for fc1 only: fc2 starts fresh and the panel says so.)
    void trainingPanelFitsASmallScreen() {
        auto w = shownWindow({1229, 691});
        QVERIFY(w);
        loadValidProject(*w);
        engine::TrainingConfig c = w->document()->training();
        c.dataset.limitTrain = 128;
        c.dataset.limitTest = 64;
        c.epochs = 1;
        w->document()->setTraining(c);
        auto* controller = w->document()->findChild<TrainingController*>();
        QVERIFY(controller);
        QSignalSpy finished(controller, &TrainingController::finished);
        QSignalSpy failed(controller, &TrainingController::failed);
        auto* panel = w->findChild<TrainingPanel*>();
        QVERIFY(panel);
        QString statusAtStart;  // connected after the panel: its status is set by then
        connect(controller, &TrainingController::runStarted, this,
                [&] { statusAtStart = panel->statusText(); });
        w->action("train")->trigger();
        auto* dock = w->findChild<QDockWidget*>("trainingRunDock");
        QVERIFY(dock);
        auto* area = qobject_cast<QScrollArea*>(dock->widget());
        QVERIFY(area);
        QTRY_VERIFY(area->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() == 1, 60000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY2(statusAtStart.contains("fc2 starts from fresh weights"),
                 qPrintable(statusAtStart));
        QApplication::processEvents();
        QVERIFY2(fitsWithoutScrolling(area), qPrintable(scrollReport(area)));
        w->document()->undoStack()->setClean();
    }

    // The same for a GAN project, whose panel (samples, latent walk) is the taller one.
    void ganPanelFitsASmallScreen() {
        auto w = shownWindow({1229, 691});
        QVERIFY(w);
        QVERIFY(w->openFile(QString::fromStdString(test::sampleFile("fashion-gan.netloom"))));
        engine::TrainingConfig c = w->document()->training();
        c.dataset.limitTrain = 256;
        c.dataset.limitTest = 64;
        c.epochs = 1;
        c.gan.iterationsPerEpoch = 3;
        w->document()->setTraining(c);
        auto* controller = w->document()->findChild<GanTrainingController*>();
        QVERIFY(controller);
        QSignalSpy finished(controller, &GanTrainingController::finished);
        QSignalSpy failed(controller, &GanTrainingController::failed);
        w->action("train")->trigger();
        auto* area =
            qobject_cast<QScrollArea*>(w->findChild<QDockWidget*>("trainingRunDock")->widget());
        QVERIFY(area);
        QTRY_VERIFY(area->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() == 1, 60000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QApplication::processEvents();
        QVERIFY2(fitsWithoutScrolling(area), qPrintable(scrollReport(area)));
        w->document()->undoStack()->setClean();
    }

    void themeSwitchesAtRuntime() {
        auto w = shownWindow();
        QVERIFY(w);
        loadValidProject(*w);
        QVERIFY(w->action("themeSystem")->isChecked());
        auto canvas = [&] { return dominantColour(w->view()->viewport()->grab().toImage()); };
        const QList<QChartView*> charts = w->findChildren<QChartView*>();
        QVERIFY(!charts.isEmpty());
        auto chart = [&] { return charts.front()->chart()->backgroundBrush().color(); };
        // The colours the panels gave their curves.
        QList<QColor> curves;
        for (QChartView* v : charts)
            for (QAbstractSeries* s : v->chart()->series())
                if (auto* xy = qobject_cast<QXYSeries*>(s)) curves << xy->pen().color();
        auto curvesNow = [&] {
            QList<QColor> now;
            for (QChartView* v : charts)
                for (QAbstractSeries* s : v->chart()->series())
                    if (auto* xy = qobject_cast<QXYSeries*>(s)) now << xy->pen().color();
            return now;
        };
        const QColor system = canvas();
        QVERIFY(system.lightness() > 150);  // offscreen: the platform palette is light

        w->action("themeDark")->trigger();
        QCOMPARE(currentColorScheme(), ColorScheme::Dark);
        QCOMPARE(QSettings().value("view/colorScheme").toString(), QString("dark"));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QVERIFY2(canvas().lightness() < 60, qPrintable(canvas().name()));
        QVERIFY2(chart().lightness() < 60, qPrintable(chart().name()));
        QCOMPARE(curvesNow(), curves);
        {
            MainWindow another;  // remembered
            QVERIFY(another.action("themeDark")->isChecked());
            QVERIFY(!another.action("themeSystem")->isChecked());
        }

        w->action("themeLight")->trigger();
        QCOMPARE(QSettings().value("view/colorScheme").toString(), QString("light"));
        QVERIFY(canvas().lightness() > 200);
        QVERIFY(chart().lightness() > 200);
        QCOMPARE(curvesNow(), curves);

        w->action("themeSystem")->trigger();
        QCOMPARE(canvas(), system);

        // System follows the platform: the desktop turning dark changes the application palette.
        QApplication::setPalette(darkPalette());
        QVERIFY(canvas().lightness() < 60);
        QVERIFY(chart().lightness() < 60);
        QVERIFY(w->action("themeSystem")->isChecked());
        QApplication::setPalette(QPalette());
        QCOMPARE(canvas(), system);
        QVERIFY(chart().lightness() > 200);
        w->document()->undoStack()->setClean();
    }

    void helpAboutNamesTheVersions() {
        MainWindow w;
        QAction* about = w.action("about");
        QVERIFY(about);
        QVERIFY(!about->text().isEmpty());
        const QString text = MainWindow::aboutText();
        QVERIFY2(text.contains(QStringLiteral("NetLoom " NETLOOM_VERSION)), qPrintable(text));
        QVERIFY2(text.contains(QString("Qt %1").arg(qVersion())), qPrintable(text));
        // The version oneDNN itself reports, through the engine (the UI never includes it).
        const QString version = QString::fromStdString(engine::computeLibraryVersion());
        QVERIFY2(version.count('.') == 2 && version.front().isDigit(), qPrintable(version));
        QVERIFY2(text.contains("oneDNN " + version), qPrintable(text));
    }
};

QTEST_MAIN(TestWindow)
#include "test_window.moc"
