#include "engine/metrics/classifier_score.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"

namespace netloom::engine {

ClassifierScore classifierScore(const Tensor& p, double minShare) {
    if (p.rank() != 2 || p.batch() < 1 || p.dim(1) < 1)
        throw Error("classifier score: expected {samples, classes} probabilities, got " +
                    Shape(p.dims()).toString());
    const int64_t n = p.batch(), c = p.dim(1);
    ClassifierScore r;
    r.marginal.assign(static_cast<size_t>(c), 0.0);
    r.classShare.assign(static_cast<size_t>(c), 0.0);
    for (int64_t i = 0; i < n; ++i) {
        const float* row = p.data() + i * c;
        double sum = 0;
        for (int64_t k = 0; k < c; ++k) {
            if (!(row[k] >= 0.0f))
                throw Error("classifier score: sample " + std::to_string(i) +
                            " has a negative or NaN probability");
            sum += row[k];
            r.marginal[static_cast<size_t>(k)] += row[k];
        }
        if (std::fabs(sum - 1.0) > 1e-3)
            throw Error("classifier score: the probabilities of sample " + std::to_string(i) +
                        " sum to " + std::to_string(sum) + ", not 1");
        r.classShare[static_cast<size_t>(std::max_element(row, row + c) - row)] += 1.0;
    }
    for (double& m : r.marginal) m /= static_cast<double>(n);
    double klSum = 0;
    for (int64_t i = 0; i < n; ++i) {
        const float* row = p.data() + i * c;
        for (int64_t k = 0; k < c; ++k)
            if (row[k] > 0.0f)  // 0·log 0 = 0; p(y) > 0 wherever some p(y|x) > 0
                klSum += row[k] * (std::log(static_cast<double>(row[k])) -
                                   std::log(r.marginal[static_cast<size_t>(k)]));
    }
    r.score = std::exp(klSum / static_cast<double>(n));
    for (double& s : r.classShare) {
        s /= static_cast<double>(n);
        r.classesCovered += s >= minShare;
    }
    return r;
}

}  // namespace netloom::engine
