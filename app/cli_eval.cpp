// `netloom eval FILE [--classifier CNN.netloom] [--threads N] [--json]`: figures of a project's
// trained weights. Reconstruction: test-set MSE and BCE. Classification/regression: test loss
// (and accuracy). GAN: the classifier score (engine/metrics/classifier_score.h) of 1,000
// generated samples beside that of 1,000 real test images, and the classes the samples cover.
// The classifier is a trained 10-class 28×28 project; without --classifier, fashion-cnn is
// trained once for its 2 epochs and cached in $XDG_CACHE_HOME/netloom (or ~/.cache/netloom).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/sample_paths.h"
#include "engine/core/error.h"
#include "engine/data/dataset.h"
#include "engine/graph/analysis.h"
#include "engine/io/project.h"
#include "engine/losses/loss.h"
#include "engine/metrics/classifier_score.h"
#include "engine/train/evaluator.h"
#include "engine/train/gan.h"
#include "engine/train/trainer.h"

namespace netloom::app {

using namespace netloom::engine;
using nlohmann::json;

namespace {

constexpr int64_t kScoreSamples = 1000;
constexpr uint64_t kEvalNoiseSalt = 0xe7a1ull;

struct EvalOptions {
    std::string file, classifier;
    int threads = 0;
    bool json = false;
};

json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

std::string cacheDir() {
    namespace fs = std::filesystem;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "netloom");
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "netloom";
    throw Error(
        "no --classifier given and neither XDG_CACHE_HOME nor HOME is set to cache one "
        "in: pass --classifier with a trained fashion-cnn project");
}

// The cached classifier, trained from samples/fashion-cnn.netloom on first use.
std::string defaultClassifier(bool quiet, int threads) {
    namespace fs = std::filesystem;
    const fs::path path = fs::path(cacheDir()) / "fashion-cnn-classifier.netloom";
    std::error_code ec;
    if (fs::exists(path, ec)) return path.string();
    const std::string sample = findSample("fashion-cnn.netloom");
    Project p = loadProject(sample);
    std::fprintf(stderr,
                 "netloom: no --classifier given: training %s for its %lld epochs once (cached "
                 "as %s)\n",
                 sample.c_str(), (long long)p.training.epochs, path.c_str());
    if (threads > 0) p.training.threads = threads;
    Trainer trainer(p.model().graph, p.training);
    std::string failure;
    RunRecord r = trainer.run([&](const TrainingEvent& ev) {
        if (ev.kind == TrainingEvent::Kind::Failed) failure = ev.message;
        if (ev.kind == TrainingEvent::Kind::Finished && !quiet)
            std::fprintf(stderr, "netloom: classifier test accuracy %.4f\n", ev.test.accuracy);
    });
    if (r.status != "finished")
        throw Error(sample + ": training the classifier failed: " + failure);
    p.model().weights = trainer.weights();
    p.history.push_back(r);
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw Error(path.parent_path().string() + ": cannot create: " + ec.message());
    saveProject(p, path.string());
    return path.string();
}

// Value range of images under a dataset scaling.
std::pair<float, float> rangeOf(const std::string& scaling) {
    return scaling == "signed" ? std::pair{-1.0f, 1.0f} : std::pair{0.0f, 1.0f};
}

void rescale(Tensor& t, const std::string& from, const std::string& to) {
    const auto [a, b] = rangeOf(from);
    const auto [c, d] = rangeOf(to);
    for (int64_t i = 0; i < t.size(); ++i) {
        const float u = std::clamp((t[i] - a) / (b - a), 0.0f, 1.0f);
        t[i] = c + u * (d - c);
    }
}

struct Classifier {
    Project project;
    std::unique_ptr<ComputeContext> ctx;
    std::unique_ptr<Model> model;
    bool logits = true;
};

Classifier loadClassifier(const std::string& path) {
    Classifier c;
    c.project = loadProject(path);
    const Network& net = c.project.model();
    const GraphAnalysis a = analyzeGraph(net.graph);
    if (!a.ok()) throw Error(path + ": the classifier's network is invalid: " + a.firstProblem());
    const Shape& in = a.nodes.at(a.inputNode).output;
    const Shape& out = a.nodes.at(a.outputNode).output;
    if (c.project.training.task != "classification" || in.elements() != 28 * 28 || out != Shape{10})
        throw Error(path + ": not a 10-class classifier of 28×28 images (its task is " +
                    c.project.training.task + ", it takes " + in.toString() + " and gives " +
                    out.toString() + "): use a trained fashion-cnn or fashion-mlp project");
    if (net.weights.empty())
        throw Error(path +
                    ": the classifier has no trained weights: train it with `netloom "
                    "train " +
                    path + " --save " + path + "`");
    c.ctx = std::make_unique<ComputeContext>();
    c.model = std::make_unique<Model>(net.graph, *c.ctx);
    try {
        c.model->loadWeights(net.weights);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    c.logits = net.graph.node(a.outputNode).type != "Softmax";
    return c;
}

json scoreJson(const ClassifierScore& s) {
    return {{"score", std::round(s.score * 1e4) / 1e4},
            {"classes_covered", s.classesCovered},
            {"class_share", s.classShare}};
}

int evalGan(const EvalOptions& o, const Project& project) {
    const GanNetworks nets = ganNetworks(project);
    const Graph& g = nets.generator->graph;
    checkGanGraphs(g, nets.discriminator->graph);
    if (nets.generator->weights.empty())
        throw Error(o.file +
                    ": the generator has no trained weights: train it with `netloom "
                    "train " +
                    o.file + " --save " + o.file + "`");
    const std::string classifierPath =
        o.classifier.empty() ? defaultClassifier(o.json, o.threads) : o.classifier;
    Classifier clf = loadClassifier(classifierPath);
    const std::string clfScaling = clf.project.training.dataset.scaling;

    const Tensor z = makeNoise(g, kScoreSamples, project.training.seed ^ kEvalNoiseSalt);
    Tensor fake = generateSamples(g, nets.generator->weights, z);
    if (fake.size() / fake.batch() != 28 * 28)
        throw Error(o.file + ": the generator makes " + fake.sampleShape().toString() +
                    " samples; the classifier score needs 28×28 images");
    rescale(fake, project.training.dataset.scaling, clfScaling);
    const ClassifierScore gen = classifierScore(classProbabilities(*clf.model, fake, clf.logits));

    DatasetConfig dc = project.training.dataset;
    dc.scaling = clfScaling;
    dc.limitTrain = 64;
    dc.limitTest = kScoreSamples;
    const DataSplit data = loadData(dc, 0.0, 1);
    if (data.test.sampleShape.elements() != 28 * 28)
        throw Error(o.file + ": the dataset's images are " + data.test.sampleShape.toString() +
                    "; the classifier score needs 28×28 images");
    std::vector<int64_t> idx(static_cast<size_t>(data.test.count));
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int64_t>(i);
    Tensor real;
    data.test.fillBatch(idx.data(), data.test.count, real, nullptr);
    const ClassifierScore ref = classifierScore(classProbabilities(*clf.model, real, clf.logits));
    const double ratio = gen.score / ref.score;

    if (o.json) {
        std::printf("%s\n", json{{"file", o.file},
                                 {"task", "adversarial"},
                                 {"classifier", classifierPath},
                                 {"generated", scoreJson(gen)},
                                 {"generated_samples", fake.batch()},
                                 {"real", scoreJson(ref)},
                                 {"real_samples", real.batch()},
                                 {"score_ratio", std::round(ratio * 1e4) / 1e4}}
                                .dump()
                                .c_str());
    } else {
        std::printf("classifier score (exp E[KL(p(y|x) || p(y))], classifier %s)\n",
                    classifierPath.c_str());
        std::printf("  generated  %.3f  %lld samples, %d of 10 classes covered (>= 1%%)\n",
                    gen.score, (long long)fake.batch(), gen.classesCovered);
        std::printf("  real       %.3f  %lld test images, %d of 10 classes covered\n", ref.score,
                    (long long)real.batch(), ref.classesCovered);
        std::printf("  ratio      %.3f\n", ratio);
        std::printf("  generated class shares:");
        for (double s : gen.classShare) std::printf(" %.3f", s);
        std::printf("\n");
    }
    return 0;
}

int evalSupervised(const EvalOptions& o, const Project& project) {
    const Network& net = project.model();
    if (net.weights.empty())
        throw Error(o.file +
                    ": the project has no trained weights: train it with `netloom "
                    "train " +
                    o.file + " --save " + o.file + "`");
    const TrainingConfig& c = project.training;
    const DataSplit data = loadData(c.dataset, 0.0, c.seed);
    checkGraphFitsData(analyzeGraph(net.graph), net.graph, c, data.train);
    ComputeContext ctx;
    Model model(net.graph, ctx);
    model.loadWeights(net.weights);
    const TargetKind kind = targetKindFor(c.task);
    json out{{"file", o.file}, {"task", c.task}, {"samples", data.test.count}};
    if (kind == TargetKind::Reconstruction) {
        auto mse = createLoss("mse");
        auto bce = createLoss("bce");
        const double m = evaluate(model, data.test, *mse, kind).loss;
        const double b = evaluate(model, data.test, *bce, kind).loss;
        out["test_mse"] = std::round(m * 1e5) / 1e5;
        out["test_bce"] = std::round(b * 1e5) / 1e5;
        if (!o.json)
            std::printf("test  MSE %.5f  BCE %.5f  (%lld images)\n", m, b,
                        (long long)data.test.count);
    } else {
        auto loss = createLoss(c.loss);
        const EvalResult r = evaluate(model, data.test, *loss, kind);
        out["test_loss"] = num(r.loss);
        out["test_accuracy"] = num(r.accuracy);
        if (!o.json) {
            std::printf("test  loss %.4f", r.loss);
            if (std::isfinite(r.accuracy)) std::printf("  accuracy %.4f", r.accuracy);
            std::printf("  (%lld samples)\n", (long long)r.samples);
        }
    }
    if (o.json) std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace

int runEval(const std::vector<std::string>& args) {
    EvalOptions o;
    try {
        ArgReader r{args};
        while (!r.done()) {
            std::string a = r.next();
            if (a == "--classifier")
                o.classifier = r.value(a);
            else if (a == "--json")
                o.json = true;
            else if (a == "--threads")
                o.threads = static_cast<int>(r.integer(a, 1, 1024));
            else if (!a.empty() && a[0] == '-')
                throw Error("unknown option " + a);
            else if (o.file.empty())
                o.file = a;
            else
                throw Error("more than one project file given ('" + o.file + "', '" + a + "')");
        }
        if (o.file.empty())
            throw Error(
                "usage: netloom eval FILE [--classifier CNN.netloom] [--threads N] "
                "[--json]");
        if (o.threads > 0) omp_set_num_threads(o.threads);
        const Project project = loadProject(o.file);
        if (project.training.task == "adversarial") return evalGan(o, project);
        if (!o.classifier.empty())
            throw Error("--classifier applies to GAN projects; " + o.file + " is a " +
                        project.training.task + " project");
        return evalSupervised(o, project);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
