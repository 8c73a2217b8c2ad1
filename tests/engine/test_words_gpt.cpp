// samples/words-gpt.netloom, the causal character Transformer: the causal mask lets no step see
// the steps after it (outputs and per-step losses unchanged when later tokens change, and the
// task refuses the same network without the mask), a short training on part of the word list
// gets clearly below the character-unigram baseline, and the words it writes are made of the
// vocabulary's characters.
#include <QtTest>
#include <cmath>
#include <set>

#include "engine/data/text_reader.h"
#include "engine/data/unigram_baseline.h"
#include "engine/infer/text_sampler.h"
#include "engine/io/project_io.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/sequence_generation_causality.h"
#include "engine/tasks/sequence_generation_loss.h"
#include "engine/train/run_loop.h"
#include "support/test_support.h"

using namespace netloom::engine;

namespace {

Project gptSample() {
    return loadProject(netloom::test::sampleFile("words-gpt.netloom"));
}

Graph withCausal(Graph g, bool causal) {
    std::vector<std::string> ids;
    for (const Node& n : g.nodes())
        if (n.type == "MultiHeadAttention") ids.push_back(n.id);
    for (const std::string& id : ids) g.findNode(id)->params.set("causal", causal);
    return g;
}

WeightSet freshWeights(const Graph& g, uint64_t seed) {
    ComputeContext ctx(seed);
    Model m(g, ctx);
    m.initialize(seed, InitScheme::Default);
    return m.weights();
}

// Per-step cross-entropy of `logits` {1, T, V} against `targets` {1, T}, step by step.
std::vector<double> stepLosses(const Tensor& logits, const Tensor& targets, int64_t vocab) {
    const int64_t steps = targets.size();
    std::vector<double> out;
    for (int64_t s = 0; s < steps; ++s) {
        Tensor l({1, 1, vocab}), t({1, 1});
        std::copy(logits.data() + s * vocab, logits.data() + (s + 1) * vocab, l.data());
        t[0] = targets[s];
        out.push_back(stepCrossEntropy(l, t, vocab, kPadToken, nullptr).sum);
    }
    return out;
}

// For every cut t: a line and the same line with every token after t replaced give the same
// logits (to the last bit) and the same per-step loss at steps 0..t.
void checkNoPeeking(InferenceSession& session, int64_t vocab, uint64_t seed) {
    const int64_t steps = session.inputShape().elements();
    Rng rng(seed);
    auto draw = [&] {
        return float(kSpecialTokens + int64_t(rng.next() % uint64_t(vocab - kSpecialTokens)));
    };
    Tensor base({1, steps});
    base[0] = float(kStartToken);
    for (int64_t s = 1; s < steps; ++s) base[s] = draw();
    Tensor targets({1, steps});
    for (int64_t s = 0; s < steps; ++s) targets[s] = s + 1 < steps ? base[s + 1] : kEndToken;
    const Tensor logits = session.forward(base);
    const std::vector<double> losses = stepLosses(logits, targets, vocab);
    for (int64_t t = 0; t + 1 < steps; ++t) {
        Tensor changed = base;
        Tensor changedTargets = targets;
        for (int64_t s = t + 1; s < steps; ++s) {
            changed[s] = float(kSpecialTokens +
                               (int64_t(base[s]) - kSpecialTokens + 1 + int64_t(rng.next() % 5)) %
                                   (vocab - kSpecialTokens));
            changedTargets[s - 1] = changed[s];
        }
        const Tensor other = session.forward(changed);
        const std::vector<double> otherLosses = stepLosses(other, changedTargets, vocab);
        for (int64_t s = 0; s < t; ++s) {  // step t's own target is token t+1: it did change
            QCOMPARE(otherLosses[size_t(s)], losses[size_t(s)]);
        }
        for (int64_t s = 0; s <= t; ++s)
            for (int64_t j = 0; j < vocab; ++j)
                QVERIFY2(other[s * vocab + j] == logits[s * vocab + j],
                         qPrintable(QString("step %1 logit %2 moved when tokens after %3 "
                                            "changed: %4 vs %5")
                                        .arg(s)
                                        .arg(j)
                                        .arg(t)
                                        .arg(other[s * vocab + j])
                                        .arg(logits[s * vocab + j])));
        // The later steps did see the change (the probe is not blind).
        double moved = 0;
        for (int64_t j = 0; j < vocab; ++j)
            moved = std::max(
                moved, double(std::fabs(other[(t + 1) * vocab + j] - logits[(t + 1) * vocab + j])));
        QVERIFY2(moved > 1e-6, qPrintable(QString("step %1 ignores its own token").arg(t + 1)));
    }
}

int64_t vocabularyOf(const Graph& g) {
    for (const Node& n : g.nodes())
        if (n.type == "Embedding") return n.params.getInt("vocabulary");
    return 0;
}

}  // namespace

class TestWordsGpt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!QFileInfo::exists("/usr/share/dict/words"))
            QSKIP("no /usr/share/dict/words (scripts/setup.sh installs wamerican)");
    }

    void causalMaskHidesLaterTokens() {
        const Project p = gptSample();
        const Graph& g = p.model().graph;
        const int64_t vocab = vocabularyOf(g);
        QCOMPARE(vocab, int64_t{72});
        InferenceSession session(g, freshWeights(g, 7), TargetKind::NextToken);
        checkNoPeeking(session, vocab, 11);
        QVERIFY(!findLookAhead(session, vocab, 3).has_value());

        // Without the mask the same network reads ahead, and the probe says where.
        const Graph open = withCausal(g, false);
        InferenceSession openSession(open, freshWeights(open, 7), TargetKind::NextToken);
        const std::optional<LookAhead> l = findLookAhead(openSession, vocab, 3);
        QVERIFY(l.has_value());
        QCOMPARE(l->step, int64_t{0});
        QCOMPARE(l->changedFrom, int64_t{1});
    }

    void taskRefusesANetworkThatLooksAhead() {
        const Project p = gptSample();
        RecipeInputs in = recipeInputsFor(p);
        in.networks = {withCausal(p.model().graph, false)};
        in.config.threads = 1;
        in.config.epochs = 1;
        in.config.dataset.limitTrain = 256;
        auto recipe = taskById("sequence-generation").makeRecipe(std::move(in));
        RunControl control;
        int steps = 0;
        const RunRecord r = runTraining(*recipe, control, {}, [&](const RunEvent& e) {
            steps += e.kind == RunEvent::Kind::Step;
        });
        QCOMPARE(steps, 0);
        QVERIFY2(QString::fromStdString(r.message).contains(
                     "the network looks ahead: its prediction at step 0 changes when "
                     "the tokens from step 1 on change"),
                 r.message.c_str());
        QVERIFY(QString::fromStdString(r.message).contains("'Causal mask'"));
    }

    // 4,000 lines, 3 epochs: far below the unigram baseline on the validation lines, the
    // masking still holds with trained weights, and the written words use the vocabulary.
    void learnsAndWritesWords() {
        const Project p = gptSample();
        RecipeInputs in = recipeInputsFor(p);
        in.config.threads = 1;
        in.config.epochs = 3;
        in.config.dataset.limitTrain = 4000;
        auto data = std::make_shared<DataSplit>(
            loadData(in.config.dataset, in.config.validationSplit, in.config.seed));
        in.data = data;
        const double unigram = unigramPerplexity(data->train, data->validation);
        std::vector<double> val;
        WeightSet weights;
        auto recipe = taskById("sequence-generation").makeRecipe(std::move(in));
        RunControl control;
        const RunRecord r = runTraining(
            *recipe, control, {},
            [&](const RunEvent& e) {
                if (e.kind == RunEvent::Kind::Epoch)
                    val.push_back(e.record.metrics.at("val_perplexity"));
            },
            {}, [&](std::map<std::string, WeightSet>&& w) { weights = w.at("model"); });
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(val.size(), size_t{3});
        qInfo("validation perplexity by epoch %.3f %.3f %.3f, unigram %.3f", val[0], val[1], val[2],
              unigram);
        QVERIFY2(unigram > 15, qPrintable(QString::number(unigram)));
        QVERIFY(val[2] < val[0]);
        QVERIFY2(val[2] < 0.6 * unigram,
                 qPrintable(QString("validation %1 vs unigram %2").arg(val[2]).arg(unigram)));

        const Graph& g = p.model().graph;
        InferenceSession session(g, weights, TargetKind::NextToken);
        checkNoPeeking(session, vocabularyOf(g), 5);

        const std::vector<std::string>& vocab = data->train.vocabulary;
        std::set<std::string> characters(vocab.begin() + kSpecialTokens, vocab.end());
        SamplingOptions o;
        o.count = 40;
        o.temperature = 0.8;
        o.seed = 4;
        const std::vector<std::string> words = sampleLines(session, vocab, o);
        QCOMPARE(words.size(), size_t{40});
        qInfo("written: %s %s %s %s %s", words[0].c_str(), words[1].c_str(), words[2].c_str(),
              words[3].c_str(), words[4].c_str());
        std::set<std::string> distinct;
        for (const std::string& w : words) {
            const std::vector<int32_t> ids = encodeText(w, vocab);  // throws on a foreign char
            for (int32_t id : ids) QVERIFY(characters.count(vocab[size_t(id)]) == 1);
            QVERIFY(w.size() <= 24);
            distinct.insert(w);
        }
        QVERIFY2(distinct.size() >= 30, qPrintable(QString::number(distinct.size())));
        // A prompt continues: every line starts with it.
        o.prompt = "un";
        for (const std::string& w : sampleLines(session, vocab, o)) QVERIFY(w.starts_with("un"));
    }
};

QTEST_GUILESS_MAIN(TestWordsGpt)
#include "test_words_gpt.moc"
