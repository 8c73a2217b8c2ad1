#include "ui/training/attention_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "engine/data/dataset.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/eval_context.h"
#include "ui/training/attention_heads_widget.h"
#include "ui/training/attention_pictures.h"
#include "ui/training/live_weights.h"

namespace netloom::ui {

namespace {

// The set the view draws its sample from: the test set, or the validation set without one.
const engine::Dataset& sampleSet(const engine::DataSplit& data) {
    return data.test.count > 0 ? data.test : data.validation;
}

}  // namespace

AttentionView::AttentionView(LiveWeights* live, QWidget* parent) : QWidget(parent), m_live(live) {
    setObjectName("attentionView");
    m_layer = new QComboBox(this);
    m_layer->setObjectName("attentionLayer");
    m_layer->setToolTip(tr("Which attention layer's heads to show"));
    m_sample = new QSpinBox(this);
    m_sample->setObjectName("attentionSample");
    m_sample->setRange(0, 0);
    m_sample->setToolTip(tr("The test sample whose attention is shown"));
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_heads = new AttentionHeadsWidget(this);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Layer:"), this));
    top->addWidget(m_layer, 1);
    top->addWidget(new QLabel(tr("Test sample:"), this));
    top->addWidget(m_sample);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_caption);
    layout->addWidget(m_heads, 1);
    m_ctx = new EvalContext(live, this, [this] { refresh(); });
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this] { showLayer(); });
    connect(m_sample, &QSpinBox::valueChanged, this, [this] { m_ctx->refreshNow(); });
}

int AttentionView::currentLayer() const {
    return std::max(m_layer->currentIndex(), 0);
}

void AttentionView::setCurrentLayer(int layer) {
    m_layer->setCurrentIndex(layer);
}

int64_t AttentionView::sampleIndex() const {
    return m_sample->value();
}

void AttentionView::setSampleIndex(int64_t index) {
    m_sample->setValue(static_cast<int>(index));
}

QString AttentionView::captionText() const {
    return m_caption->text();
}

std::vector<engine::AttentionMap> AttentionView::currentMaps() const {
    std::vector<engine::AttentionMap> out;
    const size_t layer = static_cast<size_t>(currentLayer());
    if (layer < m_groups.size())
        for (size_t i : m_groups[layer]) out.push_back(m_maps[i]);
    return out;
}

QString AttentionView::computeMaps() {
    const GraphDocument* doc = m_live ? m_live->document() : nullptr;
    m_layers =
        doc ? attentionLayers(doc->graph(), doc->analysis()) : std::vector<AttentionLayerInfo>{};
    m_labels.clear();
    m_shownTokens = 0;
    if (m_layers.empty())
        return tr("Attention maps show for networks with a Multi-Head Attention layer.");
    Predictor* predictor = m_ctx->predictor();
    auto data = m_ctx->data();
    if (!predictor || !data) return m_ctx->message();
    const engine::Dataset& set = sampleSet(*data);
    if (set.count == 0) return tr("The data set has no test samples to show.");
    {
        const QSignalBlocker block(m_sample);
        m_sample->setRange(0, static_cast<int>(std::min<int64_t>(set.count, 1 << 30) - 1));
    }
    const int64_t index = m_sample->value();
    try {
        set.fillBatch(&index, 1, m_input, nullptr);
        // A sequence model may read fewer tokens than a stored sequence holds (the next-token
        // task feeds all but the last): give it the leading ones.
        const int64_t wanted = predictor->inputShape().elements();
        if (set.storage() == engine::SampleStorage::Tokens && m_input.size() > wanted) {
            engine::Tensor head(1, predictor->inputShape());
            std::copy(m_input.data(), m_input.data() + wanted, head.data());
            m_input = std::move(head);
        }
        m_maps = predictor->attentionMaps(m_input, 0);
    } catch (const std::exception& e) {
        m_maps.clear();
        return QString::fromUtf8(e.what());
    }
    // Maps come by layer then head: a head 0 starts the next layer.
    for (size_t i = 0; i < m_maps.size(); ++i) {
        if (m_maps[i].head == 0 || m_groups.empty()) m_groups.emplace_back();
        m_groups.back().push_back(i);
    }
    if (m_groups.size() != m_layers.size())
        return tr("The network gave attention maps for %1 layers, its graph has %2.")
            .arg(m_groups.size())
            .arg(m_layers.size());
    m_inputIsImage = set.isImage();
    m_lo = set.offset;
    m_hi = set.scale * 255.0f + set.offset;
    const QStringList classes = m_ctx->classLabels(set.numClasses);
    const int label = set.numClasses > 0 ? set.labels[static_cast<size_t>(index)] : -1;
    m_sampleName = label >= 0 && label < classes.size()
                       ? tr("#%1 (%2)").arg(index).arg(classes[label])
                       : tr("#%1").arg(index);
    // Token labels: the vocabulary's text (a character for the words), trailing padding cut.
    if (set.storage() == engine::SampleStorage::Tokens && !set.vocabulary.empty()) {
        for (int64_t i = 0; i < m_input.size(); ++i) {
            const auto id = static_cast<size_t>(m_input[i]);
            m_labels << (id < set.vocabulary.size() ? QString::fromStdString(set.vocabulary[id])
                                                    : QString::number(id));
        }
        m_shownTokens = m_labels.size();
        while (m_shownTokens > 1 && m_labels[static_cast<int>(m_shownTokens - 1)] == "<pad>")
            --m_shownTokens;
        m_labels = m_labels.mid(0, static_cast<int>(m_shownTokens));
    }
    return {};
}

void AttentionView::showLayer() {
    const std::vector<engine::AttentionMap> maps = currentMaps();
    const size_t layer = static_cast<size_t>(currentLayer());
    if (maps.empty() || layer >= m_layers.size()) return;
    const AttentionLayerInfo& info = m_layers[layer];
    std::vector<QImage> pictures;
    QStringList captions;
    const QString when = m_epoch > 0 ? tr("Epoch %1").arg(m_epoch) : tr("Trained weights");
    QString what;
    if (info.overPatches()) {
        // The picture under the heat: the input itself when the patches are cut from it.
        const bool overInput = m_inputIsImage && m_input.sampleShape() == info.imageShape;
        std::vector<float> blank;
        if (!overInput) blank.assign(static_cast<size_t>(info.imageShape.elements()), 0.0f);
        for (const engine::AttentionMap& m : maps) {
            const std::vector<float> w = patchAttention(m.weights, info);
            pictures.push_back(patchOverlay(
                overInput ? m_input.data() : blank.data(), info.imageShape, overInput ? m_lo : 0.0f,
                overInput ? m_hi : 1.0f, w, info.gridRows, info.gridColumns, info.patch));
            const float top = *std::max_element(w.begin(), w.end());
            captions << tr("head %1 · max %2").arg(m.head + 1).arg(top, 0, 'f', 2);
        }
        what = info.leadingTokens > 0 ? tr("the class token's attention to each of the %1 patches")
                                            .arg(info.gridRows * info.gridColumns)
                                      : tr("the mean attention each of the %1 patches receives")
                                            .arg(info.gridRows * info.gridColumns);
    } else {
        const int64_t rows =
            m_shownTokens > 0 ? std::min(m_shownTokens, info.queries) : info.queries;
        const int64_t columns = m_shownTokens > 0 && info.keys == info.queries ? rows : info.keys;
        QStringList rowLabels = m_labels.mid(0, static_cast<int>(rows)), columnLabels;
        if (rowLabels.isEmpty())
            for (int64_t i = 0; i < rows; ++i) rowLabels << QString::number(i + 1);
        if (columns == rows)
            columnLabels = rowLabels;
        else
            for (int64_t i = 0; i < columns; ++i) columnLabels << QString::number(i + 1);
        for (const engine::AttentionMap& m : maps) {
            pictures.push_back(tokenMatrix(m.weights, rows, columns, rowLabels, columnLabels));
            captions << tr("head %1").arg(m.head + 1);
        }
        what = tr("each query token's (row) attention over the tokens (columns)");
    }
    m_heads->setPictures(std::move(pictures), captions);
    m_heads->setMessage({});
    m_caption->setText(tr("%1 · sample %2 · %3, per head; yellow = the head's largest weight.")
                           .arg(when, m_sampleName, what));
}

void AttentionView::refresh() {
    m_maps.clear();
    m_groups.clear();
    m_epoch = m_ctx->epoch();
    const QString problem = computeMaps();
    // The layer list follows the graph; the current choice stays when it still exists.
    {
        const QSignalBlocker block(m_layer);
        const int keep = m_layer->currentIndex();
        m_layer->clear();
        for (size_t i = 0; i < m_layers.size(); ++i)
            m_layer->addItem(tr("%1 (%2 of %3)")
                                 .arg(QString::fromStdString(m_layers[i].name))
                                 .arg(i + 1)
                                 .arg(m_layers.size()));
        m_layer->setCurrentIndex(std::clamp(keep, 0, std::max(0, m_layer->count() - 1)));
        m_layer->setEnabled(m_layer->count() > 1);
    }
    if (!problem.isEmpty()) {
        m_heads->setPictures({}, {});
        m_heads->setMessage(problem);
        m_caption->clear();
    } else {
        showLayer();
    }
    ++m_refreshes;
    emit refreshed();
}

}  // namespace netloom::ui
