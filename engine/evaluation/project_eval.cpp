#include "engine/evaluation/project_eval.h"

#include "engine/io/project_io.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/losses/loss.h"
#include "engine/infer/inference_session.h"
#include "engine/tasks/registry.h"
#include "engine/train/evaluator.h"
#include "engine/train/gan.h"
#include "engine/train/trainer.h"

namespace netloom::engine {

namespace {

constexpr uint64_t kEvalNoiseSalt = 0xe7a1ull;

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

}  // namespace

ReconstructionScores evaluateReconstruction(const Network& net, const TrainingConfig& c,
                                            std::shared_ptr<const DataSplit> data,
                                            const std::string& source) {
    if (net.weights.empty()) throw Error(source + ": the network has no trained weights");
    if (!data) data = std::make_shared<const DataSplit>(loadData(c.dataset, 0.0, c.seed));
    checkGraphFitsData(analyzeGraph(net.graph), net.graph, c, taskFor(c).target(), data->train);
    std::unique_ptr<InferenceSession> session;
    try {
        session = std::make_unique<InferenceSession>(net.graph, net.weights,
                                                     TargetKind::Reconstruction);
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
    // Both losses in one pass, each summed per chunk exactly as evaluate() sums one.
    auto mse = createLoss("mse");
    auto bce = createLoss("bce");
    Tensor grad;
    double mseSum = 0, bceSum = 0;
    session->run(data->test, false, [&](const Batch& b, const Tensor& out) {
        const double n = static_cast<double>(b.size());
        mseSum += static_cast<double>(mse->compute(out, b.x, grad)) * n;
        bceSum += static_cast<double>(bce->compute(out, b.x, grad)) * n;
    });
    ReconstructionScores s;
    s.samples = data->test.count;
    if (s.samples > 0) {
        s.mse = mseSum / static_cast<double>(s.samples);
        s.bce = bceSum / static_cast<double>(s.samples);
    }
    return s;
}

ScoreClassifier loadScoreClassifier(const std::string& path) {
    ScoreClassifier c;
    c.path = path;
    c.project = loadProject(path);
    const Network& net = c.project.model();
    const GraphAnalysis a = analyzeGraph(net.graph);
    if (!a.ok()) throw Error(path + ": the classifier's network is invalid: " + a.firstProblem());
    const Shape& in = a.nodes.at(a.inputNode).output;
    const Shape& out = a.nodes.at(a.outputNode).output;
    if (taskFor(c.project.training).target() != TargetKind::ClassLabels ||
        in.elements() != 28 * 28 || out != Shape{10})
        throw Error(path + ": not a 10-class classifier of 28×28 images (its task is " +
                    c.project.training.task + ", it takes " + in.toString() + " and gives " +
                    out.toString() + "): use a trained fashion-cnn or fashion-mlp project");
    if (net.weights.empty())
        throw Error(path +
                    ": the classifier has no trained weights: train it (in NetLoom, or with "
                    "`netloom train " +
                    path + " --save " + path + "`)");
    InferenceOptions chunks;
    chunks.chunk = 250;  // the chunk the published classifier-score figures were computed with
    try {
        c.session = std::make_unique<InferenceSession>(net.graph, net.weights,
                                                       TargetKind::ClassLabels, chunks);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    return c;
}

GanScores evaluateGan(const Project& project, ScoreClassifier& clf, int64_t samples,
                      const std::string& source) {
    if (samples < 1) throw Error("the classifier score needs at least one sample");
    const GanNetworks nets = ganNetworks(project);
    const Graph& g = nets.generator->graph;
    checkGanGraphs(g, nets.discriminator->graph);
    if (nets.generator->weights.empty())
        throw Error(source + ": the generator has no trained weights");
    const std::string clfScaling = clf.project.training.dataset.scaling;

    GanScores s;
    const Tensor z = makeNoise(g, samples, project.training.seed ^ kEvalNoiseSalt);
    Tensor fake = generateSamples(g, nets.generator->weights, z);
    if (fake.size() / fake.batch() != 28 * 28)
        throw Error(source + ": the generator makes " + fake.sampleShape().toString() +
                    " samples; the classifier score needs 28×28 images");
    rescale(fake, project.training.dataset.scaling, clfScaling);
    s.generated = classifierScore(clf.session->probabilities(fake));
    s.generatedSamples = fake.batch();

    DatasetConfig dc = project.training.dataset;
    dc.scaling = clfScaling;
    dc.limitTrain = 64;
    dc.limitTest = samples;
    const DataSplit data = loadData(dc, 0.0, 1);
    if (data.test.sampleShape.elements() != 28 * 28)
        throw Error(source + ": the dataset's images are " + data.test.sampleShape.toString() +
                    "; the classifier score needs 28×28 images");
    std::vector<int64_t> idx(static_cast<size_t>(data.test.count));
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int64_t>(i);
    Tensor real;
    data.test.fillBatch(idx.data(), data.test.count, real, nullptr);
    s.real = classifierScore(clf.session->probabilities(real));
    s.realSamples = real.batch();
    s.ratio = s.generated.score / s.real.score;
    return s;
}

}  // namespace netloom::engine
