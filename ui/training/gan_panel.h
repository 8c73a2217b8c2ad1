#pragma once
// The training dock's page for adversarial projects (GANs): Train / Pause-Resume / Stop / Reset
// weights and progress; a live chart of the D and G losses per iteration and of D's accuracy on
// real and generated samples; the sample grid the engine draws from its fixed noise batch, with
// a history slider back through every grid of the run; "New samples" (fresh noise through the
// document's generator, on the GUI thread with its own Predictor); a latent walk (a strip of
// generator outputs between two noise vectors and a slider showing any point between them); and
// "Save grid as PNG…".
#include <QImage>
#include <QPointer>
#include <QWidget>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/tensor.h"
#include "ui/training/gan_training_controller.h"
#include "ui/training/metric_chart.h"
#include "ui/training/run_panel_skeleton.h"

class QLabel;
class QLineSeries;
class QPushButton;
class QSlider;
class QTabWidget;

namespace netloom::ui {

class GraphDocument;
class ImageGrid;
class EvalPanel;
class Predictor;

class GanPanel : public QWidget {
    Q_OBJECT
public:
    GanPanel(GanTrainingController* controller, GraphDocument* doc, QWidget* parent = nullptr);
    ~GanPanel() override;

    // Clears the chart and the grid history and starts a run from the document's weights.
    bool startTraining();

    // Fresh noise from `seed` (sampleCount rows) through the document's generator into the sample
    // grid; false (with the reason in statusText()) when there are no weights or they do not fit.
    bool showNewSamples(uint64_t seed);
    // A project opened with a trained generator: its samples from the run's fixed noise (the
    // last grid of the run that trained it); false when there is no trained generator.
    bool showTrainedSamples();
    // Recomputes the latent walk from the document's generator (endpoints from `seed`).
    bool showLatentWalk(uint64_t seed);
    // Writes the sample grid as shown; false (and an error message) when it cannot.
    bool saveGridPng(const QString& path);

    GanTrainingController* controller() const { return m_controller; }
    ImageGrid* sampleGrid() const { return m_grid; }
    EvalPanel* evalPanel() const { return m_evalPanel; }
    QTabWidget* sideTabs() const { return m_side; }
    QSlider* historySlider() const { return m_history; }
    QLabel* historyLabel() const { return m_historyLabel; }
    int gridCount() const { return static_cast<int>(m_grids.size()); }
    ImageGrid* walkStrip() const { return m_walkStrip; }
    ImageGrid* walkImage() const { return m_walkImage; }
    QSlider* walkSlider() const { return m_walkSlider; }
    // Buttons, progress and status: the skeleton every training panel shares.
    RunPanelSkeleton* runSkeleton() const { return m_run; }
    QPushButton* trainButton() const { return m_run->trainButton(); }
    QPushButton* pauseButton() const { return m_run->pauseButton(); }
    QPushButton* stopButton() const { return m_run->stopButton(); }
    QPushButton* resetButton() const { return m_run->resetButton(); }
    QPushButton* newSamplesButton() const { return m_newSamples; }
    QPushButton* savePngButton() const { return m_savePng; }
    // The chart of the run's figures by name ("d_loss", "g_loss", "d_real_accuracy",
    // "d_fake_accuracy").
    MetricChart* chart() const { return m_chart; }
    QLineSeries* dLossSeries() const { return m_chart->series("d_loss"); }
    QLineSeries* gLossSeries() const { return m_chart->series("g_loss"); }
    QLineSeries* realAccuracySeries() const { return m_chart->series("d_real_accuracy"); }
    QLineSeries* fakeAccuracySeries() const { return m_chart->series("d_fake_accuracy"); }
    QChartView* chartView() const { return m_chart->view(); }
    QString statusText() const { return m_run->statusText(); }
    QString progressText() const { return m_run->progressText(); }
    void refreshChart();  // pushes pending history into the series now (a timer does it at 8 Hz)

signals:
    void progressTextChanged(const QString& text);

private:
    void onState(GanTrainingController::State state);
    void onIterations(const QVector<RunPoint>& points, const engine::RunEvent& latest);
    void onGrid(std::shared_ptr<const engine::SampleGrid> grid);
    void showHistory(int index);
    void setStatus(const QString& text, bool error = false);
    void clearRun();
    // The generator of the document with its trained weights, built on this thread; null (and
    // a status message) when untrained or when the weights do not fit.
    Predictor* generator();
    void updateWalkImage();
    // Generator outputs {N, elements} as pictures.
    std::vector<QImage> toImages(const float* values, int64_t count, int64_t elements) const;

    QPointer<GanTrainingController> m_controller;
    QPointer<GraphDocument> m_doc;
    RunPanelSkeleton* m_run;
    QPushButton *m_newSamples, *m_savePng, *m_newWalk;
    QLabel* m_figures;

    MetricChart* m_chart;

    ImageGrid* m_grid;
    QSlider* m_history;
    QLabel* m_historyLabel;
    std::vector<std::shared_ptr<const engine::SampleGrid>> m_grids;

    QTabWidget* m_side;  // the latent walk and the evaluation panel
    EvalPanel* m_evalPanel;
    ImageGrid* m_walkStrip;
    ImageGrid* m_walkImage;
    QSlider* m_walkSlider;
    engine::Tensor m_walkFrom, m_walkTo;  // the walk's endpoints (one noise row each)
    uint64_t m_walkSeed = 1;
    uint64_t m_sampleSeed = 1;

    std::unique_ptr<Predictor> m_predictor;  // the generator, rebuilt when stale
    bool m_predictorStale = true;
};

}  // namespace netloom::ui
