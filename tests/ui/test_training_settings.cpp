// The training settings widget is generated from the settings schema: for every task it shows
// exactly the rows of the groups that task uses (TaskDef::settingGroups()) that apply to the
// config, and a registered optimizer (Lion) appears with its own rows and undo labels.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>

#include "engine/io/project_io.h"
#include "engine/settings/settings.h"
#include "engine/tasks/registry.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/commands/training_command.h"
#include "ui/document/graph_document.h"
#include "ui/training/run_history_table.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/float_spin_box.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

engine::Project projectFor(const std::string& task) {
    engine::Project p = task == "adversarial"
                            ? engine::loadProject(test::sampleFile("fashion-gan.netloom"))
                            : test::sampleProject();
    p.training.task = task;
    if (task == "regression" || task == "reconstruction") p.training.loss = "mse";
    return p;
}

// Every setting's row is visible exactly when its group is one the task shows and it applies.
QString mismatch(TrainingSettingsWidget& w, const engine::TrainingConfig& c) {
    const engine::TaskDef& task = engine::taskFor(c);
    std::vector<std::string> groups = task.settingGroups();
    groups.push_back("task");
    for (const engine::SettingDef& d : engine::allSettings()) {
        QWidget* e = w.editor(QString::fromStdString(d.id));
        if (!e) return QString::fromStdString("no editor for " + d.id);
        const bool expected =
            std::find(groups.begin(), groups.end(), d.group) != groups.end() && d.appliesTo(c);
        if (e->isVisibleTo(&w) != expected)
            return QString::fromStdString(d.id + (expected ? " hidden" : " shown") + " for " +
                                          c.task + " with " + c.optimizer.type);
    }
    return {};
}

}  // namespace

class TestTrainingSettings : public QObject {
    Q_OBJECT
private slots:
    // The learning rate has one range, the schema's (> 0): the settings widget's box and the
    // training panel's mid-run box offer the same one, and neither takes 0.
    void learningRateHasOneRange() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        TrainingSettingsWidget w(&doc);
        auto* settingsBox = qobject_cast<QDoubleSpinBox*>(w.editor("lr"));
        QVERIFY(settingsBox);
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        FloatSpinBox* panelBox = panel.learningRateBox();
        QCOMPARE(panelBox->minimum(), settingsBox->minimum());
        QCOMPARE(panelBox->maximum(), settingsBox->maximum());
        QVERIFY(panelBox->minimum() > 0);
        QVERIFY(panelBox->maximum() > 10);  // the schema sets no upper bound
    }

    void showsTheRowsOfTheTasksGroups_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("optimizer");
        for (const engine::TaskDef* t : engine::allTasks())
            for (const char* o : {"sgd", "adam", "lion"})
                QTest::newRow((t->id() + " " + o).c_str()) << t->id().c_str() << o;
    }
    void showsTheRowsOfTheTasksGroups() {
        QFETCH(QString, task);
        QFETCH(QString, optimizer);
        GraphDocument doc;
        TrainingSettingsWidget w(&doc);
        engine::Project p = projectFor(task.toStdString());
        p.training.optimizer.type = optimizer.toStdString();
        doc.reset(p);
        const QString problem = mismatch(w, doc.training());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // Spot checks in words.
        QCOMPARE(w.editor("input_noise")->isVisibleTo(&w), task == "reconstruction");
        QCOMPARE(w.editor("gan.d_steps")->isVisibleTo(&w), task == "adversarial");
        QCOMPARE(w.editor("early_stopping")->isVisibleTo(&w), task != "adversarial");
        QCOMPARE(w.editor("momentum")->isVisibleTo(&w), optimizer == "sgd");
        QCOMPARE(w.editor("beta2")->isVisibleTo(&w), optimizer != "sgd");
        QVERIFY(w.editor("lr")->isVisibleTo(&w));
    }

    // Choosing a dataset kind shows its rows; a discriminator with its own optimizer shows
    // that optimizer's rows.
    void rowsFollowTheSettingsTheyDependOn() {
        GraphDocument doc;
        TrainingSettingsWidget w(&doc);
        doc.reset(projectFor("classification"));
        auto* kind = qobject_cast<QComboBox*>(w.editor("dataset.kind"));
        QVERIFY(kind);
        QVERIFY(!w.editor("dataset.csv_path")->isVisibleTo(&w));
        kind->setCurrentIndex(kind->findData("csv"));
        emit kind->activated(kind->currentIndex());
        QCOMPARE(doc.training().dataset.kind, std::string("csv"));
        QVERIFY(w.editor("dataset.csv_path")->isVisibleTo(&w));
        QVERIFY(mismatch(w, doc.training()).isEmpty());

        engine::Project gan = projectFor("adversarial");
        gan.training.gan.discriminatorOptimizer.reset();
        doc.reset(gan);
        QVERIFY(!w.editor("gan.discriminator_optimizer.lr")->isVisibleTo(&w));
        qobject_cast<QCheckBox*>(w.editor("gan.discriminator_optimizer"))->click();
        QVERIFY(doc.training().gan.discriminatorOptimizer);
        QVERIFY(w.editor("gan.discriminator_optimizer.lr")->isVisibleTo(&w));
        QVERIFY(mismatch(w, doc.training()).isEmpty());
    }

    // Lion is in the optimizer list, its rows and the undo labels come without further edits.
    void lionAppearsWithoutFurtherEdits() {
        GraphDocument doc;
        TrainingSettingsWidget w(&doc);
        doc.reset(projectFor("classification"));
        auto* type = qobject_cast<QComboBox*>(w.editor("optimizer"));
        QVERIFY(type);
        const int lion = type->findData("lion");
        QVERIFY(lion >= 0);
        QCOMPARE(type->itemText(lion), QString("Lion"));
        QVERIFY(type->itemData(lion, Qt::ToolTipRole).toString().contains("Chen et al."));
        type->setCurrentIndex(lion);
        emit type->activated(lion);
        QCOMPARE(doc.training().optimizer.type, std::string("lion"));
        QCOMPARE(doc.undoStack()->text(0), QString("Set optimizer to Lion"));
        auto* beta2 = qobject_cast<QDoubleSpinBox*>(w.editor("beta2"));
        QVERIFY(beta2 && beta2->isVisibleTo(&w));
        beta2->setValue(0.99);
        QCOMPARE(doc.training().optimizer.beta2, 0.99);
        QCOMPARE(doc.undoStack()->text(1), QString("Set β₂ to 0.99"));
        QVERIFY(settingsSummary(doc.training()).startsWith("Lion lr 0.001"));
        QVERIFY(settingsDetails(doc.training()).contains("Optimizer: Lion"));
        // Saved with the project.
        const engine::Project back = engine::parseProject(doc.serialize(), "lion");
        QCOMPARE(back.training.optimizer.type, std::string("lion"));
    }
};

QTEST_MAIN(TestTrainingSettings)
#include "test_training_settings.moc"
