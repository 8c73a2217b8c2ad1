#pragma once
#include <string>
#include <vector>

#include "engine/layers/layer.h"

namespace netloom::engine {

// Every layer kind, in palette order.
const std::vector<const LayerDef*>& allLayerDefs();
// nullptr when unknown.
const LayerDef* findLayerDef(const std::string& type);
// Palette categories in display order.
const std::vector<std::string>& layerCategories();

}  // namespace netloom::engine
