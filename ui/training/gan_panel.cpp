#include "ui/training/gan_panel.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/project/network_roles.h"
#include "engine/train/gan.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/eval_panel.h"
#include "ui/evaluation/predictor.h"
#include "ui/widgets/image_grid.h"
#include "ui/widgets/prompter.h"
#include "ui/widgets/scrolling.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

constexpr int kWalkSteps = 8;
constexpr int kWalkTicks = 100;  // slider positions between the two endpoints
constexpr uint64_t kWalkSalt = 0x3a1c0ffeull;

// Rows `from` and `to` of one noise row each, mixed (1 - t)·a + t·b.
void lerpRow(const engine::Tensor& a, const engine::Tensor& b, double t, float* out) {
    for (int64_t i = 0; i < a.size(); ++i)
        out[i] = static_cast<float>((1.0 - t) * a.data()[i] + t * b.data()[i]);
}

}  // namespace

GanPanel::GanPanel(GanTrainingController* controller, GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_doc(doc) {
    setObjectName("ganPanel");
    m_run = new RunPanelSkeleton(controller, doc,
                                 {tr("Iteration"), tr("it/s"), true, tr("GAN training"),
                                  tr("Stopped after %1; both networks keep their weights.")},
                                 this);
    m_run->trainButton()->setToolTip(tr("Train both networks from their current weights"));
    m_figures = new QLabel(this);
    m_figures->setWordWrap(true);
    m_run->addRow(QString(), m_figures);
    // The progress line ends with the two losses rather than the time left.
    m_run->setProgressTail([this](const engine::RunEvent& ev, const QString&) {
        return tr("D %1 · G %2")
            .arg(ev.metrics.get("d_loss"), 0, 'f', 3)
            .arg(ev.metrics.get("g_loss"), 0, 'f', 3);
    });
    connect(m_run, &RunPanelSkeleton::progressTextChanged, this, &GanPanel::progressTextChanged);

    // Chart: losses on the left axis, D's accuracies (0..1) on the right, x = iteration.
    using Axis = MetricChart::Axis;
    m_chart = new MetricChart(
        {tr("Discriminator and generator"), tr("iteration"), tr("loss"), tr("D accuracy")},
        {{"d_loss", tr("D loss"), QColor("#1f77b4"), Axis::Left},
         {"g_loss", tr("G loss"), QColor("#d62728"), Axis::Left},
         {"d_real_accuracy", tr("D acc. real"), QColor("#2ca02c"), Axis::RightShare},
         {"d_fake_accuracy", tr("D acc. fake"), QColor("#ff7f0e"), Axis::RightShare}},
        this);
    m_chart->setMinimumWidth(320);

    // Samples: the engine's grids with their history, or fresh samples on demand.
    auto* samplesBox = new QGroupBox(tr("Samples"), this);
    m_grid = new ImageGrid(samplesBox);
    m_grid->setObjectName("ganSampleGrid");
    m_grid->setMinimumSize(140, 140);
    m_grid->setMessage(tr("Train to see the generator's samples."));
    m_history = new QSlider(Qt::Horizontal, samplesBox);
    m_history->setObjectName("ganHistorySlider");
    m_history->setRange(0, 0);
    m_history->setEnabled(false);
    m_history->setToolTip(tr("Scrub back through the grids of this run"));
    m_historyLabel = new QLabel(samplesBox);
    m_historyLabel->setMinimumWidth(110);
    m_newSamples = new QPushButton(tr("New samples"), samplesBox);
    m_newSamples->setToolTip(tr("Fresh random noise through the trained generator"));
    m_savePng = new QPushButton(tr("Save grid as PNG…"), samplesBox);
    auto* samplesLayout = new QVBoxLayout(samplesBox);
    samplesLayout->addWidget(m_grid, 1);
    auto* historyRow = new QHBoxLayout;
    historyRow->addWidget(m_history, 1);
    historyRow->addWidget(m_historyLabel);
    samplesLayout->addLayout(historyRow);
    auto* sampleButtons = new QHBoxLayout;
    sampleButtons->addWidget(m_newSamples);
    sampleButtons->addWidget(m_savePng);
    sampleButtons->addStretch(1);
    samplesLayout->addLayout(sampleButtons);

    // Latent walk: a strip between two noise vectors and the point the slider picks.
    auto* walkBox = new QWidget(this);
    m_walkStrip = new ImageGrid(walkBox);
    m_walkStrip->setObjectName("ganWalkStrip");
    m_walkStrip->setColumns(kWalkSteps);
    m_walkStrip->setMinimumHeight(60);
    m_walkImage = new ImageGrid(walkBox);
    m_walkImage->setObjectName("ganWalkImage");
    m_walkImage->setColumns(1);
    m_walkImage->setMinimumSize(100, 100);  // the panel fits a 768-pixel screen
    m_walkSlider = new QSlider(Qt::Horizontal, walkBox);
    m_walkSlider->setObjectName("ganWalkSlider");
    m_walkSlider->setRange(0, kWalkTicks);
    m_walkSlider->setToolTip(tr("Mix the two noise vectors: left end z₀, right end z₁"));
    m_newWalk = new QPushButton(tr("New endpoints"), walkBox);
    auto* walkLayout = new QVBoxLayout(walkBox);
    walkLayout->addWidget(m_walkStrip, 1);
    walkLayout->addWidget(m_walkSlider);
    walkLayout->addWidget(m_walkImage, 2);
    walkLayout->addWidget(m_newWalk);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_chart);
    split->addWidget(samplesBox);
    // The walk shares its place with the quality score (the same panel as `netloom eval`).
    m_side = new QTabWidget(this);
    m_side->setObjectName("ganSideTabs");
    m_side->addTab(walkBox, tr("Latent walk"));
    m_evalPanel = new EvalPanel(doc, this);
    m_side->addTab(scrolling(m_evalPanel), tr("Evaluate"));
    split->addWidget(m_side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_run);
    layout->addWidget(split, 1);

    connect(m_run->trainButton(), &QPushButton::clicked, this, &GanPanel::startTraining);
    connect(m_history, &QSlider::valueChanged, this, &GanPanel::showHistory);
    connect(m_newSamples, &QPushButton::clicked, this, [this] { showNewSamples(++m_sampleSeed); });
    connect(m_savePng, &QPushButton::clicked, this, [this] {
        QString path = prompter().askSaveFile(this, tr("Save sample grid"), "samples.png",
                                              tr("PNG images (*.png)"));
        if (path.isEmpty()) return;
        if (!path.endsWith(".png", Qt::CaseInsensitive)) path += ".png";
        saveGridPng(path);
    });
    connect(m_walkSlider, &QSlider::valueChanged, this, &GanPanel::updateWalkImage);
    connect(m_newWalk, &QPushButton::clicked, this, [this] { showLatentWalk(++m_walkSeed); });

    // Progress, status and buttons follow the run in the skeleton (connected first); this panel
    // adds the chart, the sample grids and the latent walk.
    connect(controller, &GanTrainingController::stateChanged, this, &GanPanel::onState);
    connect(controller, &GanTrainingController::stepsArrived, this, &GanPanel::onIterations);
    connect(controller, &GanTrainingController::samplesArrived, this, &GanPanel::onGrid);
    connect(controller, &GanTrainingController::finished, this, [this] {
        refreshChart();
        m_predictorStale = true;
        showLatentWalk(m_walkSeed);
    });
    connect(controller, &GanTrainingController::failed, this, [this] { refreshChart(); });
    connect(controller, &GanTrainingController::weightsReset, this, [this] {
        m_predictorStale = true;
        showLatentWalk(m_walkSeed);
    });
    // Before a run the epoch bar counts the project's epochs (a run sets its own range). The
    // samples' title says when they come from the generator's moving average.
    auto showProjectEpochs = [this, samplesBox] {
        samplesBox->setTitle(m_doc->training().gan.generatorAverage > 0
                                 ? tr("Samples (averaged generator)")
                                 : tr("Samples"));
    };
    connect(doc, &GraphDocument::changed, this, [this, showProjectEpochs](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Layout) return;
        m_predictorStale = true;  // the generator's graph, or another project
        if (c.kind == GraphChange::Kind::Reset) {
            clearRun();
            showTrainedSamples();
            showLatentWalk(m_walkSeed);
        }
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training)
            showProjectEpochs();
    });
    onState(controller->state());
    m_run->setIdleStatus(tr("Press Train to train the generator and the discriminator together."));
    showProjectEpochs();
    showTrainedSamples();
    showLatentWalk(m_walkSeed);
}

GanPanel::~GanPanel() = default;

bool GanPanel::startTraining() {
    if (!m_controller || m_controller->isActive()) return false;
    clearRun();
    m_run->prepareRun();
    return m_controller->start();
}

void GanPanel::clearRun() {
    m_chart->clear();
    m_grids.clear();
    {
        const QSignalBlocker block(m_history);
        m_history->setRange(0, 0);
    }
    m_history->setEnabled(false);
    m_historyLabel->clear();
    m_grid->setImages({});
    m_grid->setMessage(tr("Train to see the generator's samples."));
    m_run->clearProgress();
    m_figures->clear();
}

void GanPanel::setStatus(const QString& text, bool error) {
    m_run->setStatus(text, error);
}

void GanPanel::onState(GanTrainingController::State state) {
    using S = GanTrainingController::State;
    m_chart->setLive(state != S::Idle);
}

void GanPanel::onIterations(const QVector<RunPoint>& points, const engine::RunEvent& ev) {
    m_chart->addPoints(points);
    const engine::MetricList& m = ev.metrics;
    m_figures->setText(tr("D loss %1 · G loss %2\nD accuracy: real %3 %, fake %4 %")
                           .arg(m.get("d_loss"), 0, 'f', 3)
                           .arg(m.get("g_loss"), 0, 'f', 3)
                           .arg(m.get("d_real_accuracy") * 100, 0, 'f', 0)
                           .arg(m.get("d_fake_accuracy") * 100, 0, 'f', 0));
}

void GanPanel::refreshChart() {
    m_chart->refresh();
}

std::vector<QImage> GanPanel::toImages(const float* values, int64_t count, int64_t elements) const {
    // The generator's range: Tanh images live in [-1, 1] (the "signed" scaling), else [0, 1].
    const bool signedRange = m_doc && m_doc->training().dataset.scaling == "signed";
    const float lo = signedRange ? -1.0f : 0.0f;
    int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(elements))));
    int width = side, height = side;
    if (static_cast<int64_t>(side) * side != elements) {
        width = static_cast<int>(elements);  // not square: one row of values
        height = 1;
    }
    std::vector<QImage> images;
    images.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i)
        images.push_back(ImageGrid::fromValues(values + i * elements, width, height, lo, 1.0f));
    return images;
}

void GanPanel::onGrid(std::shared_ptr<const engine::SampleGrid> grid) {
    const bool atEnd = m_grids.empty() || m_history->value() == m_history->maximum();
    m_grids.push_back(std::move(grid));
    const int last = static_cast<int>(m_grids.size()) - 1;
    {
        const QSignalBlocker block(m_history);
        m_history->setRange(0, last);
    }
    m_history->setEnabled(last > 0);
    if (atEnd) {
        if (m_history->value() == last)
            showHistory(last);
        else
            m_history->setValue(last);  // shows it through valueChanged
    }
}

void GanPanel::showHistory(int index) {
    if (index < 0 || index >= static_cast<int>(m_grids.size())) return;
    const engine::SampleGrid& g = *m_grids[static_cast<size_t>(index)];
    const int64_t elements = g.shape.elements();
    if (elements <= 0 || g.count <= 0 ||
        static_cast<int64_t>(g.values.size()) != g.count * elements)
        return;
    m_grid->setImages(toImages(g.values.data(), g.count, elements));
    m_historyLabel->setText(tr("iteration %1").arg(g.step));
}

Predictor* GanPanel::generator() {
    if (!m_doc) return nullptr;
    if (!m_predictorStale && m_predictor) return m_predictor.get();
    m_predictor.reset();
    m_predictorStale = false;
    const engine::Network* g = engine::findNetwork(m_doc->project(), engine::kGeneratorRole);
    if (!g) return nullptr;
    if (g->weights.empty()) return nullptr;
    try {
        m_predictor = std::make_unique<Predictor>(g->graph, g->weights);
    } catch (const std::exception& e) {
        setStatus(tr("The generator cannot run: %1").arg(QString::fromUtf8(e.what())), true);
    }
    return m_predictor.get();
}

bool GanPanel::showNewSamples(uint64_t seed) {
    Predictor* p = generator();
    const engine::Network* g =
        m_doc ? engine::findNetwork(m_doc->project(), engine::kGeneratorRole) : nullptr;
    if (!p || !g) {
        setStatus(tr("Train the GAN first: the generator has no trained weights yet."), true);
        return false;
    }
    try {
        const int64_t count = std::clamp<int64_t>(m_doc->training().gan.sampleCount, 1, 256);
        const engine::Tensor out = p->forward(engine::makeNoise(g->graph, count, seed));
        m_grid->setImages(toImages(out.data(), out.batch(), p->outputSize()));
        m_historyLabel->setText(tr("new samples"));
        setStatus(tr("%1 new samples from fresh noise (seed %2).").arg(count).arg(seed));
        return true;
    } catch (const std::exception& e) {
        setStatus(tr("The generator cannot run: %1").arg(QString::fromUtf8(e.what())), true);
        return false;
    }
}

bool GanPanel::showTrainedSamples() {
    const engine::Network* g =
        m_doc ? engine::findNetwork(m_doc->project(), engine::kGeneratorRole) : nullptr;
    if (!g || g->weights.empty()) return false;
    Predictor* p = generator();
    if (!p) return false;
    try {
        const engine::Tensor out = p->forward(engine::fixedNoise(g->graph, m_doc->training()));
        m_grid->setImages(toImages(out.data(), out.batch(), p->outputSize()));
        m_historyLabel->setText(tr("trained generator"));
        return true;
    } catch (const std::exception&) {
        return false;  // weights that do not fit the edited graph: the grid keeps its message
    }
}

bool GanPanel::showLatentWalk(uint64_t seed) {
    m_walkSeed = seed;
    Predictor* p = generator();
    const engine::Network* g =
        m_doc ? engine::findNetwork(m_doc->project(), engine::kGeneratorRole) : nullptr;
    if (!p || !g) {
        m_walkFrom = {};
        m_walkTo = {};
        m_walkStrip->setImages({});
        m_walkStrip->setMessage(tr("Train to walk through the generator's latent space."));
        m_walkImage->setImages({});
        m_walkImage->setMessage({});
        m_walkSlider->setEnabled(false);
        return false;
    }
    try {
        const engine::Tensor ends = engine::makeNoise(g->graph, 2, seed ^ kWalkSalt);
        const int64_t latent = ends.size() / 2;
        m_walkFrom = engine::Tensor(std::vector<int64_t>{1, latent});
        m_walkTo = engine::Tensor(std::vector<int64_t>{1, latent});
        std::copy(ends.data(), ends.data() + latent, m_walkFrom.data());
        std::copy(ends.data() + latent, ends.data() + 2 * latent, m_walkTo.data());
        engine::Tensor z = engine::makeNoise(g->graph, kWalkSteps, 0);  // the Noise layer's shape
        for (int i = 0; i < kWalkSteps; ++i)
            lerpRow(m_walkFrom, m_walkTo, static_cast<double>(i) / (kWalkSteps - 1),
                    z.data() + i * latent);
        const engine::Tensor out = p->forward(z);
        QStringList captions;
        for (int i = 0; i < kWalkSteps; ++i)
            captions << QString("t=%1").arg(static_cast<double>(i) / (kWalkSteps - 1), 0, 'f', 2);
        m_walkStrip->setImages(toImages(out.data(), out.batch(), p->outputSize()), captions);
        m_walkSlider->setEnabled(true);
        updateWalkImage();
        return true;
    } catch (const std::exception& e) {
        setStatus(tr("The generator cannot run: %1").arg(QString::fromUtf8(e.what())), true);
        return false;
    }
}

void GanPanel::updateWalkImage() {
    Predictor* p = generator();
    if (!p || m_walkFrom.size() == 0) return;
    const engine::Network* g = engine::findNetwork(m_doc->project(), engine::kGeneratorRole);
    try {
        const double t = static_cast<double>(m_walkSlider->value()) / kWalkTicks;
        engine::Tensor z = engine::makeNoise(g->graph, 1, 0);  // the Noise layer's row shape
        lerpRow(m_walkFrom, m_walkTo, t, z.data());
        const engine::Tensor out = p->forward(z);
        m_walkImage->setImages(toImages(out.data(), 1, p->outputSize()),
                               {QString("t = %1").arg(t, 0, 'f', 2)});
    } catch (const std::exception& e) {
        setStatus(tr("The generator cannot run: %1").arg(QString::fromUtf8(e.what())), true);
    }
}

bool GanPanel::saveGridPng(const QString& path) {
    if (m_grid->images().empty()) {
        prompter().showError(this, tr("Nothing to save"),
                             tr("The sample grid is empty: train or press New samples first."));
        return false;
    }
    try {
        m_grid->savePng(path);
        setStatus(tr("Saved the grid to %1.").arg(path));
        return true;
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Save failed"), QString::fromUtf8(e.what()));
        return false;
    }
}

}  // namespace netloom::ui
