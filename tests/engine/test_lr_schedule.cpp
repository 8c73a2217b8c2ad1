// Learning-rate schedules (engine/optim/lr_schedule.h, train/lr_schedule_hook.h): every schedule
// gives PyTorch's rates at every step of a run (tests/data/lr_schedule_reference.json, computed
// by torch.optim.lr_scheduler), bad schedules are refused with the setting named before a step
// runs, the hook really changes the optimizer's rate during a run (and the run records it), a
// manual change scales the schedule, and the settings survive the project file.
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/io/project_io.h"
#include "engine/optim/lr_schedule.h"
#include "engine/settings/settings.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/standard_hooks.h"
#include "engine/train/trainer.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::dataFile;
using netloom::test::errorOf;
using netloom::test::sampleFile;

namespace {

// Sets "schedule.<key>" through the settings schema, as the project file and the CLI do.
void setScheduleSetting(TrainingConfig& c, const std::string& key, const nlohmann::json& v) {
    const SettingDef* d = findSetting("schedule." + key);
    QVERIFY2(d, key.c_str());
    if (v.is_string())
        setSetting(c, *d, v.get<std::string>());
    else if (v.is_number_integer())
        setSetting(c, *d, v.get<int64_t>());
    else
        setSetting(c, *d, v.get<double>());
}

// fashion-mlp on 640 training images: 10 steps of 64 per epoch.
TrainingConfig smallRun(int64_t epochs) {
    TrainingConfig c = loadProject(sampleFile("fashion-mlp.netloom")).training;
    c.epochs = epochs;
    c.threads = 1;
    c.dataset.limitTrain = 640;
    c.dataset.limitTest = 100;
    c.optimizer.type = "sgd";
    c.optimizer.lr = 0.05;
    return c;
}

}  // namespace

class TestLrSchedule : public QObject {
    Q_OBJECT
private slots:
    void matchesPyTorchAtEveryStep() {
        std::ifstream in(dataFile("lr_schedule_reference.json"));
        QVERIFY(in.good());
        const nlohmann::json ref = nlohmann::json::parse(in);
        const RunLength run{ref["epochs"].get<int64_t>(), ref["steps_per_epoch"].get<int64_t>()};
        const double base = ref["base_lr"].get<double>();
        QCOMPARE(ref["cases"].size(), size_t(9));
        for (const auto& c : ref["cases"]) {
            TrainingConfig t;
            t.optimizer.lr = base;
            t.epochs = run.epochs;
            for (const auto& [key, value] : c["schedule"].items())
                setScheduleSetting(t, key, value);
            QVERIFY2(
                lrScheduleProblem(t.schedule, base, run.epochs, run.stepsPerEpoch, "s").empty(),
                c["schedule"].dump().c_str());
            const std::vector<double> curve = scheduleCurve(t.schedule, base, run);
            const std::vector<double> want = c["lr"].get<std::vector<double>>();
            QCOMPARE(curve.size(), want.size());
            for (size_t i = 0; i < want.size(); ++i)
                if (std::abs(curve[i] - want[i]) > 1e-9 * std::max(1.0, std::abs(want[i])))
                    QFAIL(qPrintable(QString("%1, step %2: %3, PyTorch %4")
                                         .arg(QString::fromStdString(c["schedule"].dump()))
                                         .arg(i)
                                         .arg(curve[i], 0, 'g', 12)
                                         .arg(want[i], 0, 'g', 12)));
        }
    }

    // Hand-checked points, independent of the fixture: a cosine cycle is at half its range
    // half-way, the one-cycle schedule peaks where its rise ends.
    void knownPoints() {
        LrScheduleConfig s;
        s.type = "cosine";
        s.minLr = 0.0;
        QVERIFY(std::abs(scheduledRate(s, 1.0, 50, {10, 10}) - 0.5) < 1e-12);
        s.type = "one_cycle";
        s.pctStart = 0.25;  // 100 steps: rises over steps 0..24
        QVERIFY(std::abs(scheduledRate(s, 1.0, 24, {10, 10}) - 1.0) < 1e-12);
        QVERIFY(std::abs(scheduledRate(s, 1.0, 0, {10, 10}) - 1.0 / 25) < 1e-12);
        QVERIFY(std::abs(scheduledRate(s, 1.0, 99, {10, 10}) - 1.0 / 25 / 1e4) < 1e-15);
        s = {};
        s.type = "step";
        s.stepSize = 2;
        s.gamma = 0.5;
        QCOMPARE(scheduledRate(s, 1.0, 39, {10, 10}), 0.5);  // epoch 4 (0-based 3)
        QCOMPARE(scheduledRate(s, 1.0, 40, {10, 10}), 0.25);
    }

    void badSchedulesAreRefusedWithTheSettingNamed() {
        TrainingConfig c = smallRun(5);
        c.schedule.warmup = 5;
        QCOMPARE(errorOf([&] { validateTrainingConfig(c); }),
                 QString("training.schedule.warmup (5 epochs) must be shorter than the run (5 "
                         "epochs)"));
        c.schedule.warmup = 0;
        QCOMPARE(errorOf([&] { setSettingFromText(c, *findSetting("schedule.gamma"), "0"); }),
                 QString("training.schedule.gamma must be > 0 and at most 1, got 0"));
        QVERIFY(errorOf([&] {
                    setSettingFromText(c, *findSetting("schedule.period"), "-1");
                }).startsWith("training.schedule.period must be"));
        QVERIFY(errorOf([&] {
                    setSettingFromText(c, *findSetting("schedule.step_size"), "0");
                }).startsWith("training.schedule.step_size must be"));
        c.schedule.type = "cosine";
        c.schedule.minLr = 0.05;
        QCOMPARE(errorOf([&] { validateTrainingConfig(c); }),
                 QString("training.schedule.min_lr (0.05) must be below the learning rate "
                         "(training.optimizer.lr = 0.05)"));

        // What needs the steps per epoch fails the run before its first step, named alike.
        c.schedule = {};
        c.schedule.warmup = 60;
        c.schedule.warmupUnit = "steps";
        validateTrainingConfig(c);  // the length is not known yet
        int steps = 0;
        std::string failed;
        Trainer t = trainerFor(loadProject(sampleFile("fashion-mlp.netloom")).model().graph, c);
        const RunRecord r = t.run([&](const RunEvent& e) {
            if (e.kind == RunEvent::Kind::Step) ++steps;
            if (e.kind == RunEvent::Kind::Failed) failed = e.message;
        });
        QCOMPARE(QString::fromStdString(r.status), QString("failed"));
        QCOMPARE(steps, 0);
        QCOMPARE(QString::fromStdString(failed),
                 QString("training.schedule.warmup (60 steps) must be shorter than the run (5 "
                         "epochs of 10 steps = 50 steps)"));
        c.schedule = {};
        c.schedule.type = "one_cycle";
        c.schedule.pctStart = 0.01;  // 0.5 of 50 steps rise
        Trainer t2 = trainerFor(loadProject(sampleFile("fashion-mlp.netloom")).model().graph, c);
        QVERIFY(QString::fromStdString(t2.run([](const RunEvent&) {}).message)
                    .startsWith("training.schedule.pct_start (0.01) leaves no room"));
    }

    // The hook sets the optimizer's rate before every step: the steps' "lr" figures are the
    // schedule's curve, each epoch records the rate in force at its end, and the weights differ
    // from a run at the constant rate.
    void hookChangesTheOptimizersRateDuringARun() {
        TrainingConfig c = smallRun(4);
        c.schedule.type = "cosine";
        c.schedule.minLr = 0.001;
        c.schedule.warmup = 3;
        c.schedule.warmupUnit = "steps";
        const Graph g = loadProject(sampleFile("fashion-mlp.netloom")).model().graph;
        Trainer t = trainerFor(g, c);
        std::vector<double> used;
        const RunRecord r = t.run([&](const RunEvent& e) {
            if (e.kind == RunEvent::Kind::Step) used.push_back(e.metrics.get("lr"));
        });
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        const std::vector<double> want = scheduleCurve(c.schedule, 0.05, {4, 10});
        QCOMPARE(used.size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) QCOMPARE(used[i], want[i]);
        QVERIFY(used.front() < 0.01 && used.back() < 0.002);
        for (int e = 0; e < 4; ++e) QCOMPARE(r.epochs[e].learningRate, want[e * 10 + 9]);

        TrainingConfig flat = smallRun(4);
        Trainer t2 = trainerFor(g, flat);
        t2.run([](const RunEvent&) {});
        QVERIFY(t.weights().begin()->second.begin()->second.data()[0] !=
                t2.weights().begin()->second.begin()->second.data()[0]);
    }

    // A manual change scales the schedule: the asked rate replaces the one in force and the
    // schedule continues from there in proportion.
    void manualChangeScalesTheSchedule() {
        TrainingConfig c = smallRun(3);
        c.schedule.type = "exponential";
        c.schedule.gamma = 0.5;
        Trainer t = trainerFor(loadProject(sampleFile("fashion-mlp.netloom")).model().graph, c);
        std::vector<double> used;
        t.run([&](const RunEvent& e) {
            if (e.kind != RunEvent::Kind::Step) return;
            used.push_back(e.metrics.get("lr"));
            if (e.step == 15) t.setLearningRate(2 * e.metrics.get("lr"));
        });
        const std::vector<double> plain = scheduleCurve(c.schedule, 0.05, {3, 10});
        QCOMPARE(used.size(), size_t(30));
        for (size_t i = 0; i < 15; ++i) QCOMPARE(used[i], plain[i]);
        for (size_t i = 15; i < 30; ++i) QCOMPARE(used[i], 2 * plain[i]);
    }

    // A schedule that does nothing is not written, so older files round-trip exactly; one that
    // does survives the file.
    void scheduleSurvivesTheProjectFile() {
        Project p = loadProject(sampleFile("fashion-mlp.netloom"));
        QVERIFY(serializeProject(p).find("\"schedule\"") == std::string::npos);
        p.training.schedule.type = "one_cycle";
        p.training.schedule.maxLr = 0.2;
        p.training.schedule.warmup = 2;
        p.training.schedule.warmupUnit = "steps";
        p.training.checkpoints.every = 2;
        p.training.checkpoints.best = "val_accuracy";
        const std::string text = serializeProject(p);
        QVERIFY(text.find("\"schedule\"") != std::string::npos);
        const Project back = parseProject(text, "memory");
        QVERIFY(back.training.schedule == p.training.schedule);
        QVERIFY(back.training.checkpoints == p.training.checkpoints);
        QCOMPARE(serializeProject(back), text);
    }
};

QTEST_APPLESS_MAIN(TestLrSchedule)
#include "test_lr_schedule.moc"
