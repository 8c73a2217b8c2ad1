#pragma once
// Synthetic series for forecasting (regression over sequences): each sample is a window of a
// noisy sum of two sines, and its target is the values that follow the window.
//   x(t) = a1·sin(w1·t + p1) + a2·sin(w2·t + p2) + noise
// with amplitudes a in [0.2, 0.8], angular frequencies w in [0.1, 0.6] radians per step, phases
// uniform, and Gaussian noise of the given standard deviation (also on the targets: the truth is
// what the series did next). Every sample draws its own sines, so a model has to read the
// frequencies off the window rather than memorise one curve.
// A sample is a sequence {window, 1} (one feature per step, Shape::sequence set); the target is
// {horizon} values: steps window … window + horizon − 1 of the same series.
#include <cstdint>
#include <vector>

#include "engine/data/dataset.h"

namespace netloom::engine {

struct SinesOptions {
    int64_t samples = 1000;  // windows (each its own series)
    int64_t window = 32;     // input steps
    int64_t horizon = 1;     // values to predict after the window
    double noise = 0.05;     // std of the noise on every value
};

// Throws netloom::Error for samples outside 1..10,000,000, window outside 2..4096, horizon
// outside 1..1024 or noise outside 0..100 (or not finite).
Dataset makeSines(const SinesOptions& options, uint64_t seed);

// One series of `length` values drawn as above (the first sample's series of makeSines with
// the same seed starts the same way): what forecast views continue and compare against.
std::vector<float> sinesSeries(int64_t length, double noise, uint64_t seed);

}  // namespace netloom::engine

namespace netloom::engine {

// Whether a dataset config gives series to forecast (the window's forecast view follows it).
bool forecastsSeries(const DatasetConfig& config);

}  // namespace netloom::engine
