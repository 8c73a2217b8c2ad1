#pragma once
// The live reconstruction grid of an autoencoder (task "reconstruction"): a fixed set of test
// images (the first two of each class, 20 in all) in rows of ten, each row of originals
// followed by the row of their reconstructions — and between them the noisy inputs the network
// sees when the project trains a denoising autoencoder. Refreshed whenever live weights arrive
// (after each epoch and from batch snapshots during a run); "Save as PNG…" exports the grid.
#include <QWidget>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/tensor.h"

class QLabel;
class QPushButton;

namespace netloom::engine {
struct DataSplit;
}

namespace netloom::ui {

class EvalContext;
class ImageGrid;
class LiveWeights;

class ReconstructionView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kImages = 20;   // two per class for ten classes
    static constexpr int kColumns = 10;  // images per row

    explicit ReconstructionView(LiveWeights* live, QWidget* parent = nullptr);

    // Test-set indices shown (empty until there is data).
    const std::vector<int64_t>& indices() const { return m_indices; }
    // The clean test images {n, sample...}, what the network got (noisy when denoising, else
    // the same values) and its outputs {n, outputs} (empty while there is nothing to show).
    const engine::Tensor& originals() const { return m_originals; }
    const engine::Tensor& inputs() const { return m_inputs; }
    const engine::Tensor& reconstructions() const { return m_reconstructions; }
    bool denoising() const { return m_noise > 0; }
    // Mean squared difference between reconstructions and originals (NaN when none).
    double meanSquaredError() const;
    qint64 epoch() const { return m_epoch; }  // of the weights shown (0 = the document's)
    // How many times the grid was recomputed (tests wait on it).
    quint64 refreshCount() const { return m_refreshes; }

    ImageGrid* grid() const { return m_grid; }
    QPushButton* saveButton() const { return m_save; }
    EvalContext* context() const { return m_ctx; }
    // Asks for a file name (prompter) and writes the grid; errors go to the prompter.
    void saveAsPng();

signals:
    void refreshed();

private:
    void refresh();
    void chooseImages();

    EvalContext* m_ctx;
    ImageGrid* m_grid;
    QLabel* m_caption;
    QPushButton* m_save;
    std::shared_ptr<const engine::DataSplit> m_chosenFrom;
    std::vector<int64_t> m_indices;
    std::vector<int> m_classes;
    engine::Tensor m_originals, m_inputs, m_reconstructions;
    double m_noise = -1;  // the noise m_inputs were made with
    qint64 m_epoch = 0;
    quint64 m_refreshes = 0;
};

}  // namespace netloom::ui
