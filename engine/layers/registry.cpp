#include "engine/layers/registry.h"

#include <algorithm>

#include "engine/core/error.h"

namespace netloom::engine {

// The one list of layer kinds. Adding a layer: write layers/<name>.cpp defining
// `const LayerDef& <name>LayerDef()`, then add one X(<name>) line here.
#define NETLOOM_LAYERS(X) \
    X(input)              \
    X(noise)              \
    X(dense)              \
    X(flatten)            \
    X(reshape)            \
    X(dropout)            \
    X(conv2d)             \
    X(conv2dTranspose)    \
    X(upsample)           \
    X(maxPool2d)          \
    X(avgPool2d)          \
    X(globalAvgPool)      \
    X(batchNorm)          \
    X(relu)               \
    X(leakyRelu)          \
    X(elu)                \
    X(gelu)               \
    X(sigmoid)            \
    X(tanh)               \
    X(softmax)            \
    X(add)                \
    X(concat)             \
    X(embedding)          \
    X(simpleRnn)          \
    X(lstm)               \
    X(gru)                \
    X(lastStep)           \
    X(sequenceMean)       \
    X(layerNorm)          \
    X(patchEmbedding)     \
    X(classToken)         \
    X(posEmbedding)       \
    X(sinePosition)       \
    X(multiHeadAttention)

#define NETLOOM_DECLARE(name) const LayerDef& name##LayerDef();
NETLOOM_LAYERS(NETLOOM_DECLARE)
#undef NETLOOM_DECLARE

namespace {

std::vector<const LayerDef*>& registeredDefs() {
#define NETLOOM_ENTRY(name) &name##LayerDef(),
    static std::vector<const LayerDef*> defs{NETLOOM_LAYERS(NETLOOM_ENTRY)};
#undef NETLOOM_ENTRY
    return defs;
}

}  // namespace

const std::vector<const LayerDef*>& allLayerDefs() {
    return registeredDefs();
}

const LayerDef* findLayerDef(const std::string& type) {
    for (const LayerDef* d : allLayerDefs())
        if (d->type() == type) return d;
    return nullptr;
}

const std::vector<std::string>& layerCategories() {
    static const std::vector<std::string> categories{"Input",   "Core",          "Convolution",
                                                     "Pooling", "Normalization", "Activation",
                                                     "Merge",   "Recurrent",     "Attention"};
    return categories;
}

ScopedLayerRegistration::ScopedLayerRegistration(const LayerDef& def) : m_def(&def) {
    if (findLayerDef(def.type()))
        throw Error("layer type '" + def.type() + "' is already registered");
    registeredDefs().push_back(&def);
}

ScopedLayerRegistration::~ScopedLayerRegistration() {
    auto& defs = registeredDefs();
    defs.erase(std::remove(defs.begin(), defs.end(), m_def), defs.end());
}

}  // namespace netloom::engine
