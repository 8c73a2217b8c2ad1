#pragma once
// The training dock: Train / Pause-Resume / Stop / Reset weights, progress (epoch, batch,
// samples/s, elapsed, ETA), the live loss and accuracy charts (with past runs overlaid on
// demand), and after each epoch the evaluation: for classification the confusion matrix, the
// per-class precision/recall/F1 table and a gallery of test images with their predictions; for
// regression a predicted-vs-true scatter. Health problems (exploding loss, NaN) show in a banner.
#include <QPointer>
#include <QWidget>
#include <memory>

#include "ui/training/run_panel_skeleton.h"
#include "ui/training/training_controller.h"

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace netloom::engine {
struct Checkpoint;
}

namespace netloom::ui {

class AttentionView;
class ClassMetricsTable;
class ConfusionMatrixWidget;
class FloatSpinBox;
class GraphDocument;
class LiveWeights;
class EvalPanel;
class ForecastView;
class TextGenerationView;
class LatentExplorer;
class PredictionGallery;
class ReconstructionView;
class RegressionScatter;
class RunEpochsTable;
class RunHistoryTable;
class TrainingCharts;
class MetricChart;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    TrainingPanel(TrainingController* controller, GraphDocument* doc, QWidget* parent = nullptr);

    // Clears the charts and starts a run (continuing from the document's weights).
    bool startTraining();
    // Continues the run of a checkpoint (the window offers it on opening a project whose last
    // run did not finish).
    bool resumeFromCheckpoint(std::shared_ptr<const engine::Checkpoint> checkpoint);

    TrainingCharts* charts() const { return m_charts; }
    ConfusionMatrixWidget* confusionMatrix() const { return m_confusion; }
    ClassMetricsTable* metricsTable() const { return m_metrics; }
    RunHistoryTable* historyTable() const { return m_history; }
    RunEpochsTable* epochsTable() const { return m_epochs; }
    PredictionGallery* gallery() const { return m_gallery; }
    RegressionScatter* scatter() const { return m_scatter; }
    // Autoencoders: the live reconstruction grid (in place of the confusion matrix) and the
    // latent-space tab; autoencoders and GANs: the evaluation tab.
    ReconstructionView* reconstructionView() const { return m_reconstruction; }
    LatentExplorer* latentExplorer() const { return m_latent; }
    // Sequence generation: live generated text and perplexity; series: the forecast chart.
    TextGenerationView* textView() const { return m_textView; }
    ForecastView* forecastView() const { return m_forecast; }
    EvalPanel* evalPanel() const { return m_evalPanel; }
    // Models with attention: the live attention maps (a tab shown only for them).
    AttentionView* attentionView() const { return m_attention; }
    QTabWidget* tabs() const { return m_tabs; }
    // The weights the evaluation views show (shared with the try-it panel).
    LiveWeights* liveWeights() const { return m_live; }
    // The red banner over the charts: failures and health pauses ("" when hidden).
    QString healthText() const;
    // Buttons, progress and status: the skeleton every training panel shares.
    RunPanelSkeleton* runSkeleton() const { return m_run; }
    QPushButton* trainButton() const { return m_run->trainButton(); }
    QPushButton* pauseButton() const { return m_run->pauseButton(); }
    QPushButton* stopButton() const { return m_run->stopButton(); }
    QPushButton* resetButton() const { return m_run->resetButton(); }
    // Enabled while paused: the new rate applies from the next batch of the same run.
    FloatSpinBox* learningRateBox() const { return m_lr; }
    QString progressText() const { return m_run->progressText(); }
    QString statusText() const { return m_run->statusText(); }

signals:
    // One line for the status bar: "Epoch 2/5 · batch 310/937 · 8,500 samples/s · ETA 0:42".
    void progressTextChanged(const QString& text);

private:
    bool startOrResume(std::shared_ptr<const engine::Checkpoint> checkpoint);
    void onState(TrainingController::State state);
    void onEpoch(const engine::EpochRecord& record, const engine::EvalResult& validation);
    void setStatus(const QString& text, bool error = false);
    // Charts, evaluation views and the health banner forget the last run (a new run starts, or
    // another project opened).
    void clearRun();
    void setHealth(const QString& text);
    void exportCharts(bool csv);
    void updateOverlays();
    void showSelectedRun();
    void showTaskViews();
    void showAttentionTab();

    QPointer<TrainingController> m_controller;
    QPointer<GraphDocument> m_doc;
    RunPanelSkeleton* m_run;
    FloatSpinBox* m_lr;
    TrainingCharts* m_charts;
    MetricChart* m_lrChart;  // the rate each step used
    ConfusionMatrixWidget* m_confusion;
    ClassMetricsTable* m_metrics;
    RunHistoryTable* m_history;
    RunEpochsTable* m_epochs;
    PredictionGallery* m_gallery;
    RegressionScatter* m_scatter;
    ReconstructionView* m_reconstruction;
    LatentExplorer* m_latent;
    TextGenerationView* m_textView;
    ForecastView* m_forecast;
    EvalPanel* m_evalPanel;
    AttentionView* m_attention;
    QStackedWidget* m_evaluation;  // confusion matrix or scatter
    QTabWidget* m_tabs;
    QLabel* m_health;
    LiveWeights* m_live;
};

}  // namespace netloom::ui
