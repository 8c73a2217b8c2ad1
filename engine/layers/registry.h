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

// Adds a layer kind to the registry for the lifetime of this object (tests register test-only
// layers, e.g. one with two outputs). Throws Error when the type is already registered. Not
// thread-safe: register before building graphs on other threads.
class ScopedLayerRegistration {
public:
    explicit ScopedLayerRegistration(const LayerDef& def);
    ~ScopedLayerRegistration();
    ScopedLayerRegistration(const ScopedLayerRegistration&) = delete;
    ScopedLayerRegistration& operator=(const ScopedLayerRegistration&) = delete;

private:
    const LayerDef* m_def;
};

}  // namespace netloom::engine
