// SimpleRNN, LSTM and GRU against PyTorch's nn.RNN, nn.LSTM and nn.GRU with the same weights:
// outputs (sequence or last step, final h and c), the input gradient and every parameter's
// gradient (by PyTorch's parameter name) agree to 1e-4 relative (max |ours − torch| over the
// tensor ÷ max |torch|). Two sources of the reference: the checked-in fixture
// tests/data/rnn_parity.json (always compared, so CI without torch still checks parity) and, when
// /usr/bin/python3 has torch, a fresh run of tests/data/rnn_parity.py (the fixture must also
// still equal what torch computes today).
#include <omp.h>
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/core/compute.h"
#include "engine/layers/registry.h"
#include "support/test_support.h"
#include "support/torch_parity.h"

using namespace netloom::engine;
using netloom::test::compareWithTorch;
using netloom::test::formulaTensor;
using json = nlohmann::json;

namespace {

// Runs one case of the reference through our layer; returns every mismatch.
QStringList checkCase(const json& doc, const json& c) {
    const int64_t n = doc["batch"], t = doc["steps"], f = doc["features"], h = doc["hidden"];
    const std::string type = c["type"];
    const LayerDef* def = findLayerDef(type);
    if (!def) return {QString::fromStdString("no layer " + type)};
    Params given;
    given.set("units", h);
    given.set("layers", c["layers"].get<int64_t>());
    given.set("return_sequences", c["return_sequences"].get<bool>());
    if (type == "SimpleRNN") given.set("activation", c["activation"].get<std::string>());
    const Params p = normalizeParams(def->schema(), given, type);
    const std::vector<Shape> in{Shape::sequenceOf({t, f})};
    const std::vector<Shape> outShapes = def->inferShapes(in, p);
    auto layer = def->create(in, p);
    ComputeContext ctx;
    layer->prepare(n, ctx);
    std::vector<Parameter*> params = layer->parameters();
    for (size_t k = 0; k < params.size(); ++k) {
        Tensor v = formulaTensor(params[k]->value.dims(), 0.731, 1.7 * double(k) + 0.3, false);
        for (int64_t i = 0; i < v.size(); ++i) params[k]->value[i] = 0.4f * v[i];
    }
    Tensor x = formulaTensor({n, t, f}, 0.37, 0.5, false);
    std::vector<Tensor> outs(outShapes.size()), grads(outShapes.size());
    std::vector<Tensor*> outPtrs;
    std::vector<const Tensor*> outConst, gradPtrs;
    for (size_t k = 0; k < outShapes.size(); ++k) {
        outs[k].resize(n, outShapes[k]);
        std::vector<int64_t> d = outs[k].dims();
        grads[k] = formulaTensor(d, 0.29, double(k), true);
        outPtrs.push_back(&outs[k]);
        outConst.push_back(&outs[k]);
        gradPtrs.push_back(&grads[k]);
    }
    layer->forward({&x}, outPtrs, true);
    Tensor dx({n, t, f});
    layer->backward({&x}, outConst, gradPtrs, {&dx});

    QStringList problems;
    const QString name = QString::fromStdString(c["name"].get<std::string>());
    if (c["outputs"].size() != outs.size())
        problems << name + QString(": %1 outputs, PyTorch case has %2")
                               .arg(outs.size())
                               .arg(c["outputs"].size());
    for (size_t k = 0; k < std::min(outs.size(), c["outputs"].size()); ++k)
        problems << compareWithTorch(outs[k], c["outputs"][k],
                                     name + QString(" output %1").arg(k + 1));
    problems << compareWithTorch(dx, c["input_grad"], name + " input gradient");
    const json& pg = c["param_grads"];
    if (pg.size() != params.size())
        problems << name + QString(": %1 parameters, PyTorch %2").arg(params.size()).arg(pg.size());
    for (Parameter* prm : params) {
        if (!pg.contains(prm->name)) {
            problems << name + ": PyTorch has no parameter " + QString::fromStdString(prm->name);
            continue;
        }
        problems << compareWithTorch(prm->grad, pg[prm->name],
                                     name + " gradient of " + QString::fromStdString(prm->name));
    }
    problems.removeAll(QString());
    return problems;
}

void checkReference(const json& doc) {
    QVERIFY(doc["cases"].size() >= 6);
    QStringList all;
    for (const json& c : doc["cases"]) all << checkCase(doc, c);
    QVERIFY2(all.isEmpty(), qPrintable(all.join("\n")));
}

}  // namespace

class TestRecurrentParity : public QObject {
    Q_OBJECT
private slots:
    // Tiny layers: one thread (a 2-thread team stalls at every step's barrier on a busy machine).
    void initTestCase() { omp_set_num_threads(1); }

    void matchesCheckedInFixture() {
        std::ifstream file(netloom::test::dataFile("rnn_parity.json"));
        QVERIFY2(file, "tests/data/rnn_parity.json is missing");
        checkReference(json::parse(file));
    }

    void matchesPytorchNow() {
        if (!netloom::test::torchAvailable())
            QSKIP("python3-torch is not installed: the fixture row checks parity");
        json fresh;
        const QString failed = netloom::test::runTorchReference("rnn_parity.py", &fresh);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        checkReference(fresh);
    }
};

QTEST_GUILESS_MAIN(TestRecurrentParity)
#include "test_recurrent_parity.moc"
