// The adversarial recipe: the Noise layer, GAN project validation, the D and G steps (which
// network each one changes, and their gradients against finite differences), reproducibility,
// a short real run on Fashion-MNIST, stop and divergence, samples surviving save/load, the
// classifier score on hand-computed distributions, and `netloom eval`'s errors.
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/evaluation/default_scorer.h"
#include "engine/graph/analysis.h"
#include "engine/io/project_io.h"
#include "engine/layers/noise.h"
#include "engine/layers/registry.h"
#include "engine/metrics/classifier_score.h"
#include "engine/model/model.h"
#include "engine/project/network_roles.h"
#include "engine/project/project.h"
#include "engine/tasks/registry.h"
#include "engine/train/gan.h"
#include "engine/train/gan_session.h"
#include "engine/train/gan_trainer.h"
#include "engine/train/parameter_average.h"
#include "support/same_weights.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::sameWeights;
using netloom::test::sampleFile;
using nlohmann::json;

namespace {

using LayerSpec = std::tuple<std::string, std::string, Params>;

Params params(std::initializer_list<std::pair<const char*, ParamValue>> kv) {
    Params p;
    for (const auto& [k, v] : kv) p.set(k, v);
    return p;
}

Graph chain(const std::vector<LayerSpec>& layers) {
    Graph g;
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& [type, name, p] = layers[i];
        g.addNode(Node{"n" + std::to_string(i + 1), type, name, p});
        if (i) g.connect(Edge{"n" + std::to_string(i), 0, "n" + std::to_string(i + 1), 0});
    }
    return g;
}

// A GAN small enough for finite differences: z(4) → 8 → 6 and 6 → 5 → 1, smooth activations only
// (at a ReLU kink finite differences disagree with any correct gradient).
Graph tinyGenerator(const std::string& out = "6") {
    return chain({{"Noise", "z", params({{"shape", std::string("4")}})},
                  {"Dense", "g1", params({{"units", int64_t{8}}})},
                  {"Tanh", "g1_act", {}},
                  {"Dense", "g2", params({{"units", std::stoll(out)}})}});
}
Graph tinyDiscriminator(int64_t outputs = 1, const std::string& in = "6") {
    return chain({{"Input", "x", params({{"shape", in}})},
                  {"Dense", "d1", params({{"units", int64_t{5}}})},
                  {"Tanh", "d1_act", {}},
                  {"Dense", "d2", params({{"units", outputs}})}});
}

TrainingConfig sgdConfig(double lr) {
    TrainingConfig c;
    c.task = "adversarial";
    c.loss = "bce_logits";
    c.optimizer = OptimizerConfig().withType("sgd").withLr(lr);
    c.seed = 7;
    return c;
}

Tensor randomBatch(int64_t n, int64_t features, uint64_t seed) {
    Rng rng(seed);
    Tensor t({n, features});
    for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(-1.0f, 1.0f);
    return t;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const netloom::Error& e) {
        return e.what();
    }
    return "(no error)";
}

// BCE-with-logits of a {N,1} logit batch against one label, in double.
double bce(const Tensor& logits, double label) {
    double s = 0;
    for (int64_t i = 0; i < logits.size(); ++i) {
        const double x = logits[i];
        s += std::max(x, 0.0) - x * label + std::log1p(std::exp(-std::fabs(x)));
    }
    return s / static_cast<double>(logits.size());
}

struct Events {
    std::vector<RunEvent> all;
    void operator()(const RunEvent& e) { all.push_back(e); }
    int count(RunEvent::Kind k) const {
        int n = 0;
        for (const auto& e : all) n += e.kind == k;
        return n;
    }
    const RunEvent& last() const { return all.back(); }
};

// An event's sample grid, or no values when it carries none.
const std::vector<float>& gridValues(const RunEvent& e) {
    static const std::vector<float> none;
    return e.samples ? e.samples->values : none;
}

Project ganSample() {
    return loadProject(sampleFile("fashion-gan.netloom"));
}

// The first 5,000 training and 100 test images in [-1, 1], loaded once for all trainer tests.
std::shared_ptr<const DataSplit> fashionData() {
    static const auto data = [] {
        DatasetConfig dc = ganSample().training.dataset;
        dc.limitTrain = 5000;
        dc.limitTest = 100;
        return std::make_shared<const DataSplit>(loadData(dc, 0.0, 1));
    }();
    return data;
}

// The sample's settings for two epochs of `iterations` iterations, a grid every 10.
TrainingConfig twoShortEpochs(const Project& p, int64_t iterations) {
    TrainingConfig c = p.training;
    c.epochs = 2;
    c.gan.iterationsPerEpoch = iterations;
    c.gan.sampleEvery = 10;
    return c;
}

// A trainer of the fashion-gan sample's networks on fashionData(), on one compute thread (these
// small batches gain little from two, and suites run side by side).
std::unique_ptr<GanTrainer> sampleTrainer(const Project& p, TrainingConfig c,
                                          std::shared_ptr<const DataSplit> data = fashionData()) {
    const GanNetworks n = ganNetworks(p);
    c.threads = 1;
    auto t = std::make_unique<GanTrainer>(n.generator->graph, n.discriminator->graph, c);
    t->setData(std::move(data));
    return t;
}

}  // namespace

class TestGan : public QObject {
    Q_OBJECT
private slots:
    // ---- the Noise layer --------------------------------------------------------------------

    void noiseLayerIsAnInputSource() {
        const LayerDef* def = findLayerDef("Noise");
        QVERIFY(def);
        QCOMPARE(QString::fromStdString(def->category()), QString("Input"));
        const GraphAnalysis a = analyzeGraph(tinyGenerator());
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        QCOMPARE(QString::fromStdString(a.inputNode), QString("n1"));
        QCOMPARE(a.nodes.at("n1").output, Shape{4});
        // Noise and Input in one network are two sources: refused like two Inputs.
        Graph two = tinyGenerator();
        two.addNode(Node{"x", "Input", "x", params({{"shape", std::string("4")}})});
        QVERIFY(!analyzeGraph(two).ok());
    }

    void noiseDrawsTheConfiguredDistribution_data() {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<double>("variance");
        QTest::newRow("normal") << "normal" << -10.0 << 10.0 << 1.0;
        QTest::newRow("uniform") << "uniform" << -1.0 << 1.0 << 1.0 / 3.0;
    }
    void noiseDrawsTheConfiguredDistribution() {
        QFETCH(QString, distribution);
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(double, variance);
        const Params p = params(
            {{"shape", std::string("10,2,5")}, {"distribution", distribution.toStdString()}});
        Rng a(3), b(3);
        Tensor z, same;
        drawNoise(p, 2000, a, z);
        drawNoise(p, 2000, b, same);
        QCOMPARE(z.dims(), (std::vector<int64_t>{2000, 10, 2, 5}));
        QVERIFY(z.storage() == same.storage());
        double sum = 0, sq = 0;
        for (int64_t i = 0; i < z.size(); ++i) {
            QVERIFY(z[i] >= lo && z[i] <= hi);
            sum += z[i];
            sq += double(z[i]) * z[i];
        }
        const double mean = sum / double(z.size());
        QVERIFY2(std::fabs(mean) < 0.02, qPrintable(QString::number(mean)));
        QVERIFY(std::fabs(sq / double(z.size()) - mean * mean - variance) < 0.03);
        Tensor next;
        drawNoise(p, 2000, a, next);  // the stream moves on
        QVERIFY(next.storage() != z.storage());
    }

    // ---- project validation ----------------------------------------------------------------

    void sampleOpensAsAGan() {
        const Project p = ganSample();
        QCOMPARE(QString::fromStdString(p.training.task), QString("adversarial"));
        const GanNetworks n = ganNetworks(p);
        checkGanGraphs(n.generator->graph, n.discriminator->graph);
        QCOMPARE(p.training.gan.discriminatorSteps, int64_t{1});
        QVERIFY(p.training.gan.discriminatorOptimizer.has_value());
        QCOMPARE(p.training.gan.discriminatorOptimizer->lr, 2e-4);
        QCOMPARE(p.training.optimizer.beta1, 0.5);
        QCOMPARE(p.training.epochs, int64_t{30});
        QCOMPARE(QString::fromStdString(p.training.dataset.scaling), QString("signed"));
    }

    void rejectsBadGanProjects_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        std::ifstream in(sampleFile("fashion-gan.netloom"));
        const json base = json::parse(in);
        auto row = [&](const char* name, const std::function<void(json&)>& mutate,
                       const char* expected) {
            json doc = base;
            mutate(doc);
            QTest::newRow(name) << QByteArray::fromStdString(doc.dump()) << QString(expected);
        };
        row(
            "no discriminator", [](json& d) { d["networks"].erase(1); },
            "gan: at /networks: the adversarial task needs a network with role "
            "\"discriminator\" beside the \"generator\" (exactly one of each)");
        row(
            "a model role", [](json& d) { d["networks"][1]["role"] = "model"; },
            "gan: at /networks/1/role: the adversarial task has networks with roles "
            "\"generator\" and \"discriminator\" only, got \"model\"");
        row(
            "no role at all", [](json& d) { d["networks"][0].erase("role"); },
            "gan: at /networks/0: the adversarial task has networks with roles");
        row(
            "two generators", [](json& d) { d["networks"][1]["role"] = "generator"; },
            "gan: at /networks/1/role: a second \"generator\" network (the first is network "
            "0): the adversarial task trains exactly one");
        row(
            "zero D steps", [](json& d) { d["training"]["gan"]["d_steps"] = 0; },
            "gan: at /training/gan/d_steps: ");
        row(
            "empty grid", [](json& d) { d["training"]["gan"]["sample_count"] = 0; },
            "gan: at /training/gan/sample_count: ");
        row(
            "generator average of 1",
            [](json& d) { d["training"]["gan"]["generator_average"] = 1.0; },
            "gan: at /training/gan/generator_average: must be at least 0 and below 1, got 1");
        row(
            "negative generator average",
            [](json& d) { d["training"]["gan"]["generator_average"] = -0.5; },
            "gan: at /training/gan/generator_average: ");
        row(
            "D optimizer not an object",
            [](json& d) { d["training"]["gan"]["discriminator_optimizer"] = 3; },
            "gan: at /training/gan/discriminator_optimizer: ");
    }
    void rejectsBadGanProjects() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString message =
            QString::fromStdString(errorOf([&] { parseProject(text.toStdString(), "gan"); }));
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }

    void writerRefusesWhatTheReaderRefuses() {
        Project p = ganSample();
        p.networks.pop_back();
        const std::string m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("cannot save: the adversarial task needs a network with role "
                        "\"discriminator\"") == 0,
                 m.c_str());
        p.training.task = "classification";  // the role rule is the adversarial task's only
        QVERIFY(!checkNetworkRoles(p.networks, p.training.task));
    }

    void ganSettingsAndEpochMetricsRoundTrip() {
        Project p = ganSample();
        p.training.gan.discriminatorSteps = 3;
        p.training.gan.sampleEvery = 0;
        p.training.gan.iterationsPerEpoch = 17;
        p.training.gan.generatorAverage = 0.995;
        p.training.gan.discriminatorOptimizer = OptimizerConfig().withType("sgd").withLr(0.05);
        RunRecord r;
        r.config = p.training;
        EpochRecord e;
        e.epoch = 1;
        e.metrics = {{"d_loss", 1.25}, {"g_loss", 0.75}};
        r.epochs.push_back(e);
        p.history.push_back(r);
        const Project q = parseProject(serializeProject(p), "round trip");
        QVERIFY(q.training == p.training);
        QVERIFY(q.history.at(0).epochs.at(0).metrics == e.metrics);
        QVERIFY(q.history.at(0).config.gan == p.training.gan);
        p.training.gan.discriminatorOptimizer.reset();  // absent: the same as the generator's
        QVERIFY(!parseProject(serializeProject(p), "x").training.gan.discriminatorOptimizer);
    }

    void pairChecksNameTheProblem_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expected");
        QTest::newRow("D gives 2 values") << 0 << "the discriminator's output 'd2' gives 2 values";
        QTest::newRow("shapes differ")
            << 1 << "the generator's output 'g2' is 5 but the discriminator's Input 'x' takes 6";
        QTest::newRow("G without Noise") << 2 << "the generator starts with Input 'x'";
        QTest::newRow("D from Noise") << 3 << "the discriminator starts with Noise 'z'";
        QTest::newRow("invalid G") << 4 << "the generator: ";
    }
    void pairChecksNameTheProblem() {
        QFETCH(int, which);
        QFETCH(QString, expected);
        Graph g = tinyGenerator(), d = tinyDiscriminator();
        if (which == 0) d = tinyDiscriminator(2);
        if (which == 1) g = tinyGenerator("5");
        if (which == 2) g = tinyDiscriminator(6);
        if (which == 3)
            d = chain({{"Noise", "z", params({{"shape", std::string("6")}})},
                       {"Dense", "d", params({{"units", int64_t{1}}})}});
        if (which == 4) g.disconnect(Edge{"n2", 0, "n3", 0});
        const QString m = QString::fromStdString(errorOf([&] { checkGanGraphs(g, d); }));
        QVERIFY2(m.startsWith(expected), qPrintable(m));
        // The session refuses the same pair before building anything.
        ComputeContext ctx;
        const QString s =
            QString::fromStdString(errorOf([&] { GanSession session(g, d, sgdConfig(0.1), ctx); }));
        QCOMPARE(s, m);
    }

    // ---- the steps --------------------------------------------------------------------------

    void discriminatorStepChangesOnlyTheDiscriminator() {
        ComputeContext ctx;
        GanSession s(tinyGenerator(), tinyDiscriminator(), sgdConfig(0.1), ctx);
        const WeightSet g0 = s.generator().weights(), d0 = s.discriminator().weights();
        const auto r = s.discriminatorStep(randomBatch(16, 6, 1));
        QVERIFY(std::isfinite(r.loss) && r.loss > 0);
        QVERIFY(r.realAccuracy >= 0 && r.realAccuracy <= 1);
        QVERIFY(sameWeights(s.generator().weights(), g0));
        QVERIFY(!sameWeights(s.discriminator().weights(), d0));
    }

    void generatorStepLeavesTheDiscriminatorBitIdentical() {
        ComputeContext ctx;
        TrainingConfig c = sgdConfig(0.1);
        c.optimizer = OptimizerConfig().withType("adam").withLr(1e-3);  // and D too
        GanSession s(tinyGenerator(), tinyDiscriminator(), c, ctx);
        for (int i = 0; i < 3; ++i) {
            s.discriminatorStep(randomBatch(16, 6, 10 + i));
            const WeightSet g0 = s.generator().weights(), d0 = s.discriminator().weights();
            const double loss = s.generatorStep();
            QVERIFY(std::isfinite(loss));
            QVERIFY(sameWeights(s.discriminator().weights(), d0));
            QVERIFY(!sameWeights(s.generator().weights(), g0));
        }
        QVERIFY(errorOf([&] { s.generatorStep(); }).find("needs a discriminator step") !=
                std::string::npos);
    }

    // With plain SGD (lr η) a step moves each weight by −η·dL/dw, so the steps' updates can be
    // checked against finite differences of the losses they claim to minimise, computed here
    // from scratch with separate models: D's on real + G(z) (z detached), G's through D.
    void stepsFollowTheLossGradients() {
        const Graph gGraph = tinyGenerator(), dGraph = tinyDiscriminator();
        const double lr = 0.5;
        ComputeContext ctx;
        GanSession s(gGraph, dGraph, sgdConfig(lr), ctx);
        const Tensor real = randomBatch(8, 6, 5);
        const WeightSet g0 = s.generator().weights(), d0 = s.discriminator().weights();
        s.discriminatorStep(real);
        const Tensor z = s.lastNoise();
        const WeightSet d1 = s.discriminator().weights();
        s.generatorStep();
        const WeightSet g1 = s.generator().weights();

        ComputeContext refCtx;
        Model g(gGraph, refCtx), d(dGraph, refCtx);
        auto lossD = [&](const WeightSet& gw, const WeightSet& dw) {
            g.loadWeights(gw);
            d.loadWeights(dw);
            const Tensor fake = g.forward(z, true);
            const double onReal = bce(d.forward(real, true), 1.0);
            return onReal + bce(d.forward(fake, true), 0.0);
        };
        auto lossG = [&](const WeightSet& gw, const WeightSet& dw) {
            g.loadWeights(gw);
            d.loadWeights(dw);
            return bce(d.forward(g.forward(z, true), true), 1.0);
        };
        // Which network's weights are perturbed, the loss, and the update the step made.
        auto check = [&](bool perturbD, const WeightSet& before, const WeightSet& after,
                         const std::function<double(const WeightSet&, const WeightSet&)>& loss,
                         const WeightSet& other) {
            int checked = 0;
            for (const auto& [node, tensors] : before)
                for (const auto& [name, t] : tensors)
                    for (int64_t i = 0; i < t.size(); i += 2) {
                        WeightSet hi = before, lo = before;
                        const double h = 1e-3;
                        hi[node][name][i] += static_cast<float>(h);
                        lo[node][name][i] -= static_cast<float>(h);
                        const double numeric = perturbD
                                                   ? (loss(other, hi) - loss(other, lo)) / (2 * h)
                                                   : (loss(hi, other) - loss(lo, other)) / (2 * h);
                        const double step =
                            (before.at(node).at(name)[i] - after.at(node).at(name)[i]) / lr;
                        const QString what = QString("%1 %2[%3]: step %4, numeric %5")
                                                 .arg(node.c_str(), name.c_str())
                                                 .arg(i)
                                                 .arg(step)
                                                 .arg(numeric);
                        QVERIFY2(std::fabs(step - numeric) < 2e-3 + 2e-2 * std::fabs(numeric),
                                 qPrintable(what));
                        ++checked;
                    }
            QVERIFY(checked > 15);
        };
        check(true, d0, d1, lossD, g0);   // D step: G fixed at g0, D moves d0 → d1
        check(false, g0, g1, lossG, d1);  // G step: through D at d1, only G moves
    }

    // ---- the trainer ------------------------------------------------------------------------

    void sameSeedSameRun() {
        Project p = ganSample();
        TrainingConfig c = twoShortEpochs(p, 15);
        Events a, b;
        auto ta = sampleTrainer(p, c), tb = sampleTrainer(p, c);
        ta->run(std::ref(a));
        tb->run(std::ref(b));
        QCOMPARE(a.all.size(), b.all.size());
        for (size_t i = 0; i < a.all.size(); ++i) {
            QCOMPARE(a.all[i].metrics.get("d_loss"), b.all[i].metrics.get("d_loss"));
            QCOMPARE(a.all[i].metrics.get("g_loss"), b.all[i].metrics.get("g_loss"));
            QVERIFY(gridValues(a.all[i]) == gridValues(b.all[i]));
        }
        QVERIFY(sameWeights(ta->generatorWeights(), tb->generatorWeights()));
        QVERIFY(sameWeights(ta->discriminatorWeights(), tb->discriminatorWeights()));
        c.seed = 2;  // and another seed gives another run
        Events other;
        sampleTrainer(p, c)->run(std::ref(other));
        QVERIFY(other.all[1].metrics.get("d_loss") != a.all[1].metrics.get("d_loss"));
    }

    // Averaging the generator leaves training alone: with and without it, every step's losses and
    // the discriminator's weights are bit-identical. What the run keeps (samples, final and
    // per-epoch generator weights) is the average; Epoch events carry the last step's weights
    // beside it, and those equal the unaveraged run's.
    void generatorAverageChangesOnlyWhatIsKept() {
        Project p = ganSample();
        TrainingConfig c = twoShortEpochs(p, 20);
        c.gan.generatorAverage = 0;  // the sample averages; this is the run without
        TrainingConfig averaged = c;
        averaged.gan.generatorAverage = 0.9;
        Events plainEv, avgEv;
        auto plain = sampleTrainer(p, c), avg = sampleTrainer(p, averaged);
        plain->run(std::ref(plainEv));
        avg->run(std::ref(avgEv));
        QCOMPARE(plainEv.all.size(), avgEv.all.size());
        for (size_t i = 0; i < plainEv.all.size(); ++i) {
            QCOMPARE(avgEv.all[i].metrics.get("d_loss"), plainEv.all[i].metrics.get("d_loss"));
            QCOMPARE(avgEv.all[i].metrics.get("g_loss"), plainEv.all[i].metrics.get("g_loss"));
            if (plainEv.all[i].samples)
                QVERIFY(gridValues(avgEv.all[i]) != gridValues(plainEv.all[i]));
            if (plainEv.all[i].kind != RunEvent::Kind::Epoch) continue;
            QVERIFY(!plainEv.all[i].weightsOf("generator (trained)"));
            QVERIFY(avgEv.all[i].weightsOf("generator (trained)"));
            QVERIFY(sameWeights(*avgEv.all[i].weightsOf("generator (trained)"),
                                *plainEv.all[i].weightsOf("generator")));
            QVERIFY(!sameWeights(*avgEv.all[i].weightsOf("generator"),
                                 *plainEv.all[i].weightsOf("generator")));
        }
        QVERIFY(sameWeights(avg->discriminatorWeights(), plain->discriminatorWeights()));
        // The kept generator is the averaged one, and its samples are the run's last grid.
        const GanNetworks n = ganNetworks(p);
        const Tensor z = fixedNoise(n.generator->graph, averaged);
        const Tensor out = generateSamples(n.generator->graph, avg->generatorWeights(), z);
        QVERIFY(out.storage() == avgEv.last().samples->values);
        QVERIFY(sameWeights(avg->generatorWeights(),
                            *avgEv.all[avgEv.all.size() - 2].weightsOf("generator")));
    }

    // The average itself: warm-up decay min(d, (1 + t) / (10 + t)), then d; withAverage() shows
    // the average and puts the trained values back, even when the callback throws.
    void parameterAverageFollowsItsFormula() {
        Parameter w;
        w.value.resize({3});
        for (int i = 0; i < 3; ++i) w.value[i] = float(i);
        ParameterAverage avg({&w}, 0.5);
        std::vector<double> expected = {0, 1, 2};
        for (int t = 1; t <= 4; ++t) {
            for (int i = 0; i < 3; ++i) w.value[i] += 1.0f;  // a "training step"
            avg.update();
            const double d = std::min(0.5, (1.0 + t) / (10.0 + t));
            for (int i = 0; i < 3; ++i) expected[i] = d * expected[i] + (1 - d) * w.value[i];
        }
        QCOMPARE(avg.updates(), int64_t(4));
        std::vector<float> seen;
        avg.withAverage([&] { seen.assign(w.value.data(), w.value.data() + 3); });
        for (int i = 0; i < 3; ++i) {
            QVERIFY(std::fabs(seen[i] - expected[i]) < 1e-5);
            QCOMPARE(w.value[i], float(i + 4));  // restored
        }
        bool threw = false;
        try {
            avg.withAverage([] { throw netloom::Error("boom"); });
        } catch (const netloom::Error&) {
            threw = true;
        }
        QVERIFY(threw);
        QCOMPARE(w.value[0], 4.0f);
        QVERIFY(errorOf([&] { ParameterAverage({&w}, 1.0); }).find("below 1") != std::string::npos);
    }

    // Continuing after the generator was edited: its changed layers start fresh (named in the
    // Started event), everything else continues from the trained weights.
    void continuesAfterEditsWithFreshChangedLayers() {
        Project p = ganSample();
        TrainingConfig c = p.training;
        c.epochs = 1;
        c.gan.iterationsPerEpoch = 5;
        c.threads = 1;
        auto first = sampleTrainer(p, c);
        first->run([](const RunEvent&) {});
        const GanNetworks n = ganNetworks(p);
        Graph generator = n.generator->graph;
        generator.findNode("n4")->params.set("units", int64_t{384});  // g_fc2: 512 -> 384
        GanTrainer second(generator, n.discriminator->graph, c, first->generatorWeights(),
                          first->discriminatorWeights());
        second.setData(fashionData());
        Events events;
        second.run(std::ref(events));
        QCOMPARE(events.all.front().kind, RunEvent::Kind::Started);
        const QString note = QString::fromStdString(events.all.front().message);
        QVERIFY2(note.startsWith("generator g_fc2 and generator g_fc3 start from fresh weights"),
                 qPrintable(note));
        QVERIFY(events.count(RunEvent::Kind::Finished) == 1);
    }

    // 200 iterations of fashion-gan on the first 5,000 training images.
    void shortRealRunLearns() {
        Project p = ganSample();
        TrainingConfig c = p.training;
        c.epochs = 2;
        c.gan.iterationsPerEpoch = 100;
        c.gan.sampleEvery = 50;
        auto t = sampleTrainer(p, c);
        Events ev;
        const RunRecord r = t->run(std::ref(ev));
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(ev.count(RunEvent::Kind::Started), 1);
        QCOMPARE(ev.count(RunEvent::Kind::Step), 200);
        QCOMPARE(ev.count(RunEvent::Kind::Epoch), 2);
        QCOMPARE(ev.count(RunEvent::Kind::Finished), 1);
        int grids = 0;
        for (const RunEvent& e : ev.all) {
            if (e.kind == RunEvent::Kind::Step) {
                const MetricList& m = e.metrics;
                QVERIFY(std::isfinite(m.get("d_loss")) && std::isfinite(m.get("g_loss")));
                QVERIFY(m.get("d_real_accuracy") >= 0 && m.get("d_real_accuracy") <= 1);
                QVERIFY(m.get("d_fake_accuracy") >= 0 && m.get("d_fake_accuracy") <= 1);
                QCOMPARE(e.samples != nullptr, e.step % 50 == 0);
            }
            if (!e.samples) continue;
            ++grids;
            QCOMPARE(e.samples->count, int64_t{64});
            QCOMPARE(e.samples->shape, Shape{784});
            QCOMPARE(e.samples->values.size(), size_t(64 * 784));
            for (float v : e.samples->values) QVERIFY(v >= -1.0f && v <= 1.0f);  // Tanh
        }
        QCOMPARE(grids, 4 + 2 + 1);
        // The run history keeps the epoch means by name.
        QCOMPARE(r.epochs.size(), size_t(2));
        const auto& m = r.epochs[1].metrics;
        for (const char* k : {"d_loss", "g_loss", "d_real_accuracy", "d_fake_accuracy"})
            QVERIFY2(m.count(k) && std::isfinite(m.at(k)), k);
        QCOMPARE(r.epochs[1].trainLoss, m.at("d_loss"));
        // Early on D wins: it tells real from generated better than chance.
        const double dAcc = (m.at("d_real_accuracy") + m.at("d_fake_accuracy")) / 2;
        QVERIFY2(dAcc > 0.6, qPrintable(QString::number(dAcc)));
        // And the generator has moved away from its initial noise-like output.
        const auto& first = ev.all[50].samples->values;
        const auto& lastGrid = ev.last().samples->values;
        QVERIFY(first != lastGrid);
        QVERIFY(!t->generatorWeights().empty() && !t->discriminatorWeights().empty());
    }

    void stopsWithinOneIteration() {
        Project p = ganSample();
        auto t = sampleTrainer(p, p.training);
        Events ev;
        const RunRecord r = t->run([&](const RunEvent& e) {
            ev(e);
            if (e.kind == RunEvent::Kind::Step && e.step == 5) t->stop();
        });
        QCOMPARE(QString::fromStdString(r.status), QString("stopped"));
        QCOMPARE(ev.last().kind, RunEvent::Kind::Stopped);
        QCOMPARE(ev.last().step, int64_t{5});
        QVERIFY(ev.last().samples);
        QVERIFY(!t->generatorWeights().empty());
    }

    void pausesUntilResumedFromAnotherThread() {
        Project p = ganSample();
        TrainingConfig c = p.training;
        c.epochs = 1;
        c.gan.iterationsPerEpoch = 6;
        auto t = sampleTrainer(p, c);
        Events ev;
        std::thread resumer;
        std::atomic<bool> pausedSeen{false};
        const RunRecord r = t->run([&](const RunEvent& e) {
            ev(e);
            if (e.kind != RunEvent::Kind::Step || e.step != 3) return;
            t->pause();
            resumer = std::thread([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                pausedSeen = t->isPaused();
                t->resume();
            });
        });
        resumer.join();
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QVERIFY(pausedSeen.load());
        QCOMPARE(ev.count(RunEvent::Kind::Step), 6);
        // Iteration 4 started only after the resume.
        QVERIFY(ev.all[4].elapsedSeconds - ev.all[3].elapsedSeconds >= 0.25);
    }

    void divergenceFailsNamingTheStep() {
        Project p = ganSample();
        TrainingConfig c = p.training;
        c.optimizer = OptimizerConfig().withType("sgd").withLr(1e9);
        c.gan.discriminatorOptimizer = c.optimizer;
        auto t = sampleTrainer(p, c);
        Events ev;
        const RunRecord r = t->run(std::ref(ev));
        QCOMPARE(QString::fromStdString(r.status), QString("failed"));
        QCOMPARE(ev.last().kind, RunEvent::Kind::Failed);
        const QString m = QString::fromStdString(r.message);
        QVERIFY2(m.contains(QRegularExpression(
                     "^the (discriminator|generator) loss became (NaN|infinite) at epoch 1, "
                     "iteration \\d+ \\(step \\d+\\): lower the learning rates")),
                 qPrintable(m));
        QVERIFY(t->generatorWeights().empty());
    }

    void badSettingsFailTheRun() {
        Project p = ganSample();
        TrainingConfig c = p.training;
        c.loss = "mse";
        Events ev;
        sampleTrainer(p, c)->run(std::ref(ev));
        QVERIFY(ev.last().message.find("set the loss to \"bce_logits\"") != std::string::npos);
        c = p.training;
        c.gan.generatorAverage = 1.5;  // a hand-made config the file reader would refuse
        Events badAverage;
        sampleTrainer(p, c)->run(std::ref(badAverage));
        QVERIFY2(badAverage.last().message.find(
                     "training.gan.generator_average must be at least 0 and below 1") !=
                     std::string::npos,
                 badAverage.last().message.c_str());
        auto tiny = std::make_shared<DataSplit>();
        tiny->train = fashionData()->train.subset({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        Events few;
        sampleTrainer(p, p.training, tiny)->run(std::ref(few));
        QVERIFY(few.last().message.find("fewer than one batch") != std::string::npos);
    }

    // Weights saved with the project give the same samples from the same noise, bit for bit.
    void savedWeightsGiveTheSameSamples() {
        Project p = ganSample();
        TrainingConfig c = p.training;
        c.epochs = 1;
        c.gan.iterationsPerEpoch = 10;
        auto t = sampleTrainer(p, c);
        Events ev;
        t->run(std::ref(ev));
        QCOMPARE(ev.last().kind, RunEvent::Kind::Finished);
        findNetwork(p, kGeneratorRole)->weights = t->generatorWeights();
        findNetwork(p, kDiscriminatorRole)->weights = t->discriminatorWeights();
        p.training = c;
        const QString path = netloom::test::tempDir() + "/gan.netloom";
        saveProject(p, path.toStdString());
        const Project q = loadProject(path.toStdString());
        const Graph& g = findNetwork(q, kGeneratorRole)->graph;
        const Tensor z = fixedNoise(g, q.training);
        const Tensor out = generateSamples(g, findNetwork(q, kGeneratorRole)->weights, z);
        QCOMPARE(out.batch(), int64_t{64});
        QVERIFY(out.storage() == ev.last().samples->values);
        // Without weights, a clear error.
        const std::string m = errorOf([&] { generateSamples(g, {}, z); });
        QVERIFY2(m.find("no trained weights") != std::string::npos, m.c_str());
    }

    // ---- the classifier score ---------------------------------------------------------------

    void classifierScoreOfKnownDistributions_data() {
        QTest::addColumn<QVector<double>>("rows");  // 2 columns per row
        QTest::addColumn<double>("score");
        QTest::addColumn<int>("covered");
        // Confident and balanced: p(y) = (½, ½), each KL = log 2 → score 2.
        QTest::newRow("one-hot, balanced") << QVector<double>{1, 0, 0, 1} << 2.0 << 2;
        // Confident, one class: KL 0 → 1.
        QTest::newRow("one class") << QVector<double>{1, 0, 1, 0, 1, 0} << 1.0 << 1;
        // Undecided: p(y|x) = p(y) → 1, though both halves are the arg-max of no sample but 0.
        QTest::newRow("uniform") << QVector<double>{0.5, 0.5, 0.5, 0.5} << 1.0 << 1;
        // (½,½) and (1,0): p(y) = (¾,¼); KL = ½ln(⅔) + ½ln 2 = 0.143841 and ln(4/3) = 0.287682;
        // exp of the mean 0.215762 = 1.240806.
        QTest::newRow("mixed") << QVector<double>{0.5, 0.5, 1, 0} << 1.2408064788 << 1;
    }
    void classifierScoreOfKnownDistributions() {
        QFETCH(QVector<double>, rows);
        QFETCH(double, score);
        QFETCH(int, covered);
        Tensor p({rows.size() / 2, 2});
        for (int i = 0; i < rows.size(); ++i) p[i] = static_cast<float>(rows[i]);
        const ClassifierScore s = classifierScore(p);
        QVERIFY2(std::fabs(s.score - score) < 1e-6, qPrintable(QString::number(s.score, 'g', 10)));
        QCOMPARE(s.classesCovered, covered);
        QCOMPARE(s.marginal.size(), size_t(2));
        QVERIFY(std::fabs(s.marginal[0] + s.marginal[1] - 1) < 1e-9);
    }

    void classifierScoreCoverageAndErrors() {
        // 200 one-hot samples: classes 0-7 get 23 or 24 each, class 8 gets 10 (5%), class 9 none.
        Tensor p({200, 10});
        p.zero();
        for (int64_t i = 0; i < 200; ++i) p[i * 10 + (i < 190 ? i % 8 : 8)] = 1.0f;
        const ClassifierScore s = classifierScore(p);
        QCOMPARE(s.classesCovered, 9);
        QCOMPARE(s.classShare[9], 0.0);
        QCOMPARE(classifierScore(p, 0.06).classesCovered, 8);  // class 8 has 5%
        Tensor logits({2, 3});
        for (int i = 0; i < 6; ++i) logits[i] = float(i % 3);
        softmaxRows(logits);
        QVERIFY(std::fabs(logits[2] - std::exp(2.0) / (1 + std::exp(1.0) + std::exp(2.0))) < 1e-6);
        Tensor bad({1, 2});
        bad[0] = 0.7f;
        bad[1] = 0.7f;
        QVERIFY(errorOf([&] { classifierScore(bad); }).find("sum to") != std::string::npos);
        bad[1] = -0.3f;
        QVERIFY(errorOf([&] { classifierScore(bad); }).find("negative") != std::string::npos);
    }

    // ---- `netloom eval` errors --------------------------------------------------------------

    // `netloom train GAN --score-with CNN` scores the generator after every epoch exactly as
    // `netloom eval` scores the saved project (same weights, same evaluation noise).
    void trainScoresEveryEpochLikeEval() {
        Project cnn = loadProject(sampleFile("fashion-cnn.netloom"));
        ComputeContext ctx;
        Model m(cnn.model().graph, ctx);  // initial weights: enough to score with
        m.initialize(3, InitScheme::He);
        cnn.model().weights = m.weights();
        const QString dir = netloom::test::tempDir();
        saveProject(cnn, (dir + "/clf.netloom").toStdString());
        auto run = [](const QStringList& args) {
            QProcess proc;
            proc.start(NETLOOM_BINARY, args);
            proc.waitForFinished(120000);
            return std::make_pair(proc.exitCode(), QString::fromUtf8(proc.readAllStandardOutput() +
                                                                     proc.readAllStandardError()));
        };
        const auto [code, out] =
            run({"train", QString::fromStdString(sampleFile("fashion-gan.netloom")), "--epochs",
                 "2", "--limit-train", "640", "--threads", "1", "--generator-average", "0",
                 "--score-with", dir + "/clf.netloom", "--save", dir + "/scored-gan.netloom"});
        QCOMPARE(code, 0);
        const QRegularExpression line("classifier score (\\d+\\.\\d+) \\(real (\\d+\\.\\d+)");
        QStringList scores;
        for (auto it = line.globalMatch(out); it.hasNext();) scores << it.next().captured(1);
        QCOMPARE(scores.size(), 2);
        const auto [evalCode, evalOut] =
            run({"eval", dir + "/scored-gan.netloom", "--classifier", dir + "/clf.netloom"});
        QCOMPARE(evalCode, 0);
        QVERIFY2(evalOut.contains(QRegularExpression("generated\\s+" + scores.last() + " ")),
                 qPrintable(out + "\n" + evalOut));
        // With the generator averaged, both generators are scored and the saved one is the
        // average.
        const auto [avgCode, avgOut] =
            run({"train", QString::fromStdString(sampleFile("fashion-gan.netloom")), "--epochs",
                 "1", "--limit-train", "640", "--threads", "1", "--generator-average", "0.9",
                 "--score-with", dir + "/clf.netloom", "--save", dir + "/averaged-gan.netloom"});
        QCOMPARE(avgCode, 0);
        const QRegularExpression averaged("classifier score, averaged (\\d+\\.\\d+) ");
        const QRegularExpression lastStep("classifier score, last step (\\d+\\.\\d+) ");
        const QString avgScore = averaged.match(avgOut).captured(1);
        QVERIFY2(!avgScore.isEmpty() && lastStep.match(avgOut).hasMatch(), qPrintable(avgOut));
        QCOMPARE(loadProject((dir + "/averaged-gan.netloom").toStdString())
                     .history.back()
                     .config.gan.generatorAverage,
                 0.9);  // the run's settings, in its history
        const auto [avgEvalCode, avgEvalOut] =
            run({"eval", dir + "/averaged-gan.netloom", "--classifier", dir + "/clf.netloom"});
        QCOMPARE(avgEvalCode, 0);
        QVERIFY2(avgEvalOut.contains(QRegularExpression("generated\\s+" + avgScore + " ")),
                 qPrintable(avgOut + "\n" + avgEvalOut));
        const auto [refused, message] =
            run({"train", QString::fromStdString(sampleFile("fashion-mlp.netloom")), "--score-with",
                 dir + "/clf.netloom"});
        QCOMPARE(refused, 1);
        QVERIFY2(message.contains("--score-with scores GAN projects only"), qPrintable(message));
    }

    // `netloom eval GAN` without --classifier trains the default classifier once by the rule
    // (early stopping on a held-out tenth), caches it and scores with it; the second call reuses
    // it. A small fashion-mlp stands in for the fashion-cnn sample (NETLOOM_SAMPLES_DIR).
    void evalTrainsTheDefaultClassifierOnce() {
        const QString dir = netloom::test::tempDir() + "/default-scorer";
        QDir().mkpath(dir + "/samples");
        Project small = loadProject(sampleFile("fashion-mlp.netloom"));
        small.training.dataset.limitTrain = 1500;
        small.training.dataset.limitTest = 200;
        saveProject(small, (dir + "/samples/fashion-cnn.netloom").toStdString());
        Project gan = ganSample();
        TrainingConfig c = gan.training;
        c.epochs = 1;
        c.gan.iterationsPerEpoch = 5;
        auto t = sampleTrainer(gan, c);
        Events ev;
        t->run(std::ref(ev));
        findNetwork(gan, kGeneratorRole)->weights = t->generatorWeights();
        saveProject(gan, (dir + "/gan.netloom").toStdString());
        auto run = [&] {
            QProcess proc;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("XDG_CACHE_HOME", dir + "/cache");
            env.insert("NETLOOM_SAMPLES_DIR", dir + "/samples");
            proc.setProcessEnvironment(env);
            proc.start(NETLOOM_BINARY, {"eval", dir + "/gan.netloom", "--threads", "1"});
            proc.waitForFinished(120000);
            return std::make_pair(proc.exitCode(), QString::fromUtf8(proc.readAllStandardOutput() +
                                                                     proc.readAllStandardError()));
        };
        const auto [code, out] = run();
        QCOMPARE(code, 0);
        QVERIFY2(out.contains("training " + dir + "/samples/fashion-cnn.netloom once"),
                 qPrintable(out));
        QVERIFY2(out.contains("Kept the weights of epoch"), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("ratio\\s+\\d\\.\\d+")), qPrintable(out));
        const Project scorer =
            loadProject((dir + "/cache/netloom/fashion-cnn-scorer.netloom").toStdString());
        QCOMPARE(scorer.history.at(0).config.earlyStopping, ScorerTrainingRule::patience);
        const auto [again, out2] = run();
        QCOMPARE(again, 0);
        QVERIFY2(!out2.contains("training"), qPrintable(out2));
    }

    void evalRefusesWhatItCannotScore_data() {
        QTest::addColumn<QString>("project");
        QTest::addColumn<QString>("classifier");
        QTest::addColumn<QString>("expected");
        QTest::newRow("untrained GAN") << "gan"
                                       << ""
                                       << "the generator has no trained weights";
        QTest::newRow("not a 10-class classifier") << "trained-gan"
                                                   << "ae"
                                                   << "not a 10-class classifier of 28×28 images";
        QTest::newRow("untrained classifier") << "trained-gan"
                                              << "cnn"
                                              << "the classifier has no trained weights";
        QTest::newRow("untrained autoencoder") << "ae"
                                               << ""
                                               << "has no trained weights";
    }
    void evalRefusesWhatItCannotScore() {
        QFETCH(QString, project);
        QFETCH(QString, classifier);
        QFETCH(QString, expected);
        auto path = [](const QString& key) -> QString {
            if (key == "gan") return QString::fromStdString(sampleFile("fashion-gan.netloom"));
            if (key == "ae")
                return QString::fromStdString(sampleFile("fashion-autoencoder.netloom"));
            if (key == "cnn") return QString::fromStdString(sampleFile("fashion-cnn.netloom"));
            // A GAN with (initial) weights, enough to reach the classifier checks.
            Project p = ganSample();
            const GanNetworks n = ganNetworks(p);
            ComputeContext ctx;
            GanSession s(n.generator->graph, n.discriminator->graph, p.training, ctx);
            findNetwork(p, kGeneratorRole)->weights = s.generator().weights();
            const QString out = netloom::test::tempDir() + "/trained-gan.netloom";
            saveProject(p, out.toStdString());
            return out;
        };
        QStringList args{"eval", path(project)};
        if (!classifier.isEmpty()) args << "--classifier" << path(classifier);
        QProcess proc;
        proc.start(NETLOOM_BINARY, args);
        QVERIFY(proc.waitForFinished(60000));
        const QString err = QString::fromUtf8(proc.readAllStandardError());
        QCOMPARE(proc.exitCode(), 1);
        QVERIFY2(err.startsWith("netloom: error: ") && err.contains(expected), qPrintable(err));
        QCOMPARE(err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestGan)
#include "test_gan.moc"
