// ONNX export against ONNX Runtime: every layer kind (each example configuration in the
// registry, as a small graph) and every sample (each part: model, encoder, decoder, generator,
// discriminator) exports, passes ONNX's checker and gives in ONNX Runtime the outputs of
// NetLoom's InferenceSession to 1e-4 relative. ONNX Runtime is the npm package
// onnxruntime-node, installed under the build tree on first use; without it the suite fails.
#include <QDir>
#include <QFile>
#include <QtTest>

#include "engine/export/onnx_export.h"
#include "engine/infer/inference_session.h"
#include "engine/io/project_io.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/onnx_test_support.h"

using namespace netloom::engine;
using namespace netloom::test;

namespace {

struct Case {
    std::string label;
    Graph graph;
    WeightSet weights;
};

// Exports every case, runs all in one ONNX Runtime process and compares with NetLoom.
void checkParity(const std::vector<Case>& cases, const QString& folder) {
    QDir().mkpath(folder);
    std::vector<OnnxRun> runs;
    std::vector<Tensor> expected;
    for (size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const std::string path = (folder + QString("/m%1.onnx").arg(i)).toStdString();
        std::string bytes;
        try {
            bytes = exportOnnxModel(c.graph, c.weights, c.label);
        } catch (const netloom::Error& e) {
            QFAIL((c.label + ": " + e.what()).c_str());
        }
        writeFileAtomically(path, bytes);
        InferenceSession session(c.graph, c.weights, TargetKind::None);
        Tensor x = graphInput(c.graph, 3, session.inputShape(), 100 + i);
        expected.push_back(session.forward(x));
        runs.push_back({path, std::move(x), {}});
    }
    const QString error = runInOnnxRuntime(runs, folder);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    double worst = 0;
    std::string worstLabel;
    for (size_t i = 0; i < cases.size(); ++i) {
        const std::string& label = cases[i].label;
        QVERIFY2(runs[i].output.dims() == expected[i].dims(),
                 (label + ": ONNX Runtime's output has other dims").c_str());
        const double err = relativeError(runs[i].output, expected[i]);
        QVERIFY2(err <= 1e-4, (label + ": relative error " + std::to_string(err)).c_str());
        if (err >= worst) std::tie(worst, worstLabel) = std::tie(err, label);
    }
    qInfo("%zu models match ONNX Runtime; largest relative error %.2g (%s)", cases.size(), worst,
          worstLabel.c_str());
}

}  // namespace

class TestOnnxRuntime : public QObject {
    Q_OBJECT
private slots:
    void everyLayerHasAnOnnxHook() {
        for (const LayerDef* def : allLayerDefs()) {
            QVERIFY2(dynamic_cast<const OnnxExportHook*>(def->exportHook(kOnnxFormat)),
                     def->type().c_str());
            QCOMPARE(def->exportHook("no-such-format"), nullptr);
        }
    }

    void everyLayerKindMatchesOnnxRuntime() {
        std::vector<Case> cases;
        uint64_t seed = 1;
        for (TableGraph& t : layerTableGraphs()) {
            WeightSet w = tableWeights(t.graph, seed++);
            cases.push_back({t.label, std::move(t.graph), std::move(w)});
        }
        QVERIFY(cases.size() >= allLayerDefs().size());
        checkParity(cases, tempDir() + "/layers");
    }

    // The state ports h and c, stacked layers and ReLU SimpleRNN through ONNX's RNN operators.
    void recurrentPortsMatchOnnxRuntime() {
        std::vector<Case> cases;
        uint64_t seed = 50;
        for (TableGraph& t : recurrentPortGraphs()) {
            WeightSet w = tableWeights(t.graph, seed++);
            cases.push_back({t.label, std::move(t.graph), std::move(w)});
        }
        checkParity(cases, tempDir() + "/ports");
    }

    void everySampleMatchesOnnxRuntime() {
        std::vector<Case> cases;
        const QStringList samples =
            QDir(QString::fromStdString(sampleFile(""))).entryList({"*.netloom"}, QDir::Files);
        QVERIFY(samples.size() >= 7);
        for (const QString& name : samples) {
            const Project project = loadProject(sampleFile(name.toStdString()));
            for (OnnxExportPart& part : onnxExportParts(project, {.discriminator = true}))
                cases.push_back({name.toStdString() + "/" + part.label, std::move(part.graph),
                                 std::move(part.weights)});
        }
        checkParity(cases, tempDir() + "/samples");
    }
};

QTEST_GUILESS_MAIN(TestOnnxRuntime)
#include "test_onnx_runtime.moc"
