// Weights back from PyTorch (netloom import-weights, File ▸ Import weights…): the tensor file is
// read into the project's networks, checked against the graph; files from another graph and
// corrupt files are refused with messages naming what is wrong. Also what the exporter refuses
// (a layer without a PyTorch hook) and writes for data it cannot point the script at (a
// synthetic set becomes data.nlw). Needs no torch.
#include <QFile>
#include <QtTest>

#include <cmath>
#include <fstream>

#include "engine/data/dataset.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_import.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/infer/inference_session.h"
#include "engine/io/project_io.h"
#include "engine/layers/registry.h"
#include "support/test_layers.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::errorOf;

namespace {

Project sample(const char* name) {
    return loadProject(netloom::test::sampleFile(name));
}

std::string exported(const Project& p, const QString& name) {
    const std::string dir = (netloom::test::tempDir() + "/" + name).toStdString();
    const PyTorchExportReport r = exportPyTorch(p, dir);
    if (!r.ok()) throw netloom::Error(r.text());
    return dir;
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string writeBytes(const QString& name, const std::string& bytes) {
    const std::string path = (netloom::test::tempDir() + "/" + name).toStdString();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

Params params(std::initializer_list<std::pair<const std::string, ParamValue>> values) {
    Params p;
    for (const auto& [k, v] : values) p.set(k, v);
    return p;
}

}  // namespace

class TestPytorchExportImport : public QObject {
    Q_OBJECT
private slots:
    void importReplacesTheProjectsWeights() {
        Project project = sample("fashion-mlp.netloom");
        const std::string dir = exported(project, "mlp");
        // Change one tensor the way a training run would, then import the file.
        TensorFile file = readTensorFile(dir + "/weights.nlw");
        QVERIFY(file.find("model.fc3.bias"));
        for (auto& [name, t] : file.tensors)
            if (name == "model.fc3.bias") t.fill(0.25f);
        writeTensorFile(dir + "/trained.nlw", file);
        QVERIFY(project.model().weights.empty());
        const std::string summary = importPyTorchWeights(project, dir + "/trained.nlw");
        QVERIFY2(summary.find("6 tensors of model") != std::string::npos, summary.c_str());
        const Node* fc3 = project.model().graph.findNodeByName("fc3");
        QVERIFY(fc3);
        const Tensor& bias = project.model().weights.at(fc3->id).at("bias");
        QCOMPARE(bias.size(), int64_t(10));
        QCOMPARE(bias[3], 0.25f);
        // Every other tensor is the file's, bit for bit, and inference runs on them.
        for (const auto& [role, net] : pytorchNetworks(project))
            for (const PyTorchTensor& t : net.tensors) {
                const Tensor& ours = project.model().weights.at(t.nodeId).at(t.param);
                QCOMPARE(ours.storage(), file.find("model." + t.key)->storage());
            }
        InferenceSession session(project.model().graph, project.model().weights,
                                 TargetKind::ClassLabels);
        QCOMPARE(session.forward(Tensor({2, 1, 28, 28})).dim(1), int64_t(10));
        // And the project file keeps them.
        const std::string saved =
            (netloom::test::tempDir() + "/mlp-imported.netloom").toStdString();
        saveProject(project, saved);
        QCOMPARE(loadProject(saved).model().weights.at(fc3->id).at("bias")[0], 0.25f);
    }

    void refusesWeightsOfAnotherGraph() {
        const std::string mlpWeights =
            exported(sample("fashion-mlp.netloom"), "mlp2") + "/weights.nlw";
        Project cnn = sample("fashion-cnn.netloom");
        const QString e = errorOf([&] { importPyTorchWeights(cnn, mlpWeights); });
        QVERIFY2(e.contains("different graph"), qPrintable(e));
        QVERIFY2(e.contains("'model.fc1.weight' is [256, 784] but layer fc1 needs [128, 3136]"),
                 qPrintable(e));
        QVERIFY2(e.contains("Missing: 'model.conv1.weight'"), qPrintable(e));
        QVERIFY2(e.contains("Not in this project: 'model.fc3.weight'"), qPrintable(e));
        QVERIFY(cnn.model().weights.empty());  // nothing half-imported
    }

    void refusesCorruptFiles() {
        Project project = sample("fashion-mlp.netloom");
        const std::string good = readBytes(exported(project, "mlp3") + "/weights.nlw");
        auto importBytes = [&](const char* name, const std::string& bytes) {
            const std::string path = writeBytes(name, bytes);
            return errorOf([&] { importPyTorchWeights(project, path); });
        };
        QString e = errorOf([&] { importPyTorchWeights(project, "/nonexistent/trained.nlw"); });
        QVERIFY2(e.contains("cannot open"), qPrintable(e));
        e = importBytes("magic.nlw", "PK\x03\x04" + good.substr(4));
        QVERIFY2(e.contains("not a NetLoom tensor file"), qPrintable(e));
        e = importBytes("short.nlw", good.substr(0, 12));
        QVERIFY2(e.contains("not a NetLoom tensor file"), qPrintable(e));
        e = importBytes("truncated.nlw", good.substr(0, good.size() - 1000));
        QVERIFY2(e.contains("truncated") && e.contains("runs past the end"), qPrintable(e));
        std::string hugeHeader = good;
        hugeHeader[15] = '\x7f';  // header length ~ 2^63
        e = importBytes("header-length.nlw", hugeHeader);
        QVERIFY2(e.contains("truncated or corrupt"), qPrintable(e));
        std::string notJson = good;
        notJson[16] = '#';
        e = importBytes("not-json.nlw", notJson);
        QVERIFY2(e.contains("not JSON"), qPrintable(e));
        // A NaN (a diverged run) is named, not imported.
        TensorFile file = readTensorFile(writeBytes("ok.nlw", good));
        file.tensors[2].second[5] = NAN;
        const std::string nanPath = (netloom::test::tempDir() + "/nan.nlw").toStdString();
        writeTensorFile(nanPath, file);
        e = errorOf([&] { importPyTorchWeights(project, nanPath); });
        QVERIFY2(e.contains("'" + QString::fromStdString(file.tensors[2].first) + "'") &&
                     e.contains("NaN"),
                 qPrintable(e));
        QVERIFY(project.model().weights.empty());
    }

    void reportsLayersWithoutPyTorchExport() {
        ScopedLayerRegistration reg(netloom::test::brokenScaleDef());
        Project p;
        Graph& g = p.model().graph;
        g.addNode(Node{"n1", "Input", "x", params({{"shape", std::string("6")}})});
        g.addNode(Node{"n2", "TestBrokenScale", "odd", {}});
        g.addNode(Node{"n3", "Dense", "fc", params({{"units", int64_t{3}}})});
        g.connect(Edge{"n1", 0, "n2", 0});
        g.connect(Edge{"n2", 0, "n3", 0});
        const std::string dir = (netloom::test::tempDir() + "/unsupported").toStdString();
        const PyTorchExportReport r = exportPyTorch(p, dir);
        QVERIFY(!r.ok());
        QVERIFY2(r.text().find("layer 'odd' (TestBrokenScale) has no PyTorch export") !=
                     std::string::npos,
                 r.text().c_str());
        QVERIFY(r.written.empty());
        QVERIFY(!QFile::exists(QString::fromStdString(dir + "/model.py")));
    }

    void syntheticDataTravelsAsTensors() {
        Project p;
        p.training.dataset.kind = "synthetic";
        p.training.dataset.synthetic = "circles";
        p.training.dataset.syntheticSamples = 200;
        Graph& g = p.model().graph;
        g.addNode(Node{"n1", "Input", "x", params({{"shape", std::string("2")}})});
        g.addNode(Node{"n2", "Dense", "fc", params({{"units", int64_t{2}}})});
        g.connect(Edge{"n1", 0, "n2", 0});
        const std::string dir = exported(p, "synthetic");
        const TensorFile data = readTensorFile(dir + "/data.nlw");
        const DataSplit split = loadData(p.training.dataset, 0.0, p.training.seed);
        QCOMPARE(data.find("train_x")->dims(), (std::vector<int64_t>{split.train.count, 2}));
        QCOMPARE(data.find("test_y")->dims(), (std::vector<int64_t>{split.test.count}));
        QCOMPARE((*data.find("train_x"))[1], split.train.features[1]);
        QCOMPARE((*data.find("test_y"))[3], static_cast<float>(split.test.labels[3]));
        QVERIFY(readBytes(dir + "/model.py").find("\"file\":\"data.nlw\"") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestPytorchExportImport)
#include "test_pytorch_export_import.moc"
