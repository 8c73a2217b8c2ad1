#include "engine/train/graph_fit.h"

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/losses/loss.h"

namespace netloom::engine {

namespace {

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

bool hasParam(const NodeAnalysis& na, const std::string& key) {
    if (!na.def) return false;
    for (const ParamSpec& spec : na.def->schema())
        if (spec.key == key) return true;
    return false;
}

// The layer whose "units" set the network's output size: the output node itself, or the nearest
// one behind it through layers that keep the shape (activations, softmax, dropout). Null when
// none, or when a layer on the way changes the shape (then no single edit is obvious).
const Node* unitsLayerFeeding(const Graph& graph, const GraphAnalysis& a,
                              const std::string& outputId) {
    std::string id = outputId;
    for (size_t hops = 0; hops <= graph.nodes().size(); ++hops) {
        const auto it = a.nodes.find(id);
        if (it == a.nodes.end() || !it->second.ok) return nullptr;
        const NodeAnalysis& na = it->second;
        if (hasParam(na, "units")) return &graph.node(id);
        const std::vector<Edge> ins = graph.inputsOf(id);
        if (ins.size() != 1 || na.inputs.size() != 1 || na.inputs[0] != na.output) return nullptr;
        id = ins.front().from;
    }
    return nullptr;
}

// "Set units to 10" on the Dense layer that gives a rank-1 output, when there is one.
std::optional<ParamFix> unitsFix(const Graph& graph, const GraphAnalysis& a, const Shape& out,
                                 int64_t units) {
    if (out.rank() != 1 || units < 1 || units > 65536) return std::nullopt;
    const Node* dense = unitsLayerFeeding(graph, a, a.outputNode);
    if (!dense) return std::nullopt;
    return ParamFix{dense->id, "units", ParamValue{units},
                    "Set units of " + quoted(dense->name) + " to " + std::to_string(units)};
}

// The shape an Input should take for these samples: theirs, or their size when the Input is
// flat (a network that starts with Dense takes the images flattened, and the check compares
// sizes): the fix must not break the layers after it.
Shape inputShapeFor(const Shape& current, const Shape& samples) {
    if (current.rank() == 1 && samples.rank() > 1 && !samples.sequence)
        return Shape{samples.elements()};
    return samples;
}

ParamFix inputShapeFix(const Node& input, const Shape& shape) {
    return {input.id, "shape", ParamValue{shapeParamText(shape)},
            "Set input shape to " + shape.toString()};
}

}  // namespace

DataFacts DataFacts::of(const Dataset& train) {
    return {train.sampleShape, train.numClasses, train.targetSize, train.vocabularySize};
}

std::string shapeParamText(const Shape& shape) {
    std::string text;
    for (size_t i = 0; i < shape.dims.size(); ++i)
        text += (i ? "," : "") + std::to_string(shape.dims[i]);
    return shape.sequence ? text + " (seq)" : text;
}

std::vector<Problem> supervisedFitProblems(const Graph& graph, const GraphAnalysis& a,
                                           const TrainingConfig& config, TargetKind target,
                                           const DataFacts& data) {
    std::vector<Problem> problems;
    if (!a.ok() || a.inputNode.empty() || a.outputNode.empty()) return problems;
    const Node& inNode = graph.node(a.inputNode);
    const Node& outNode = graph.node(a.outputNode);
    const Shape& in = a.nodes.at(a.inputNode).output;
    const Shape& out = a.nodes.at(a.outputNode).output;
    if (in.elements() != data.sampleShape.elements()) {
        const Shape wanted = inputShapeFor(in, data.sampleShape);
        problems.push_back({inNode.id,
                            "Input " + quoted(inNode.name) + " has shape " + in.toString() +
                                " but the dataset's samples are " + data.sampleShape.toString() +
                                ": set its shape to " + wanted.toAsciiString(),
                            inputShapeFix(inNode, wanted)});
    }
    const LossInfo* loss = findLoss(config.loss);
    if (!loss) {
        problems.push_back({"", "unknown loss '" + config.loss + "'"});
        return problems;
    }
    const std::string gives =
        "the output layer " + quoted(outNode.name) + " gives " + out.toString() + " values but ";
    switch (target) {
        case TargetKind::ClassLabels:
            if (data.numClasses <= 0) {
                problems.push_back(
                    {"", "the dataset has no class labels: choose the regression task"});
                break;
            }
            if (!loss->classLabels)
                problems.push_back({"",
                                    "classification needs a loss on class labels (softmax "
                                    "cross-entropy), not " +
                                        loss->displayName});
            if (out.rank() != 1 || out[0] != data.numClasses) {
                const std::optional<ParamFix> fix = unitsFix(graph, a, out, data.numClasses);
                const std::string n = std::to_string(data.numClasses);
                problems.push_back(
                    {outNode.id,
                     gives + "the dataset has " + n + " classes: " +
                         (fix ? fix->nodeId == outNode.id
                                    ? "give it " + n + " units"
                                    : "give " + quoted(graph.node(fix->nodeId).name) + " " + n +
                                          " units"
                              : "make it a Dense layer with " + n + " units"),
                     fix});
            }
            break;
        case TargetKind::Regression:
            if (data.targetSize <= 0) {
                problems.push_back(
                    {"", "the dataset has no regression targets: choose classification"});
                break;
            }
            if (loss->classLabels)
                problems.push_back(
                    {"", "regression needs a loss like MSE or L1, not " + loss->displayName});
            if (out.elements() != data.targetSize)
                problems.push_back({outNode.id,
                                    gives + "each target has " + std::to_string(data.targetSize),
                                    unitsFix(graph, a, out, data.targetSize)});
            break;
        case TargetKind::Reconstruction:
            if (loss->classLabels)
                problems.push_back(
                    {"", "reconstruction compares output and input: use MSE, L1 or BCE"});
            if (out.elements() != in.elements())
                problems.push_back({outNode.id,
                                    gives + "reconstructing the input needs " + in.toString(),
                                    unitsFix(graph, a, out, in.elements())});
            break;
        case TargetKind::None:
            problems.push_back(
                {"", "this task has no per-sample target: it cannot train one network alone"});
            break;
        case TargetKind::NextToken: {
            if (data.vocabularySize <= 0) {
                problems.push_back({"",
                                    "sequence generation needs a text dataset (dataset.kind "
                                    "text): its samples are token sequences with next-token "
                                    "targets"});
                break;
            }
            if (!loss->classLabels)
                problems.push_back({"",
                                    "sequence generation predicts a token at every step: it "
                                    "needs softmax cross-entropy, not " +
                                        loss->displayName});
            const int64_t steps = data.sampleShape.elements();
            const int64_t vocab = data.vocabularySize;
            if (out.elements() != steps * vocab || out[out.rank() - 1] != vocab)
                problems.push_back(
                    {outNode.id, gives + "next-token prediction needs " + std::to_string(steps) +
                                     " steps × " + std::to_string(vocab) +
                                     " logits (the vocabulary): end with a Dense of " +
                                     std::to_string(vocab) + " units on each step"});
            break;
        }
    }
    return problems;
}

std::vector<FitProblem> adversarialFitProblems(const Graph& generator, const Graph& discriminator,
                                               const DataFacts* data) {
    std::vector<FitProblem> problems;
    const GraphAnalysis g = analyzeGraph(generator);
    const GraphAnalysis d = analyzeGraph(discriminator);
    if (!g.ok()) problems.push_back({0, {"", "the generator: " + g.firstProblem()}});
    if (!d.ok()) problems.push_back({1, {"", "the discriminator: " + d.firstProblem()}});
    if (!problems.empty()) return problems;
    const Node& gIn = generator.node(g.inputNode);
    const Node& gOutNode = generator.node(g.outputNode);
    const Node& dIn = discriminator.node(d.inputNode);
    const Node& dOutNode = discriminator.node(d.outputNode);
    if (gIn.type != "Noise")
        problems.push_back(
            {0,
             {gIn.id, "the generator starts with " + gIn.type + " " + quoted(gIn.name) +
                          ": a generator's source is a Noise layer (replace it)"}});
    if (dIn.type != "Input")
        problems.push_back(
            {1,
             {dIn.id, "the discriminator starts with " + dIn.type + " " + quoted(dIn.name) +
                          ": a discriminator's source is an Input layer that takes images"}});
    const Shape& gOut = g.nodes.at(g.outputNode).output;
    const Shape& dShape = d.nodes.at(d.inputNode).output;
    // The images decide: an Input that does not take them is the discriminator's problem; a
    // generator that does not make what the discriminator takes is the generator's.
    const bool dTakesImages = !data || dShape.elements() == data->sampleShape.elements();
    if (!dTakesImages) {
        const Shape wanted = inputShapeFor(dShape, data->sampleShape);
        problems.push_back(
            {1,
             {dIn.id,
              "the discriminator's Input " + quoted(dIn.name) + " has shape " + dShape.toString() +
                  " but the dataset's samples are " + data->sampleShape.toString() +
                  ": set its shape to " + wanted.toAsciiString() +
                  " and the generator's output to match",
              dIn.type == "Input" ? std::optional(inputShapeFix(dIn, wanted)) : std::nullopt}});
    } else if (gOut != dShape)
        problems.push_back(
            {0,
             {gOutNode.id, "the generator's output " + quoted(gOutNode.name) + " is " +
                               gOut.toString() + " but the discriminator's Input " +
                               quoted(dIn.name) + " takes " + dShape.toString() +
                               ": they must be the same shape"}});
    const Shape& dOut = d.nodes.at(d.outputNode).output;
    if (dOut.elements() != 1)
        problems.push_back(
            {1,
             {dOutNode.id,
              "the discriminator's output " + quoted(dOutNode.name) + " gives " + dOut.toString() +
                  " values; it must give 1 (a real-vs-fake logit): "
                  "end it with Dense 1",
              unitsFix(discriminator, d, dOut, 1)}});
    return problems;
}

void throwFirstProblem(const std::vector<Problem>& problems) {
    if (!problems.empty()) throw Error(problems.front().message);
}

void throwFirstProblem(const std::vector<FitProblem>& problems) {
    if (!problems.empty()) throw Error(problems.front().problem.message);
}

}  // namespace netloom::engine
