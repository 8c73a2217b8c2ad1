#include "ui/training/reconstruction_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/core/error.h"
#include "engine/data/dataset.h"
#include "engine/data/transforms/input_noise.h"
#include "ui/evaluation/eval_context.h"
#include "ui/widgets/image_grid.h"
#include "ui/widgets/prompter.h"

namespace netloom::ui {

namespace {

constexpr uint64_t kNoiseSalt = 0x9e3d;  // the grid's noisy inputs: fixed, so they do not flicker

// Sample i of a batch {n, ...} as a picture of the sample's last two axes (first channel).
QImage picture(const engine::Tensor& t, int64_t i, const engine::Shape& sample, float lo,
               float hi) {
    const int h = sample.rank() >= 2 ? static_cast<int>(sample[sample.rank() - 2]) : 1;
    const int w = static_cast<int>(sample[sample.rank() - 1]);
    const int64_t per = t.size() / t.batch();
    return ImageGrid::fromValues(t.data() + i * per, w, h, lo, hi);
}

}  // namespace

ReconstructionView::ReconstructionView(LiveWeights* live, QWidget* parent) : QWidget(parent) {
    setObjectName("reconstructionView");
    m_grid = new ImageGrid(this);
    m_grid->setObjectName("reconstructionGrid");
    m_grid->setColumns(kColumns);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_save = new QPushButton(tr("Save as PNG…"), this);
    m_save->setEnabled(false);
    auto* top = new QHBoxLayout;
    top->addWidget(m_caption, 1);
    top->addWidget(m_save);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_grid, 1);
    connect(m_save, &QPushButton::clicked, this, &ReconstructionView::saveAsPng);
    m_ctx = new EvalContext(live, this, [this] { refresh(); });
}

double ReconstructionView::meanSquaredError() const {
    const int64_t n = m_reconstructions.size();
    if (n == 0 || n != m_originals.size()) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double d = m_reconstructions[i] - m_originals[i];
        sum += d * d;
    }
    return sum / static_cast<double>(n);
}

void ReconstructionView::chooseImages() {
    if (m_chosenFrom == m_ctx->data()) return;
    m_chosenFrom = m_ctx->data();
    const engine::Dataset& test = m_chosenFrom->test;
    m_indices.clear();
    m_classes.clear();
    // The first images of each class, in class order (the first kImages without labels).
    const int classes = std::max(test.numClasses, 1);
    const int perClass = (kImages + classes - 1) / classes;
    std::vector<std::vector<int64_t>> byClass(static_cast<size_t>(classes));
    int total = 0;
    for (int64_t i = 0; i < test.count && total < kImages; ++i) {
        const int c = test.numClasses > 0 ? test.labels[static_cast<size_t>(i)] : 0;
        if (c < 0 || c >= classes ||
            static_cast<int>(byClass[static_cast<size_t>(c)].size()) >= perClass)
            continue;
        byClass[static_cast<size_t>(c)].push_back(i);
        ++total;
    }
    for (size_t c = 0; c < byClass.size(); ++c)
        for (int64_t i : byClass[c]) {
            m_indices.push_back(i);
            m_classes.push_back(static_cast<int>(c));
        }
    test.fillBatch(m_indices.data(), static_cast<int64_t>(m_indices.size()), m_originals, nullptr);
    m_noise = -1;  // the inputs follow the new originals
}

void ReconstructionView::refresh() {
    m_reconstructions = engine::Tensor();
    m_epoch = m_ctx->epoch();
    QString message;
    Predictor* predictor = m_ctx->predictor();
    auto data = m_ctx->data();
    const engine::TrainingConfig& t = m_ctx->training();
    if (!m_ctx->views().reconstructions) {
        message = tr("Reconstructions show for autoencoders (task \"reconstruction\").");
    } else if (!predictor || !data) {
        message = m_ctx->message();
    } else if (!data->test.isImage() || data->test.count == 0) {
        message = tr("Reconstructions show for image data sets; this one has no images.");
    } else {
        try {
            chooseImages();
            if (m_noise != t.inputNoise) {
                engine::InputNoise noise(engine::TargetKind::Reconstruction, t.inputNoise,
                                         t.seed ^ kNoiseSalt);
                m_inputs = noise.apply(m_originals);
                m_noise = t.inputNoise;
            }
            m_reconstructions = predictor->forward(m_inputs);
            if (m_reconstructions.size() != m_originals.size())
                throw Error("the network's output (" + std::to_string(predictor->outputSize()) +
                            " values) is not the size of an input image");
        } catch (const std::exception& e) {
            m_reconstructions = engine::Tensor();
            message = QString::fromUtf8(e.what());
        }
    }
    if (!message.isEmpty()) {
        m_grid->setImages({});
        m_grid->setMessage(message);
        m_caption->clear();
    } else {
        const engine::Shape sample = data->test.sampleShape;
        const float lo = t.dataset.scaling == "signed" ? -1.0f : 0.0f, hi = 1.0f;
        const QStringList labels = m_ctx->classLabels(data->test.numClasses);
        std::vector<QImage> images;
        QStringList captions;
        const int64_t n = static_cast<int64_t>(m_indices.size());
        const int64_t per = m_originals.size() / std::max<int64_t>(n, 1);
        for (int64_t row = 0; row < n; row += kColumns) {
            const int64_t end = std::min(n, row + kColumns);
            for (int64_t i = row; i < end; ++i) {
                images.push_back(picture(m_originals, i, sample, lo, hi));
                captions << labels.value(m_classes[static_cast<size_t>(i)],
                                         tr("#%1").arg(m_indices[static_cast<size_t>(i)]));
            }
            if (denoising())
                for (int64_t i = row; i < end; ++i) {
                    images.push_back(picture(m_inputs, i, sample, lo, hi));
                    captions << tr("noisy");
                }
            for (int64_t i = row; i < end; ++i) {
                images.push_back(picture(m_reconstructions, i, sample, lo, hi));
                double sum = 0;
                for (int64_t k = i * per; k < (i + 1) * per; ++k) {
                    const double d = m_reconstructions[k] - m_originals[k];
                    sum += d * d;
                }
                // Just the number: tiles are narrow; the heading says what it is.
                captions << QString::number(sum / static_cast<double>(per), 'f', 3);
            }
        }
        m_grid->setImages(std::move(images), captions);
        m_grid->setMessage({});
        const QString rows = denoising() ? tr("test images, the noisy inputs (σ %1) and their "
                                              "reconstructions")
                                               .arg(t.inputNoise)
                                         : tr("test images and their reconstructions");
        m_caption->setText(
            (m_epoch > 0 ? tr("Epoch %1: ").arg(m_epoch) : tr("Trained weights: ")) + rows +
            tr(" (MSE under each) · mean MSE %1").arg(meanSquaredError(), 0, 'f', 4));
    }
    m_save->setEnabled(!m_grid->images().empty());
    ++m_refreshes;
    emit refreshed();
}

void ReconstructionView::saveAsPng() {
    QString path = prompter().askSaveFile(this, tr("Save reconstructions"), "reconstructions.png",
                                          tr("PNG pictures (*.png)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".png", Qt::CaseInsensitive)) path += ".png";
    try {
        m_grid->savePng(path);
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Save reconstructions"), QString::fromUtf8(e.what()));
    }
}

}  // namespace netloom::ui
