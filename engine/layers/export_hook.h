#pragma once
// The point where an exporter (ONNX first, see the export issue) learns how to write one layer
// kind. A LayerDef returns its hook for a format from exportHook(format); nullptr means "this
// layer cannot be exported to that format" and the exporter reports it by the layer's name.
// The interface is empty on purpose: the exporter defines what it needs (node emission, weight
// layout) by deriving from it, so layers and exporters can grow without a change here.
namespace netloom::engine {

class LayerExportHook {
public:
    virtual ~LayerExportHook() = default;
};

}  // namespace netloom::engine
