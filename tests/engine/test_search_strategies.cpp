// The search strategies checked on their own, with analytic objectives and no training: the
// Parzen estimators reproduce Optuna's (bandwidths, prior, weights, categorical and integer
// kernels) with a normalised density; candidates are drawn from l(x); log ranges are modelled in
// log space and every whole number of an int range gets its share; pruned trials rank below
// finished ones and failed ones are left out, as in Optuna; and on a space shaped like the
// fashion-mlp benchmark's TPE's best is better than random search's on average over many seeds.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/search/parzen_estimator.h"
#include "engine/search/strategy.h"

using namespace netloom::engine;

namespace {

SearchDimension numeric(std::string name, SearchDimension::Kind kind, double low, double high,
                        bool log = false) {
    SearchDimension d;
    d.setting = std::move(name);
    d.kind = kind;
    d.low = low, d.high = high, d.log = log;
    return d;
}
SearchDimension floatDim(std::string name, double low, double high, bool log = false) {
    return numeric(std::move(name), SearchDimension::Kind::Float, low, high, log);
}
SearchDimension intDim(std::string name, double low, double high, bool log = false) {
    return numeric(std::move(name), SearchDimension::Kind::Int, low, high, log);
}

double num(const ParamValue& v) {
    if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
}

Trial trialAt(int64_t number, std::vector<ParamValue> values, std::vector<double> curve,
              TrialState state = TrialState::Finished) {
    Trial t;
    t.number = number;
    t.values = std::move(values);
    t.curve = std::move(curve);
    t.state = state;
    return t;
}

std::vector<ParamValue> suggest(const std::string& strategy, const SearchSpace& space,
                                const std::vector<Trial>& trials, uint64_t seed) {
    Rng rng = Rng(seed).derive(static_cast<uint64_t>(trials.size()) + 1);
    return *findStrategy(strategy)->make()->suggest(space, trials, rng);
}

// n trials of a strategy maximising f (as the search runner draws them).
template <typename F>
std::vector<Trial> optimise(const std::string& strategy, const SearchSpace& space, int n,
                            uint64_t seed, F f) {
    std::vector<Trial> trials;
    for (int i = 0; i < n; ++i) {
        std::vector<ParamValue> v = suggest(strategy, space, trials, seed);
        const double y = f(v);
        trials.push_back(trialAt(i, std::move(v), {y}));
    }
    return trials;
}

double bestValue(const std::vector<Trial>& trials) {
    double best = -INFINITY;
    for (const Trial& t : trials) best = std::max(best, t.value());
    return best;
}

}  // namespace

class SearchStrategiesTest : public QObject {
    Q_OBJECT

private slots:
    // Reference values: Optuna 3.1's _ParzenEstimator (python3-optuna, TPESampler's defaults:
    // prior weight 1, magic clip, consider_endpoints False, default_weights) gave the kernels'
    // means, bandwidths and weights; the density is the normalised mixture of truncated normals
    // Σ w·φ((x−μ)/σ)/(σ·mass). (Optuna 3.1's own log_pdf leaves out the 1/σ of each kernel —
    // its density over [0, 1] below integrates to 0.41 — optuna issue 5109, fixed in 3.5.)
    void numericParzenMatchesOptunasEstimator() {
        const NumericParzen three({0.2, 0.25, 0.7}, 0.0, 1.0);
        const double x3[] = {0.05, 0.22, 0.5, 0.9};
        const double want3[] = {0.0299377640, 0.2939804923, 0.0631162541, -0.5411185165};
        for (int i = 0; i < 4; ++i) QVERIFY(std::abs(three.logPdf(x3[i]) - want3[i]) < 1e-8);

        // 30 observations: the oldest five are down-weighted, and the bandwidths are clipped.
        std::vector<double> obs;
        for (int i = 0; i < 30; ++i) obs.push_back(-2 + 5 * std::fmod(i * 0.618034, 1.0));
        const NumericParzen thirty(obs, -2.0, 3.0);
        const double x30[] = {-1.9, -0.3, 1.1, 2.95};
        const double want30[] = {-1.9017773535, -1.5620812812, -1.6007641623, -1.8296359980};
        for (int i = 0; i < 4; ++i) QVERIFY(std::abs(thirty.logPdf(x30[i]) - want30[i]) < 1e-8);
    }

    void integerAndCategoricalKernelsMatchOptunas() {
        // An int range 1..6 (step 1) with observations 3 and 4: a whole number's probability is
        // its bin [k − ½, k + ½] of the mixture over [½, 6½].
        const NumericParzen ints({3.0, 4.0}, 0.5, 6.5);
        QVERIFY(std::abs(ints.logBinProbability(0.5, 1.5) - -2.2475068345) < 1e-8);
        QVERIFY(std::abs(ints.logBinProbability(2.5, 3.5) - -1.4937503479) < 1e-8);
        QVERIFY(std::abs(ints.logBinProbability(5.5, 6.5) - -2.2475068345) < 1e-8);
        double sum = 0;
        for (int k = 1; k <= 6; ++k) sum += std::exp(ints.logBinProbability(k - 0.5, k + 0.5));
        QVERIFY(std::abs(sum - 1.0) < 1e-12);

        // Three choices observed as 0, 2, 2.
        const CategoricalParzen choices({0, 2, 2}, 3);
        QVERIFY(std::abs(choices.logPdf(0) - -1.0986122887) < 1e-8);
        QVERIFY(std::abs(choices.logPdf(1) - -1.6582280766) < 1e-8);
        QVERIFY(std::abs(choices.logPdf(2) - -0.7419373447) < 1e-8);
    }

    void parzenDensityIsNormalisedAndSamplesFollowIt() {
        const NumericParzen l({0.1, 0.12, 0.15, 0.8}, 0.0, 1.0);
        // ∫ exp(logPdf) over the range is 1 (Simpson's rule).
        const int n = 2000;
        double integral = 0;
        for (int i = 0; i <= n; ++i) {
            const double w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
            integral += w * std::exp(l.logPdf(static_cast<double>(i) / n));
        }
        integral /= 3.0 * n;
        QVERIFY2(std::abs(integral - 1.0) < 1e-6, qPrintable(QString::number(integral)));
        // Draws land in each tenth of the range as often as the density says.
        Rng rng(11);
        const int draws = 40000;
        std::vector<int> hist(10, 0);
        for (int i = 0; i < draws; ++i) {
            const double x = l.sample(rng);
            QVERIFY(x >= 0.0 && x <= 1.0);
            ++hist[std::min(9, static_cast<int>(x * 10))];
        }
        for (int b = 0; b < 10; ++b) {
            const double want = std::exp(l.logBinProbability(b / 10.0, (b + 1) / 10.0));
            const double got = static_cast<double>(hist[b]) / draws;
            QVERIFY2(
                std::abs(got - want) < 0.01,
                qPrintable(QString("tenth %1: %2 drawn, %3 expected").arg(b).arg(got).arg(want)));
        }
    }

    void intRangesGiveEveryWholeNumberItsShare() {
        // Linear 1..4: each a quarter (the ends are not halved by rounding). Log 1..8: 1 owns
        // [log ½, log 1½] of [log ½, log 8½], i.e. 38.8%.
        SearchSpace linear, log;
        linear.dimensions = {intDim("units", 1, 4)};
        log.dimensions = {intDim("units", 1, 8, true)};
        const int draws = 20000;
        std::vector<int> counts(5, 0);
        int ones = 0;
        Rng rng(3);
        for (int i = 0; i < draws; ++i) {
            const ParamValue a = sampleUniform(linear.dimensions[0], rng);
            const ParamValue b = sampleUniform(log.dimensions[0], rng);
            QVERIFY(std::holds_alternative<int64_t>(a) && std::holds_alternative<int64_t>(b));
            ++counts[static_cast<size_t>(std::get<int64_t>(a))];
            ones += std::get<int64_t>(b) == 1;
            QVERIFY(std::get<int64_t>(b) >= 1 && std::get<int64_t>(b) <= 8);
        }
        QCOMPARE(counts[0], 0);
        for (int k = 1; k <= 4; ++k) QVERIFY(std::abs(counts[k] / double(draws) - 0.25) < 0.015);
        QVERIFY(std::abs(ones / double(draws) - std::log(3.0) / std::log(17.0)) < 0.015);
    }

    void logRangesAreSearchedInLogSpace() {
        // Optimum at 1e-4 in [1e-6, 1]: in log space it is in the middle-left; a linear model of
        // the range would keep proposing values near 0.5.
        SearchSpace space;
        space.dimensions = {floatDim("optimizer.lr", 1e-6, 1.0, true)};
        auto distance = [](const std::vector<ParamValue>& v) {
            return std::abs(std::log10(num(v[0])) + 4.0);
        };
        double tpeLate = 0, randomLate = 0;
        const int seeds = 10;
        for (uint64_t seed = 1; seed <= seeds; ++seed)
            for (const std::string strategy : {"tpe", "random"}) {
                const auto trials =
                    optimise(strategy, space, 40, seed, [&](auto& v) { return -distance(v); });
                double late = 0;  // mean decades from the optimum of trials 20-39
                for (int i = 20; i < 40; ++i) late += distance(trials[i].values) / 20 / seeds;
                (strategy == "tpe" ? tpeLate : randomLate) += late;
            }
        qInfo("decades from the optimum, trials 20-39: tpe %.3f, random %.3f", tpeLate, randomLate);
        QVERIFY(tpeLate < 1.0);
        QVERIFY(tpeLate < 0.5 * randomLate);
    }

    void prunedTrialsRankBelowFinishedOnes() {
        // Finished trials at x in [0, 0.5] scoring x (the best near 0.5); pruned trials near
        // x = 0.95 whose last value, 0.99, beats every finished one. As in Optuna, a pruned trial
        // is never "good" while enough finished ones exist, so TPE proposes near 0.5.
        SearchSpace space;
        space.dimensions = {floatDim("x", 0.0, 1.0)};
        std::vector<Trial> trials;
        for (int i = 0; i < 20; ++i) {
            const double x = 0.5 * i / 19.0;
            trials.push_back(trialAt(i, {x}, {x}));
        }
        for (int i = 0; i < 10; ++i)
            trials.push_back(trialAt(20 + i, {0.9 + 0.01 * i}, {0.99}, TrialState::Pruned));
        int nearHalf = 0;
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            const double x = num(suggest("tpe", space, trials, seed)[0]);
            QVERIFY2(x < 0.85, qPrintable(QString("seed %1 proposed %2").arg(seed).arg(x)));
            nearHalf += x > 0.35 && x < 0.7;
        }
        QVERIFY2(nearHalf >= 15, qPrintable(QString("%1 of 20 near 0.5").arg(nearHalf)));
    }

    void failedTrialsAreLeftOut() {
        // Nine finished and five failed trials: fewer than 10 count, so TPE still draws exactly
        // what random search draws (the start-up phase).
        SearchSpace space;
        space.dimensions = {floatDim("x", 0.0, 1.0)};
        std::vector<Trial> trials;
        for (int i = 0; i < 14; ++i)
            trials.push_back(trialAt(i, {i / 14.0},
                                     i < 9 ? std::vector<double>{i / 14.0} : std::vector<double>{},
                                     i < 9 ? TrialState::Finished : TrialState::Failed));
        for (uint64_t seed = 1; seed <= 5; ++seed)
            QCOMPARE(suggest("tpe", space, trials, seed), suggest("random", space, trials, seed));
        trials[9].state = TrialState::Finished, trials[9].curve = {0.5};
        QVERIFY(suggest("tpe", space, trials, 1) != suggest("random", space, trials, 1));
    }

    void tpeBeatsRandomOnAverageOnTheBenchmarksSpace() {
        // The space of bench/search/fashion-mlp-space.json, 30 trials as in the benchmark, with an
        // analytic stand-in for validation accuracy: a peak at lr 2e-3, 300 units, dropout 0.2,
        // weight decay 1e-4, and chance level (0.1) where the learning rate is too large.
        SearchSpace space;
        space.dimensions = {floatDim("optimizer.lr", 1e-5, 1.0, true),
                            intDim("fc1.units", 8, 1024, true), floatDim("drop1.rate", 0.0, 0.8),
                            floatDim("optimizer.weight_decay", 1e-6, 0.1, true)};
        auto accuracy = [](const std::vector<ParamValue>& v) {
            const double lr = std::log10(num(v[0]) / 2e-3), units = std::log2(num(v[1]) / 300);
            const double rate = num(v[2]) - 0.2, wd = std::log10(num(v[3]) / 1e-4);
            if (lr > 1.3) return 0.1;
            return 0.9 - 0.04 * lr * lr - 0.004 * units * units - 0.1 * rate * rate -
                   0.003 * wd * wd;
        };
        const int seeds = 40;
        double tpe = 0, random = 0;
        int tpeWins = 0;
        for (uint64_t seed = 1; seed <= seeds; ++seed) {
            const double a = bestValue(optimise("tpe", space, 30, seed, accuracy));
            const double b = bestValue(optimise("random", space, 30, seed, accuracy));
            tpe += a / seeds, random += b / seeds, tpeWins += a > b;
        }
        qInfo("mean best of 30 trials over %d seeds: tpe %.4f, random %.4f; tpe better on %d",
              seeds, tpe, random, tpeWins);
        QVERIFY(tpe > random);
        QVERIFY(tpeWins > seeds / 2);
    }
};

QTEST_GUILESS_MAIN(SearchStrategiesTest)
#include "test_search_strategies.moc"
