#pragma once
// Exploring an autoencoder's latent space: the network is split at its code layer (the node
// with the fewest output values between input and output; another node can be picked) into an
// encoder and a decoder (engine/graph/subgraph.h). Two test images are encoded, a slider walks
// the code linearly from the first to the second and shows the decoded picture, and a strip
// shows eight evenly spaced steps. When the code has two values, a scatter plots the codes of
// the test images coloured by class. Follows the live weights like the other evaluation views.
#include <QWidget>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/tensor.h"
#include "ui/evaluation/predictor.h"

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

class QChart;
class QChartView;

namespace netloom::engine {
struct DataSplit;
}

namespace netloom::ui {

class EvalContext;
class ImageGrid;
class LiveWeights;

class LatentExplorer : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSteps = 8;             // pictures in the interpolation strip
    static constexpr int kScatterImages = 1000;  // test images in the 2-D scatter (at most)

    explicit LatentExplorer(LiveWeights* live, QWidget* parent = nullptr);

    // The node the network is split at ("" when none).
    std::string splitNode() const;
    QComboBox* nodeBox() const { return m_node; }
    QSpinBox* firstBox() const { return m_first; }
    QSpinBox* secondBox() const { return m_second; }
    QSlider* slider() const { return m_slider; }
    ImageGrid* strip() const { return m_strip; }
    ImageGrid* decodedView() const { return m_decoded; }
    QChart* scatterChart() const { return m_chart; }
    QChartView* scatterView() const { return m_chartView; }
    QString message() const { return m_message; }
    EvalContext* context() const { return m_ctx; }

    // Codes {2, code...} of the two chosen images, the strip's decoded outputs {kSteps, outputs}
    // (step k at t = k / (kSteps - 1)) and the slider's {1, outputs}; empty while unavailable.
    const engine::Tensor& endpointCodes() const { return m_codes; }
    const engine::Tensor& stripOutputs() const { return m_stripOut; }
    const engine::Tensor& sliderOutput() const { return m_sliderOut; }
    // Points in the scatter (0 when the code is not 2-D).
    int scatterPoints() const { return m_scatterPoints; }
    quint64 refreshCount() const { return m_refreshes; }

signals:
    void refreshed();

private:
    void refresh();
    void fillNodes();
    void decodeSlider();
    void updateScatter(const engine::Dataset& test, Predictor& encoder);
    void clearViews(const QString& message);
    engine::Tensor interpolate(double t) const;  // {1, code...} between the two codes

    EvalContext* m_ctx;
    LiveWeights* m_live;
    QComboBox* m_node;
    QSpinBox* m_first;
    QSpinBox* m_second;
    QSlider* m_slider;
    ImageGrid* m_decoded;
    ImageGrid* m_strip;
    QChart* m_chart;
    QChartView* m_chartView;
    QLabel* m_status;
    PredictorSlot m_encoder, m_decoder;
    engine::Tensor m_codes, m_stripOut, m_sliderOut;
    engine::Shape m_sample;  // one input picture's shape
    float m_lo = 0, m_hi = 1;
    QString m_message;
    std::string m_nodesOf;  // fingerprint of the graph the combo box lists
    const engine::DataSplit* m_defaultsFor = nullptr;  // the data the image choice is for
    int m_scatterPoints = 0;
    quint64 m_refreshes = 0;
    bool m_filling = false;
};

}  // namespace netloom::ui
