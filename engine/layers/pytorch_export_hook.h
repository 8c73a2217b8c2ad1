#pragma once
// How one layer kind is written into the PyTorch training script (engine/export/pytorch_*).
// A layer returns a PyTorchExportHook from exportHook(kPyTorchFormat); the hook gives, for one
// node's parameters and shapes, the nn.Module to construct, the forward expression that applies
// it, and which of the layer's tensors become which state_dict entries. Weight layouts already
// match PyTorch's (Dense {out,in} = nn.Linear, Conv2D {oc,ic,kh,kw} = nn.Conv2d, Conv2DTranspose
// {ic,oc,kh,kw} = nn.ConvTranspose2d), so the mapping is a rename and never a transpose.
// Text only: no torch, no heavy includes, so a layer file can carry its hook.
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/shape.h"
#include "engine/layers/export_hook.h"
#include "engine/layers/params.h"

namespace netloom::engine {

inline constexpr std::string_view kPyTorchFormat = "pytorch";

// One node as the hook sees it: normalized parameters, the shapes arriving at each input port
// and leaving each output port (per sample, without the batch axis).
struct PyTorchNode {
    const Params& params;
    const std::vector<Shape>& inputs;
    const std::vector<Shape>& outputs;
};

struct PyTorchModule {
    // Constructor text of the module attribute ("nn.Linear(784, 256)"); empty when the layer is
    // a plain expression (Add, Concat, Reshape) and needs no attribute.
    std::string constructor;
    // The forward line's right-hand side. Placeholders: {m} the module attribute (self.fc1),
    // {0}, {1}, ... the input ports' tensors, {x} the network's input (Input, Noise).
    std::string forward = "{m}({0})";
    // NetLoom parameter/state name → state_dict name below the attribute ("gamma" → "weight").
    std::vector<std::pair<std::string, std::string>> tensors;
};

class PyTorchExportHook : public LayerExportHook {
public:
    using Build = PyTorchModule (*)(const PyTorchNode&);
    explicit PyTorchExportHook(Build build) : m_build(build) {}
    PyTorchModule module(const PyTorchNode& node) const { return m_build(node); }

private:
    Build m_build;
};

// Python literals for the constructor texts.
inline std::string pyFloat(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    std::string s = buf;
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
    return s;
}
inline std::string pyBool(bool v) {
    return v ? "True" : "False";
}
// ", name=value", or nothing when the value is PyTorch's default (keeps model.py readable).
inline std::string pyArg(const char* name, int64_t value, int64_t pytorchDefault) {
    return value == pytorchDefault ? "" : std::string(", ") + name + "=" + std::to_string(value);
}
inline std::string pyBiasArg(bool bias) {
    return bias ? "" : ", bias=False";
}
// ", padding=(h, w)", or nothing for no padding.
inline std::string pyPaddingArg(int64_t h, int64_t w) {
    if (h == 0 && w == 0) return "";
    return ", padding=(" + std::to_string(h) + ", " + std::to_string(w) + ")";
}

}  // namespace netloom::engine
