#pragma once
// The comparison behind test_pytorch_export and test_pytorch_export_layers: export a project,
// run the script's modules and one train_step in Python (tests/data/pytorch_export_check.py),
// and compare with NetLoom's InferenceSession and Trainer on the same batch. QVERIFY inside:
// call it, then return when QTest::currentTestFailed().
#include <QtTest>

#include <cmath>
#include <memory>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/data/dataset.h"
#include "engine/data/text_reader.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_import.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/infer/inference_session.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/task.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/gan_session.h"
#include "engine/train/run_loop.h"
#include "support/test_support.h"
#include "tests/engine/pytorch_export_support.h"

namespace netloom::test {

using namespace netloom::engine;

inline constexpr int64_t kBatch = 32;
inline constexpr double kTolerance = 1e-4;

inline Tensor randomBatch(const Shape& sample, Rng& rng, float lo, float hi) {
    Tensor t(kBatch, sample);
    for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(lo, hi);
    return t;
}

inline const Network& networkOf(const Project& p, const std::string& role) {
    return role == "model" ? p.model() : *findNetwork(p, role);
}

// One network's weights after a step: ours (NetLoom) against the script's ("step.<role>.*"),
// with the gradients the script's update used ("grad.<role>.*").
inline void compareStep(const std::string& label, const std::string& role,
                        const PyTorchNetwork& net, const WeightSet& after, const WeightSet& start,
                        const TensorFile& torchOut) {
    double worst = 0;
    std::string worstKey;
    int64_t illConditioned = 0;
    for (const PyTorchTensor& t : net.tensors) {
        const Tensor* theirs = torchOut.find("step." + role + "." + t.key);
        QVERIFY2(theirs, t.key.c_str());
        const Tensor& ours = after.at(t.nodeId).at(t.param);
        const Tensor& before = start.at(t.nodeId).at(t.param);
        QCOMPARE(theirs->size(), ours.size());
        const Tensor* grad = t.trainable ? torchOut.find("grad." + role + "." + t.key) : nullptr;
        double scale = 1e-12, step = 0;
        for (int64_t i = 0; i < ours.size(); ++i) {
            scale = std::max(scale, static_cast<double>(std::fabs(ours[i])));
            step = std::max(step, static_cast<double>(std::fabs(ours[i] - before[i])));
        }
        // Adam, RMSprop and Lion divide by the gradient's size: where the gradient itself is
        // at float-rounding level (|g| < 1e-7, ten times Adam's ε: a sum that nearly cancels),
        // its normalised step is decided by rounding in any two implementations. Those elements
        // may differ by the tensor's largest step, in either direction; every other element by 1e-4
        // of its scale.
        // Rounding level is also relative to the tensor's largest gradient: attention's key
        // bias has an exactly zero gradient (softmax ignores a shift shared by all keys), which
        // both sides compute as a rounding-noise sum over every token of the batch.
        double gradMax = 0;
        for (int64_t i = 0; grad && i < grad->size(); ++i)
            gradMax = std::max(gradMax, static_cast<double>(std::fabs((*grad)[i])));
        const double roundingLevel = std::max(1e-7, 1e-5 * gradMax);
        double diff = 0;
        for (int64_t i = 0; i < ours.size(); ++i) {
            const double d = std::fabs((*theirs)[i] - ours[i]);
            // (An exact 0 counts too when the tensor has real gradients: torch's key-bias
            // gradient can come out exactly 0 where ours is noise, or the other way round.)
            if (grad && std::fabs((*grad)[i]) < roundingLevel &&
                ((*grad)[i] != 0.0f || gradMax > 0)) {
                ++illConditioned;
                QVERIFY2(d <= 2 * step + 1e-12, t.key.c_str());
                continue;
            }
            diff = std::max(diff, d / scale);
        }
        if (diff > worst) {
            worst = diff;
            worstKey = t.key;
        }
        QVERIFY2(diff <= kTolerance, qPrintable(QString("%1 after one step differs by %2")
                                                    .arg(QString::fromStdString(t.key))
                                                    .arg(diff)));
        // And the step changed it (unless its gradient is zero: a bias before BatchNorm), so the
        // comparison means something.
        double gradScale = 0;
        for (int64_t i = 0; grad && i < grad->size(); ++i)
            gradScale = std::max(gradScale, static_cast<double>(std::fabs((*grad)[i])));
        if (gradScale > 1e-6) QVERIFY2(step > 1e-7, t.key.c_str());
    }
    qInfo(
        "%s %s: one step, worst relative difference %.2e (%s); %lld elements with a "
        "rounding-level gradient",
        label.c_str(), role.c_str(), worst, worstKey.c_str(),
        static_cast<long long>(illConditioned));
}

// Forward of every network ≤ kTolerance relative; for supervised tasks one step of the
// project's optimizer ≤ kTolerance relative per tensor (see the comment on rounding-level
// gradients); for GANs one D and one G step with SGD (below). `label` names the export folder
// and the log lines.
inline void compareWithPyTorch(const Project& sample, const std::string& label) {
    Project project = sample;
    if (taskFor(project.training).target() == TargetKind::None) {
        // Adam's first step is ±lr for any gradient well above ε, whatever its size. G's
        // gradient runs through a D whose rounding-level elements (compareStep) may already be
        // a step apart, so G's smallest gradients can flip sign between two implementations
        // (DCGAN's g_fc.bias did). SGD with momentum keeps each step linear in its gradient, so
        // the comparison measures the GAN step itself: losses, detach, the D and G updates.
        const OptimizerConfig sgd =
            OptimizerConfig().withType("sgd").withLr(0.05).withMomentum(0.9);
        project.training.optimizer = sgd;
        project.training.gan.discriminatorOptimizer = sgd;
    }
    // Dropout off on both sides: the two engines draw different masks (the issue's "dropout
    // off"); the forward comparison runs in eval mode anyway.
    for (Network& net : project.networks) {
        std::vector<std::string> dropouts;
        for (const Node& n : net.graph.nodes())
            if (n.type == "Dropout") dropouts.push_back(n.id);
        for (const std::string& id : dropouts) net.graph.findNode(id)->params.set("rate", 0.0);
    }
    const QString python = torchPython();
    const std::string dir = tempDir().toStdString() + "/" + label;
    const PyTorchExportReport report = exportPyTorch(project, dir);
    QVERIFY2(report.ok(), report.text().c_str());

    // The weights the script starts from, read back the way import-weights reads them.
    const std::map<std::string, WeightSet> start =
        readPyTorchWeights(project, dir + "/weights.nlw");
    const auto nets = pytorchNetworks(project);
    const TaskDef& task = taskFor(project.training);
    const bool supervised = task.target() != TargetKind::None;

    Rng rng(17);
    TensorFile batch;
    std::map<std::string, Tensor> inputs;
    for (const auto& [role, net] : nets) {
        const bool signedImages = project.training.dataset.scaling == "signed";
        inputs[role] = randomBatch(net.inputShape, rng, signedImages ? -1.0f : 0.0f, 1.0f);
        // An Embedding reads token ids: whole numbers below its vocabulary.
        for (const Node& n : networkOf(project, role).graph.nodes())
            if (n.type == "Embedding") {
                const float v = static_cast<float>(
                    n.params.has("vocabulary") ? n.params.getInt("vocabulary") : 64);
                Tensor& t = inputs[role];
                for (int64_t i = 0; i < t.size(); ++i) t[i] = std::floor(t[i] * v * 0.999f);
            }
        batch.tensors.emplace_back("x." + role, inputs[role]);
    }
    // Labels (classes), random targets (values), nothing used (reconstruction), next tokens
    // (sequences: a random length of real tokens, </s>, then padding the loss leaves out).
    const PyTorchNetwork* model = supervised ? &nets.at("model") : nullptr;
    const bool regression = task.target() == TargetKind::Regression;
    const bool tokens = task.target() == TargetKind::NextToken;
    const int64_t outputs = model ? model->outputShape.elements() : 0;
    const int64_t steps = model ? model->inputShape.elements() : 0;
    const int64_t vocabulary = tokens ? model->outputShape.dims.back() : 0;
    Tensor y(regression ? std::vector<int64_t>{kBatch, outputs}
             : tokens   ? std::vector<int64_t>{kBatch, steps}
                        : std::vector<int64_t>{kBatch});
    if (tokens) {
        for (int64_t i = 0; i < kBatch; ++i) {
            const auto length = static_cast<int64_t>(rng.next() % static_cast<uint64_t>(steps));
            for (int64_t t = 0; t < steps; ++t)
                y[i * steps + t] =
                    t < length
                        ? static_cast<float>(
                              kSpecialTokens +
                              static_cast<int64_t>(
                                  rng.next() % static_cast<uint64_t>(vocabulary - kSpecialTokens)))
                    : t == length ? static_cast<float>(kEndToken)
                                  : static_cast<float>(kPadToken);
        }
    } else if (supervised) {
        for (int64_t i = 0; i < y.size(); ++i)
            y[i] = regression ? rng.normal()
                              : static_cast<float>(rng.next() % static_cast<uint64_t>(outputs));
    }
    if (supervised) {
        batch.tensors.emplace_back("x", inputs.at("model"));
        batch.tensors.emplace_back("y", y);
    }
    const std::string batchPath = dir + "/batch.nlw", outPath = dir + "/check.nlw";
    writeTensorFile(batchPath, batch);
    const auto run =
        runProcess(python, {QString(NETLOOM_TEST_DATA_DIR) + "/pytorch_export_check.py",
                            QString::fromStdString(dir), QString::fromStdString(batchPath),
                            QString::fromStdString(outPath)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const TensorFile torchOut = readTensorFile(outPath);

    // Forward: each network in eval mode, NetLoom's InferenceSession against the module.
    for (const auto& [role, net] : nets) {
        InferenceSession session(networkOf(project, role).graph, start.at(role),
                                 supervised ? task.target() : TargetKind::None);
        const Tensor ours = session.forward(inputs.at(role));
        const Tensor* theirs = torchOut.find("out." + role);
        QVERIFY(theirs);
        const double d = relativeDifference(*theirs, ours);
        qInfo("%s %s: forward relative difference %.2e", label.c_str(), role.c_str(), d);
        QVERIFY2(d <= kTolerance,
                 qPrintable(
                     QString("%1 forward differs by %2").arg(QString::fromStdString(role)).arg(d)));
    }
    if (!supervised) {
        // A GAN: one D step on the real batch with the batch of noise given to both (the
        // session's fixed-noise hook), then one G step, from the same weights.
        ComputeContext ctx(project.training.seed);
        GanSession session(networkOf(project, kGeneratorRole).graph,
                           networkOf(project, kDiscriminatorRole).graph, project.training, ctx);
        session.loadWeights(start.at(kGeneratorRole), start.at(kDiscriminatorRole));
        session.discriminatorStep(inputs.at(kDiscriminatorRole), &inputs.at(kGeneratorRole));
        // D as its update left it: the G step's forward through D moves D's BatchNorm
        // statistics again, on weights where rounding-level gradients (see compareStep) may
        // already have moved elements a full step apart.
        const WeightSet discriminator = session.discriminator().weights();
        session.generatorStep();
        compareStep(label, kDiscriminatorRole, nets.at(kDiscriminatorRole), discriminator,
                    start.at(kDiscriminatorRole), torchOut);
        if (QTest::currentTestFailed()) return;
        compareStep(label, kGeneratorRole, nets.at(kGeneratorRole), session.generator().weights(),
                    start.at(kGeneratorRole), torchOut);
        return;
    }

    // One step: NetLoom's Trainer on exactly this batch (one epoch of kBatch samples).
    TrainingConfig config = project.training;
    config.epochs = 1;
    config.batchSize = kBatch;
    config.validationSplit = 0;
    config.earlyStopping = 0;
    config.threads = 1;
    config.augmentation = {};  // random: off on both sides (pytorch_export_check.py), like dropout
    config.schedule.warmup = 0;  // one epoch cannot hold fashion-vit's epoch-long warm-up
    auto split = std::make_shared<DataSplit>();
    Dataset& d = split->train;
    d.name = "batch";
    d.sampleShape = model->inputShape;
    d.count = kBatch;
    const Tensor& x = inputs.at("model");
    if (tokens) {
        for (int64_t i = 0; i < x.size(); ++i) d.tokens.push_back(static_cast<int32_t>(x[i]));
        d.targets.assign(y.data(), y.data() + y.size());
        d.targetSize = steps;
        d.vocabularySize = vocabulary;
    } else if (regression) {
        d.features.assign(x.data(), x.data() + x.size());
        d.targets.assign(y.data(), y.data() + y.size());
        d.targetSize = outputs;
    } else {
        d.features.assign(x.data(), x.data() + x.size());
        d.numClasses = static_cast<int>(outputs);
        for (int64_t i = 0; i < kBatch; ++i) d.labels.push_back(static_cast<int32_t>(y[i]));
    }
    split->test = d;
    WeightSet after;
    if (tokens) {  // sequence generation has its own recipe (per-step masked loss)
        RecipeInputs in;
        in.networks = {project.model().graph};
        in.weights = {start.at("model")};
        in.config = config;
        in.data = split;
        auto recipe = task.makeRecipe(std::move(in));
        RunControl control;
        const RunRecord record = runTraining(
            *recipe, control, {}, [](const RunEvent&) {}, {},
            [&](std::map<std::string, WeightSet>&& w) { after = w.at("model"); });
        QVERIFY2(record.status == "finished", record.message.c_str());
    } else {
        Trainer trainer = trainerFor(project.model().graph, config, start.at("model"));
        trainer.setData(split);
        const RunRecord record = trainer.run([](const RunEvent&) {});
        QVERIFY2(record.status == "finished", record.message.c_str());
        after = trainer.weights();
    }
    compareStep(label, "model", *model, after, start.at("model"), torchOut);
}

}  // namespace netloom::test
