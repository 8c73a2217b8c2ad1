// The live attention view shows exactly what the engine computes: its maps equal
// InferenceSession::attentionMaps for the same weights and test sample (a ViT over image patches
// with a class token and two attention layers; a causal character model whose matrices carry
// the word's characters); patch maps are the class token's row; the panel's tab shows only for
// networks with attention.
#include <QComboBox>
#include <QFile>
#include <QSpinBox>
#include <QTabWidget>
#include <QtTest>
#include <cmath>

#include "engine/core/compute.h"
#include "engine/data/dataset.h"
#include "engine/infer/inference_session.h"
#include "engine/io/project_io.h"
#include "engine/model/model.h"
#include "engine/tasks/registry.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/training/attention_heads_widget.h"
#include "ui/training/attention_view.h"
#include "ui/training/live_weights.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_panel.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

engine::Params params(std::initializer_list<std::pair<const char*, engine::ParamValue>> list) {
    engine::Params p;
    for (const auto& [k, v] : list) p.set(k, v);
    return p;
}

// A chain of layers (id, type, params), each fed by the one before.
void chain(engine::Graph& g,
           std::initializer_list<std::tuple<const char*, const char*, engine::Params>> layers) {
    std::string previous;
    for (const auto& [id, type, p] : layers) {
        g.addNode({id, type, id, p});
        if (!previous.empty()) g.connect({previous, 0, id, 0});
        previous = id;
    }
}

// Fresh weights as a run would start them (seeded), without training.
engine::WeightSet initialWeights(const engine::Graph& graph, uint64_t seed) {
    engine::ComputeContext ctx(seed);
    engine::Model model(graph, ctx);
    model.initialize(seed, engine::InitScheme::Default);
    return model.weights();
}

// A ViT on Fashion-MNIST: 7×7 patches → 16 tokens of width 16, a class token in front, two
// attention layers (2 and 4 heads), the mean token → 10 classes.
engine::Project vitProject() {
    engine::Project p;
    chain(p.model().graph,
          {{"image", "Input", params({{"shape", std::string("1,28,28")}})},
           {"patches", "PatchEmbedding", params({{"patch", int64_t{7}}, {"dim", int64_t{16}}})},
           {"cls", "ClassToken", {}},
           {"pos", "PositionalEmbedding", {}},
           {"attn1", "MultiHeadAttention", params({{"heads", int64_t{2}}})},
           {"norm", "LayerNorm", {}},
           {"attn2", "MultiHeadAttention", params({{"heads", int64_t{4}}})},
           {"mean", "SequenceMean", {}},
           {"out", "Dense", params({{"units", int64_t{10}}})}});
    p.training.task = "classification";
    p.training.loss = engine::taskById("classification").defaultLoss();
    p.training.dataset.limitTrain = 64;
    p.training.dataset.limitTest = 16;
    p.training.threads = 1;
    p.model().weights = initialWeights(p.model().graph, 3);
    return p;
}

// words-lstm's data with a causal attention layer instead of the LSTM.
engine::Project wordsAttentionProject() {
    engine::Project p = engine::loadProject(test::sampleFile("words-lstm.netloom"));
    engine::Graph g;
    chain(g, {{"ids", "Input", params({{"shape", std::string("25")}})},
              {"chars", "Embedding", params({{"vocabulary", int64_t{72}}, {"dim", int64_t{32}}})},
              {"pos", "PositionalEmbedding", {}},
              {"attn", "MultiHeadAttention", params({{"heads", int64_t{2}}, {"causal", true}})},
              {"next", "Dense", params({{"units", int64_t{72}}})}});
    p.model().graph = g;
    p.model().layout.clear();
    p.history.clear();
    p.training.threads = 1;
    p.model().weights = initialWeights(g, 5);
    return p;
}

// The engine's own maps for test sample `index`: a session of its own on the same weights.
std::vector<engine::AttentionMap> sessionMaps(const engine::Project& p, const engine::Tensor& x) {
    engine::InferenceSession session(p.model().graph, p.model().weights,
                                     engine::taskFor(p.training).target());
    return session.attentionMaps(x, 0);
}

void compareMaps(const std::vector<engine::AttentionMap>& shown,
                 const std::vector<engine::AttentionMap>& expected) {
    QCOMPARE(shown.size(), expected.size());
    for (size_t i = 0; i < shown.size(); ++i) {
        QCOMPARE(shown[i].layer, expected[i].layer);
        QCOMPARE(shown[i].head, expected[i].head);
        QCOMPARE(shown[i].weights.dims(), expected[i].weights.dims());
        for (int64_t k = 0; k < shown[i].weights.size(); ++k)
            QVERIFY2(std::abs(shown[i].weights[k] - expected[i].weights[k]) <= 1e-6f,
                     qPrintable(QString("map %1 value %2").arg(i).arg(k)));
    }
}

bool haveFashion() {
    return QFile::exists(QString::fromStdString(test::fashionDir()) + "/t10k-images-idx3-ubyte.gz");
}

}  // namespace

class TestAttentionView : public QObject, public test::PrompterFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }

    void vitMapsEqualTheSession() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        GraphDocument doc;
        const engine::Project p = vitProject();
        doc.reset(p);
        LiveWeights live(&doc, nullptr);
        AttentionView view(&live);
        view.resize(600, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(!view.maps().empty(), 30000);
        // Both layers over the 4×4 patch grid behind one class token.
        QCOMPARE(view.layers().size(), size_t{2});
        for (const AttentionLayerInfo& info : view.layers()) {
            QVERIFY(info.overPatches());
            QCOMPARE(info.gridRows, int64_t{4});
            QCOMPARE(info.gridColumns, int64_t{4});
            QCOMPARE(info.leadingTokens, int64_t{1});
            QCOMPARE(info.queries, int64_t{17});
        }
        QCOMPARE(view.layerBox()->count(), 2);
        // The input is test image 0 exactly, and the maps are the session's.
        const engine::DataSplit data = engine::loadData(p.training.dataset, 0, 1);
        for (int64_t index : {int64_t{0}, int64_t{5}}) {
            view.setSampleIndex(index);
            QTRY_COMPARE(view.sampleIndex(), index);
            engine::Tensor x;
            data.test.fillBatch(&index, 1, x, nullptr);
            QCOMPARE(view.input().storage(), x.storage());
            compareMaps(view.maps(), sessionMaps(p, x));
        }
        // Layer 1 (two heads) then layer 2 (four), each head a picture; the patch values drawn
        // are the class token's row without its own column.
        view.setCurrentLayer(1);
        const std::vector<engine::AttentionMap> second = view.currentMaps();
        QCOMPARE(second.size(), size_t{4});
        QCOMPARE(second[0].layer, std::string("attn2"));
        QCOMPARE(view.heads()->pictures().size(), size_t{4});
        const std::vector<float> patches = patchAttention(second[2].weights, view.layers()[1]);
        QCOMPARE(patches.size(), size_t{16});
        for (int64_t k = 0; k < 16; ++k) QCOMPARE(patches[size_t(k)], second[2].weights[1 + k]);
        view.setCurrentLayer(0);
        QCOMPARE(view.heads()->pictures().size(), size_t{2});
        QVERIFY2(view.captionText().contains("class token"), qPrintable(view.captionText()));
    }

    void textMapsCarryTheCharacters() {
        if (!QFile::exists("/usr/share/dict/words")) QSKIP("/usr/share/dict/words is missing");
        GraphDocument doc;
        const engine::Project p = wordsAttentionProject();
        doc.reset(p);
        LiveWeights live(&doc, nullptr);
        AttentionView view(&live);
        view.resize(600, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(!view.maps().empty(), 30000);
        QVERIFY(!view.layers().at(0).overPatches());
        const engine::DataSplit data =
            engine::loadData(p.training.dataset, p.training.validationSplit, p.training.seed);
        const int64_t index = 0;
        engine::Tensor full;
        data.test.fillBatch(&index, 1, full, nullptr);
        engine::Tensor x(1, engine::Shape{25});
        std::copy(full.data(), full.data() + 25, x.data());
        QCOMPARE(view.input().storage(), x.storage());
        compareMaps(view.maps(), sessionMaps(p, x));
        // The labels are the word's tokens up to its padding: "<s>", its characters, "</s>".
        const QStringList labels = view.tokenLabels();
        QVERIFY(labels.size() >= 3 && labels.size() <= 25);
        QCOMPARE(labels.front(), QString("<s>"));
        for (int i = 0; i < labels.size(); ++i)
            QCOMPARE(labels[i],
                     QString::fromStdString(data.test.vocabulary[static_cast<size_t>(x[i])]));
        // Causal: no query looks ahead; every row is a distribution.
        for (const engine::AttentionMap& m : view.maps())
            for (int64_t q = 0; q < 25; ++q) {
                double sum = 0;
                for (int64_t k = 0; k < 25; ++k) {
                    if (k > q) QCOMPARE(m.weights[q * 25 + k], 0.0f);
                    sum += m.weights[q * 25 + k];
                }
                QVERIFY(std::abs(sum - 1) < 1e-5);
            }
        QCOMPARE(view.heads()->pictures().size(), size_t{2});
        // A token matrix is as tall as the labels (no padding rows).
        QVERIFY(view.heads()->pictures()[0].height() < 25 * 18);
    }

    // The tab is there for networks with attention only.
    void panelTabFollowsTheGraph() {
        GraphDocument doc;
        doc.reset(test::sampleProject());
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        const int tab = panel.tabs()->indexOf(panel.attentionView());
        QVERIFY(tab >= 0);
        QVERIFY(!panel.tabs()->isTabVisible(tab));
        doc.reset(vitProject());
        QVERIFY(panel.tabs()->isTabVisible(tab));
        QCOMPARE(panel.tabs()->currentIndex(), tab);
        doc.reset(test::sampleProject());
        QVERIFY(!panel.tabs()->isTabVisible(tab));
    }
};

QTEST_MAIN(TestAttentionView)
#include "test_attention_view.moc"
