#pragma once
// The live loss and accuracy charts of a run. History lives in plain vectors; a 8 Hz timer
// decimates it to about two points per pixel column and hands it to QXYSeries::replace() in
// one go (appending point by point is quadratic). X is in epochs (batch b of epoch e sits at
// e - 1 + b / stepsPerEpoch); loss uses a log axis. Training loss and accuracy are per batch,
// smoothed; the evaluated set's are per epoch. Legends sit under the charts as wrapped text.
// Hovering a curve shows its values; past runs from the history can be overlaid.
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <vector>

#include "engine/project/project.h"
#include "ui/training/run_controller.h"

class QChart;
class QChartView;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace netloom::ui {

class ChartLegend;

class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    // Weight of the previous value in the training-loss moving average.
    static constexpr double kSmoothing = 0.9;
    static double smooth(double previous, double value, bool first) {
        return first ? value : kSmoothing * previous + (1.0 - kSmoothing) * value;
    }

    explicit TrainingCharts(QWidget* parent = nullptr);

    void clear();
    // What the per-epoch evaluation ran on, as its series are named: "validation", or "test"
    // when the project holds no validation split out (the run evaluates the test set then).
    void setEvaluatedSet(const QString& name);
    // Tasks without classes have no accuracy: the loss chart alone.
    void setAccuracyVisible(bool visible);
    void addBatches(const QVector<RunPoint>& points);
    void addEpoch(const engine::EpochRecord& record);
    void refresh();  // pushes pending history into the series now (the timer does it at 8 Hz)

    // Both charts side by side as a picture; the full (undecimated) history as CSV with the
    // columns series,epoch,value. Throw netloom::Error naming the path when writing fails.
    void exportPng(const QString& path);
    void exportCsv(const QString& path) const;

    // Past runs drawn over the live curves (validation loss and accuracy per epoch, dashed).
    struct Overlay {
        QString name;
        std::vector<engine::EpochRecord> epochs;
    };
    void setOverlays(const std::vector<Overlay>& runs);
    const QList<QLineSeries*>& overlayLossSeries() const { return m_overlayLoss; }
    const QList<QLineSeries*>& overlayAccuracySeries() const { return m_overlayAcc; }

    QLineSeries* trainLossSeries() const { return m_trainLoss; }
    QLineSeries* valLossSeries() const { return m_valLoss; }
    QLineSeries* trainAccuracySeries() const { return m_trainAcc; }
    QLineSeries* valAccuracySeries() const { return m_valAcc; }
    QChartView* lossView() const { return m_lossView; }
    QChartView* accuracyView() const { return m_accView; }
    // The legends under the charts (full series names, wrapped rather than cut).
    ChartLegend* lossLegend() const { return m_lossLegend; }
    ChartLegend* accuracyLegend() const { return m_accLegend; }
    QValueAxis* lossXAxis() const { return m_lossX; }
    QValueAxis* accuracyXAxis() const { return m_accX; }
    QValueAxis* accuracyYAxis() const { return m_accY; }
    QLogValueAxis* lossYAxis() const { return m_lossY; }

private:
    QChartView* makeView(QChart* chart);
    void connectHover(QLineSeries* series);
    int bucketsFor(QChartView* view) const;

    QWidget* m_lossColumn = nullptr;  // a chart and its legend
    QWidget* m_accColumn = nullptr;
    ChartLegend* m_lossLegend;
    ChartLegend* m_accLegend;
    QChartView* m_lossView;
    QChartView* m_accView;
    QLineSeries* m_trainLoss;
    QLineSeries* m_valLoss;
    QLineSeries* m_trainAcc;
    QLineSeries* m_valAcc;
    QValueAxis* m_lossX;
    QLogValueAxis* m_lossY;
    QValueAxis* m_accX;
    QValueAxis* m_accY;
    QTimer m_timer;
    bool m_dirty = false;
    QList<QLineSeries*> m_overlayLoss, m_overlayAcc;

    std::vector<QPointF> m_trainLossPts, m_valLossPts, m_trainAccPts, m_valAccPts;
    double m_smoothed = 0, m_smoothedAcc = 0;
    double m_maxX = 1, m_axisX = -1, m_minLoss = 0, m_maxLoss = 0;
};

}  // namespace netloom::ui
