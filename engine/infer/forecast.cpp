#include "engine/infer/forecast.h"

#include "engine/core/error.h"

namespace netloom::engine {

std::vector<float> forecastSeries(InferenceSession& session, const std::vector<float>& history,
                                  int64_t steps) {
    const int64_t window = session.inputShape().elements();
    const int64_t horizon = session.outputSize();
    if (static_cast<int64_t>(history.size()) < window)
        throw Error("forecast: the network reads " + std::to_string(window) +
                    " values but the history has " + std::to_string(history.size()));
    if (steps < 0 || steps > 1'000'000)
        throw Error("forecast: steps must be between 0 and 1000000, got " + std::to_string(steps));
    std::vector<float> series(history.end() - window, history.end());
    std::vector<float> out;
    Tensor x({1, window});
    while (static_cast<int64_t>(out.size()) < steps) {
        std::copy(series.end() - window, series.end(), x.data());
        const Tensor y = session.forward(x);
        for (int64_t k = 0; k < horizon && static_cast<int64_t>(out.size()) < steps; ++k) {
            out.push_back(y[k]);
            series.push_back(y[k]);
        }
    }
    return out;
}

}  // namespace netloom::engine
