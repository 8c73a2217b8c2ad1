#include "engine/data/transforms/registry.h"

#include <cmath>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/data/transforms/horizontal_flip.h"
#include "engine/data/transforms/input_noise.h"
#include "engine/data/transforms/random_affine.h"
#include "engine/data/transforms/random_crop.h"
#include "engine/data/transforms/random_erasing.h"

namespace netloom::engine {

namespace {

std::unique_ptr<BatchTransform> makeInputNoise(const std::map<std::string, double>& p,
                                               uint64_t seed) {
    return std::make_unique<InputNoise>(p.at("stddev"), seed);
}

std::unique_ptr<BatchTransform> makeRandomCrop(const std::map<std::string, double>& p,
                                               uint64_t seed) {
    const double padding = p.at("padding");
    if (padding != std::floor(padding))
        throw Error("random crop: padding must be a whole number of pixels, got " +
                    std::to_string(padding));
    return std::make_unique<RandomCrop>(static_cast<int64_t>(padding),
                                        static_cast<float>(p.at("fill")), seed);
}

std::unique_ptr<BatchTransform> makeHorizontalFlip(const std::map<std::string, double>& p,
                                                   uint64_t seed) {
    return std::make_unique<HorizontalFlip>(p.at("p"), seed);
}

std::unique_ptr<BatchTransform> makeRandomAffine(const std::map<std::string, double>& p,
                                                 uint64_t seed) {
    return std::make_unique<RandomAffine>(p.at("degrees"), p.at("zoom"),
                                          static_cast<float>(p.at("fill")), seed);
}

std::unique_ptr<BatchTransform> makeRandomErasing(const std::map<std::string, double>& p,
                                                  uint64_t seed) {
    ErasingOptions o;
    o.p = p.at("p");
    o.areaMin = p.at("area_min");
    o.areaMax = p.at("area_max");
    o.aspectMin = p.at("aspect_min");
    o.aspectMax = p.at("aspect_max");
    o.valueMin = static_cast<float>(p.at("value_min"));
    o.valueMax = static_cast<float>(p.at("value_max"));
    return std::make_unique<RandomErasing>(o, seed);
}

std::string number(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

const std::vector<TransformDef>& transformDefs() {
    static const std::vector<TransformDef> defs = {
        {kInputNoiseName,
         "input noise",
         "Gaussian noise on the input (denoising autoencoder); the target stays clean",
         {{"stddev", 0.0, 0.0, 1.0, "standard deviation in units of the scaled input"}},
         kInputNoiseSalt,
         &makeInputNoise},
        {kRandomCropName,
         "random crop",
         "Pads each image and cuts a window of its size at a random offset (a random shift)",
         {{"padding", 4, 0, 16, "pixels of background added on every side"},
          {"fill", 0, -1, 1, "value of the padded pixels (the background)"}},
         0xc409,
         &makeRandomCrop},
        {kHorizontalFlipName,
         "horizontal flip",
         "Mirrors each image left–right with probability p",
         {{"p", 0.5, 0, 1, "probability of a flip"}},
         0xf119,
         &makeHorizontalFlip},
        {kRandomAffineName,
         "random rotation/zoom",
         "Rotates and scales each image about its centre by a random amount (bilinear)",
         {{"degrees", 0, 0, 180, "the angle is drawn from [−degrees, degrees]"},
          {"zoom", 0, 0, 0.9, "the scale is drawn from [1 − zoom, 1 + zoom]"},
          {"fill", 0, -1, 1, "value of pixels from outside the image (the background)"}},
         0xaff1,
         &makeRandomAffine},
        {kRandomErasingName,
         "random erasing",
         "With probability p, fills one random rectangle of each image with random values "
         "(Zhong et al. 2017)",
         {{"p", 0.5, 0, 1, "probability that an image is erased"},
          {"area_min", 0.02, 0.001, 1, "smallest erased fraction of the image"},
          {"area_max", 0.4, 0.001, 1, "largest erased fraction of the image"},
          {"aspect_min", 0.3, 0.01, 100, "smallest height / width of the rectangle"},
          {"aspect_max", 3.3, 0.01, 100, "largest height / width of the rectangle"},
          {"value_min", 0, -1, 1, "erased pixels are uniform in [value_min, value_max]"},
          {"value_max", 1, -1, 1, "erased pixels are uniform in [value_min, value_max]"}},
         0xe7a5,
         &makeRandomErasing},
    };
    return defs;
}

const TransformDef* findTransform(const std::string& name) {
    for (const TransformDef& d : transformDefs())
        if (d.name == name) return &d;
    return nullptr;
}

std::unique_ptr<BatchTransform> createTransform(const TransformSpec& spec, uint64_t runSeed) {
    const TransformDef* def = findTransform(spec.name);
    if (!def) {
        std::string known;
        for (const TransformDef& d : transformDefs()) known += (known.empty() ? "" : ", ") + d.name;
        throw Error("unknown batch transform '" + spec.name + "': choose " + known);
    }
    std::map<std::string, double> values;
    for (const TransformParamDef& p : def->params) values[p.name] = p.defaultValue;
    for (const auto& [name, value] : spec.params) {
        const TransformParamDef* param = nullptr;
        for (const TransformParamDef& p : def->params)
            if (p.name == name) param = &p;
        if (!param) throw Error(def->label + " has no parameter '" + name + "'");
        if (!(value >= param->min && value <= param->max))
            throw Error(def->label + ": " + name + " must be between " + number(param->min) +
                        " and " + number(param->max) + ", got " + number(value));
        values[name] = value;
    }
    return def->create(values, Rng::mix(runSeed ^ def->seedSalt));
}

TransformChain::TransformChain(const std::vector<TransformSpec>& specs, uint64_t runSeed) {
    for (const TransformSpec& s : specs) add(createTransform(s, runSeed));
}

}  // namespace netloom::engine
