#include "engine/train/evaluator.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/infer/inference_session.h"

namespace netloom::engine {

const Tensor& lossTarget(TargetKind kind, const Tensor& x, const Tensor& y) {
    return kind == TargetKind::Reconstruction ? x : y;
}

EvalResult evaluate(Model& model, const Dataset& data, Loss& loss, TargetKind kind,
                    int64_t batchSize) {
    InferenceOptions options;
    options.chunk = batchSize;
    InferenceSession session(model, nullptr, kind, options);
    return evaluate(session, data, loss);
}

EvalResult evaluate(InferenceSession& session, const Dataset& data, Loss& loss) {
    const TargetKind kind = session.target();
    EvalResult r;
    r.samples = data.count;
    r.accuracy = std::nan("");
    if (data.count == 0) return r;
    const bool classes = kind == TargetKind::ClassLabels;
    if (classes) {
        r.numClasses = data.numClasses;
        r.confusion.assign(static_cast<size_t>(data.numClasses * data.numClasses), 0);
    }
    Tensor grad;
    double lossSum = 0;
    int64_t correct = 0;
    session.run(data, true, [&](const Batch& batch, const Tensor& out) {
        const int64_t n = batch.size();
        const Tensor& y = batch.y;
        lossSum += static_cast<double>(loss.compute(out, lossTarget(kind, batch.x, y), grad)) * n;
        if (!classes) return;
        for (int64_t i = 0; i < n; ++i) {
            const int64_t pred = argmaxRow(out, i);
            const auto truth = static_cast<int64_t>(y[i]);
            correct += pred == truth;
            if (truth >= 0 && truth < r.numClasses && pred < r.numClasses)
                ++r.confusion[static_cast<size_t>(truth * r.numClasses + pred)];
        }
    });
    r.loss = lossSum / static_cast<double>(data.count);
    if (classes) r.accuracy = static_cast<double>(correct) / static_cast<double>(data.count);
    return r;
}

}  // namespace netloom::engine
