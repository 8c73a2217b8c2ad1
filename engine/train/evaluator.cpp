#include "engine/train/evaluator.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/core/error.h"

namespace netloom::engine {

TargetKind targetKindFor(const std::string& task) {
    if (task == "classification") return TargetKind::ClassLabels;
    if (task == "regression") return TargetKind::Regression;
    if (task == "reconstruction") return TargetKind::Reconstruction;
    throw Error("unknown task '" + task + "' (classification, regression or reconstruction)");
}

const Tensor& lossTarget(TargetKind kind, const Tensor& x, const Tensor& y) {
    return kind == TargetKind::Reconstruction ? x : y;
}

int64_t argmaxRow(const Tensor& t, int64_t row) {
    const int64_t c = t.size() / t.batch();
    const float* p = t.data() + row * c;
    return std::max_element(p, p + c) - p;
}

EvalResult evaluate(Model& model, const Dataset& data, Loss& loss, TargetKind kind,
                    int64_t batchSize) {
    EvalResult r;
    r.samples = data.count;
    r.accuracy = std::nan("");
    if (data.count == 0) return r;
    const bool classes = kind == TargetKind::ClassLabels;
    if (classes) {
        r.numClasses = data.numClasses;
        r.confusion.assign(static_cast<size_t>(data.numClasses * data.numClasses), 0);
    }
    std::vector<int64_t> idx(static_cast<size_t>(data.count));
    std::iota(idx.begin(), idx.end(), 0);
    Tensor x, y, grad;
    double lossSum = 0;
    int64_t correct = 0;
    for (int64_t start = 0; start < data.count; start += batchSize) {
        const int64_t n = std::min(batchSize, data.count - start);
        data.fillBatch(idx.data() + start, n, x, &y);
        const Tensor& out = model.forward(x, false);
        lossSum += static_cast<double>(loss.compute(out, lossTarget(kind, x, y), grad)) * n;
        if (classes) {
            for (int64_t i = 0; i < n; ++i) {
                const int64_t pred = argmaxRow(out, i);
                const auto truth = static_cast<int64_t>(y[i]);
                correct += pred == truth;
                if (truth >= 0 && truth < r.numClasses && pred < r.numClasses)
                    ++r.confusion[static_cast<size_t>(truth * r.numClasses + pred)];
            }
        }
    }
    r.loss = lossSum / static_cast<double>(data.count);
    if (classes) r.accuracy = static_cast<double>(correct) / static_cast<double>(data.count);
    return r;
}

}  // namespace netloom::engine
