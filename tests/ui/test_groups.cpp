// Groups and composite blocks in the editor: a named group of layers that collapses into one
// card with its own shape summary and expands into a frame; every edit one undo step; groups
// saved in the project file (version 2; version 1 files migrate) and refused, naming the
// group, when the file's group section is corrupt; the engine ignores them, so a grouped
// network trains to the very same weights. The palette's "Blocks" insert wired sub-graphs as
// groups; a block whose layer types are missing is disabled and says which.
#include <QDir>
#include <QFile>
#include <QGraphicsSceneMouseEvent>
#include <QTreeWidget>
#include <QtTest>

#include "engine/graph/groups.h"
#include "engine/io/project_io.h"
#include "engine/layers/registry.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/train/run_loop.h"
#include "support/same_weights.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/blocks.h"
#include "ui/canvas/edge_item.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/group_items.h"
#include "ui/canvas/palette_widget.h"
#include "ui/commands/group_commands.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

engine::Params params(std::initializer_list<std::pair<const char*, engine::ParamValue>> list) {
    engine::Params p;
    for (const auto& [k, v] : list) p.set(k, v);
    return p;
}

// x (Input 2) → a (Dense 8) → r (ReLU) → b (Dense 8) → out (Dense 3), in a row.
engine::Project chainProject() {
    engine::Project p;
    engine::Graph& g = p.model().graph;
    g.addNode({"x", "Input", "x", params({{"shape", std::string("2")}})});
    g.addNode({"a", "Dense", "a", params({{"units", int64_t{8}}})});
    g.addNode({"r", "ReLU", "r", {}});
    g.addNode({"b", "Dense", "b", params({{"units", int64_t{8}}})});
    g.addNode({"o", "Dense", "out", params({{"units", int64_t{3}}})});
    g.connect({"x", 0, "a", 0});
    g.connect({"a", 0, "r", 0});
    g.connect({"r", 0, "b", 0});
    g.connect({"b", 0, "o", 0});
    int col = 0;
    for (const char* id : {"x", "a", "r", "b", "o"}) p.model().layout[id] = {260.0 * col++, 0, ""};
    return p;
}

// The spiral (2 features, 3 classes) through a residual block: x → Reshape 2×1×1 → conv (2
// filters) → [residual block, filters 2] → flatten → out (Dense 3). The block comes from the
// palette's definition, wired by InsertBlockCommand as the GUI does.
engine::Project residualSpiralProject(GraphDocument& doc, bool collapsed) {
    engine::Project p;
    engine::Graph& g = p.model().graph;
    g.addNode({"x", "Input", "x", params({{"shape", std::string("2")}})});
    g.addNode({"s", "Reshape", "image", params({{"shape", std::string("2,1,1")}})});
    g.addNode({"c", "Conv2D", "conv", params({{"filters", int64_t{2}}, {"kernel", int64_t{3}}})});
    g.connect({"x", 0, "s", 0});
    g.connect({"s", 0, "c", 0});
    p.training.task = "classification";
    p.training.loss = engine::taskById("classification").defaultLoss();
    p.training.dataset.kind = "synthetic";
    p.training.dataset.synthetic = "spiral";
    p.training.dataset.syntheticSamples = 240;
    p.training.epochs = 2;
    p.training.batchSize = 16;
    p.training.threads = 1;
    p.training.seed = 7;
    doc.reset(p);
    const BlockDef* block = findBlock("residual");
    if (!block) throw Error("no residual block");
    Fragment f = blockFragment(*block);
    for (engine::Node& n : f.nodes)
        if (n.type == "Conv2D") n.params.set("filters", int64_t{2});
    auto* insert = new InsertBlockCommand(&doc, f, block->entries, "residual", {300, 0},
                                          std::make_pair(std::string("c"), 0));
    doc.undoStack()->push(insert);
    const std::string last = insert->nodeIds().back();
    auto* flatten = new AddAfterCommand(&doc, "Flatten", {2200, 0}, last, 0);
    doc.undoStack()->push(flatten);
    auto* out = new AddAfterCommand(&doc, "Dense", {2500, 0}, flatten->nodeId(), 0);
    doc.undoStack()->push(out);
    engine::Node o = doc.graph().node(out->nodeId());
    o.params.set("units", int64_t{3});
    doc.replaceNode(o);
    if (collapsed)
        doc.undoStack()->push(new SetGroupCollapsedCommand(&doc, insert->groupId(), true));
    return doc.project();
}

engine::WeightSet trainedWeights(const engine::Project& project) {
    engine::RecipeInputs inputs = engine::recipeInputsFor(project);
    auto recipe = engine::taskFor(project.training).makeRecipe(std::move(inputs));
    engine::RunControl control;
    engine::WeightSet kept;
    const engine::RunRecord record = engine::runTraining(
        *recipe, control, {}, [](const engine::RunEvent&) {}, {},
        [&](std::map<std::string, engine::WeightSet>&& w) { kept = std::move(w["model"]); });
    if (record.status != "finished") throw Error("run " + record.status + ": " + record.message);
    return kept;
}

std::string projectText(const engine::Project& p) {
    return engine::serializeProject(p);
}

}  // namespace

class TestGroups : public QObject {
    Q_OBJECT
    test::ScriptedPrompter m_prompter;

private slots:
    void initTestCase() {
        test::isolateSettings();
        setPrompter(&m_prompter);
    }
    void cleanupTestCase() { setPrompter(nullptr); }

    // Group, rename, collapse, expand, ungroup: one undo step each, undone and redone exactly.
    void groupCollapseExpandUngroupWithUndo() {
        GraphDocument doc;
        doc.reset(chainProject());
        GraphScene scene(&doc);
        QUndoStack& undo = *doc.undoStack();
        std::vector<std::string> states{doc.serialize()};

        scene.selectNodes({"a", "r", "b"});
        QVERIFY(scene.groupSelection());
        QCOMPARE(doc.groups().size(), size_t{1});
        const std::string gid = doc.groups()[0].id;
        QCOMPARE(doc.groups()[0].members, (std::vector<std::string>{"a", "r", "b"}));
        QVERIFY(scene.groupFrame(gid));
        states.push_back(doc.serialize());

        // A node already in a group cannot join another; nothing changes.
        scene.selectNodes({"b", "o"});
        QVERIFY(!scene.groupSelection());
        QCOMPARE(undo.count(), 1);

        QVERIFY(scene.renameGroup(gid, "hidden block"));
        QCOMPARE(doc.groups()[0].name, std::string("hidden block"));
        states.push_back(doc.serialize());

        QVERIFY(scene.setGroupCollapsed(gid, true));
        QVERIFY(doc.groups()[0].collapsed);
        QVERIFY(scene.groupCard(gid) && !scene.groupFrame(gid));
        for (const char* id : {"a", "r", "b"}) QVERIFY(!scene.nodeItem(id)->isVisible());
        QVERIFY(scene.nodeItem("x")->isVisible());
        // Inside edges are not drawn; the boundary ones end at the card's ports.
        QVERIFY(!scene.edgeItem({"a", 0, "r", 0})->isVisible());
        GroupCardItem* card = scene.groupCard(gid);
        QCOMPARE(card->inputPortCount(), 1);
        QCOMPARE(card->outputPortCount(), 1);
        QCOMPARE(scene.edgeItem({"x", 0, "a", 0})->path().pointAtPercent(1.0),
                 card->inputPortScenePos(0));
        QCOMPARE(scene.edgeItem({"b", 0, "o", 0})->path().pointAtPercent(0.0),
                 card->outputPortScenePos(0));
        // Selecting the card selects its layers for copy and delete.
        scene.clearSelection();
        card->setSelected(true);
        QCOMPARE(scene.selectedNodeIds(), (std::vector<std::string>{"a", "r", "b"}));
        states.push_back(doc.serialize());

        QVERIFY(scene.setGroupCollapsed(gid, false));
        QVERIFY(scene.groupFrame(gid) && !scene.groupCard(gid));
        QVERIFY(scene.nodeItem("r")->isVisible());
        states.push_back(doc.serialize());

        scene.selectNodes({"r"});
        QVERIFY(scene.ungroupSelection());
        QVERIFY(doc.groups().empty());
        QVERIFY(!scene.groupFrame(gid));
        states.push_back(doc.serialize());

        QCOMPARE(undo.count(), 5);
        for (int i = 5; i > 0; --i) {
            undo.undo();
            QCOMPARE(doc.serialize(), states[size_t(i - 1)]);
        }
        QVERIFY(doc.groups().empty());
        for (int i = 1; i <= 5; ++i) {
            undo.redo();
            QCOMPARE(doc.serialize(), states[size_t(i)]);
        }
        // Undoing into the collapsed state brings the card back and hides the members again.
        undo.undo();
        undo.undo();
        QVERIFY(scene.groupCard(gid));
        QVERIFY(!scene.nodeItem("a")->isVisible());
    }

    // Deleting a member leaves the group (an emptied group goes); undo restores both.
    void deletingMembersKeepsGroupsTrue() {
        GraphDocument doc;
        doc.reset(chainProject());
        doc.undoStack()->push(new GroupCommand(&doc, {"a", "r"}, "pair"));
        const std::string before = doc.serialize();
        doc.undoStack()->push(new DeleteCommand(&doc, {"r"}, {}));
        QCOMPARE(doc.groups().size(), size_t{1});
        QCOMPARE(doc.groups()[0].members, std::vector<std::string>{"a"});
        doc.undoStack()->push(new DeleteCommand(&doc, {"a"}, {}));
        QVERIFY(doc.groups().empty());
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(doc.serialize(), before);
    }

    // Dragging an expanded group's frame moves its layers together, as one undo step; dragging
    // a collapsed card moves the hidden layers with it.
    void frameAndCardMoveTheirMembers() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        GraphDocument& doc = *w.document();
        doc.reset(chainProject());
        w.scene()->selectNodes({"a", "r"});
        w.action("group")->trigger();  // Ctrl+G
        QCOMPARE(doc.groups().size(), size_t{1});
        const std::string gid = doc.groups()[0].id;
        GroupFrameItem* frame = w.scene()->groupFrame(gid);
        QVERIFY(frame);
        w.view()->resetZoom();
        w.view()->centerOn(frame);
        QApplication::processEvents();
        const QPointF a0 = doc.nodePos("a"), r0 = doc.nodePos("r"), b0 = doc.nodePos("b");
        QWidget* vp = w.view()->viewport();
        const QPoint from = w.view()->mapFromScene(
            frame->mapToScene(frame->labelRect().center() + QPointF(200, 0)));
        const QPoint to = from + QPoint(40, 60);
        const int steps = doc.undoStack()->count();
        QTest::mousePress(vp, Qt::LeftButton, {}, from);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(vp, from + (to - from) * i / 6);
        QTest::mouseRelease(vp, Qt::LeftButton, {}, to);
        QCOMPARE(doc.undoStack()->count(), steps + 1);
        QCOMPARE(doc.nodePos("a"), a0 + QPointF(40, 60));
        QCOMPARE(doc.nodePos("r"), r0 + QPointF(40, 60));
        QCOMPARE(doc.nodePos("b"), b0);  // not a member
        // The frame still wraps its members.
        QVERIFY(frame->sceneBoundingRect().contains(w.scene()->nodeItem("a")->sceneBoundingRect()));

        QVERIFY(w.scene()->setGroupCollapsed(gid, true));
        GroupCardItem* card = w.scene()->groupCard(gid);
        QVERIFY(card);
        QApplication::processEvents();
        const QPoint c = w.view()->mapFromScene(card->mapToScene(card->cardRect().center()));
        QTest::mousePress(vp, Qt::LeftButton, {}, c);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(vp, c + QPoint(-30, 20) * i / 6);
        QTest::mouseRelease(vp, Qt::LeftButton, {}, c + QPoint(-30, 20));
        QCOMPARE(doc.nodePos("a"), a0 + QPointF(10, 80));
        QCOMPARE(doc.nodePos("r"), r0 + QPointF(10, 80));
        QCOMPARE(card->pos(), doc.nodePos("a"));
        doc.undoStack()->setClean();
    }

    // The collapsed card's summary is the members' own shapes and parameter count.
    void collapsedSummaryMatchesMembers() {
        GraphDocument doc;
        residualSpiralProject(doc, true);
        QVERIFY2(doc.analysis().ok(), doc.analysis().firstProblem().c_str());
        GraphScene scene(&doc);
        const engine::NodeGroup& g = doc.groups().at(0);
        GroupCardItem* card = scene.groupCard(g.id);
        QVERIFY(card);
        const engine::GroupSummary& s = card->summary();
        // Two inputs on the boundary: the first conv and the Add's skip, both fed by 'conv'.
        QCOMPARE(s.inputs.size(), size_t{2});
        QCOMPARE(s.outputs.size(), size_t{1});
        const engine::Shape convOut = doc.nodeAnalysis("c")->output;
        QCOMPARE(convOut, (engine::Shape{2, 1, 1}));
        for (const auto& in : s.inputs) {
            QVERIFY(in.shape);
            QCOMPARE(*in.shape, convOut);
        }
        QCOMPARE(*s.outputs[0].shape, doc.nodeAnalysis(g.members.back())->output);
        int64_t params = 0;
        for (const std::string& id : g.members) params += doc.nodeAnalysis(id)->parameters;
        QCOMPARE(s.parameters, params);
        // Two 3×3 convolutions of 2→2 channels with bias and two batch norms of 2 channels.
        QCOMPARE(params, int64_t{2 * (2 * 2 * 9 + 2) + 2 * 2 * 2});
        QCOMPARE(QString::fromStdString(s.shapeText()), QString("2×1×1, 2×1×1 → 2×1×1"));
        QVERIFY(card->summaryText().contains(QString::number(params) + " params"));
        QVERIFY(card->summaryText().contains("7 layers"));
    }

    // Groups and their collapsed state survive save and load, byte for byte.
    void projectRoundTripKeepsGroups() {
        GraphDocument doc;
        const engine::Project p = residualSpiralProject(doc, true);
        const QString path = test::tempDir() + "/grouped.netloom";
        doc.save(path);
        GraphDocument again;
        again.load(path);
        QCOMPARE(again.groups(), p.model().groups);
        QVERIFY(again.groups().at(0).collapsed);
        QCOMPARE(again.groups().at(0).name, std::string("residual"));
        QCOMPARE(again.serialize(), doc.serialize());
        QVERIFY(again.serialize().find("\"version\": " + std::to_string(engine::kProjectVersion)) !=
                std::string::npos);
        // A version 1 file (no groups) opens through the migration and has none.
        std::string v1 = projectText(chainProject());
        const size_t at = v1.find("\"version\": " + std::to_string(engine::kProjectVersion));
        QVERIFY(at != std::string::npos);
        v1.replace(at, 12, "\"version\": 1");
        for (size_t g; (g = v1.find("\"groups\": [],")) != std::string::npos;) v1.erase(g, 13);
        QVERIFY(v1.find("groups") == std::string::npos);
        const engine::Project old = engine::parseProject(v1, "old.netloom");
        QVERIFY(old.model().groups.empty());
        QCOMPARE(old.model().graph, chainProject().model().graph);
        // The kept version 1 file opens in the editor, is grouped, and saves as version 2.
        GraphDocument kept;
        kept.load(QString::fromStdString(test::dataFile("project-v1.netloom")));
        QVERIFY(kept.groups().empty());
        QVERIFY(kept.graph().nodes().size() > 5);
        kept.undoStack()->push(new GroupCommand(&kept, {kept.graph().nodes()[1].id}, "stem"));
        const engine::Project reread = engine::parseProject(kept.serialize(), "v2");
        QCOMPARE(reread.model().groups.size(), size_t{1});
        QCOMPARE(reread.model().groups[0].name, std::string("stem"));
    }

    // A corrupt group section is refused with the group named and where it is; never a crash.
    void corruptGroupSectionIsRefused() {
        engine::Project p = chainProject();
        p.model().groups = {{"g1", "front", {"a", "r"}, false}, {"g2", "back", {"b"}, true}};
        const std::string good = projectText(p);
        QVERIFY(engine::parseProject(good, "good.netloom").model().groups == p.model().groups);
        // The text of group 'back''s member list replaced by `members`, then read.
        auto refusal = [&](const std::string& members) {
            std::string text = good;
            const size_t group = text.find("\"name\": \"back\"");
            const size_t open = text.find("\"members\": [", group);
            const size_t close = text.find(']', open);
            if (group == std::string::npos || open == std::string::npos)
                return std::string("(pattern not found)");
            text.replace(open, close + 1 - open, "\"members\": " + members);
            return test::errorOf([&] { engine::parseProject(text, "bad.netloom"); }).toStdString();
        };
        QVERIFY(refusal("[\"b\"]").empty());  // the edit itself is harmless
        const std::string unknown = refusal("[\"n99\"]");
        QVERIFY2(unknown.find("bad.netloom") != std::string::npos &&
                     unknown.find("/networks/0/groups/1") != std::string::npos &&
                     unknown.find("group 'back'") != std::string::npos &&
                     unknown.find("'n99', which is not a node") != std::string::npos,
                 unknown.c_str());
        const std::string twice = refusal("[\"r\"]");
        QVERIFY2(
            twice.find("node 'r' is in group 'front' and in group 'back'") != std::string::npos &&
                twice.find("/networks/0/groups/1") != std::string::npos,
            twice.c_str());
        const std::string noMembers = refusal("[]");
        QVERIFY2(noMembers.find("group 'back' has no members") != std::string::npos,
                 noMembers.c_str());
        const std::string notList = refusal("3");
        QVERIFY2(notList.find("/networks/0/groups/1/members") != std::string::npos,
                 notList.c_str());
        const std::string notText = refusal("[7]");
        QVERIFY2(notText.find("/networks/0/groups/1/members/0") != std::string::npos,
                 notText.c_str());
        // Saving refuses what loading would refuse.
        engine::Project bad = p;
        bad.model().groups[1].members = {"a"};
        const QString saveError = test::errorOf([&] { engine::serializeProject(bad); });
        QVERIFY2(saveError.contains("node 'a' is in group 'front' and in group 'back'"),
                 qPrintable(saveError));
        // The window shows the message instead of opening the file.
        const QString path = test::tempDir() + "/corrupt-groups.netloom";
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            std::string text = good;
            const size_t at = text.find("\"b\"", text.find("\"name\": \"back\""));
            text.replace(at, 3, "\"n99\"");
            f.write(text.data(), qint64(text.size()));
        }
        GraphDocument doc;
        const QString loadError = test::errorOf([&] { doc.load(path); });
        QVERIFY2(loadError.contains("group 'back'"), qPrintable(loadError));
        QVERIFY(doc.graph().nodes().empty());
    }

    // The engine ignores groups: a network with a collapsed residual block trains to exactly
    // the weights of the same network without the group.
    void trainingIgnoresGroups() {
        GraphDocument doc;
        const engine::Project grouped = residualSpiralProject(doc, true);
        QVERIFY(!grouped.model().groups.empty() && grouped.model().groups[0].collapsed);
        engine::Project plain = grouped;
        plain.model().groups.clear();
        const engine::WeightSet a = trainedWeights(grouped);
        const engine::WeightSet b = trainedWeights(plain);
        QVERIFY(a.size() >= 5);  // conv, two block convs, two batch norms, out
        QVERIFY(test::sameWeights(a, b));
        // And the weights moved from their start: the run really trained.
        engine::Project once = plain;
        once.training.epochs = 1;
        QVERIFY(!test::sameWeights(trainedWeights(once), a));
    }

    // The palette's Residual block: enabled, inserted beside the selected layer as one group,
    // fed by it (first conv and the skip), valid, and gone again with one undo.
    void residualBlockFromThePalette() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTreeWidgetItem* item = w.palette()->blockItem("residual");
        QVERIFY(item);
        QVERIFY(item->flags() & Qt::ItemIsEnabled);
        QVERIFY(item->flags() & Qt::ItemIsDragEnabled);
        GraphDocument& doc = *w.document();
        engine::Project p;
        engine::Graph& g = p.model().graph;
        g.addNode({"x", "Input", "image", params({{"shape", std::string("1,28,28")}})});
        g.addNode({"c", "Conv2D", "conv", params({{"filters", int64_t{32}}})});
        g.connect({"x", 0, "c", 0});
        p.model().layout["x"] = {0, 0, ""};
        p.model().layout["c"] = {260, 0, ""};
        doc.reset(p);
        w.scene()->selectNodes({"c"});
        const int steps = doc.undoStack()->count();
        // Double-click in the palette, as a user does.
        w.palette()->tree()->setCurrentItem(item);
        emit w.palette()->tree()->itemActivated(item, 0);
        QCOMPARE(doc.undoStack()->count(), steps + 1);
        QCOMPARE(doc.graph().nodes().size(), size_t{9});
        QCOMPARE(doc.groups().size(), size_t{1});
        const engine::NodeGroup grp = doc.groups()[0];
        QCOMPARE(grp.name, std::string("residual"));
        QCOMPARE(grp.members.size(), size_t{7});
        QVERIFY(!grp.collapsed);
        std::vector<std::string> types;
        for (const std::string& id : grp.members) types.push_back(doc.graph().node(id).type);
        QCOMPARE(types, (std::vector<std::string>{"Conv2D", "BatchNorm", "ReLU", "Conv2D",
                                                  "BatchNorm", "Add", "ReLU"}));
        const std::string first = grp.members[0], add = grp.members[5];
        QVERIFY(doc.graph().hasEdge({"c", 0, first, 0}));
        QVERIFY(doc.graph().hasEdge({"c", 0, add, 1}));  // the skip
        // The graph is valid (the window also says the 10 classes need a Dense output: data).
        const engine::GraphAnalysis graphOnly = engine::analyzeGraph(doc.graph());
        QVERIFY2(graphOnly.ok(), graphOnly.firstProblem().c_str());
        QCOMPARE(doc.nodeAnalysis(grp.members.back())->output, (engine::Shape{32, 28, 28}));
        // Its cards sit right of the selected layer, clear of it.
        QVERIFY(doc.nodePos(first).x() > doc.nodePos("c").x() + 176);
        doc.undoStack()->undo();
        QCOMPARE(doc.graph().nodes().size(), size_t{2});
        QVERIFY(doc.groups().empty());
        // Dropped with nothing selected, it is not wired.
        w.scene()->clearSelection();
        QVERIFY(!w.scene()->addBlockAt("residual", {600, 400}).empty());
        QCOMPARE(doc.graph().edges().size(), size_t{1 + 6});
        doc.undoStack()->setClean();
    }

    // The Transformer block is written against the attention layers' names; until they are
    // registered it is listed disabled, naming what is missing.
    void transformerBlockWaitsForItsLayers() {
        const BlockDef* block = findBlock("transformer_encoder");
        QVERIFY(block);
        QCOMPARE(block->layerTypes,
                 (QStringList{"LayerNorm", "MultiHeadAttention", "Add", "Dense", "GELU"}));
        PaletteWidget palette;
        QTreeWidgetItem* item = palette.blockItem("transformer_encoder");
        QVERIFY(item);
        const QStringList missing = missingLayerTypes(*block);
        if (!missing.isEmpty()) {
            QVERIFY(!(item->flags() & Qt::ItemIsEnabled));
            for (const QString& type : missing)
                QVERIFY2(item->toolTip(0).contains(type), qPrintable(item->toolTip(0)));
            QVERIFY(test::errorOf([&] { blockFragment(*block); }).contains("MultiHeadAttention") ||
                    !missing.contains("MultiHeadAttention"));
            QSKIP(qPrintable("Transformer encoder block not testable yet: layer types " +
                             missing.join(", ") + " are not registered in this build"));
        }
        QVERIFY(item->flags() & Qt::ItemIsEnabled);
        // Tokens of width 64 (the block's second Dense) through the block keep their shape.
        GraphDocument doc;
        engine::Project p;
        p.model().graph.addNode(
            {"x", "Input", "tokens", params({{"shape", std::string("16,64")}})});
        p.model().graph.addNode(
            {"r", "Reshape", "seq", params({{"shape", std::string("16,64")}, {"sequence", true}})});
        p.model().graph.connect({"x", 0, "r", 0});
        doc.reset(p);
        auto* cmd =
            new InsertBlockCommand(&doc, blockFragment(*block), block->entries, block->groupName,
                                   {600, 0}, std::make_pair(std::string("r"), 0));
        doc.undoStack()->push(cmd);
        QVERIFY2(doc.analysis().ok(), doc.analysis().firstProblem().c_str());
        QCOMPARE(doc.nodeAnalysis(cmd->nodeIds().back())->output, doc.nodeAnalysis("r")->output);
    }
    // (The group screenshots in docs/ come from ui_test_vit_from_palette: a ViT's
    // Transformer encoder block expanded and collapsed.)
};

QTEST_MAIN(TestGroups)
#include "test_groups.moc"
