#pragma once
// Live attention maps in the training window (models with a MultiHeadAttention layer): for one
// chosen test sample, every head's attention weights of the chosen attention layer, computed by
// a real forward pass of the live weights (after each epoch and from the run's weight snapshots)
// on the GUI thread's own InferenceSession (EvalContext's Predictor; never the training
// thread's primitives). A ViT's maps are heat maps over the image patches laid on the image
// (the class token's row, or the mean over queries without one); a sequence model's are
// token×token matrices labelled with its tokens (characters for text).
#include <QPointer>
#include <QWidget>
#include <cstdint>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/model/model.h"
#include "ui/training/attention_layout.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace netloom::ui {

class AttentionHeadsWidget;
class EvalContext;
class LiveWeights;

class AttentionView : public QWidget {
    Q_OBJECT
public:
    explicit AttentionView(LiveWeights* live, QWidget* parent = nullptr);

    // The graph's attention layers (as of the last refresh) and every map the last forward
    // gave (all layers, by layer then head; empty while there is nothing to show).
    const std::vector<AttentionLayerInfo>& layers() const { return m_layers; }
    const std::vector<engine::AttentionMap>& maps() const { return m_maps; }
    // The maps of the layer shown, by head.
    std::vector<engine::AttentionMap> currentMaps() const;
    int currentLayer() const;
    void setCurrentLayer(int layer);
    // The test sample shown (index into the test set) and the input it was fed as {1, ...}.
    int64_t sampleIndex() const;
    void setSampleIndex(int64_t index);
    const engine::Tensor& input() const { return m_input; }
    // The token labels of the rows shown (sequence models), empty for patch maps.
    const QStringList& tokenLabels() const { return m_labels; }
    qint64 epoch() const { return m_epoch; }  // of the weights shown (0 = the document's)
    quint64 refreshCount() const { return m_refreshes; }

    AttentionHeadsWidget* heads() const { return m_heads; }
    QComboBox* layerBox() const { return m_layer; }
    QSpinBox* sampleBox() const { return m_sample; }
    QString captionText() const;
    EvalContext* context() const { return m_ctx; }

signals:
    void refreshed();

private:
    void refresh();
    // Runs the chosen sample forward; returns a message when it cannot.
    QString computeMaps();
    void showLayer();

    QPointer<LiveWeights> m_live;
    EvalContext* m_ctx;
    QComboBox* m_layer;
    QSpinBox* m_sample;
    QLabel* m_caption;
    AttentionHeadsWidget* m_heads;
    std::vector<AttentionLayerInfo> m_layers;
    std::vector<engine::AttentionMap> m_maps;
    std::vector<std::vector<size_t>> m_groups;  // m_maps indices per attention layer
    engine::Tensor m_input;
    bool m_inputIsImage = false;
    float m_lo = 0, m_hi = 1;  // the input image's value range
    QString m_sampleName;      // "#3 (Ankle boot)"
    QStringList m_labels;
    int64_t m_shownTokens = 0;  // sequence models: leading tokens shown (trailing padding cut)
    qint64 m_epoch = 0;
    quint64 m_refreshes = 0;
};

}  // namespace netloom::ui
