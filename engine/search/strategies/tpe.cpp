// Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate, with Optuna 3.1's
// defaults: the first 10 trials are random; after that the finished and pruned trials are
// ranked (finished by value, then pruned ones, later-pruned first), the best γ(n) = min(⌈0.1n⌉,
// 25) form the "good" group and the rest the "bad" one, each dimension gets a Parzen estimator
// l(x) over the good and g(x) over the bad values (parzen_estimator.h), and of 24 candidates
// drawn from l the one with the highest l(x)/g(x) (expected improvement) is proposed.
#include <algorithm>
#include <cmath>

#include "engine/search/numeric_scale.h"
#include "engine/search/parzen_estimator.h"
#include "engine/search/strategy.h"

namespace netloom::engine {
namespace {

constexpr size_t kStartupTrials = 10;
constexpr int kCandidates = 24;

size_t gammaOf(size_t n) {
    return std::min<size_t>((n + 9) / 10, 25);
}  // ⌈0.1n⌉, at most 25

int choiceIndex(const SearchDimension& d, const ParamValue& v) {
    auto it = std::find(d.choices.begin(), d.choices.end(), v);
    return it == d.choices.end() ? -1 : static_cast<int>(it - d.choices.begin());
}

// The good and bad trials, each in trial order (the weights ramp by age).
struct Split {
    std::vector<const Trial*> good, bad;
};

Split splitTrials(const std::vector<Trial>& trials, bool maximize) {
    struct Ranked {
        const Trial* t;
        double key1, key2;  // smaller is better
    };
    std::vector<Ranked> ranked;
    for (const Trial& t : trials) {
        if (t.state == TrialState::Failed || t.curve.empty() || std::isnan(t.value())) continue;
        const double signedValue = maximize ? -t.value() : t.value();
        const double stage = t.state == TrialState::Finished
                                 ? -INFINITY
                                 : -static_cast<double>(t.curve.size());  // later pruned: better
        ranked.push_back({&t, stage, signedValue});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        return a.key1 != b.key1 ? a.key1 < b.key1 : a.key2 < b.key2;
    });
    Split s;
    const size_t nGood = gammaOf(ranked.size());
    for (size_t i = 0; i < ranked.size(); ++i) (i < nGood ? s.good : s.bad).push_back(ranked[i].t);
    auto byNumber = [](const Trial* a, const Trial* b) { return a->number < b->number; };
    std::sort(s.good.begin(), s.good.end(), byNumber);
    std::sort(s.bad.begin(), s.bad.end(), byNumber);
    return s;
}

ParamValue suggestNumeric(const SearchDimension& d, const Split& s, size_t dim, Rng& rng) {
    const NumericScale scale{&d};
    auto observe = [&](const std::vector<const Trial*>& group) {
        std::vector<double> out;
        for (const Trial* t : group) {
            const double x = NumericScale::number(t->values[dim]);
            if (std::isfinite(x) && (!d.log || x > 0)) out.push_back(scale.toInternal(x));
        }
        return out;
    };
    const NumericParzen good(observe(s.good), scale.low(), scale.high());
    const NumericParzen bad(observe(s.bad), scale.low(), scale.high());
    double bestScore = -INFINITY;
    ParamValue best;
    for (int i = 0; i < kCandidates; ++i) {
        const ParamValue v = scale.valueAt(good.sample(rng));
        double score;
        if (scale.isInt()) {  // the probability of the whole number's bin
            const double k = NumericScale::number(v);
            const double from = scale.toInternal(k - 0.5), to = scale.toInternal(k + 0.5);
            score = good.logBinProbability(from, to) - bad.logBinProbability(from, to);
        } else {
            const double u = scale.toInternal(NumericScale::number(v));
            score = good.logPdf(u) - bad.logPdf(u);
        }
        if (i == 0 || score > bestScore) bestScore = score, best = v;
    }
    return best;
}

ParamValue suggestCategorical(const SearchDimension& d, const Split& s, size_t dim, Rng& rng) {
    auto observe = [&](const std::vector<const Trial*>& group) {
        std::vector<int> out;
        for (const Trial* t : group)
            if (int c = choiceIndex(d, t->values[dim]); c >= 0) out.push_back(c);
        return out;
    };
    const int n = static_cast<int>(d.choices.size());
    const CategoricalParzen good(observe(s.good), n), bad(observe(s.bad), n);
    double bestScore = -INFINITY;
    int best = 0;
    for (int i = 0; i < kCandidates; ++i) {
        const int c = good.sample(rng);
        const double score = good.logPdf(c) - bad.logPdf(c);
        if (score > bestScore) bestScore = score, best = c;
    }
    return d.choices[static_cast<size_t>(best)];
}

class TpeStrategy final : public SearchStrategy {
public:
    std::optional<std::vector<ParamValue>> suggest(const SearchSpace& space,
                                                   const std::vector<Trial>& trials,
                                                   Rng& rng) override {
        const Split split = splitTrials(trials, space.maximize);
        std::vector<ParamValue> values;
        const bool startup = split.good.size() + split.bad.size() < kStartupTrials;
        for (size_t i = 0; i < space.dimensions.size(); ++i) {
            const SearchDimension& d = space.dimensions[i];
            if (startup)
                values.push_back(sampleUniform(d, rng));
            else if (d.kind == SearchDimension::Kind::Categorical)
                values.push_back(suggestCategorical(d, split, i, rng));
            else
                values.push_back(suggestNumeric(d, split, i, rng));
        }
        return values;
    }
};

}  // namespace

const StrategyDef& tpeStrategy() {
    static const StrategyDef def{"tpe",
                                 "Bayesian (TPE, Optuna's defaults): 10 random trials, then 24 "
                                 "candidates from the good trials' density scored by l(x)/g(x)",
                                 [] { return std::make_unique<TpeStrategy>(); }};
    return def;
}

}  // namespace netloom::engine
