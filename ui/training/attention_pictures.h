#pragma once
// Pictures of attention weights for the live attention view: a ViT head's weights per image
// patch laid over the input image, and a sequence model's token×token matrix with its token
// labels. Colours are relative to the picture's largest weight (the caption gives the scale).
#include <QColor>
#include <QImage>
#include <QStringList>
#include <vector>

#include "engine/core/shape.h"
#include "engine/core/tensor.h"

namespace netloom::ui {

// Viridis-like colour of t in [0, 1] (dark blue → green → yellow).
QColor attentionColor(double t);

// The image {C, H, W} (first channel as gray, or RGB for 3 channels; values mapped from [lo,
// hi]) enlarged `scale` times, each patch×patch patch of the rows × columns grid tinted by its
// weight relative to the largest (weights in row-major grid order).
QImage patchOverlay(const float* image, const engine::Shape& imageShape, float lo, float hi,
                    const std::vector<float>& weights, int64_t rows, int64_t columns, int64_t patch,
                    int scale = 6);

// The top-left shownRows × shownColumns corner of weights {T, S} as cells of `cell` pixels,
// query labels down the left, key labels along the top.
QImage tokenMatrix(const engine::Tensor& weights, int64_t shownRows, int64_t shownColumns,
                   const QStringList& rowLabels, const QStringList& columnLabels, int cell = 18);

}  // namespace netloom::ui
