#pragma once
// How good and how varied generated images are, judged by a trained classifier (the Inception
// score of Salimans et al. 2016 with a Fashion-MNIST classifier instead of Inception):
//   score = exp( E_x[ KL( p(y|x) || p(y) ) ] ),  p(y) = E_x[ p(y|x) ]
// It lies in [1, C]: high when each sample is classified confidently and the classes are spread
// evenly. Coverage counts the classes that are the arg-max of at least minShare of the samples.
#include <cstdint>
#include <vector>

#include "engine/core/row_math.h"  // softmaxRows
#include "engine/core/tensor.h"

namespace netloom::engine {

struct ClassifierScore {
    double score = 0;
    int classesCovered = 0;
    std::vector<double> marginal;    // p(y), per class
    std::vector<double> classShare;  // share of samples whose arg-max is each class
};

// probabilities: {N, C}, each row a distribution (non-negative, summing to 1 within 1e-3).
// Throws Error on an empty batch, a negative value or a row that is not a distribution.
ClassifierScore classifierScore(const Tensor& probabilities, double minShare = 0.01);

}  // namespace netloom::engine
