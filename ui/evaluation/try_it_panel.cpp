#include "ui/evaluation/try_it_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/evaluation/decision_regions.h"
#include "ui/evaluation/draw_pad.h"
#include "ui/evaluation/eval_context.h"
#include "ui/document/graph_document.h"
#include "ui/training/live_weights.h"
#include "ui/evaluation/probability_bars.h"

namespace netloom::ui {

namespace {

bool isImageDataset(const std::string& kind) {
    return kind == "fashion-mnist" || kind == "idx";
}

QString drawHint(const std::string& kind) {
    return kind == "fashion-mnist"
               ? QObject::tr("Draw a piece of clothing, or pick a test image.")
               : QObject::tr("Draw an image (white on black), or pick a test image.");
}

}  // namespace

TryItPanel::TryItPanel(LiveWeights* live, QWidget* parent) : QWidget(parent), m_live(live) {
    setObjectName("tryItPanel");
    m_stack = new QStackedWidget(this);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setMargin(12);
    m_stack->addWidget(m_message);

    auto* padPage = new QWidget(this);
    m_caption = new QLabel(drawHint("fashion-mnist"), padPage);
    m_caption->setWordWrap(true);
    m_pad = new DrawPad(padPage);
    m_clear = new QPushButton(tr("Clear"), padPage);
    m_pick = new QPushButton(tr("Pick a test image"), padPage);
    m_pick->setToolTip(tr("Shows a random image of the test set (you can draw over it)"));
    m_bars = new ProbabilityBars(padPage);
    m_source = new QLabel(padPage);
    m_source->setObjectName("tryItSource");
    m_source->setStyleSheet("color:palette(placeholder-text)");
    m_brush = new QSlider(Qt::Horizontal, padPage);
    m_brush->setObjectName("brushSize");
    m_brush->setRange(15, 60);
    m_brush->setValue(static_cast<int>(m_pad->brushSize() * 10));
    m_brush->setToolTip(tr("Brush size: thin like a pen stroke, or thick for filled shapes"));
    connect(m_brush, &QSlider::valueChanged, this,
            [this](int v) { m_pad->setBrushSize(v / 10.0); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_clear);
    buttons->addWidget(m_pick);
    auto* brushRow = new QHBoxLayout;
    brushRow->addWidget(new QLabel(tr("Brush"), padPage));
    brushRow->addWidget(m_brush, 1);
    auto* padLayout = new QVBoxLayout(padPage);
    padLayout->setContentsMargins(4, 4, 4, 4);
    padLayout->addWidget(m_caption);
    padLayout->addWidget(m_pad, 3);
    padLayout->addLayout(buttons);
    padLayout->addLayout(brushRow);
    padLayout->addWidget(m_bars, 2);
    padLayout->addWidget(m_source);
    m_stack->addWidget(padPage);

    auto* regionsPage = new QWidget(this);
    auto* regionsCaption = new QLabel(
        tr("The class the network predicts at each point of the plane (paler = less sure), "
           "with the training points on top. Redrawn after every epoch."),
        regionsPage);
    regionsCaption->setWordWrap(true);
    m_regions = new DecisionRegions(live, regionsPage);
    auto* regionsLayout = new QVBoxLayout(regionsPage);
    regionsLayout->setContentsMargins(4, 4, 4, 4);
    regionsLayout->addWidget(regionsCaption);
    regionsLayout->addWidget(m_regions, 1);
    m_stack->addWidget(regionsPage);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_ctx = new EvalContext(live, this, [this] { refresh(); });
    connect(m_pad, &DrawPad::pixelsChanged, this, [this] {
        if (!m_settingPixels) m_picked = -1;  // drawn over: no longer the test image
        predict();
    });
    connect(m_clear, &QPushButton::clicked, m_pad, &DrawPad::clear);
    connect(m_pick, &QPushButton::clicked, this, [this] { pickTestImage(-1); });
}

QString TryItPanel::message() const {
    return m_message->text();
}

TryItPanel::Mode TryItPanel::modeFor() const {
    const GraphDocument* doc = m_live->document();
    const engine::GraphAnalysis& a = doc->analysis();
    if (!a.ok() || !taskViews(doc->training()).drawPad) return Mode::Message;
    const int64_t in = a.nodes.at(a.inputNode).output.elements();
    if (in == DrawPad::kSide * DrawPad::kSide && isImageDataset(doc->training().dataset.kind))
        return Mode::DrawPad;
    if (in == 2 && !isImageDataset(doc->training().dataset.kind)) return Mode::Regions;
    return Mode::Message;
}

void TryItPanel::refresh() {
    m_mode = modeFor();
    switch (m_mode) {
        case Mode::Message: {
            const GraphDocument* doc = m_live->document();
            m_message->setText(
                doc->analysis().ok()
                    ? tr("Try it yourself works with classifiers of 28×28 images (a draw pad) "
                         "and of 2-D points (decision regions).")
                    : tr("The network is not complete yet: %1")
                          .arg(QString::fromStdString(doc->analysis().firstProblem())));
            m_stack->setCurrentIndex(0);
            return;
        }
        case Mode::Regions:
            m_stack->setCurrentIndex(2);
            return;
        case Mode::DrawPad:
            m_stack->setCurrentIndex(1);
            predict();
            return;
    }
}

void TryItPanel::predict() {
    if (m_mode != Mode::DrawPad) return;
    Predictor* predictor = m_ctx->predictor();
    m_pick->setEnabled(m_ctx->data() != nullptr);
    if (!predictor) {
        m_bars->clear(m_ctx->message());
        m_source->clear();
        return;
    }
    try {
        // The pad's pixels converted exactly as the trainer converts a batch of the data set.
        engine::Dataset one;
        one.sampleShape = predictor->inputShape();
        one.count = 1;
        one.pixels = m_pad->pixels();
        one.numClasses = static_cast<int>(predictor->outputSize());
        if (auto data = m_ctx->data()) {
            one.scale = data->test.scale;
            one.offset = data->test.offset;
        } else if (m_ctx->training().dataset.scaling == "signed") {
            one.scale = 2.0f / 255.0f;
            one.offset = -1.0f;
        }
        const engine::Tensor probs = predictor->toProbabilities(predictor->forward(one, {0}));
        const int k = static_cast<int>(probs.size());
        const QStringList labels = m_ctx->classLabels(k);
        m_bars->setProbabilities(std::vector<float>(probs.data(), probs.data() + k), labels,
                                 m_picked >= 0 ? m_pickedClass : -1);
        m_caption->setText(m_picked >= 0
                               ? tr("Test image %1, a %2. Draw over it to see what changes.")
                                     .arg(m_picked)
                                     .arg(labels.value(m_pickedClass))
                               : drawHint(m_ctx->training().dataset.kind));
        m_source->setText(m_ctx->epoch() > 0
                              ? tr("Model after epoch %1 of the current run").arg(m_ctx->epoch())
                              : tr("The project's trained weights"));
    } catch (const std::exception& e) {
        m_bars->clear(QString::fromUtf8(e.what()));
    }
}

bool TryItPanel::pickTestImage(int64_t index) {
    auto data = m_ctx->data();
    if (!data || !data->test.isImage() || data->test.count == 0) return false;
    const engine::Dataset& test = data->test;
    if (index < 0) index = QRandomGenerator::global()->bounded(static_cast<qint64>(test.count));
    if (index >= test.count || test.sampleShape.elements() != DrawPad::kSide * DrawPad::kSide)
        return false;
    const size_t per = static_cast<size_t>(test.sampleShape.elements());
    const auto* src = test.pixels.data() + static_cast<size_t>(index) * per;
    m_picked = index;
    m_pickedClass = test.labels.empty() ? -1 : test.labels[static_cast<size_t>(index)];
    m_settingPixels = true;
    m_pad->setPixels(std::vector<uint8_t>(src, src + per));
    m_settingPixels = false;
    return true;
}

}  // namespace netloom::ui
