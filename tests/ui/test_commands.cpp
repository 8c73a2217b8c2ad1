// Every undo command, run headless on a GraphDocument: redo changes the document, undo restores
// the exact serialized project (order of nodes and edges, layout, weights), redo reproduces the
// edit, and invalid edits are refused before anything changes. Edits of one field merge only
// while they follow each other quickly (a fake clock drives the time), and every step has a
// label a user can read in Edit ▸ Undo History.
#include <QtTest>
#include <functional>
#include <memory>

#include "engine/core/error.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/commands/training_command.h"
#include "ui/document/fragment.h"
#include "ui/document/graph_document.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

using Maker = std::function<QUndoCommand*(GraphDocument&)>;

Fragment twoNodeFragment() {
    GraphDocument source;
    source.reset(test::sampleProject());
    return extractFragment(source.graph(), source.project().model().layout, {"n3", "n4"});
}

const std::map<QString, Maker>& makers() {
    static const std::map<QString, Maker> m{
        {"add",
         [](GraphDocument& d) {
             return new AddNodeCommand(&d, "Conv2D", {40, 500});
         }},
        {"delete middle node (with edges and weights)",
         [](GraphDocument& d) { return new DeleteCommand(&d, {"n3"}, {}); }},
        {"delete first and last",
         [](GraphDocument& d) {
             return new DeleteCommand(&d, {"n1", "n5"}, {});
         }},
        {"delete edge",
         [](GraphDocument& d) {
             return new DeleteCommand(&d, {}, {{"n2", 0, "n3", 0}});
         }},
        {"connect",
         [](GraphDocument& d) {
             return new ConnectCommand(&d, {"n5", 0, "n6", 0});
         }},
        {"disconnect",
         [](GraphDocument& d) {
             return new DisconnectCommand(&d, {{"n3", 0, "n4", 0}});
         }},
        {"reconnect",
         [](GraphDocument& d) {
             return new ReconnectCommand(&d, {"n3", 0, "n4", 0}, {"n3", 0, "n6", 0});
         }},
        {"move",
         [](GraphDocument& d) {
             return new MoveNodesCommand(&d, {{"n2", {10, 20}}, {"n4", {-30, 99}}});
         }},
        {"set param",
         [](GraphDocument& d) { return new SetParamCommand(&d, "n3", "units", int64_t{256}); }},
        {"set param not in file",
         [](GraphDocument& d) { return new SetParamCommand(&d, "n3", "use_bias", false); }},
        {"rename", [](GraphDocument& d) { return new RenameCommand(&d, "n4", "activation"); }},
        {"comment", [](GraphDocument& d) { return new SetCommentCommand(&d, "n2", "to 784"); }},
        {"paste",
         [](GraphDocument& d) {
             return new PasteCommand(&d, twoNodeFragment(), {30, 30});
         }},
        {"auto-layout", [](GraphDocument& d) { return makeAutoLayoutCommand(&d); }},
        {"insert on edge",
         [](GraphDocument& d) {
             return new InsertOnEdgeCommand(&d, "Dropout", {600, 100}, {"n3", 0, "n4", 0});
         }},
        {"training settings",
         [](GraphDocument& d) {
             engine::TrainingConfig c = d.training();
             c.optimizer.lr = 0.01;
             c.epochs = 3;
             c.dataset.kind = "synthetic";
             return new SetTrainingCommand(&d, c, "lr");
         }},
    };
    return m;
}

}  // namespace

class TestCommands : public QObject {
    Q_OBJECT
    qint64 m_now = 0;  // the edit clock, in ms

private slots:
    void initTestCase() {
        test::isolateSettings();
        setEditClockForTesting([this] { return m_now; });
    }
    void cleanupTestCase() { setEditClockForTesting({}); }
    void init() { m_now = 100000; }

    void redoUndoRestoresExactDocument_data() {
        QTest::addColumn<QString>("command");
        for (const auto& [name, maker] : makers()) QTest::newRow(qPrintable(name)) << name;
    }
    void redoUndoRestoresExactDocument() {
        QFETCH(QString, command);
        GraphDocument doc;
        doc.reset(test::sampleProject());
        const std::string before = doc.serialize();
        const GraphState stateBefore = doc.graphState();
        QVERIFY(!doc.isModified());

        doc.undoStack()->push(makers().at(command)(doc));
        const std::string after = doc.serialize();
        QVERIFY2(after != before, "the command changed nothing");
        QVERIFY(doc.isModified());
        QCOMPARE(doc.undoStack()->count(), 1);

        doc.undoStack()->undo();
        QCOMPARE(doc.serialize(), before);
        QVERIFY(doc.graphState() == stateBefore);
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.serialize(), after);
        doc.undoStack()->undo();
        QCOMPARE(doc.serialize(), before);
    }

    void deleteTakesWeightsAlongAndBack() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        doc.undoStack()->push(new DeleteCommand(&doc, {"n3"}, {}));
        QVERIFY(!doc.project().model().weights.count("n3"));
        QVERIFY(!doc.graph().findNode("n3"));
        QCOMPARE(doc.graph().edges().size(), size_t(2));  // n1→n2 and n4→n5 remain
        doc.undoStack()->undo();
        QCOMPARE(doc.project().model().weights.at("n3").at("weight").size(), int64_t(64 * 784));
    }

    void commandsComposeAcrossTheStack() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        const std::string original = doc.serialize();
        auto* add = new AddNodeCommand(&doc, "Dense", {0, 400});
        doc.undoStack()->push(add);
        const std::string id = add->nodeId();
        doc.undoStack()->push(new ConnectCommand(&doc, {"n5", 0, id, 0}));
        doc.undoStack()->push(new SetParamCommand(&doc, id, "units", int64_t{3}));
        doc.undoStack()->push(new DeleteCommand(&doc, {"n4"}, {}));
        doc.undoStack()->push(new MoveNodesCommand(&doc, {{id, {5, 5}}}));
        const std::string end = doc.serialize();
        while (doc.undoStack()->canUndo()) doc.undoStack()->undo();
        QCOMPARE(doc.serialize(), original);
        while (doc.undoStack()->canRedo()) doc.undoStack()->redo();
        QCOMPARE(doc.serialize(), end);
    }

    void invalidEditsAreRefusedUntouched_data() {
        QTest::addColumn<QString>("edit");
        QTest::addColumn<QString>("reason");
        QTest::newRow("cycle") << "cycle"
                               << "cycle";
        QTest::newRow("occupied input") << "occupied"
                                        << "already fed";
        QTest::newRow("self") << "self"
                              << "itself";
        QTest::newRow("into Input") << "into-input"
                                    << "takes no input";
        QTest::newRow("port out of range") << "port"
                                           << "only 1 input";
        QTest::newRow("duplicate name") << "rename"
                                        << "already called";
        QTest::newRow("empty name") << "rename-empty"
                                    << "needs a name";
        QTest::newRow("units out of range") << "units"
                                            << "between 1 and";
        QTest::newRow("bad choice") << "choice"
                                    << "must be one of";
        QTest::newRow("bad shape") << "shape"
                                   << "is not a number";
        QTest::newRow("unknown layer") << "unknown"
                                       << "unknown layer type";
        QTest::newRow("unknown param") << "param"
                                       << "no parameter";
        QTest::newRow("insert Input on edge") << "insert-input"
                                              << "takes no input";
    }
    void invalidEditsAreRefusedUntouched() {
        QFETCH(QString, edit);
        QFETCH(QString, reason);
        GraphDocument doc;
        doc.reset(test::sampleProject());
        doc.undoStack()->push(new AddNodeCommand(&doc, "Conv2D", {0, 0}));  // n7
        doc.undoStack()->push(new ConnectCommand(&doc, {"n6", 0, "n7", 0}));
        const std::string before = doc.serialize();
        const int count = doc.undoStack()->count();
        auto attempt = [&]() -> QUndoCommand* {
            if (edit == "cycle") return new ConnectCommand(&doc, {"n7", 0, "n6", 0});
            if (edit == "occupied") return new ConnectCommand(&doc, {"n6", 0, "n3", 0});
            if (edit == "self") return new ConnectCommand(&doc, {"n6", 0, "n6", 0});
            if (edit == "into-input") return new ConnectCommand(&doc, {"n6", 0, "n1", 0});
            if (edit == "port") return new ConnectCommand(&doc, {"n5", 0, "n6", 1});
            if (edit == "rename") return new RenameCommand(&doc, "n4", "fc1");
            if (edit == "rename-empty") return new RenameCommand(&doc, "n4", "   ");
            if (edit == "units") return new SetParamCommand(&doc, "n3", "units", int64_t{0});
            if (edit == "choice")
                return new SetParamCommand(&doc, "n7", "padding", std::string("sideways"));
            if (edit == "shape")
                return new SetParamCommand(&doc, "n1", "shape", std::string("1,a,28"));
            if (edit == "unknown") return new AddNodeCommand(&doc, "Teleporter", {0, 0});
            if (edit == "param") return new SetParamCommand(&doc, "n3", "colour", true);
            if (edit == "insert-input")
                return new InsertOnEdgeCommand(&doc, "Input", {0, 0}, {"n3", 0, "n4", 0});
            return nullptr;
        };
        try {
            QUndoCommand* cmd = attempt();
            delete cmd;
            QFAIL("the edit was not refused");
        } catch (const netloom::Error& e) {
            QVERIFY2(QString(e.what()).contains(reason), e.what());
        }
        QCOMPARE(doc.serialize(), before);
        QCOMPARE(doc.undoStack()->count(), count);
    }

    void paramEditsMergeOnlyWhileTheUserKeepsEditing() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        QUndoStack* stack = doc.undoStack();
        auto set = [&](qint64 at, int64_t units) {
            m_now = at;
            stack->push(new SetParamCommand(&doc, "n3", "units", units));
        };
        set(0, 65);
        set(kMergeWindowMs - 100, 66);      // arrows held down: same step
        set(2 * kMergeWindowMs - 200, 67);  // measured from the previous change, not the first
        QCOMPARE(stack->count(), 1);
        QCOMPARE(stack->undoText(), QString("Set Units of 'fc1' to 67"));
        set(3 * kMergeWindowMs + 500, 68);  // after a pause: a step of its own
        QCOMPARE(stack->count(), 2);
        QCOMPARE(stack->undoText(), QString("Set Units of 'fc1' to 68"));
        stack->undo();
        QCOMPARE(doc.graph().node("n3").params.getInt("units"), int64_t(67));
        stack->undo();
        QCOMPARE(doc.graph().node("n3").params.getInt("units"), int64_t(64));
        // Another field right after is never merged in.
        stack->redo();
        m_now += 10;
        stack->push(new SetParamCommand(&doc, "n3", "use_bias", false));
        QCOMPARE(stack->count(), 2);
    }

    void trainingEditsMergeOnlyWhileTheUserKeepsEditing() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        QUndoStack* stack = doc.undoStack();
        auto setEpochs = [&](qint64 at, int64_t epochs) {
            m_now = at;
            engine::TrainingConfig c = doc.training();
            c.epochs = epochs;
            stack->push(new SetTrainingCommand(&doc, c, "epochs"));
        };
        setEpochs(0, 6);
        setEpochs(400, 7);
        setEpochs(800, 8);
        QCOMPARE(stack->count(), 1);
        QCOMPARE(stack->undoText(), QString("Set epochs to 8"));
        setEpochs(800 + kMergeWindowMs + 1, 20);
        QCOMPARE(stack->count(), 2);
        stack->undo();
        QCOMPARE(doc.training().epochs, int64_t(8));
        stack->undo();
        QCOMPARE(doc.training().epochs, int64_t(5));
    }

    void undoLabelsAreHuman_data() {
        QTest::addColumn<QString>("edit");
        QTest::addColumn<QString>("label");
        QTest::newRow("integer param") << "units"
                                       << "Set Units of 'fc1' to 128";
        QTest::newRow("bool param") << "bias"
                                    << "Set Use bias of 'fc1' to off";
        QTest::newRow("real param") << "rate"
                                    << "Set Rate of 'dropout' to 0.25";
        QTest::newRow("shape param") << "shape"
                                     << "Set Shape of 'image' to 3,32,32";
        QTest::newRow("dataset") << "dataset"
                                 << "Set dataset to Fashion-MNIST";
        QTest::newRow("synthetic dataset") << "synthetic"
                                           << "Set dataset to Synthetic 2-D";
        QTest::newRow("learning rate") << "lr"
                                       << "Set learning rate to 0.01";
        QTest::newRow("optimizer") << "optimizer"
                                   << "Set optimizer to SGD";
        QTest::newRow("loss") << "loss"
                              << "Set loss to Mean squared error";
        QTest::newRow("limit") << "limit"
                               << "Set training samples to all";
        QTest::newRow("threads") << "threads"
                                 << "Set threads to 4";
        QTest::newRow("file") << "file"
                              << "Set training images to train-images-idx3-ubyte.gz";
    }
    void undoLabelsAreHuman() {
        QFETCH(QString, edit);
        QFETCH(QString, label);
        GraphDocument doc;
        doc.reset(test::sampleProject());
        engine::TrainingConfig c = doc.training();
        c.dataset.kind = "csv";
        c.dataset.limitTrain = 500;
        doc.setTraining(c);
        std::unique_ptr<QUndoCommand> cmd;
        if (edit == "units") cmd.reset(new SetParamCommand(&doc, "n3", "units", int64_t{128}));
        if (edit == "bias") cmd.reset(new SetParamCommand(&doc, "n3", "use_bias", false));
        if (edit == "rate") cmd.reset(new SetParamCommand(&doc, "n6", "rate", 0.25));
        if (edit == "shape")
            cmd.reset(new SetParamCommand(&doc, "n1", "shape", std::string("3,32,32")));
        auto training = [&](const QString& field, const std::function<void()>& change) {
            change();
            cmd.reset(new SetTrainingCommand(&doc, c, field));
        };
        if (edit == "dataset") training("dataset.kind", [&] { c.dataset.kind = "fashion-mnist"; });
        if (edit == "synthetic") training("dataset.kind", [&] { c.dataset.kind = "synthetic"; });
        if (edit == "lr") training("lr", [&] { c.optimizer.lr = 0.01; });
        if (edit == "optimizer") training("optimizer", [&] { c.optimizer.type = "sgd"; });
        if (edit == "loss") training("loss", [&] { c.loss = "mse"; });
        if (edit == "limit") training("dataset.limit_train", [&] { c.dataset.limitTrain = 0; });
        if (edit == "threads") training("threads", [&] { c.threads = 4; });
        if (edit == "file")
            training("dataset.train_images",
                     [&] { c.dataset.trainImages = "/data/mnist/train-images-idx3-ubyte.gz"; });
        QVERIFY(cmd);
        QCOMPARE(cmd->text(), label);
    }

    void paramEditsOfOneFieldMerge() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        const std::string before = doc.serialize();
        for (int64_t units : {65, 66, 67})
            doc.undoStack()->push(new SetParamCommand(&doc, "n3", "units", units));
        QCOMPARE(doc.undoStack()->count(), 1);
        QCOMPARE(doc.graph().node("n3").params.getInt("units"), int64_t(67));
        doc.undoStack()->push(new SetParamCommand(&doc, "n5", "units", int64_t{11}));
        QCOMPARE(doc.undoStack()->count(), 2);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(doc.serialize(), before);
        // Back to where it started: the merged step disappears.
        doc.undoStack()->push(new SetParamCommand(&doc, "n3", "units", int64_t{70}));
        doc.undoStack()->push(new SetParamCommand(&doc, "n3", "units", int64_t{64}));
        QCOMPARE(doc.undoStack()->count(), 0);
        QCOMPARE(doc.serialize(), before);
    }

    void pasteGivesFreshIdsAndNames() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        const Fragment f = fragmentFromJson(fragmentToJson(twoNodeFragment()));
        auto* paste = new PasteCommand(&doc, f, {30, 30});
        doc.undoStack()->push(paste);
        QCOMPARE(paste->pastedIds().size(), size_t(2));
        const engine::Node& a = doc.graph().node(paste->pastedIds()[0]);
        const engine::Node& b = doc.graph().node(paste->pastedIds()[1]);
        QCOMPARE(a.type, std::string("Dense"));
        QCOMPARE(a.name, std::string("fc1_2"));
        QCOMPARE(b.name, std::string("relu_2"));
        QCOMPARE(a.params.getInt("units"), int64_t(64));
        QVERIFY(doc.graph().hasEdge({a.id, 0, b.id, 0}));
        QCOMPARE(doc.nodePos(a.id), QPointF(520 + 30, 0 + 30));
    }

    void fragmentJsonRejectsGarbage_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("{nope");
        QTest::newRow("other format") << QByteArray(R"({"format":"x","nodes":[],"edges":[]})");
        QTest::newRow("unknown type") << QByteArray(
            R"({"format":"netloom-fragment","nodes":[{"id":"a","type":"Nope","name":"a","params":{}}],"edges":[]})");
        QTest::newRow("dangling edge") << QByteArray(
            R"({"format":"netloom-fragment","nodes":[],"edges":[{"from":"a","to":"b"}]})");
        QTest::newRow("wrong types") << QByteArray(
            R"({"format":"netloom-fragment","nodes":[{"id":1,"type":"Dense","name":"a","params":{}}],"edges":[]})");
    }
    void fragmentJsonRejectsGarbage() {
        QFETCH(QByteArray, json);
        QVERIFY_THROWS_EXCEPTION(netloom::Error, fragmentFromJson(json));
    }

    void documentSignalsTypedChanges() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        QList<GraphChange> seen;
        connect(&doc, &GraphDocument::changed, this, [&](const GraphChange& c) { seen << c; });
        doc.undoStack()->push(new MoveNodesCommand(&doc, {{"n2", {1, 2}}}));
        doc.undoStack()->push(new SetParamCommand(&doc, "n3", "units", int64_t{32}));
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[0].kind, GraphChange::Kind::Layout);
        QCOMPARE(seen[0].nodeIds, QStringList{"n2"});
        QCOMPARE(seen[1].kind, GraphChange::Kind::Graph);
        QCOMPARE(doc.nodeAnalysis("n5")->inputs.front(), engine::Shape{32});
    }
};

QTEST_MAIN(TestCommands)
#include "test_commands.moc"
