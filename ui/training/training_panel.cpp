#include "ui/training/training_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/data/sines.h"
#include "engine/optim/optimizer.h"
#include "engine/tasks/registry.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/class_metrics_table.h"
#include "ui/evaluation/confusion_matrix_widget.h"
#include "ui/evaluation/eval_panel.h"
#include "ui/evaluation/prediction_gallery.h"
#include "ui/evaluation/regression_scatter.h"
#include "ui/training/attention_layout.h"
#include "ui/training/attention_view.h"
#include "ui/training/forecast_view.h"
#include "ui/training/latent_explorer.h"
#include "ui/training/live_weights.h"
#include "ui/training/metric_chart.h"
#include "ui/training/reconstruction_view.h"
#include "ui/training/run_epochs_table.h"
#include "ui/training/run_history_table.h"
#include "ui/training/text_generation_view.h"
#include "ui/training/training_charts.h"
#include "ui/widgets/float_spin_box.h"
#include "ui/widgets/prompter.h"
#include "ui/widgets/scrolling.h"
#include "ui/widgets/setting_range.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

TrainingPanel::TrainingPanel(TrainingController* controller, GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_doc(doc) {
    setObjectName("trainingPanel");
    m_run = new RunPanelSkeleton(controller, doc,
                                 {tr("Batch"), tr("samples/s"), false, tr("Training"),
                                  tr("Stopped after %1; the weights are kept.")},
                                 this);
    m_run->trainButton()->setToolTip(
        tr("Train from the current weights (Reset weights to start afresh)"));
    m_lr = new FloatSpinBox(this);
    m_lr->setLogSteps(true);
    {  // the learning rate's one range, from the settings schema (> 0)
        const auto [lo, hi] = spinRange(engine::learningRateSpec());
        m_lr->setRange(lo, hi);
    }
    m_lr->setDecimals(12);
    m_lr->setValue(doc->training().optimizer.lr);
    m_lr->setToolTip(tr("Pause to change the learning rate; the run resumes on the same curves"));
    auto* exportPng = new QPushButton(tr("Export PNG…"), this);
    auto* exportCsv = new QPushButton(tr("Export CSV…"), this);

    m_run->addRow(tr("Learning rate:"), m_lr);
    m_run->addRow(exportPng, exportCsv);
    // The status line of a finished run adds early stopping's kept epoch and the test figures.
    m_run->setFinishedNote([this](const engine::RunRecord& r) {
        QString note;
        if (!r.message.empty()) note += " " + asSentence(QString::fromStdString(r.message));
        if (std::isfinite(r.testAccuracy))
            note += tr(" Test accuracy %1 %, loss %2.")
                        .arg(r.testAccuracy * 100, 0, 'f', 1)
                        .arg(r.testLoss, 0, 'g', 4);
        return note;
    });
    connect(m_run, &RunPanelSkeleton::progressTextChanged, this,
            &TrainingPanel::progressTextChanged);

    m_live = new LiveWeights(doc, controller, this);
    m_charts = new TrainingCharts(this);
    m_confusion = new ConfusionMatrixWidget(this);
    m_scatter = new RegressionScatter(m_live, this);
    m_evaluation = new QStackedWidget(this);
    m_evaluation->addWidget(m_confusion);
    m_evaluation->addWidget(m_scatter);
    m_reconstruction = new ReconstructionView(m_live, this);
    m_evaluation->addWidget(m_reconstruction);
    // Sequence models: live generated text, or a series' forecast.
    m_textView = new TextGenerationView(m_live, controller, this);
    m_evaluation->addWidget(m_textView);
    m_forecast = new ForecastView(m_live, this);
    m_evaluation->addWidget(m_forecast);
    m_metrics = new ClassMetricsTable(this);
    m_gallery = new PredictionGallery(m_live, this);
    m_history = new RunHistoryTable(doc, this);
    m_epochs = new RunEpochsTable(this);
    m_epochs->clearRun();
    auto* runs = new QSplitter(Qt::Vertical, this);
    runs->addWidget(m_history);
    runs->addWidget(m_epochs);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName("trainingTabs");
    m_tabs->addTab(m_gallery, tr("Test images"));
    m_tabs->addTab(m_metrics, tr("Per-class metrics"));
    m_tabs->addTab(runs, tr("Runs"));
    m_latent = new LatentExplorer(m_live, this);
    // The taller pages scroll inside their tab so that the panel fits a 768-pixel screen.
    m_tabs->addTab(scrolling(m_latent), tr("Latent space"));
    m_evalPanel = new EvalPanel(doc, this);
    m_tabs->addTab(scrolling(m_evalPanel), tr("Evaluate"));
    m_attention = new AttentionView(m_live, this);
    m_tabs->addTab(m_attention, tr("Attention"));
    // The rate each step used (the "lr" figure: a schedule or a mid-run change moves it).
    m_lrChart = new MetricChart({tr("Learning rate"), tr("step"), tr("rate"), {}},
                                {{"lr", tr("learning rate"), QColor("#1f77b4")}}, this);
    m_lrChart->setObjectName("learningRateChart");
    // A strip under the loss charts: it must not make the panel taller (1366×768 screens).
    m_lrChart->setMinimumHeight(40);
    auto* chartColumn = new QSplitter(Qt::Vertical, this);
    chartColumn->addWidget(m_charts);
    chartColumn->addWidget(m_lrChart);
    chartColumn->setStretchFactor(0, 4);
    chartColumn->setStretchFactor(1, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(chartColumn);
    split->addWidget(m_evaluation);
    split->addWidget(m_tabs);
    m_tabs->setMinimumWidth(290);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 0);

    m_health = new QLabel(this);
    m_health->setObjectName("healthBanner");
    m_health->setWordWrap(true);
    m_health->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_health->setStyleSheet(
        "QLabel{background:#fde2e1;color:#8a1010;border:1px solid #d33;border-radius:4px;"
        "padding:4px 8px;font-weight:bold}");
    m_health->hide();
    auto* right = new QVBoxLayout;
    right->setContentsMargins(0, 0, 0, 0);
    right->addWidget(m_health);
    right->addWidget(split, 1);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_run);
    layout->addLayout(right, 1);
    connect(m_history, &RunHistoryTable::overlaysChanged, this, &TrainingPanel::updateOverlays);
    connect(m_history, &QTableWidget::itemSelectionChanged, this, &TrainingPanel::showSelectedRun);
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training)
            showTaskViews();
        if (c.kind == GraphChange::Kind::Reset) clearRun();
        if (c.kind != GraphChange::Kind::Layout) showAttentionTab();
    });
    showTaskViews();
    showAttentionTab();

    connect(m_run->trainButton(), &QPushButton::clicked, this, &TrainingPanel::startTraining);
    connect(exportPng, &QPushButton::clicked, this, [this] { exportCharts(false); });
    connect(exportCsv, &QPushButton::clicked, this, [this] { exportCharts(true); });
    connect(m_lr, &QDoubleSpinBox::editingFinished, this, [this] {
        if (m_controller && m_controller->state() == TrainingController::State::Paused) {
            m_controller->setLearningRate(m_lr->value());
            setStatus(tr("Paused. Learning rate %1 from the next batch.").arg(m_lr->text()));
        }
    });
    // Progress, status and buttons follow the run in the skeleton (connected first); this panel
    // adds the charts, the evaluation views and the health banner.
    connect(controller, &TrainingController::stateChanged, this, &TrainingPanel::onState);
    connect(controller, &TrainingController::stepsArrived, this,
            [this](const QVector<RunPoint>& points) {
                m_charts->addBatches(points);
                m_lrChart->addPoints(points);
            });
    connect(controller, &TrainingController::epochFinished, this, &TrainingPanel::onEpoch);
    connect(controller, &TrainingController::finished, this, [this] {
        m_charts->refresh();
        m_history->refresh();
    });
    connect(controller, &TrainingController::healthPaused, this, [this](const QString& message) {
        setHealth(message);
        setStatus(tr("Paused by the health check."), true);
    });
    connect(controller, &TrainingController::failed, this, [this] {
        m_charts->refresh();
        m_history->refresh();
        setHealth(m_run->statusText());  // "Training failed: … The previous weights are kept."
    });
    onState(controller->state());
    m_run->setIdleStatus(tr("Press Train to start. The graph is read-only while training runs."));
}

bool TrainingPanel::startTraining() {
    return startOrResume(nullptr);
}

bool TrainingPanel::resumeFromCheckpoint(std::shared_ptr<const engine::Checkpoint> checkpoint) {
    return checkpoint && startOrResume(std::move(checkpoint));
}

bool TrainingPanel::startOrResume(std::shared_ptr<const engine::Checkpoint> checkpoint) {
    if (!m_controller || m_controller->isActive()) return false;
    clearRun();
    m_run->prepareRun();
    if (checkpoint) {
        setStatus(tr("Resuming after epoch %1 from its checkpoint.").arg(checkpoint->epoch));
        return m_controller->resumeFrom(std::move(checkpoint));
    }
    return m_controller->start();
}

void TrainingPanel::clearRun() {
    m_charts->clear();
    m_lrChart->clear();
    m_confusion->clear();
    m_metrics->clearMetrics();
    m_epochs->clearRun();
    setHealth({});
    if (m_doc) m_lr->setValue(m_doc->training().optimizer.lr);
}

QString TrainingPanel::healthText() const {
    return m_health->isHidden() ? QString() : m_health->text();
}

void TrainingPanel::setHealth(const QString& text) {
    m_health->setText(text);
    m_health->setVisible(!text.isEmpty());
}

void TrainingPanel::updateOverlays() {
    std::vector<TrainingCharts::Overlay> runs;
    if (m_doc) {
        const auto& history = m_doc->project().history;
        for (int i : m_history->overlaidRuns())
            if (i >= 0 && i < static_cast<int>(history.size()))
                runs.push_back(
                    {RunHistoryTable::runName(i), history[static_cast<size_t>(i)].epochs});
    }
    m_charts->setOverlays(runs);
}

void TrainingPanel::showSelectedRun() {
    const QList<QTableWidgetItem*> items = m_history->selectedItems();
    const int index = items.isEmpty() ? -1 : m_history->historyIndex(items.front()->row());
    if (!m_doc || index < 0) {
        m_epochs->clearRun();
        return;
    }
    m_epochs->showRun(RunHistoryTable::runName(index),
                      m_doc->project().history[static_cast<size_t>(index)]);
}

void TrainingPanel::showTaskViews() {
    const engine::TaskDef* task = m_doc ? engine::findTask(m_doc->training().task) : nullptr;
    const engine::TaskViews views = task ? task->views() : engine::TaskViews{};
    const bool regression = views.regressionScatter;
    const bool autoencoder = views.reconstructions;
    const bool text = views.liveText;
    const bool forecast = regression && m_doc && engine::forecastsSeries(m_doc->training().dataset);
    m_evaluation->setCurrentWidget(forecast      ? static_cast<QWidget*>(m_forecast)
                                   : regression  ? static_cast<QWidget*>(m_scatter)
                                   : autoencoder ? static_cast<QWidget*>(m_reconstruction)
                                   : text        ? static_cast<QWidget*>(m_textView)
                                                 : m_confusion);
    // Accuracy means something only for classifiers; the other tasks get the loss chart alone.
    const bool classifier = !regression && !autoencoder && !text;
    m_charts->setAccuracyVisible(classifier);
    // Without a validation split each epoch is evaluated on the test set: say so.
    const std::vector<std::string> groups =
        task ? task->settingGroups() : std::vector<std::string>{};
    const bool validates = std::find(groups.begin(), groups.end(), "validation") != groups.end();
    m_charts->setEvaluatedSet(validates && m_doc && m_doc->training().validationSplit > 0
                                  ? tr("validation")
                                  : tr("test"));
    const int gallery = m_tabs->indexOf(m_gallery);
    m_tabs->setTabVisible(gallery, classifier);
    m_tabs->setTabVisible(m_tabs->indexOf(m_metrics), classifier);
    // (These two pages sit in scroll areas: the tab holds the area, not the page.)
    auto tabOf = [this](QWidget* page) {
        for (int i = 0; i < m_tabs->count(); ++i)
            if (m_tabs->widget(i)->isAncestorOf(page)) return i;
        return -1;
    };
    m_tabs->setTabVisible(tabOf(m_latent), autoencoder);
    m_tabs->setTabVisible(tabOf(m_evalPanel), autoencoder);  // GANs: GanPanel has its own
}

void TrainingPanel::showAttentionTab() {
    const int tab = m_tabs->indexOf(m_attention);
    const bool show = m_doc && hasAttention(m_doc->graph());
    if (show == m_tabs->isTabVisible(tab)) return;
    m_tabs->setTabVisible(tab, show);
    if (show) m_tabs->setCurrentIndex(tab);  // what an attention model is built to show
}

void TrainingPanel::setStatus(const QString& text, bool error) {
    m_run->setStatus(text, error);
}

void TrainingPanel::exportCharts(bool csv) {
    const QString ext = csv ? ".csv" : ".png";
    QString path = prompter().askSaveFile(this, csv ? tr("Export chart data") : tr("Export charts"),
                                          "training" + ext,
                                          csv ? tr("CSV files (*.csv)") : tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(ext, Qt::CaseInsensitive)) path += ext;
    try {
        if (csv)
            m_charts->exportCsv(path);
        else
            m_charts->exportPng(path);
    } catch (const std::exception& e) {
        prompter().showError(this, tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

void TrainingPanel::onState(TrainingController::State state) {
    using S = TrainingController::State;
    m_lr->setEnabled(state == S::Paused);
    m_lrChart->setLive(state == S::Running || state == S::Paused);
    if (state == S::Running && m_controller && !m_controller->healthMessage().isEmpty() &&
        m_health->text() == m_controller->healthMessage())
        setHealth({});  // resumed after a health pause: the user has decided
}

void TrainingPanel::onEpoch(const engine::EpochRecord& record, const engine::EvalResult& val) {
    m_charts->addEpoch(record);
    if (val.numClasses <= 0 ||
        val.confusion.size() != static_cast<size_t>(val.numClasses) * val.numClasses)
        return;  // regression: no matrix
    const QStringList labels =
        classLabels(m_doc ? m_doc->training().dataset.kind : std::string(), val.numClasses);
    m_confusion->setMatrix(val.numClasses, val.confusion, labels);
    m_metrics->setMatrix(toConfusionMatrix(val.numClasses, val.confusion), labels);
}

}  // namespace netloom::ui
