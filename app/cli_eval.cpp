// `netloom eval FILE [--classifier CNN.netloom] [--threads N] [--json]`: figures of a project's
// trained weights. Reconstruction: test-set MSE and BCE. Classification/regression: test loss
// (and accuracy). GAN: the classifier score (engine/metrics/classifier_score.h) of 1,000
// generated samples beside that of 1,000 real test images, and the classes the samples cover.
// The classifier is a trained 10-class 28×28 project; without --classifier, fashion-cnn is
// trained once by ScorerTrainingRule (train/default_scorer.h) and cached in
// $XDG_CACHE_HOME/netloom (or ~/.cache/netloom).
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
#include "engine/evaluation/default_scorer.h"
#include "engine/evaluation/project_eval.h"
#include "engine/graph/analysis.h"
#include "engine/infer/inference_session.h"
#include "engine/io/project_io.h"
#include "engine/losses/loss.h"
#include "engine/metrics/classifier_score.h"
#include "engine/project/project.h"
#include "engine/tasks/registry.h"
#include "engine/train/evaluator.h"
#include "engine/train/gan.h"
#include "engine/train/trainer.h"

namespace netloom::app {

using namespace netloom::engine;
using nlohmann::json;

namespace {

constexpr int64_t kScoreSamples = kGanScoreSamples;

struct EvalOptions {
    std::string file, classifier;
    int threads = 0;
    bool json = false;
};

json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

// The cached default classifier, trained from samples/fashion-cnn.netloom on first use.
std::string defaultClassifier(bool quiet, int threads) {
    const std::string path = defaultScorerPath();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return path;
    const std::string sample = findSample("fashion-cnn.netloom");
    std::fprintf(stderr,
                 "netloom: no --classifier given: training %s once until its validation loss "
                 "stops falling (at most %lld epochs; cached as %s)\n",
                 sample.c_str(), (long long)ScorerTrainingRule::maxEpochs, path.c_str());
    trainDefaultScorer(sample, path, threads, [quiet](const RunEvent& ev) {
        if (quiet) return;
        if (ev.kind == RunEvent::Kind::Epoch)
            std::fprintf(stderr, "netloom: classifier epoch %lld  validation loss %.4f\n",
                         (long long)ev.epoch, ev.validation.loss);
        if (ev.kind == RunEvent::Kind::Finished)
            std::fprintf(stderr, "netloom: %s Classifier test accuracy %.4f\n", ev.message.c_str(),
                         ev.test.accuracy);
    });
    return path;
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
    ScoreClassifier clf = loadScoreClassifier(classifierPath);
    const GanScores scores = evaluateGan(project, clf, kScoreSamples, o.file);
    const ClassifierScore& gen = scores.generated;
    const ClassifierScore& ref = scores.real;
    const double ratio = scores.ratio;

    if (o.json) {
        std::printf("%s\n", json{{"file", o.file},
                                 {"task", project.training.task},
                                 {"classifier", classifierPath},
                                 {"generated", scoreJson(gen)},
                                 {"generated_samples", scores.generatedSamples},
                                 {"real", scoreJson(ref)},
                                 {"real_samples", scores.realSamples},
                                 {"score_ratio", std::round(ratio * 1e4) / 1e4}}
                                .dump()
                                .c_str());
    } else {
        std::printf("classifier score (exp E[KL(p(y|x) || p(y))], classifier %s)\n",
                    classifierPath.c_str());
        std::printf("  generated  %.3f  %lld samples, %d of 10 classes covered (>= 1%%)\n",
                    gen.score, (long long)scores.generatedSamples, gen.classesCovered);
        std::printf("  real       %.3f  %lld test images, %d of 10 classes covered\n", ref.score,
                    (long long)scores.realSamples, ref.classesCovered);
        std::printf("  ratio      %.4f\n", ratio);  // 4 places: 0.5997 is not 0.600
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
    // CSV rows are prepared with the statistics the weights were trained with.
    const auto data = std::make_shared<const DataSplit>(
        loadData(c.dataset, 0.0, c.seed, project.latestDataPrep()));
    for (const std::string& note : data->test.notes)
        std::fprintf(stderr, "note: %s\n", note.c_str());
    const TargetKind kind = taskFor(c).target();
    checkGraphFitsData(analyzeGraph(net.graph), net.graph, c, kind, data->train);
    json out{{"file", o.file}, {"task", c.task}, {"samples", data->test.count}};
    if (kind == TargetKind::Reconstruction) {
        const ReconstructionScores r = evaluateReconstruction(net, c, data, o.file);
        const double m = r.mse, b = r.bce;
        out["test_mse"] = std::round(m * 1e5) / 1e5;
        out["test_bce"] = std::round(b * 1e5) / 1e5;
        if (!o.json)
            std::printf("test  MSE %.5f  BCE %.5f  (%lld images)\n", m, b, (long long)r.samples);
    } else {
        InferenceSession session(net.graph, net.weights, kind);
        auto loss = createLoss(c.loss);
        const EvalResult r = evaluate(session, data->test, *loss);
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
            else
                ArgReader::positional(a, o.file);
        }
        if (o.file.empty())
            throw Error(
                "usage: netloom eval FILE [--classifier CNN.netloom] [--threads N] "
                "[--json]");
        if (o.threads > 0) omp_set_num_threads(o.threads);
        const Project project = loadProject(o.file);
        const TaskDef& task = taskFor(project.training);
        if (task.views().evaluation == TaskViews::Evaluation::ClassifierScore)
            return evalGan(o, project);
        if (task.views().evaluation == TaskViews::Evaluation::TokenPerplexity)
            return evalPerplexity(o.file, project, o.json);
        if (!o.classifier.empty())
            throw Error("--classifier applies to GAN projects; " + o.file + " is a " +
                        project.training.task + " project");
        return evalSupervised(o, project);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
