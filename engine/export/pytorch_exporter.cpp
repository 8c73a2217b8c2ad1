#include "engine/export/pytorch_exporter.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/data/dataset.h"
#include "engine/data/idx_reader.h"
#include "engine/data/text_reader.h"
#include "engine/data/transforms/input_noise.h"
#include "engine/export/pytorch_data_order.h"
#include "engine/export/pytorch_script.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/layers/init.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/model/model.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/task.h"
#include "engine/train/gan_session.h"
#include "engine/train/training_transforms.h"

namespace netloom::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* classNameFor(const std::string& role) {
    if (role == kGeneratorRole) return "Generator";
    if (role == kDiscriminatorRole) return "Discriminator";
    return "Net";
}

json optimizerJson(const OptimizerConfig& c) {
    return {{"type", c.type},
            {"lr", c.lr},
            {"momentum", c.momentum},
            {"dampening", c.dampening},
            {"nesterov", c.nesterov},
            {"beta1", c.beta1},
            {"beta2", c.beta2},
            {"eps", c.eps},
            {"alpha", c.alpha},
            {"weight_decay", c.weightDecay},
            {"l1", c.l1},
            {"l2", c.l2},
            {"clip_norm", c.clipNorm}};
}

json scheduleJson(const LrScheduleConfig& s) {
    return {{"type", s.type},
            {"step_size", s.stepSize},
            {"gamma", s.gamma},
            {"period", s.period},
            {"period_multiplier", s.periodMultiplier},
            {"min_lr", s.minLr},
            {"max_lr", s.maxLr},
            {"pct_start", s.pctStart},
            {"div_factor", s.divFactor},
            {"final_div_factor", s.finalDivFactor},
            {"warmup", s.warmup},
            {"warmup_unit", s.warmupUnit},
            {"warmup_start_factor", s.warmupStartFactor}};
}

// The transforms NetLoom applies to training batches (trainingTransforms(): augmentation of
// classified images), with the parameters it gives them, as the script's augment() runs them:
// [{"name": "random_crop", "params": {"padding": 4, "fill": 0}}, ...]. The script adds the
// reconstruction noise itself (INPUT_NOISE), so only image sets are asked here.
json augmentationJson(const TrainingConfig& config, TargetKind target, const json& dataset) {
    json list = json::array();
    if (dataset.value("kind", "") != "idx") return list;  // the only images the script reads
    Dataset probe;  // trainingTransforms() reads only whether it is an image and its scaling
    probe.pixels = {0};
    probe.scale = dataset.at("scale").get<float>();
    probe.offset = dataset.at("offset").get<float>();
    for (const TransformSpec& spec : trainingTransforms(config, target, probe)) {
        if (spec.name == kInputNoiseName && target == TargetKind::Reconstruction) continue;
        json params = json::object();
        for (const auto& [name, value] : spec.params) params[name] = value;
        list.push_back({{"name", spec.name}, {"params", params}});
    }
    return list;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The weights the script starts from: the project's trained weights when they fit the graph,
// else NetLoom's initialisation for the run's seed and scheme (the generator with the seed,
// the discriminator with the seed GanSession derives for it).
WeightSet startingWeights(const Network& net, const TrainingConfig& config,
                          std::vector<std::string>& notes) {
    ComputeContext ctx(config.seed);
    Model model(net.graph, ctx);
    const uint64_t seed =
        net.role == kDiscriminatorRole ? discriminatorInitSeed(config.seed) : config.seed;
    model.initialize(seed, parseInitScheme(config.init));
    if (!net.weights.empty()) {
        // As a NetLoom run starts: trained layers (imported ones too) keep their weights, the
        // rest start fresh.
        const std::vector<std::string> fresh = model.loadFittingWeights(net.weights);
        if (!fresh.empty()) notes.push_back("the " + net.role + ": " + freshWeightsNote(fresh));
    }
    return model.weights();
}

// A text set: the script reads the file itself, as engine/data/text_reader does (vocabulary,
// padding, next-token targets); which lines train and test is NetLoom's seeded split, handed
// over as line numbers in text_split.nlw (float32: exact below 2^24 lines).
json textDatasetJson(const TrainingConfig& config, const std::string& outDir,
                     PyTorchExportReport& report, int64_t& trainCount) {
    const DatasetConfig& d = config.dataset;
    const Dataset text = readTextDataset(d);
    constexpr int64_t kExactInFloat = int64_t{1} << 24;
    if (text.count > kExactInFloat)
        throw Error(d.textPath + " has " + std::to_string(text.count) +
                    " lines: the PyTorch export hands the split over as float32 line numbers, "
                    "exact up to " +
                    std::to_string(kExactInFloat) + " lines");
    const TextSplitLines lines = textSplitLines(d, text.count, config.validationSplit, config.seed);
    trainCount = static_cast<int64_t>(lines.train.size());
    if (config.validationSplit > 0)
        report.notes.push_back(
            "the script trains on NetLoom's training part only; the "
            "validation part is left out");
    auto numbers = [](const std::vector<int64_t>& rows) {
        Tensor t({static_cast<int64_t>(rows.size())});
        for (size_t i = 0; i < rows.size(); ++i) t[static_cast<int64_t>(i)] = float(rows[i]);
        return t;
    };
    TensorFile file;
    file.meta = {{"lines", text.count}, {"vocabulary_size", text.vocabularySize}};
    file.tensors.emplace_back("train_lines", numbers(lines.train));
    file.tensors.emplace_back("test_lines", numbers(lines.test));
    const std::string path = (fs::path(outDir) / "text_split.nlw").string();
    writeTensorFile(path, file);
    report.written.push_back(path);
    return {{"kind", "text"},
            {"path", fs::absolute(d.textPath).string()},
            {"max_line", d.textMaxLine},
            {"max_vocabulary", d.textMaxVocabulary},
            {"split", "text_split.nlw"},
            {"pad", kPadToken},
            {"start", kStartToken},
            {"end", kEndToken}};
}

// The dataset as the script reads it: IDX files by path, a text file by path with its split,
// or a data.nlw written here. trainCount: the size of the set the script trains on when it is
// NetLoom's training set (so NetLoom's batch order applies), else -1.
json datasetJson(const TrainingConfig& config, const Shape& inputShape, const std::string& outDir,
                 PyTorchExportReport& report, int64_t& trainCount) {
    trainCount = -1;
    const DatasetConfig& d = config.dataset;
    if (d.kind == "fashion-mnist" || d.kind == "idx") {
        const bool fashion = d.kind == "fashion-mnist";
        auto path = [&](const std::string& given, const char* file) {
            return fashion ? fashionMnistDir() + "/" + file : fs::absolute(given).string();
        };
        const bool isSigned = d.scaling == "signed";
        if (config.validationSplit > 0) {
            report.notes.push_back(
                "the script trains on the whole training set: NetLoom's "
                "validation split is not reproduced");
        } else {  // the header's count, the first limit_train of them as NetLoom keeps
            const int64_t all =
                readIdxLabels(path(d.trainLabels, "train-labels-idx1-ubyte.gz")).dims[0];
            trainCount = d.limitTrain > 0 ? std::min(all, d.limitTrain) : all;
        }
        return {{"kind", "idx"},
                {"train_images", path(d.trainImages, "train-images-idx3-ubyte.gz")},
                {"train_labels", path(d.trainLabels, "train-labels-idx1-ubyte.gz")},
                {"test_images", path(d.testImages, "t10k-images-idx3-ubyte.gz")},
                {"test_labels", path(d.testLabels, "t10k-labels-idx1-ubyte.gz")},
                {"scale", isSigned ? 2.0f / 255.0f : 1.0f / 255.0f},
                {"offset", isSigned ? -1.0f : 0.0f},
                {"sample_shape", inputShape.dims},
                {"limit_train", d.limitTrain},
                {"limit_test", d.limitTest}};
    }
    if (d.kind == "text") return textDatasetJson(config, outDir, report, trainCount);
    // CSV and synthetic sets: the split NetLoom makes, written once as tensors.
    const DataSplit split = loadData(d, config.validationSplit, config.seed);
    trainCount = split.train.count;
    if (config.validationSplit > 0)
        report.notes.push_back(
            "the script trains on NetLoom's training part only; the "
            "validation part is left out");
    TensorFile file;
    auto add = [&](const char* name, const Dataset& set, bool inputs) {
        Tensor t;
        Tensor y;
        std::vector<int64_t> all(static_cast<size_t>(set.count));
        for (int64_t i = 0; i < set.count; ++i) all[static_cast<size_t>(i)] = i;
        t.resize(set.count, set.sampleShape);
        const bool regression = set.targetSize > 0;
        if (regression)
            y.resize({set.count, set.targetSize});
        else
            y.resize({set.count});
        set.fillBatch(all.data(), set.count, t, &y);
        file.tensors.emplace_back(std::string(name) + "_x", std::move(t));
        file.tensors.emplace_back(std::string(name) + "_y", std::move(y));
        (void)inputs;
    };
    add("train", split.train, true);
    add("test", split.test, true);
    const std::string path = (fs::path(outDir) / "data.nlw").string();
    writeTensorFile(path, file);
    report.written.push_back(path);
    return {{"kind", "tensors"}, {"file", "data.nlw"}};
}

}  // namespace

std::string PyTorchExportReport::text() const {
    std::string s;
    for (const auto& p : problems) s += "cannot export: " + p + "\n";
    for (const auto& w : written) s += "wrote " + w + "\n";
    for (const auto& n : notes) s += "note: " + n + "\n";
    return s;
}

std::map<std::string, PyTorchNetwork> pytorchNetworks(const Project& project) {
    std::map<std::string, PyTorchNetwork> out;
    for (const std::string& role : taskFor(project.training).networkRoles()) {
        const Network* net = role == "model" ? &project.model() : findNetwork(project, role);
        if (!net) throw Error("the project has no " + role + " network");
        out[role] = describePyTorchNetwork(net->graph, classNameFor(role));
    }
    return out;
}

PyTorchExportReport exportPyTorch(const Project& project, const std::string& outDir) {
    PyTorchExportReport report;
    const TrainingConfig& config = project.training;
    const TaskDef& task = taskFor(config);
    std::map<std::string, PyTorchNetwork> nets;
    try {
        nets = pytorchNetworks(project);
    } catch (const Error& e) {
        report.problems.push_back(e.what());
        return report;
    }
    for (const auto& [role, net] : nets)
        for (const auto& p : net.problems) report.problems.push_back(role + ": " + p);
    if (!report.problems.empty()) return report;

    std::string target;
    switch (task.target()) {
        case TargetKind::ClassLabels:
            target = "classes";
            break;
        case TargetKind::Regression:
            target = "values";
            break;
        case TargetKind::Reconstruction:
            target = "inputs";
            break;
        case TargetKind::None:
            target = "none";
            break;
        case TargetKind::NextToken:
            target = "tokens";
            break;
    }
    const Shape dataShape = nets.count(kDiscriminatorRole) ? nets.at(kDiscriminatorRole).inputShape
                                                           : nets.begin()->second.inputShape;

    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec) throw Error(outDir + ": cannot create the folder (" + ec.message() + ")");

    // Weights: "<role>.<state_dict key>", in the networks' order.
    TensorFile weights;
    weights.meta = {{"project", project.name}, {"written_by", "netloom export --pytorch"}};
    json noDecay = json::object(), lrMultipliers = json::object();
    std::string code, classes = "{";
    for (const std::string& role : task.networkRoles()) {
        const PyTorchNetwork& net = nets.at(role);
        const Network* source = role == "model" ? &project.model() : findNetwork(project, role);
        const WeightSet start = startingWeights(*source, config, report.notes);
        noDecay[role] = json::array();
        lrMultipliers[role] = json::object();
        for (const PyTorchTensor& t : net.tensors) {
            weights.tensors.emplace_back(role + "." + t.key, start.at(t.nodeId).at(t.param));
            if (t.trainable && !t.decay) noDecay[role].push_back(t.key);
            if (t.trainable && t.lrMultiplier != 1.0) lrMultipliers[role][t.key] = t.lrMultiplier;
        }
        code += "\n" + net.code + "\n";
        classes +=
            std::string(classes.size() > 1 ? ", " : "") + "\"" + role + "\": " + net.className;
    }
    classes += "}";

    json gan = json::object();
    if (task.target() == TargetKind::None) {
        const Graph& g = findNetwork(project, kGeneratorRole)->graph;
        std::string distribution = "normal";
        for (const Node& n : g.nodes())
            if (n.type == "Noise" && n.params.has("distribution"))
                distribution = n.params.getString("distribution");
        gan = {{"d_steps", config.gan.discriminatorSteps},
               {"iterations_per_epoch", config.gan.iterationsPerEpoch},
               {"generator_average", config.gan.generatorAverage},
               {"noise", distribution},
               {"noise_shape", nets.at(kGeneratorRole).inputShape.dims},
               {"d_optimizer",
                optimizerJson(config.gan.discriminatorOptimizer.value_or(config.optimizer))}};
    }

    int64_t trainCount = -1;
    const json dataset = datasetJson(config, dataShape, outDir, report, trainCount);
    // NetLoom's batch order, for the tasks whose recipe walks an EpochOrder (not the GAN's
    // endless stream of real batches).
    if (task.target() != TargetKind::None && trainCount > 0) {
        const std::string orderPath = (fs::path(outDir) / "order.nlw").string();
        if (writeDataOrder(orderPath, trainCount, config.epochs, config.seed))
            report.written.push_back(orderPath);
        else
            report.notes.push_back(
                "the script shuffles with PyTorch's sampler: NetLoom's batch "
                "order for " +
                std::to_string(config.epochs) + " epochs of " + std::to_string(trainCount) +
                " samples is too large to hand over");
    }
    const json augmentation = augmentationJson(config, task.target(), dataset);
    std::string script = pytorchScriptTemplate();
    const std::string title = project.name.empty() ? "NetLoom model" : project.name;
    script = replaceAll(script, "@TITLE@", replaceAll(title, "\"\"\"", "'''"));
    script = replaceAll(script, "@TARGET@", target);
    script = replaceAll(script, "@LOSS@", config.loss);
    script = replaceAll(script, "@BATCH@", std::to_string(config.batchSize));
    script = replaceAll(script, "@EPOCHS@", std::to_string(config.epochs));
    script = replaceAll(script, "@SEED@", std::to_string(config.seed));
    script = replaceAll(script, "@INPUT_NOISE@", pyFloat(config.inputNoise));
    script = replaceAll(script, "@OPTIMIZER@", optimizerJson(config.optimizer).dump());
    script = replaceAll(script, "@DATASET@", dataset.dump());
    script = replaceAll(script, "@GAN@", gan.dump());
    script = replaceAll(script, "@SCHEDULE@", scheduleJson(config.schedule).dump());
    script = replaceAll(script, "@AUGMENTATION@", augmentation.dump());
    script = replaceAll(script, "@NO_DECAY@", noDecay.dump());
    script = replaceAll(script, "@LR_MULTIPLIERS@", lrMultipliers.dump());
    script = replaceAll(script, "@NETWORK_CLASSES@", classes);
    script = replaceAll(script, "@NETWORKS@", code);

    const std::string scriptPath = (fs::path(outDir) / "model.py").string();
    std::ofstream out(scriptPath, std::ios::trunc);
    if (!out || !(out << script) || !out.flush())
        throw Error(scriptPath + ": cannot write the script");
    report.written.push_back(scriptPath);
    const std::string weightsPath = (fs::path(outDir) / "weights.nlw").string();
    writeTensorFile(weightsPath, weights);
    report.written.push_back(weightsPath);
    return report;
}

}  // namespace netloom::engine
