#include "ui/training/augmentation_preview.h"

#include <QLabel>
#include <QVBoxLayout>
#include <cstring>

#include "engine/core/error.h"
#include "engine/settings/settings.h"
#include "engine/train/training_transforms.h"
#include "ui/training/data_cache.h"
#include "ui/widgets/image_grid.h"

namespace netloom::ui {

AugmentationPreview::AugmentationPreview(GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_loader(new DataLoader(this)) {
    setObjectName("augmentationPreview");
    m_grid = new ImageGrid(this);
    m_grid->setColumns(kImages);
    // Two rows of small tiles: no taller than they need at the settings panel's width.
    m_grid->setMinimumHeight(110);
    m_grid->setMaximumHeight(150);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_grid);
    layout->addWidget(m_caption);
    connect(m_loader, &DataLoader::loaded, this,
            [this](std::shared_ptr<const engine::DataSplit> split) {
                m_split = std::move(split);
                draw();
            });
    connect(m_loader, &DataLoader::failed, this, [this](const QString& message) {
        m_split.reset();
        m_grid->setImages({});
        m_grid->setMessage(tr("No preview: %1").arg(message));
        m_current = true;
        emit updated();
    });
    // Only while shown: a hidden box (another task, non-image data) loads nothing.
    connect(m_doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind != GraphChange::Kind::Training && c.kind != GraphChange::Kind::Reset) return;
        if (isVisible())
            refresh();
        else
            m_stale = true;
    });
}

void AugmentationPreview::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale) refresh();
}

QString AugmentationPreview::caption() const {
    return m_caption->text();
}

void AugmentationPreview::refresh() {
    m_stale = false;
    const engine::TrainingConfig& c = m_doc->training();
    const std::string key = engine::dataKey(c);
    if (m_split && key == m_dataKey) {
        draw();
        return;
    }
    // Another dataset: load it (through the cache, so a run or the gallery may have already).
    m_current = false;
    m_split.reset();
    m_dataKey = key;
    m_grid->setImages({});
    m_grid->setMessage(tr("Loading the training images…"));
    m_loader->request(c.dataset, c.validationSplit, c.seed);
}

void AugmentationPreview::draw() {
    m_current = true;
    const engine::TrainingConfig& c = m_doc->training();
    const engine::Dataset& train = m_split->train;
    if (!train.isImage() || train.sampleShape.rank() < 2 || train.count == 0) {
        m_grid->setImages({});
        m_grid->setMessage(tr("Augmentation applies to images only"));
        m_caption->clear();
        emit updated();
        return;
    }
    // The first images of the training set, as the run would load them, then through the
    // run's chain: the same code, the same seed, so the bottom row is the run's first draw.
    const int64_t n = std::min<int64_t>(kImages, train.count);
    std::vector<int64_t> indices(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) indices[static_cast<size_t>(i)] = i;
    engine::Tensor x;
    train.fillBatch(indices.data(), n, x, nullptr);
    engine::Tensor augmented = x;
    QString problem;
    try {
        engine::validateTrainingConfig(c);
        engine::TransformChain chain =
            engine::trainingTransformChain(c, engine::TargetKind::ClassLabels, train);
        chain.apply(augmented);
    } catch (const Error& e) {
        problem = QString::fromUtf8(e.what());
    }
    const int h = static_cast<int>(train.sampleShape[train.sampleShape.rank() - 2]);
    const int w = static_cast<int>(train.sampleShape[train.sampleShape.rank() - 1]);
    const int64_t sampleSize = train.sampleShape.elements();  // the first channel is shown
    const float lo = train.offset, hi = train.offset + 255.0f * train.scale;
    std::vector<QImage> images;
    for (const engine::Tensor* t : {&x, &augmented})
        for (int64_t i = 0; i < n; ++i)
            images.push_back(ImageGrid::fromValues(t->data() + i * sampleSize, w, h, lo, hi));
    m_grid->setMessage({});
    m_grid->setImages(std::move(images));
    m_caption->setText(problem.isEmpty()
                           ? (c.augmentation.active()
                                  ? tr("Top: training images as loaded; bottom: the same images "
                                       "through the run's augmentation (seed %1). Validation and "
                                       "test images are never augmented.")
                                        .arg(c.seed)
                                  : tr("Top: training images as loaded; bottom: unchanged — no "
                                       "augmentation is on."))
                           : problem);
    emit updated();
}

}  // namespace netloom::ui
