// The search kept in the project (Project::search) in the Experiments view: the space editor's
// rows, fixed settings, strategy and budget are stored in the project as one undo step, saved
// with it and shown again when it is reopened; a hostile space is refused by "Store in project"
// and on opening the file, with the parameter named (the same messages as `netloom search`).
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include "engine/io/project_io.h"
#include "engine/search/search_space.h"
#include "saved_search_project.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/experiments/experiments_view.h"
#include "ui/experiments/space_editor.h"

using namespace netloom::engine;
using namespace netloom::ui;

namespace {

using netloom::test::savedSearchProject;

}  // namespace

class SearchSpaceUiTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { netloom::test::isolateSettings(); }

    void storedInTheProjectSavedAndReopened() {
        const QString path = savedSearchProject("stored-space.netloom");
        GraphDocument doc;
        doc.load(path);
        ExperimentsView view(&doc);
        SpaceEditor* editor = view.editor();
        QCOMPARE(editor->table()->rowCount(), 0);  // the project has no search yet
        editor->addRow("optimizer.lr", "float", "0.0003", "0.01", true);
        editor->addRow("fc1.units", "int", "16", "96", true);
        editor->addRow("batch_size", "categorical", {}, {}, false, "32, 64");
        view.findChild<QLineEdit*>("searchFixed")->setText("epochs=2, dataset.limit_train=600");
        view.findChild<QComboBox*>("searchStrategy")->setCurrentText("random");
        view.findChild<QSpinBox*>("searchTrials")->setValue(9);
        view.findChild<QDoubleSpinBox*>("searchSeconds")->setValue(120);
        QVERIFY2(view.storeInProject(), qPrintable(view.status()));
        QVERIFY(doc.project().search);
        const ProjectSearch& s = *doc.project().search;
        QCOMPARE(s.space.dimensions.size(), size_t(3));
        QCOMPARE(QString::fromStdString(s.space.dimensions[1].node), QString("fc1"));
        QCOMPARE(QString::fromStdString(s.space.dimensions[1].param), QString("units"));
        QVERIFY(s.space.dimensions[1].log);
        QCOMPARE(s.space.dimensions[2].choices.size(), size_t(2));
        QCOMPARE(std::get<int64_t>(s.space.fixed.at("epochs")), int64_t(2));
        QCOMPARE(QString::fromStdString(s.strategy), QString("random"));
        QCOMPARE(s.trials, int64_t(9));
        QCOMPARE(s.seconds, 120.0);
        QVERIFY(doc.isModified());
        QCOMPARE(doc.undoStack()->undoText(), QString("Store the search space in the project"));
        doc.undoStack()->undo();
        QVERIFY(!doc.project().search);
        doc.undoStack()->redo();
        const ProjectSearch stored = *doc.project().search;
        doc.save(path);

        GraphDocument again;
        again.load(path);
        QVERIFY(again.project().search && *again.project().search == stored);
        ExperimentsView reopened(&again);
        QCOMPARE(reopened.editor()->table()->rowCount(), 3);
        QCOMPARE(reopened.editor()->table()->item(1, 0)->text(), QString("fc1.units"));
        QCOMPARE(reopened.findChild<QComboBox*>("searchStrategy")->currentText(),
                 QString("random"));
        QCOMPARE(reopened.findChild<QSpinBox*>("searchTrials")->value(), 9);
        QVERIFY(reopened.editor()->space() == stored.space);  // what it shows is what is kept
    }

    void hostileSpacesAreRefusedNamingTheParameter() {
        const QString path = savedSearchProject("hostile-space.netloom");
        GraphDocument doc;
        doc.load(path);
        ExperimentsView view(&doc);
        view.editor()->addRow("optimizer.weight_decay", "float", "0", "0.01", true);
        QVERIFY(!view.storeInProject());
        QVERIFY2(view.status().contains("search parameter 'optimizer.weight_decay'") &&
                     view.status().contains("touches 0"),
                 qPrintable(view.status()));
        QVERIFY(!doc.project().search);
        QCOMPARE(doc.undoStack()->count(), 0);
        view.editor()->table()->item(0, 2)->setText("ten");
        QVERIFY(!view.storeInProject());
        QVERIFY2(view.status().contains("low 'ten' is not a number"), qPrintable(view.status()));

        // A hostile section in the file: refused on opening, naming the parameter.
        Project p = loadProject(path.toStdString());
        p.search = ProjectSearch{};
        p.search->space = searchSpaceFromText(
            R"({"parameters": [{"node": "fc1", "param": "unit", "type": "int", "low": 8,
                "high": 64}]})",
            "test");
        saveProject(p, path.toStdString());
        GraphDocument other;
        const QString error = netloom::test::errorOf([&] { other.load(path); });
        QVERIFY2(error.contains("hostile-space.netloom") &&
                     error.contains("the project's search section: search parameter 'fc1.unit'"),
                 qPrintable(error));
    }
};

QTEST_MAIN(SearchSpaceUiTest)
#include "test_search_space_ui.moc"
