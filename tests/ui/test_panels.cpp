// The side panels: problems list (and clicking a problem), Train action state, inspector edits
// as undo commands (and refusals), model summary numbers, training settings.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QStatusBar>
#include <QTreeWidget>
#include <QtTest>

#include "engine/io/project_io.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/commands/structure_commands.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/widgets/problems_widget.h"
#include "ui/widgets/summary_widget.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

// Input 1×28×28 → Dense: Dense needs a flat input, so the graph is broken at "fc".
engine::Project brokenProject() {
    engine::Project p;
    engine::Params in;
    in.set("shape", std::string("1,28,28"));
    p.model().graph.addNode({"n1", "Input", "image", in});
    p.model().graph.addNode({"n2", "Dense", "fc", {}});
    p.model().graph.connect({"n1", 0, "n2", 0});
    p.model().layout["n1"] = {0, 0, ""};
    p.model().layout["n2"] = {600, 400, ""};
    return p;
}

}  // namespace

class TestPanels : public QObject, public test::WindowFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() { QVERIFY(openWindow()); }
    void cleanup() { closeWindow(); }

    void problemsListShowsBrokenGraphAndSelectsNode() {
        doc()->reset(brokenProject());
        QListWidget* list = m_window->problems()->list();
        QCOMPARE(m_window->problems()->count(), 1);
        QVERIFY2(list->item(0)->text().contains("flat input"), qPrintable(list->item(0)->text()));
        QVERIFY(list->item(0)->text().contains("'fc'"));
        // The node is drawn in error with the message as tooltip.
        QVERIFY(m_window->scene()->nodeItem("n2")->toolTip().contains("insert Flatten"));
        // Train is disabled and says why.
        QAction* train = m_window->action("train");
        QVERIFY(!train->isEnabled());
        QVERIFY(train->toolTip().contains("flat input"));

        // Click the problem: the node is selected, centred and in the inspector.
        m_window->view()->centerOn(-2000, -2000);
        const QRect r = list->visualItemRect(list->item(0));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, r.center());
        QCOMPARE(m_window->scene()->selectedNodeIds(), std::vector<std::string>{"n2"});
        QCOMPARE(m_window->inspector()->nodeId(), std::string("n2"));
        const QRectF visible =
            m_window->view()->mapToScene(m_window->view()->viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(m_window->scene()->nodeItem("n2")->sceneBoundingRect().center()));
    }

    void graphLevelProblemsAreListed() {
        doc()->reset(engine::Project{});
        QCOMPARE(m_window->problems()->count(), 1);
        QVERIFY(m_window->problems()->list()->item(0)->text().contains("empty"));
        QVERIFY(!m_window->action("train")->isEnabled());
    }

    void fixingTheGraphEnablesTrain() {
        doc()->reset(test::sampleProject());  // has a loose Dropout: two outputs
        QVERIFY(!m_window->action("train")->isEnabled());
        m_window->scene()->selectNodes({"n6"});
        m_window->action("delete")->trigger();
        QCOMPARE(m_window->problems()->count(), 0);
        QVERIFY(m_window->action("train")->isEnabled());
        QSignalSpy spy(m_window.get(), &MainWindow::trainRequested);
        m_window->action("train")->trigger();
        QCOMPARE(spy.count(), 1);
    }

    void inspectorEditPushesUndoableCommand() {
        doc()->reset(test::sampleProject());
        m_window->scene()->selectNodes({"n3"});
        InspectorWidget* inspector = m_window->inspector();
        QCOMPARE(inspector->nodeId(), std::string("n3"));
        auto* units = qobject_cast<QSpinBox*>(inspector->editor("units"));
        QVERIFY(units);
        QCOMPARE(units->value(), 64);
        QCOMPARE(units->minimum(), 1);
        QCOMPARE(units->maximum(), 65536);
        units->setValue(32);
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(doc()->graph().node("n3").params.getInt("units"), int64_t(32));
        QCOMPARE(doc()->nodeAnalysis("n3")->output, engine::Shape{32});
        auto* bias = qobject_cast<QCheckBox*>(inspector->editor("use_bias"));
        QVERIFY(bias);
        QVERIFY(bias->isChecked());
        bias->click();
        QCOMPARE(doc()->undoStack()->count(), 2);
        QCOMPARE(doc()->graph().node("n3").params.getBool("use_bias"), false);
        m_window->action("undo")->trigger();
        m_window->action("undo")->trigger();
        QCOMPARE(doc()->graph().node("n3").params.getInt("units"), int64_t(64));
        QCOMPARE(units->value(), 64);  // the editor follows the document
        QVERIFY(bias->isChecked());
    }

    void inspectorRefusesInvalidValues() {
        doc()->reset(test::sampleProject());
        m_window->scene()->selectNodes({"n1"});
        InspectorWidget* inspector = m_window->inspector();
        auto* shape = qobject_cast<QLineEdit*>(inspector->editor("shape"));
        QVERIFY(shape);
        QCOMPARE(shape->text(), QString("1,28,28"));
        shape->setText("1,zero,28");
        emit shape->editingFinished();
        QVERIFY(!inspector->message().isEmpty());
        QCOMPARE(shape->text(), QString("1,28,28"));
        QCOMPARE(doc()->undoStack()->count(), 0);
        shape->setText("3,32,32");
        emit shape->editingFinished();
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(doc()->nodeAnalysis("n1")->output, (engine::Shape{3, 32, 32}));
        QVERIFY(inspector->message().isEmpty());

        // A duplicate name is refused with a message and the field is restored.
        inspector->nameEdit()->setText("fc1");
        emit inspector->nameEdit()->editingFinished();
        QVERIFY(inspector->message().contains("already called"));
        QCOMPARE(inspector->nameEdit()->text(), QString("image"));
        QCOMPARE(doc()->graph().node("n1").name, std::string("image"));
    }

    // Typed like a user: select the text, type, press Enter (or leave the field). A value out of
    // range or not a number is refused with a message naming the parameter and its range; the
    // old value stays and nothing is pushed.
    void inspectorRefusesNumbersOutOfRange_data() {
        QTest::addColumn<QString>("node");  // "n3": Dense fc1 (units 64); "n6": Dropout (0.5)
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("focusOut");  // end by leaving the field instead of Enter
        QTest::addColumn<QString>("expected");
        QTest::newRow("integer too low")
            << "n3"
            << "units"
            << "0" << false << "Units must be between 1 and 65536, got 0 — kept 64.";
        QTest::newRow("integer too high")
            << "n3"
            << "units"
            << "999999" << false << "Units must be between 1 and 65536, got 999999 — kept 64.";
        QTest::newRow("integer too high, focus out")
            << "n3"
            << "units"
            << "70000" << true << "Units must be between 1 and 65536, got 70000 — kept 64.";
        QTest::newRow("integer malformed")
            << "n3"
            << "units"
            << "12a" << false
            << "Units must be a whole number between 1 and 65536, got '12a' — kept 64.";
        QTest::newRow("real too low")
            << "n6"
            << "rate"
            << "-0.2" << false << "Rate must be between 0 and 0.95, got -0.2 — kept 0.5.";
        QTest::newRow("real too high")
            << "n6"
            << "rate"
            << "1.5" << true << "Rate must be between 0 and 0.95, got 1.5 — kept 0.5.";
        QTest::newRow("real malformed")
            << "n6"
            << "rate"
            << "half" << false
            << "Rate must be a number between 0 and 0.95, got 'half' — kept 0.5.";
    }
    void inspectorRefusesNumbersOutOfRange() {
        QFETCH(QString, node);
        QFETCH(QString, param);
        QFETCH(QString, typed);
        QFETCH(bool, focusOut);
        QFETCH(QString, expected);
        doc()->reset(test::sampleProject());
        m_window->scene()->selectNodes({node.toStdString()});
        InspectorWidget* inspector = m_window->inspector();
        auto* box = qobject_cast<QAbstractSpinBox*>(inspector->editor(param.toStdString()));
        QVERIFY(box);
        const std::string before = doc()->serialize();
        const QString shownBefore = box->text();
        QLabel* message = inspector->messageLabel();
        QVERIFY(message);
        QTRY_VERIFY(box->isVisible());  // the new form shows on the next event loop turn
        QVERIFY(!message->isVisible());

        m_window->activateWindow();
        box->setFocus();
        box->selectAll();
        QTest::keyClicks(box, typed);
        QCOMPARE(box->text(), typed);  // nothing typed was swallowed
        if (focusOut)
            m_window->view()->setFocus();  // a real focus change: the box loses focus
        else
            QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(inspector->message(), expected);
        QVERIFY(message->isVisible());
        QCOMPARE(box->text(), shownBefore);
        QCOMPARE(doc()->serialize(), before);
        QCOMPARE(doc()->undoStack()->count(), 0);

        // A valid value then goes through and clears the message.
        box->setFocus();
        box->selectAll();
        QTest::keyClicks(box, param == "units" ? "32" : "0.25");
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(doc()->undoStack()->count(), 1);
        QVERIFY(inspector->message().isEmpty());
        QVERIFY(!message->isVisible());
        if (param == "units")
            QCOMPARE(doc()->graph().node("n3").params.getInt("units"), int64_t(32));
        else
            QCOMPARE(doc()->graph().node("n6").params.getFloat("rate"), 0.25);
    }

    void inspectorGeneratesEditorsFromSchema() {
        doc()->reset(test::sampleProject());
        doc()->undoStack()->push(new AddNodeCommand(doc(), "Conv2D", {0, 300}));
        const std::string id = doc()->graph().nodes().back().id;
        m_window->scene()->selectNodes({id});
        auto* padding = qobject_cast<QComboBox*>(m_window->inspector()->editor("padding"));
        QVERIFY(padding);
        QCOMPARE(padding->count(), 3);  // same, valid, explicit
        padding->setCurrentIndex(padding->findText("valid"));
        emit padding->activated(padding->currentIndex());
        QCOMPARE(doc()->graph().node(id).params.getString("padding"), std::string("valid"));
        doc()->undoStack()->push(new AddNodeCommand(doc(), "Dropout", {0, 500}));
        m_window->scene()->selectNodes({doc()->graph().nodes().back().id});
        auto* rate = qobject_cast<QDoubleSpinBox*>(m_window->inspector()->editor("rate"));
        QVERIFY(rate);
        QCOMPARE(rate->maximum(), 0.95);
        rate->setValue(0.25);
        QCOMPARE(doc()->graph().nodes().back().params.getFloat("rate"), 0.25);
        // Several selected: no editors.
        m_window->scene()->selectNodes({"n1", "n2"});
        QVERIFY(m_window->inspector()->nodeId().empty());
        QVERIFY(!m_window->inspector()->editor("units"));
    }

    void summaryShowsPerLayerAndTotals() {
        doc()->reset(test::sampleProject());
        m_window->scene()->selectNodes({"n6"});
        m_window->action("delete")->trigger();
        QTreeWidget* table = m_window->summary()->table();
        QCOMPARE(table->topLevelItemCount(), 5);
        QCOMPARE(table->topLevelItem(2)->text(0), QString("fc1"));
        QCOMPARE(table->topLevelItem(2)->text(1), QString("64"));
        QCOMPARE(table->topLevelItem(2)->text(2), QString::number(784 * 64 + 64));
        const qint64 total = 784 * 64 + 64 + 64 * 10 + 10;
        QCOMPARE(doc()->analysis().totalParameters, total);
        QVERIFY2(m_window->summary()->totalsText().contains(QLocale().toString(total)),
                 qPrintable(m_window->summary()->totalsText()));
        const MemoryEstimate mem = estimateMemory(doc()->analysis(), 64);
        QCOMPARE(mem.parameterBytes, total * 4);
        QCOMPARE(mem.activationBytes, qint64(784 + 784 + 64 + 64 + 10) * 64 * 4);
    }

    // The training settings refuse typed numbers like the inspector does, with the message
    // under the field, and keep the old value.
    void trainingSettingsRefuseNumbersOutOfRange_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("valid");
        QTest::addColumn<QString>("expected");
        QTest::newRow("epochs too low") << "epochs"
                                        << "0"
                                        << "7"
                                        << "Epochs must be between 1 and 100000, got 0 — kept 5.";
        QTest::newRow("batch size malformed")
            << "batch_size"
            << "6x4"
            << "32"
            << "Batch size must be a whole number between 1 and 65536, got '6x4' — kept 64.";
        QTest::newRow("learning rate zero") << "lr"
                                            << "0"
                                            << "0.01"
                                            << "Learning rate must be > 0, got 0 — kept 0.001.";
    }
    void trainingSettingsRefuseNumbersOutOfRange() {
        QFETCH(QString, field);
        QFETCH(QString, typed);
        QFETCH(QString, valid);
        QFETCH(QString, expected);
        doc()->reset(test::sampleProject());
        TrainingSettingsWidget* settings = m_window->trainingSettings();
        auto* box = qobject_cast<QAbstractSpinBox*>(settings->editor(field));
        QVERIFY(box);
        const std::string before = doc()->serialize();
        const QString shownBefore = box->text();
        QVERIFY(settings->message().isEmpty());

        box->selectAll();
        QTest::keyClicks(box, typed);
        QCOMPARE(box->text(), typed);
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(settings->message(), expected);
        QCOMPARE(box->text(), shownBefore);
        QCOMPARE(doc()->serialize(), before);
        QCOMPARE(doc()->undoStack()->count(), 0);

        box->selectAll();
        QTest::keyClicks(box, valid);
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(doc()->undoStack()->count(), 1);
        QVERIFY(settings->message().isEmpty());
        QVERIFY(doc()->serialize() != before);
    }

    void trainingSettingsAreUndoable() {
        doc()->reset(test::sampleProject());
        TrainingSettingsWidget* settings = m_window->trainingSettings();
        auto* epochs = qobject_cast<QSpinBox*>(settings->editor("epochs"));
        QVERIFY(epochs);
        QCOMPARE(epochs->value(), 5);
        epochs->setValue(2);
        QCOMPARE(doc()->training().epochs, int64_t(2));
        auto* lr = qobject_cast<QDoubleSpinBox*>(settings->editor("lr"));
        lr->setValue(0.0002);
        QCOMPARE(doc()->training().optimizer.lr, 0.0002);
        auto* kind = qobject_cast<QComboBox*>(settings->editor("dataset.kind"));
        kind->setCurrentIndex(kind->findData("synthetic"));
        emit kind->activated(kind->currentIndex());
        QCOMPARE(doc()->training().dataset.kind, std::string("synthetic"));
        QCOMPARE(doc()->undoStack()->count(), 3);
        QCOMPARE(doc()->undoStack()->text(0), QString("Set epochs to 2"));
        QCOMPARE(doc()->undoStack()->text(1), QString("Set learning rate to 0.0002"));
        QCOMPARE(doc()->undoStack()->text(2), QString("Set dataset to Synthetic 2-D"));
        QVERIFY(m_window->isWindowModified());
        m_window->action("undo")->trigger();
        m_window->action("undo")->trigger();
        m_window->action("undo")->trigger();
        QCOMPARE(doc()->training(), engine::TrainingConfig{});
        QCOMPARE(epochs->value(), 5);
        QCOMPARE(lr->value(), 0.001);
        QVERIFY(!m_window->isWindowModified());
    }

    // A GAN project shows its adversarial settings and the discriminator's own optimizer; every
    // change is one undo step with a label that says whose setting changed.
    void ganSettingsEditBothOptimizers() {
        TrainingSettingsWidget* settings = m_window->trainingSettings();
        engine::Project gan = engine::loadProject(test::sampleFile("fashion-gan.netloom"));
        gan.training.gan.discriminatorOptimizer.reset();  // the sample names D's explicitly
        doc()->reset(gan);
        const engine::TrainingConfig original = doc()->training();
        QVERIFY(!original.gan.discriminatorOptimizer);
        auto* same = qobject_cast<QCheckBox*>(settings->editor("gan.discriminator_optimizer"));
        auto* dSteps = qobject_cast<QSpinBox*>(settings->editor("gan.d_steps"));
        QVERIFY(same && dSteps);
        QVERIFY(same->isChecked());
        QCOMPARE(dSteps->value(), 1);
        QVERIFY(dSteps->isVisibleTo(settings));
        QWidget* dLr = settings->editor("gan.discriminator_optimizer.lr");
        QVERIFY(dLr && !dLr->isVisibleTo(settings));  // "the same as the generator's"

        same->click();  // the discriminator gets its own optimizer, a copy of the generator's
        QVERIFY(doc()->training().gan.discriminatorOptimizer);
        QCOMPARE(*doc()->training().gan.discriminatorOptimizer, original.optimizer);
        QVERIFY(dLr->isVisibleTo(settings));
        qobject_cast<QDoubleSpinBox*>(dLr)->setValue(0.0001);
        QCOMPARE(doc()->training().gan.discriminatorOptimizer->lr, 0.0001);
        QCOMPARE(doc()->training().optimizer.lr, original.optimizer.lr);  // G's untouched
        dSteps->setValue(2);
        QCOMPARE(doc()->training().gan.discriminatorSteps, int64_t(2));
        qobject_cast<QDoubleSpinBox*>(settings->editor("gan.generator_average"))->setValue(0.99);
        QCOMPARE(doc()->training().gan.generatorAverage, 0.99);
        QUndoStack* undo = doc()->undoStack();
        QCOMPARE(undo->count(), 4);
        QCOMPARE(undo->text(0), QString("Set discriminator optimizer to its own"));
        QCOMPARE(undo->text(1), QString("Set the discriminator's learning rate to 0.0001"));
        QCOMPARE(undo->text(2), QString("Set D steps per G step to 2"));
        QCOMPARE(undo->text(3), QString("Set generator average to 0.99"));
        // Saved and read back with the project.
        const engine::Project back = engine::parseProject(doc()->serialize(), "round trip");
        QVERIFY(back.training == doc()->training());
        for (int i = 0; i < 4; ++i) undo->undo();
        QVERIFY(doc()->training() == original);
        QVERIFY(same->isChecked());
        QVERIFY(!dLr->isVisibleTo(settings));

        doc()->reset(test::sampleProject());  // a classifier has none of it
        QVERIFY(!dSteps->isVisibleTo(settings));
        QVERIFY(!same->isVisibleTo(settings));
    }
};

QTEST_MAIN(TestPanels)
#include "test_panels.moc"
