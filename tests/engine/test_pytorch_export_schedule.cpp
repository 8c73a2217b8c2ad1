// The exported script's learning-rate schedule and augmentation against NetLoom's own code:
// - for every schedule kind (and the linear warm-up in epochs and in steps), the rate the
//   script's optimizer is set to at every step (scheduled_rate + set_rate on make_optimizer's
//   optimizer) equals scheduleCurve(), the function NetLoom's run uses;
// - the transforms' deterministic cases on a known image: crop with a fixed offset, flip,
//   rotation/zoom with a fixed angle and scale, equal NetLoom's RandomCrop::crop, a reversed
//   row and RandomAffine::warp; and the project's augmentation reaches the script in NetLoom's
//   order with NetLoom's parameters.
// Runs when a Python with torch exists; skips otherwise.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>

#include "engine/data/transforms/random_affine.h"
#include "engine/data/transforms/random_crop.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/io/project_io.h"
#include "engine/optim/lr_schedule.h"
#include "support/test_support.h"
#include "tests/engine/pytorch_export_support.h"

using namespace netloom::engine;
using netloom::test::ProcessResult;
using netloom::test::runProcess;

namespace {

// Imports model.py (argv[1]) as a module and prints one JSON object: the rate set at every
// step of a run of argv[2] epochs of argv[3] steps, the augmentation list, and the three
// deterministic transforms of the image argv[4] (JSON {c, h, w, values}).
const char* kProbe = R"PY(
import importlib.util, json, sys
import torch
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
epochs, spe = int(sys.argv[2]), int(sys.argv[3])
model = m.NETWORKS["model"]()
opt = m.make_optimizer(model, "model", m.OPTIMIZER)
rates = []
for t in range(epochs * spe):
    m.set_rate(opt, m.scheduled_rate(t, spe, epochs))
    rates.append(opt.param_groups[0]["lr"])
img = json.loads(sys.argv[4])
x = torch.tensor(img["values"], dtype=torch.float32).reshape(1, img["c"], img["h"], img["w"])
out = {"rates": rates, "augmentation": m.AUGMENTATION,
       "crop": m.crop(x, 2, -0.5, [(1, 3)]).flatten().tolist(),
       "flip": m.horizontal_flip(x, 1.0).flatten().tolist(),
       "rotate": m.rotate_zoom(x, [30.0], [1.1], -0.5).flatten().tolist(),
       "augmented_shape": list(m.augment(x.repeat(4, 1, 1, 1)).shape)}
print(json.dumps(out))
)PY";

constexpr int kC = 2, kH = 6, kW = 5;

std::vector<float> knownImage() {
    std::vector<float> v(static_cast<size_t>(kC * kH * kW));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 37) % 11) / 10.0f;
    return v;
}

QJsonObject probe(const Project& project, const QString& dir) {
    const PyTorchExportReport report = exportPyTorch(project, dir.toStdString());
    if (!report.ok()) {
        QTest::qFail(report.text().c_str(), __FILE__, __LINE__);
        return {};
    }
    QJsonArray values;
    for (float v : knownImage()) values.append(static_cast<double>(v));
    const QJsonObject image{{"c", kC}, {"h", kH}, {"w", kW}, {"values", values}};
    // Steps per epoch as the script computes them (full batches of the training set).
    const int64_t spe = project.training.dataset.limitTrain / project.training.batchSize;
    const ProcessResult r =
        runProcess(netloom::test::torchPython(),
                   {"-c", kProbe, dir + "/model.py", QString::number(project.training.epochs),
                    QString::number(spe), QString::fromUtf8(QJsonDocument(image).toJson())});
    if (r.exitCode != 0) {
        QTest::qFail(qPrintable(r.output), __FILE__, __LINE__);
        return {};
    }
    const QByteArray last = r.output.trimmed().split('\n').last().toUtf8();
    return QJsonDocument::fromJson(last).object();
}

void compareFloats(const char* what, const QJsonArray& theirs, const std::vector<float>& ours) {
    QCOMPARE(static_cast<size_t>(theirs.size()), ours.size());
    for (size_t i = 0; i < ours.size(); ++i)
        QVERIFY2(std::fabs(theirs[static_cast<int>(i)].toDouble() - ours[i]) <= 1e-6,
                 qPrintable(QString("%1[%2]: script %3, NetLoom %4")
                                .arg(what)
                                .arg(i)
                                .arg(theirs[static_cast<int>(i)].toDouble())
                                .arg(ours[i])));
}

}  // namespace

class TestPytorchExportSchedule : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (netloom::test::torchPython().isEmpty())
            QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        if (!QFile::exists(QString::fromStdString(netloom::test::fashionDir()) +
                           "/train-labels-idx1-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
    }

    void scriptRateEqualsNetLoomsAtEveryStep_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("warmup");
        QTest::addColumn<QString>("warmupUnit");
        QTest::addColumn<int>("period");
        QTest::addColumn<int>("multiplier");
        QTest::newRow("constant") << "constant" << 0 << "epochs" << 0 << 1;
        QTest::newRow("step") << "step" << 0 << "epochs" << 0 << 1;
        QTest::newRow("exponential") << "exponential" << 0 << "epochs" << 0 << 1;
        QTest::newRow("cosine over the run") << "cosine" << 0 << "epochs" << 0 << 1;
        QTest::newRow("cosine restarts") << "cosine" << 0 << "epochs" << 2 << 1;
        QTest::newRow("cosine restarts x2") << "cosine" << 0 << "epochs" << 1 << 2;
        QTest::newRow("one-cycle") << "one_cycle" << 0 << "epochs" << 0 << 1;
        QTest::newRow("warm-up 1 epoch, cosine") << "cosine" << 1 << "epochs" << 0 << 1;
        QTest::newRow("warm-up 5 steps, step") << "step" << 5 << "steps" << 0 << 1;
        QTest::newRow("warm-up 3 steps alone") << "constant" << 3 << "steps" << 0 << 1;
    }
    void scriptRateEqualsNetLoomsAtEveryStep() {
        QFETCH(QString, type);
        QFETCH(int, warmup);
        QFETCH(QString, warmupUnit);
        QFETCH(int, period);
        QFETCH(int, multiplier);
        Project project = loadProject(netloom::test::sampleFile("fashion-mlp.netloom"));
        TrainingConfig& c = project.training;
        c.dataset.limitTrain = 7 * c.batchSize;  // 7 steps per epoch
        c.dataset.limitTest = 64;
        c.epochs = 6;
        LrScheduleConfig& s = c.schedule;
        s.type = type.toStdString();
        s.stepSize = 2;
        s.gamma = type == "step" ? 0.5 : 0.8;
        s.period = period;
        s.periodMultiplier = multiplier;
        s.minLr = 1e-5;
        s.maxLr = 0.01;
        s.warmup = warmup;
        s.warmupUnit = warmupUnit.toStdString();
        QVERIFY(lrScheduleProblem(s, c.optimizer.lr, c.epochs, 7, "training.schedule").empty());
        const QJsonObject out = probe(project, netloom::test::tempDir() + "/schedule");
        if (QTest::currentTestFailed()) return;
        const std::vector<double> ours = scheduleCurve(s, c.optimizer.lr, {c.epochs, 7});
        const QJsonArray theirs = out["rates"].toArray();
        QCOMPARE(static_cast<size_t>(theirs.size()), ours.size());
        for (size_t t = 0; t < ours.size(); ++t)
            QVERIFY2(std::fabs(theirs[static_cast<int>(t)].toDouble() - ours[t]) <=
                         1e-12 * std::max(ours[t], 1e-300) + 1e-18,
                     qPrintable(QString("step %1: script %2, NetLoom %3")
                                    .arg(t)
                                    .arg(theirs[static_cast<int>(t)].toDouble(), 0, 'g', 17)
                                    .arg(ours[t], 0, 'g', 17)));
        // The schedule moved the rate (except the constant one): the comparison is not trivial.
        const auto [lo, hi] = std::minmax_element(ours.begin(), ours.end());
        if (s.active()) QVERIFY(*hi > *lo * 1.5);
    }

    void transformsMatchNetLoomsOnAKnownImage() {
        Project project = loadProject(netloom::test::sampleFile("fashion-cnn.netloom"));
        TrainingConfig& c = project.training;
        c.dataset.limitTrain = 128;
        c.dataset.limitTest = 64;
        c.augmentation.cropPadding = 2;
        c.augmentation.flip = true;
        c.augmentation.rotation = 15;
        c.augmentation.zoom = 0.1;
        c.augmentation.erasing = 0.5;
        c.augmentation.noise = 0.05;
        const QJsonObject out = probe(project, netloom::test::tempDir() + "/augment");
        if (QTest::currentTestFailed()) return;

        // NetLoom's chain, in its order, with its parameters (fill = black after scaling).
        QStringList names;
        for (const QJsonValue& t : out["augmentation"].toArray())
            names << t.toObject()["name"].toString();
        QCOMPARE(names, (QStringList{"random_crop", "horizontal_flip", "random_affine",
                                     "random_erasing", "input_noise"}));
        const QJsonObject crop = out["augmentation"].toArray()[0].toObject()["params"].toObject();
        QCOMPARE(crop["padding"].toDouble(), 2.0);
        QCOMPARE(crop["fill"].toDouble(), 0.0);
        QCOMPARE(out["augmented_shape"].toArray(), (QJsonArray{4, kC, kH, kW}));

        const std::vector<float> in = knownImage();
        const int64_t plane = int64_t{kH} * kW;
        std::vector<float> cropped(in.size()), flipped = in, rotated(in.size());
        for (int64_t ch = 0; ch < kC; ++ch) {
            RandomCrop::crop(in.data() + ch * plane, cropped.data() + ch * plane, kH, kW, 2, 1, 3,
                             -0.5f);
            RandomAffine::warp(in.data() + ch * plane, rotated.data() + ch * plane, kH, kW, 30.0,
                               1.1, -0.5f);
        }
        for (int64_t row = 0; row < kC * kH; ++row)
            std::reverse(flipped.begin() + row * kW, flipped.begin() + (row + 1) * kW);
        compareFloats("crop", out["crop"].toArray(), cropped);
        compareFloats("flip", out["flip"].toArray(), flipped);
        compareFloats("rotate", out["rotate"].toArray(), rotated);
        QVERIFY(cropped != in && rotated != in);  // the cases change the image
    }
};

QTEST_GUILESS_MAIN(TestPytorchExportSchedule)
#include "test_pytorch_export_schedule.moc"
