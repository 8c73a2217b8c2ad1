#include "engine/tasks/sequence_generation_recipe.h"

#include "engine/train/graph_fit.h"

#include <cmath>

#include "engine/core/error.h"
#include "engine/data/batch_source.h"
#include "engine/data/text_reader.h"
#include "engine/data/unigram_baseline.h"
#include "engine/graph/analysis.h"
#include "engine/infer/inference_session.h"
#include "engine/losses/loss.h"
#include "engine/model/parameter_training.h"
#include "engine/optim/lr_multipliers.h"
#include "engine/optim/optimizer.h"
#include "engine/tasks/sequence_generation_causality.h"
#include "engine/tasks/sequence_generation_loss.h"

namespace netloom::engine {

namespace {

// Checks that the graph reads T token ids and gives T × vocabulary logits: the one check the
// editor's problem list also runs (engine/train/graph_fit).
void checkFits(const Graph& graph, const TrainingConfig& c, const Dataset& train) {
    const GraphAnalysis a = analyzeGraph(graph);
    if (!a.ok()) throw Error(a.firstProblem());
    throwFirstProblem(
        supervisedFitProblems(graph, a, c, TargetKind::NextToken, DataFacts::of(train)));
}

}  // namespace

SequenceEval evaluateSequences(InferenceSession& session, const Dataset& data) {
    TokenLoss total;
    session.run(data, true, [&](const Batch& b, const Tensor& out) {
        TokenLoss l = stepCrossEntropy(out, b.y, data.vocabularySize, kPadToken, nullptr);
        total.sum += l.sum;
        total.tokens += l.tokens;
    });
    SequenceEval e;
    e.tokens = total.tokens;
    e.loss = total.mean();
    e.perplexity = std::exp(e.loss);
    return e;
}

namespace {

class SequenceGenerationRecipe final : public TrainingRecipe {
public:
    explicit SequenceGenerationRecipe(RecipeInputs in)
        : m_graph(std::move(in.networks.front())),
          m_config(std::move(in.config)),
          m_initial(in.weightsAt(0)),
          m_data(std::move(in.data)),
          m_snapshotEvery(in.snapshotEverySteps),
          m_ctx(Rng::mix(m_config.seed ^ 0xd0d0)) {}

    const TrainingConfig& config() const override { return m_config; }
    void describeRecord(RunRecord& r) const override { r.testAccuracy = std::nan(""); }

    void prepare(RunEvent& started) override {
        const TrainingConfig& c = m_config;
        if (!m_data)
            m_data = std::make_shared<DataSplit>(loadData(c.dataset, c.validationSplit, c.seed));
        m_train = &m_data->train;
        m_validation = m_data->validation.count > 0 ? &m_data->validation : &m_data->test;
        if (m_train->count < c.batchSize)
            throw Error("the training set has " + std::to_string(m_train->count) +
                        " lines, fewer than one batch of " + std::to_string(c.batchSize));
        checkFits(m_graph, c, *m_train);
        m_vocab = m_train->vocabularySize;
        m_unigramValidation = unigramPerplexity(*m_train, *m_validation);

        m_model = std::make_unique<Model>(m_graph, m_ctx);
        m_model->initialize(c.seed, parseInitScheme(c.init));
        std::vector<std::string> fresh;
        if (!m_initial.empty()) fresh = m_model->loadFittingWeights(m_initial);
        refuseLookAhead();
        m_optimizer = createOptimizer(c.optimizer);
        m_params = m_model->parameters();
        setLrMultipliers(*m_optimizer, parameterLrMultipliers(m_graph));
        m_batches = m_train->count / c.batchSize;
        m_order = std::make_unique<EpochOrder>(m_train->count, Rng::mix(c.seed ^ 0x5eed));
        BatchSourceOptions o;
        o.prefetch = false;  // a gather of token ids: cheaper inline than across threads
        m_source = std::make_unique<BatchSource>(*m_train, c.batchSize, TransformChain{}, o);
        started.stepsPerEpoch = m_batches;
        started.message = freshWeightsNote(fresh);
    }

    int64_t samplesPerStep() const override { return m_config.batchSize; }

    void beginEpoch(int64_t) override {
        m_source->start(m_order->next());
        m_epochLoss = {};
    }

    bool step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) override {
        const Batch* batch = m_source->next();
        if (!batch) throw Error("internal: the batch source ended early");
        const Tensor& out = m_model->forward(batch->x, true);
        const TokenLoss l = stepCrossEntropy(out, batch->y, m_vocab, kPadToken, &m_grad);
        const double loss = l.mean();
        ev.metrics.set("loss", loss);
        ev.metrics.set("perplexity", std::exp(loss));
        if (!std::isfinite(loss)) {
            m_problem = "the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                        " at epoch " + std::to_string(epoch) + ", batch " +
                        std::to_string(stepInEpoch) + " (step " + std::to_string(step) + ")";
            return false;
        }
        m_model->backward(m_grad);
        m_optimizer->step(m_params);
        m_epochLoss.sum += l.sum;
        m_epochLoss.tokens += l.tokens;
        return true;
    }
    std::string nonFiniteProblem() const override { return m_problem; }

    void decorateStep(RunEvent& ev) override {
        if (m_snapshotEvery > 0 && ev.step % m_snapshotEvery == 0)
            ev.weights["model"] = std::make_shared<const WeightSet>(m_model->weights());
    }

    void endEpoch(int64_t, EpochRecord& rec, RunEvent& ev) override {
        rec.trainLoss = m_epochLoss.mean();
        rec.trainAccuracy = std::nan("");
        InferenceSession session(*m_model, &m_graph, TargetKind::NextToken);
        const SequenceEval val = evaluateSequences(session, *m_validation);
        rec.valLoss = val.loss;
        rec.valAccuracy = std::nan("");
        rec.metrics["perplexity"] = std::exp(rec.trainLoss);
        rec.metrics["val_perplexity"] = val.perplexity;
        rec.metrics["unigram_perplexity"] = m_unigramValidation;
        ev.metrics.set("loss", rec.trainLoss);
        ev.metrics.set("perplexity", std::exp(rec.trainLoss));
        ev.metrics.set("val_loss", val.loss);
        ev.metrics.set("val_perplexity", val.perplexity);
        ev.metrics.set("unigram_perplexity", m_unigramValidation);
        ev.validation.samples = m_validation->count;
        ev.validation.loss = val.loss;
        ev.validation.accuracy = std::nan("");
        ev.weights["model"] = std::make_shared<const WeightSet>(m_model->weights());
    }
    bool validates() const override { return true; }

    void finish(bool stopped, RunEvent& ev, RunRecord& record) override {
        if (stopped) return;
        InferenceSession session(*m_model, &m_graph, TargetKind::NextToken);
        const SequenceEval test = evaluateSequences(session, m_data->test);
        const double unigram = unigramPerplexity(*m_train, m_data->test);
        ev.test.samples = m_data->test.count;
        ev.test.loss = test.loss;
        ev.test.accuracy = std::nan("");
        record.testLoss = test.loss;
        record.testAccuracy = std::nan("");
        char text[160];
        std::snprintf(text, sizeof text,
                      "Test perplexity %.3f per character (character-unigram baseline %.3f).",
                      test.perplexity, unigram);
        record.message += (record.message.empty() ? "" : " ") + std::string(text);
    }

    double learningRate() const override {
        return m_optimizer ? m_optimizer->learningRate() : std::nan("");
    }
    void setLearningRate(double lr) override { m_optimizer->setLearningRate(lr); }
    std::string primaryRole() const override { return "model"; }
    void loadPrimaryWeights(const WeightSet& w) override { m_model->loadWeights(w); }
    std::map<std::string, WeightSet> keptWeights() override {
        return {{"model", m_model->weights()}};
    }

private:
    // A network whose step t reads later steps would learn to copy the next token: refused
    // before the first step, whatever layers cause it (sequence_generation_causality.h).
    void refuseLookAhead() {
        InferenceSession session(*m_model, &m_graph, TargetKind::NextToken);
        if (auto l = findLookAhead(session, m_vocab, Rng::mix(m_config.seed ^ 0xca5a1)))
            throw Error(lookAheadProblem(*l));
    }

    Graph m_graph;
    TrainingConfig m_config;
    WeightSet m_initial;
    std::shared_ptr<const DataSplit> m_data;
    int64_t m_snapshotEvery = 0;
    ComputeContext m_ctx;
    const Dataset* m_train = nullptr;
    const Dataset* m_validation = nullptr;
    int64_t m_vocab = 0;
    double m_unigramValidation = 0;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Optimizer> m_optimizer;
    std::vector<Parameter*> m_params;
    std::unique_ptr<EpochOrder> m_order;
    std::unique_ptr<BatchSource> m_source;
    Tensor m_grad;
    int64_t m_batches = 0;
    TokenLoss m_epochLoss;
    std::string m_problem;
};

}  // namespace

std::unique_ptr<TrainingRecipe> makeSequenceGenerationRecipe(RecipeInputs in) {
    if (in.networks.empty()) throw Error("no network to train");
    return std::make_unique<SequenceGenerationRecipe>(std::move(in));
}

}  // namespace netloom::engine
