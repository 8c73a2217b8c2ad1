// The one run skeleton (engine/train/run_loop.h): every task's recipe runs through it, hooks see
// every run's steps and epochs, early stopping and the learning-rate change are hooks, and the
// rate each epoch used is recorded. A scripted recipe tests the skeleton's own rules without
// data; the real recipes come from the task registry.
#include <QtTest>

#include <cmath>
#include <map>
#include <set>

#include "engine/io/project_io.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"
#include "engine/train/trainer.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::sampleFile;

namespace {

// Counts what a hook sees, by call, and the metric names of the step events.
struct CountingHook final : RunHook {
    int starts = 0, stepStarts = 0, stepEnds = 0, epochEnds = 0, ends = 0;
    int64_t lastStep = 0;
    std::set<std::string> stepMetrics;
    void onRunStart(const RunEvent& started, TrainingRecipe&) override {
        ++starts;
        QCOMPARE(started.kind, RunEvent::Kind::Started);
    }
    void onStepStart(int64_t step, TrainingRecipe&) override {
        ++stepStarts;
        QCOMPARE(step, lastStep + 1);
    }
    HookVerdict onStepEnd(const RunEvent& ev, TrainingRecipe&) override {
        ++stepEnds;
        lastStep = ev.step;
        for (int i = 0; i < ev.metrics.size(); ++i) stepMetrics.insert(ev.metrics.name(i));
        return {};
    }
    HookVerdict onEpochEnd(const RunEvent& ev, TrainingRecipe&) override {
        ++epochEnds;
        return {};
    }
    void onRunEnd(bool, RunRecord&, TrainingRecipe&) override { ++ends; }
};

// A recipe without data or models: step losses and validation losses follow a script, and it
// remembers which epoch's weights were loaded back.
class ScriptedRecipe final : public TrainingRecipe {
public:
    ScriptedRecipe(int64_t epochs, std::vector<double> valLosses)
        : m_valLosses(std::move(valLosses)) {
        m_config.epochs = epochs;
        m_config.batchSize = 8;
        m_config.threads = 1;
    }
    int64_t nanAtStep = 0;  // 1-based global step whose loss is NaN (0: none)
    int64_t loadedEpoch = 0;
    int rollbacks = 0;
    double lr = 0.1;

    const TrainingConfig& config() const override { return m_config; }
    void prepare(RunEvent& started) override { started.stepsPerEpoch = 4; }
    int64_t samplesPerStep() const override { return m_config.batchSize; }
    void beginEpoch(int64_t) override {}
    bool step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) override {
        if (step == nanAtStep) {
            nanAtStep = 0;  // once
            ev.metrics.set("loss", std::nan(""));
            m_problem = "the loss became NaN at epoch " + std::to_string(epoch) + ", batch " +
                        std::to_string(stepInEpoch) + " (step " + std::to_string(step) + ")";
            return false;
        }
        ev.metrics.set("loss", 1.0 / static_cast<double>(step));
        return true;
    }
    std::string nonFiniteProblem() const override { return m_problem; }
    bool canRollBack() const override { return true; }
    void restoreEpochStart() override { ++rollbacks; }
    void endEpoch(int64_t epoch, EpochRecord& rec, RunEvent& ev) override {
        rec.trainLoss = 1.0;
        rec.valLoss = m_valLosses.at(static_cast<size_t>(epoch - 1));
        auto w = std::make_shared<const WeightSet>();
        m_epochOf[w.get()] = epoch;
        ev.weights["model"] = std::move(w);
    }
    bool validates() const override { return true; }
    void finish(bool stopped, RunEvent& ev, RunRecord& record) override {
        if (!stopped) record.testLoss = ev.test.loss = 0.25;
    }
    double learningRate() const override { return lr; }
    void setLearningRate(double v) override { lr = v; }
    std::string primaryRole() const override { return "model"; }
    void loadPrimaryWeights(const WeightSet& w) override { loadedEpoch = m_epochOf.at(&w); }
    std::map<std::string, WeightSet> keptWeights() override { return {{"model", {}}}; }

private:
    TrainingConfig m_config;
    std::vector<double> m_valLosses;
    std::map<const WeightSet*, int64_t> m_epochOf;
    std::string m_problem;
};

std::vector<RunEvent> runScripted(ScriptedRecipe& recipe,
                                  const std::vector<std::shared_ptr<RunHook>>& hooks,
                                  RunRecord& record, RunOptions options = {}) {
    RunControl control;
    std::vector<RunEvent> events;
    record = runTraining(
        recipe, control, hooks,
        [&](const RunEvent& e) {
            events.push_back(e);
            if (e.kind == RunEvent::Kind::Paused) {
                QVERIFY(control.isPaused());
                control.resume();
            }
        },
        options);
    return events;
}

int countOf(const std::vector<RunEvent>& events, RunEvent::Kind kind) {
    int n = 0;
    for (const RunEvent& e : events) n += e.kind == kind;
    return n;
}

}  // namespace

class TestRunLoop : public QObject {
    Q_OBJECT
private slots:
    // The acceptance rule of the issue: the classifier and the GAN run through the same
    // skeleton. One hook type sees both runs' steps and epochs; the recipes come from the task
    // registry, and each run keeps its task's networks by role.
    void classifierAndGanRunThroughTheSameSkeleton() {
        struct Case {
            const char* sample;
            std::set<std::string> metrics, kept;
        };
        const Case cases[] = {
            {"fashion-mlp.netloom", {"loss", "accuracy", "lr"}, {"model"}},
            {"fashion-gan.netloom",
             {"d_loss", "g_loss", "d_real_accuracy", "d_fake_accuracy", "lr"},
             {"generator", "discriminator"}},
        };
        for (const Case& c : cases) {
            Project p = loadProject(sampleFile(c.sample));
            p.training.epochs = 2;
            p.training.threads = 1;
            p.training.dataset.limitTrain = 640;
            p.training.dataset.limitTest = 100;
            p.training.gan.iterationsPerEpoch = 5;
            p.training.gan.sampleEvery = 0;
            const TaskDef& task = taskFor(p.training);
            std::unique_ptr<TrainingRecipe> recipe = task.makeRecipe(recipeInputsFor(p));
            auto hook = std::make_shared<CountingHook>();
            RunControl control;
            std::vector<RunEvent> events;
            std::set<std::string> kept;
            const RunRecord r = runTraining(
                *recipe, control, {hook}, [&](const RunEvent& e) { events.push_back(e); }, {},
                [&](std::map<std::string, WeightSet>&& w) {
                    for (auto& [role, set] : w) {
                        QVERIFY2(!set.empty(), role.c_str());
                        kept.insert(role);
                    }
                });
            QCOMPARE(QString::fromStdString(r.status), QString("finished"));
            const int64_t perEpoch = events.front().stepsPerEpoch;
            QCOMPARE(perEpoch, task.isMultiNetwork() ? int64_t(5) : int64_t(640 / 64));
            QCOMPARE(hook->starts, 1);
            QCOMPARE(hook->stepStarts, int(2 * perEpoch));
            QCOMPARE(hook->stepEnds, int(2 * perEpoch));
            QCOMPARE(hook->epochEnds, 2);
            QCOMPARE(hook->ends, 1);
            QCOMPARE(countOf(events, RunEvent::Kind::Step), int(2 * perEpoch));
            QCOMPARE(countOf(events, RunEvent::Kind::Epoch), 2);
            QCOMPARE(events.back().kind, RunEvent::Kind::Finished);
            // The classifier's test evaluation after the last batch is announced, just before
            // Finished (the window says "Evaluating on the test set…"); the GAN has none.
            if (task.isMultiNetwork()) {
                QCOMPARE(countOf(events, RunEvent::Kind::Evaluating), 0);
            } else {
                QCOMPARE(countOf(events, RunEvent::Kind::Evaluating), 1);
                const RunEvent& evaluating = events[events.size() - 2];
                QCOMPARE(evaluating.kind, RunEvent::Kind::Evaluating);
                QCOMPARE(QString::fromStdString(evaluating.message),
                         QString("Evaluating on the test set"));
            }
            QVERIFY(hook->stepMetrics == c.metrics);
            QVERIFY(kept == c.kept);
            // Both record the learning rate their epochs used (the first network's optimizer).
            for (const EpochRecord& e : r.epochs) QCOMPARE(e.learningRate, p.training.optimizer.lr);
        }
    }

    // The registry's recipe and the Trainer facade are the same run, bit for bit.
    void registryRecipeMatchesTrainer() {
        Project p = loadProject(sampleFile("fashion-mlp.netloom"));
        p.training.epochs = 1;
        p.training.threads = 1;
        p.training.dataset.limitTrain = 640;
        p.training.dataset.limitTest = 100;
        Trainer trainer = trainerFor(p.model().graph, p.training);
        const RunRecord a = trainer.run([](const RunEvent&) {});
        std::unique_ptr<TrainingRecipe> recipe = taskFor(p.training).makeRecipe(recipeInputsFor(p));
        RunControl control;
        WeightSet kept;
        const RunRecord b = runTraining(
            *recipe, control, {}, [](const RunEvent&) {}, {},
            [&](std::map<std::string, WeightSet>&& w) { kept = std::move(w["model"]); });
        QCOMPARE(a.epochs.at(0).trainLoss, b.epochs.at(0).trainLoss);
        QCOMPARE(a.testLoss, b.testLoss);
        const WeightSet& w = trainer.weights();
        QCOMPARE(w.size(), kept.size());
        for (const auto& [node, tensors] : w)
            for (const auto& [name, t] : tensors)
                QVERIFY(std::equal(t.data(), t.data() + t.size(), kept.at(node).at(name).data()));
    }

    // A mid-run change (Trainer::setLearningRate, a hook) applies from the next batch and shows
    // in the run's record: each epoch keeps the rate its batches used.
    void learningRateChangeIsRecordedPerEpoch() {
        Project p = loadProject(sampleFile("fashion-mlp.netloom"));
        TrainingConfig c = p.training;
        c.epochs = 3;
        c.threads = 1;
        c.dataset.limitTrain = 640;
        c.dataset.limitTest = 100;
        c.optimizer.type = "sgd";
        c.optimizer.lr = 0.05;
        Trainer trainer = trainerFor(p.model().graph, c);
        const RunRecord r = trainer.run([&](const RunEvent& e) {
            if (e.kind == RunEvent::Kind::Epoch && e.epoch == 1) trainer.setLearningRate(0.01);
        });
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(r.epochs.size(), size_t(3));
        QCOMPARE(r.epochs[0].learningRate, 0.05);
        QCOMPARE(r.epochs[1].learningRate, 0.01);
        QCOMPARE(r.epochs[2].learningRate, 0.01);
        // A record without a known rate (older files) compares equal to itself.
        EpochRecord unknown;
        QVERIFY(std::isnan(unknown.learningRate));
        QVERIFY(unknown == unknown);
    }

    // Early stopping is a hook: it ends the run (finished, not stopped) after `patience` epochs
    // without a lower validation loss and loads the best epoch's weights back before the final
    // evaluation; the record and the Finished event name the kept epoch.
    void earlyStoppingIsAHook() {
        ScriptedRecipe recipe(6, {1.0, 0.5, 0.7, 0.8, 0.1, 0.1});
        auto stopping = std::make_shared<EarlyStopping>(2, 6);
        RunRecord r;
        const std::vector<RunEvent> events = runScripted(recipe, {stopping}, r);
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(r.epochs.size(), size_t(4));  // epochs 3 and 4 did not improve on epoch 2
        QCOMPARE(recipe.loadedEpoch, int64_t(2));
        QCOMPARE(stopping->best().epoch, int64_t(2));
        QVERIFY2(r.message.find("Kept the weights of epoch 2") == 0, r.message.c_str());
        QVERIFY2(r.message.find("stopped early after epoch 4 of 6") != std::string::npos,
                 r.message.c_str());
        QCOMPARE(events.back().kind, RunEvent::Kind::Finished);
        QCOMPARE(events.back().message, r.message);
        QCOMPARE(r.testLoss, 0.25);  // the final evaluation still ran
        // Without the hook the same script runs all six epochs.
        ScriptedRecipe plain(6, {1.0, 0.5, 0.7, 0.8, 0.1, 0.1});
        runScripted(plain, {}, r);
        QCOMPARE(r.epochs.size(), size_t(6));
        QCOMPARE(plain.loadedEpoch, int64_t(0));
    }

    // Every front end asks the settings for their hooks: early stopping for a recipe with a
    // validation loss, none for a GAN (whose record has no validation loss to watch).
    void settingsAskForTheirHooks() {
        for (const char* name : {"fashion-mlp.netloom", "fashion-gan.netloom"}) {
            Project p = loadProject(sampleFile(name));
            p.training.earlyStopping = 3;
            const TaskDef& task = taskFor(p.training);
            std::unique_ptr<TrainingRecipe> recipe = task.makeRecipe(recipeInputsFor(p));
            const auto hooks = hooksFromSettings(*recipe);
            QCOMPARE(hooks.size(), task.isMultiNetwork() ? size_t(0) : size_t(1));
            if (!hooks.empty()) QVERIFY(dynamic_cast<EarlyStopping*>(hooks[0].get()));
            p.training.earlyStopping = 0;
            QVERIFY(hooksFromSettings(*task.makeRecipe(recipeInputsFor(p))).empty());
        }
    }

    // A hook's pause pauses the run where it asked, with its message; the run resumes.
    void hookCanPauseTheRun() {
        struct PauseAtStep3 final : RunHook {
            HookVerdict onStepEnd(const RunEvent& ev, TrainingRecipe&) override {
                return ev.step == 3 ? HookVerdict::pause("look at step 3") : HookVerdict{};
            }
        };
        ScriptedRecipe recipe(2, {1.0, 1.0});
        RunRecord r;
        const std::vector<RunEvent> events =
            runScripted(recipe, {std::make_shared<PauseAtStep3>()}, r);
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(countOf(events, RunEvent::Kind::Paused), 1);
        QCOMPARE(countOf(events, RunEvent::Kind::Step), 8);
        for (const RunEvent& e : events)
            if (e.kind == RunEvent::Kind::Paused) {
                QCOMPARE(e.step, int64_t(3));
                QCOMPARE(e.message, std::string("look at step 3"));
            }
    }

    // The engine's loss watch as a hook: an exploding (finite) loss pauses the run once.
    void lossWatchHookPausesOnAnExplosion() {
        LossWatch watch(100.0);
        for (int i = 1; i <= LossWatch::kReferenceBatches; ++i)
            QVERIFY(watch.check(1, i, i, 2.0).empty());
        QVERIFY(watch.check(1, 11, 11, 150.0).empty());  // 75× the reference: fine
        const std::string m = watch.check(1, 12, 12, 250.0);
        QVERIFY2(m.find("epoch 1, batch 12 (step 12)") != std::string::npos, m.c_str());
        QVERIFY(watch.check(1, 13, 13, 1e9).empty());  // once per run
        watch.reset();
        QCOMPARE(watch.reference(), 0.0);
    }

    // A NaN loss fails the run naming where (without the pause option), or pauses and rolls
    // back to the epoch's start (with it), the epoch starting over.
    void nonFiniteLossFailsOrRollsBack() {
        ScriptedRecipe failing(2, {1.0, 1.0});
        failing.nanAtStep = 6;
        RunRecord r;
        std::vector<RunEvent> events = runScripted(failing, {}, r);
        QCOMPARE(QString::fromStdString(r.status), QString("failed"));
        QVERIFY2(r.message.find("the loss became NaN at epoch 2, batch 2 (step 6): lower the "
                                "learning rate") == 0,
                 r.message.c_str());
        QCOMPARE(events.back().kind, RunEvent::Kind::Failed);

        ScriptedRecipe pausing(2, {1.0, 1.0});
        pausing.nanAtStep = 6;
        RunOptions options;
        options.pauseOnNonFinite = true;
        events = runScripted(pausing, {}, r, options);
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(pausing.rollbacks, 1);
        auto paused = std::find_if(events.begin(), events.end(), [](const RunEvent& e) {
            return e.kind == RunEvent::Kind::Paused;
        });
        QVERIFY(paused != events.end());
        QVERIFY2(paused->message.find("rolled back") != std::string::npos, paused->message.c_str());
        QCOMPARE((paused + 1)->stepInEpoch, int64_t(1));  // the epoch starts over
        QCOMPARE(countOf(events, RunEvent::Kind::Step), 8 + 1);
    }
};

QTEST_GUILESS_MAIN(TestRunLoop)
#include "test_run_loop.moc"
