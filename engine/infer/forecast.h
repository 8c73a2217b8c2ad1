#pragma once
// Continuing a series with a forecasting network (regression over a window of values, e.g. the
// sines sample): the network reads the last `window` values and predicts the next `horizon`;
// those are appended and the window slides on, until `steps` values are predicted. Errors
// compound, which is what a forecast view should show.
#include <cstdint>
#include <vector>

#include "engine/infer/inference_session.h"

namespace netloom::engine {

// history: at least the network's input size of values (the last ones are read). Throws Error
// when the network's input is not one value per step or history is too short.
std::vector<float> forecastSeries(InferenceSession& session, const std::vector<float>& history,
                                  int64_t steps);

}  // namespace netloom::engine
