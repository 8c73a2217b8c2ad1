#include "ui/training/latent_explorer.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/data/dataset.h"
#include "engine/graph/subgraph.h"
#include "ui/evaluation/eval_context.h"
#include "ui/document/graph_document.h"
#include "ui/widgets/image_grid.h"
#include "ui/training/live_weights.h"

namespace netloom::ui {

namespace {

constexpr int kSliderSteps = 100;

QImage picture(const engine::Tensor& t, int64_t i, const engine::Shape& sample, float lo,
               float hi) {
    const int h = sample.rank() >= 2 ? static_cast<int>(sample[sample.rank() - 2]) : 1;
    const int w = static_cast<int>(sample[sample.rank() - 1]);
    const int64_t per = t.size() / t.batch();
    return ImageGrid::fromValues(t.data() + i * per, w, h, lo, hi);
}

// The same colours for the same classes in every chart (Tableau 10).
QColor classColor(int c) {
    static const QColor colors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return colors[c % 10];
}

}  // namespace

LatentExplorer::LatentExplorer(LiveWeights* live, QWidget* parent) : QWidget(parent), m_live(live) {
    setObjectName("latentExplorer");
    m_node = new QComboBox(this);
    m_node->setToolTip(
        tr("Where the network is split into encoder and decoder: by default the "
           "layer with the fewest outputs (the code)"));
    m_first = new QSpinBox(this);
    m_second = new QSpinBox(this);
    for (QSpinBox* box : {m_first, m_second}) {
        box->setRange(0, 0);
        box->setToolTip(tr("Index of a test image"));
    }
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, kSliderSteps);
    m_slider->setToolTip(tr("Walks the code linearly from the first image's to the second's"));
    m_decoded = new ImageGrid(this);
    m_decoded->setObjectName("latentDecoded");
    m_decoded->setColumns(1);
    m_decoded->setMinimumSize(110, 110);
    m_decoded->setMaximumWidth(160);
    m_strip = new ImageGrid(this);
    m_strip->setObjectName("latentStrip");
    m_strip->setColumns(kSteps);
    m_strip->setMinimumHeight(90);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    m_chart = new QChart;
    m_chart->setTitle(tr("Codes of the test images"));
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chartView = new QChartView(m_chart, this);  // owns the chart
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Split after:"), m_node);
    auto* pair = new QHBoxLayout;
    pair->addWidget(m_first);
    pair->addWidget(new QLabel(tr("→"), this));
    pair->addWidget(m_second);
    form->addRow(tr("Test images:"), pair);
    form->addRow(tr("Blend:"), m_slider);
    auto* top = new QHBoxLayout;
    top->addLayout(form, 1);
    top->addWidget(m_decoded);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_strip, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_chartView, 2);

    m_ctx = new EvalContext(live, this, [this] { refresh(); });
    connect(m_node, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling) m_ctx->refreshNow();
    });
    connect(m_first, &QSpinBox::valueChanged, this, [this] {
        if (!m_filling) m_ctx->refreshNow();
    });
    connect(m_second, &QSpinBox::valueChanged, this, [this] {
        if (!m_filling) m_ctx->refreshNow();
    });
    connect(m_slider, &QSlider::valueChanged, this, &LatentExplorer::decodeSlider);
}

std::string LatentExplorer::splitNode() const {
    return m_node->currentData().toString().toStdString();
}

void LatentExplorer::fillNodes() {
    const GraphDocument* doc = m_live->document();
    const engine::GraphAnalysis& a = doc->analysis();
    std::string print;
    std::vector<std::pair<std::string, QString>> items;
    if (a.ok())
        for (const std::string& id : a.order) {
            if (id == a.inputNode || id == a.outputNode) continue;
            const QString text =
                QString("%1 (%2)").arg(QString::fromStdString(doc->graph().node(id).name),
                                       QString::fromStdString(a.nodes.at(id).output.toString()));
            items.emplace_back(id, text);
            print += id + "=" + text.toStdString() + ";";
        }
    if (print == m_nodesOf) return;
    m_nodesOf = print;
    m_filling = true;
    m_node->clear();
    for (const auto& [id, text] : items) m_node->addItem(text, QString::fromStdString(id));
    const int code = m_node->findData(QString::fromStdString(engine::findCodeNode(a)));
    m_node->setCurrentIndex(std::max(code, 0));
    m_filling = false;
}

void LatentExplorer::clearViews(const QString& message) {
    m_message = message;
    m_codes = m_stripOut = m_sliderOut = engine::Tensor();
    m_decoded->setImages({});
    m_decoded->setMessage({});
    m_strip->setImages({});
    m_strip->setMessage(message);
    m_status->clear();
    m_chart->removeAllSeries();
    m_chartView->hide();
    m_scatterPoints = 0;
}

engine::Tensor LatentExplorer::interpolate(double t) const {
    const int64_t per = m_codes.size() / 2;
    std::vector<int64_t> dims = m_codes.dims();
    dims[0] = 1;
    engine::Tensor z(dims);
    for (int64_t k = 0; k < per; ++k)
        z[k] = static_cast<float>((1.0 - t) * m_codes[k] + t * m_codes[per + k]);
    return z;
}

void LatentExplorer::refresh() {
    fillNodes();
    const engine::TrainingConfig& t = m_ctx->training();
    const auto data = m_ctx->data();
    const std::shared_ptr<const engine::WeightSet> weights = m_live->weights();
    const GraphDocument* doc = m_live->document();
    const std::string node = splitNode();
    try {
        if (!taskViews(t).reconstructions)
            throw Error("The latent space shows for autoencoders (task \"reconstruction\").");
        if (!doc->analysis().ok() || node.empty())
            throw Error("The network has no layer between its input and output to split at.");
        if (!weights || weights->empty())
            throw Error("The network has no trained weights yet: press Train.");
        if (!data) throw Error(m_ctx->message().toStdString());
        const engine::Dataset& test = data->test;
        if (!test.isImage() || test.count < 2)
            throw Error("The latent space shows for image data sets of two test images or more.");

        const engine::Graph& g = doc->graph();
        const engine::Shape codeShape = doc->analysis().nodes.at(node).output;
        Predictor* encoder = m_encoder.update(engine::upstreamGraph(g, node), weights);
        if (!encoder) throw Error(m_encoder.error());
        Predictor* decoder = m_decoder.update(engine::downstreamGraph(g, node, codeShape), weights);
        if (!decoder) throw Error(m_decoder.error());
        if (decoder->outputSize() != test.sampleShape.elements())
            throw Error("The decoder's output is not the size of an input image.");

        m_filling = true;
        if (m_defaultsFor != data.get()) {
            // First a test image, then the first one of another class.
            m_defaultsFor = data.get();
            m_first->setRange(0, static_cast<int>(test.count - 1));
            m_second->setRange(0, static_cast<int>(test.count - 1));
            int64_t other = 1;
            if (test.numClasses > 0)
                for (int64_t i = 1; i < test.count; ++i)
                    if (test.labels[static_cast<size_t>(i)] != test.labels[0]) {
                        other = i;
                        break;
                    }
            m_first->setValue(0);
            m_second->setValue(static_cast<int>(other));
        }
        m_filling = false;
        m_sample = test.sampleShape;
        m_lo = t.dataset.scaling == "signed" ? -1.0f : 0.0f;
        m_hi = 1.0f;

        const std::vector<int64_t> pick{m_first->value(), m_second->value()};
        engine::Tensor x;
        test.fillBatch(pick.data(), 2, x, nullptr);
        const engine::Tensor flat = encoder->forward(x);
        std::vector<int64_t> dims{2};
        dims.insert(dims.end(), codeShape.dims.begin(), codeShape.dims.end());
        m_codes = engine::Tensor(dims);
        std::copy(flat.data(), flat.data() + flat.size(), m_codes.data());

        const int64_t per = m_codes.size() / 2;
        dims[0] = kSteps;
        engine::Tensor z(dims);
        for (int k = 0; k < kSteps; ++k) {
            const engine::Tensor step = interpolate(static_cast<double>(k) / (kSteps - 1));
            std::copy(step.data(), step.data() + per, z.data() + k * per);
        }
        m_stripOut = decoder->forward(z);
        std::vector<QImage> images;
        QStringList captions;
        for (int k = 0; k < kSteps; ++k) {
            images.push_back(picture(m_stripOut, k, m_sample, m_lo, m_hi));
            captions << QString("%1 %").arg(100 * k / (kSteps - 1));
        }
        m_strip->setImages(std::move(images), captions);
        m_strip->setMessage({});
        m_message.clear();
        m_status->setText(tr("Code: %1 values after '%2'.")
                              .arg(per)
                              .arg(QString::fromStdString(g.node(node).name)));
        decodeSlider();
        if (per == 2)
            updateScatter(test, *encoder);
        else {
            m_chart->removeAllSeries();
            m_chartView->hide();
            m_scatterPoints = 0;
        }
    } catch (const std::exception& e) {
        m_filling = false;
        clearViews(QString::fromUtf8(e.what()));
    }
    ++m_refreshes;
    emit refreshed();
}

void LatentExplorer::decodeSlider() {
    if (m_codes.size() == 0) return;
    try {
        const GraphDocument* doc = m_live->document();
        const std::string node = splitNode();
        const auto it = doc->analysis().nodes.find(node);
        if (it == doc->analysis().nodes.end()) return;  // the graph changed: a refresh follows
        Predictor* decoder = m_decoder.update(
            engine::downstreamGraph(doc->graph(), node, it->second.output), m_live->weights());
        if (!decoder) return;
        const double t = static_cast<double>(m_slider->value()) / kSliderSteps;
        m_sliderOut = decoder->forward(interpolate(t));
        m_decoded->setImages({picture(m_sliderOut, 0, m_sample, m_lo, m_hi)},
                             {QString("%1 %").arg(m_slider->value())});
    } catch (const std::exception& e) {
        m_sliderOut = engine::Tensor();
        m_decoded->setImages({});
        m_status->setText(QString::fromUtf8(e.what()));
    }
}

void LatentExplorer::updateScatter(const engine::Dataset& test, Predictor& encoder) {
    const int64_t n = std::min<int64_t>(test.count, kScatterImages);
    std::vector<int64_t> idx(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) idx[static_cast<size_t>(i)] = i;
    const engine::Tensor codes = encoder.forward(test, idx);
    const int classes = std::max(test.numClasses, 1);
    const QStringList labels = m_ctx->classLabels(test.numClasses);
    std::vector<QList<QPointF>> points(static_cast<size_t>(classes));
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    bool any = false;
    for (int64_t i = 0; i < n; ++i) {
        const int c = test.numClasses > 0 ? test.labels[static_cast<size_t>(i)] : 0;
        const double x = codes[2 * i], y = codes[2 * i + 1];
        if (c < 0 || c >= classes || !std::isfinite(x) || !std::isfinite(y)) continue;
        x0 = any ? std::min(x0, x) : x;
        x1 = any ? std::max(x1, x) : x;
        y0 = any ? std::min(y0, y) : y;
        y1 = any ? std::max(y1, y) : y;
        any = true;
        points[static_cast<size_t>(c)].append(QPointF(x, y));
    }
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    auto* ax = new QValueAxis;
    auto* ay = new QValueAxis;
    const double padX = std::max(1e-3, 0.05 * (x1 - x0)), padY = std::max(1e-3, 0.05 * (y1 - y0));
    ax->setRange(x0 - padX, x1 + padX);
    ay->setRange(y0 - padY, y1 + padY);
    ax->setTitleText(tr("code 1"));
    ay->setTitleText(tr("code 2"));
    m_chart->addAxis(ax, Qt::AlignBottom);
    m_chart->addAxis(ay, Qt::AlignLeft);
    m_scatterPoints = 0;
    for (int c = 0; c < classes; ++c) {
        auto* s = new QScatterSeries;
        s->setName(test.numClasses > 0 ? labels.value(c) : tr("test images"));
        s->setMarkerSize(6);
        s->setColor(classColor(c));
        s->setBorderColor(Qt::transparent);
        s->replace(points[static_cast<size_t>(c)]);
        m_scatterPoints += static_cast<int>(points[static_cast<size_t>(c)].size());
        m_chart->addSeries(s);
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
    m_chartView->show();
}

}  // namespace netloom::ui
