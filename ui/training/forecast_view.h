#pragma once
// Forecasting projects (a series dataset, e.g. the sines): a fresh series the network never
// trained on, its first window as history, and from there the true continuation beside the
// network's own (each prediction fed back in: engine/infer/forecast.h). Follows the live
// weights: each epoch's while training, the document's otherwise. Runs on the GUI thread through
// its own Predictor.
#include <QPointer>
#include <QWidget>
#include <vector>

#include "ui/evaluation/predictor.h"

class QChartView;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace netloom::ui {

class LiveWeights;

class ForecastView : public QWidget {
    Q_OBJECT
public:
    explicit ForecastView(LiveWeights* live, QWidget* parent = nullptr);

    // Recomputes now; false (with the reason in the header) when there is nothing to show.
    bool refresh();
    const std::vector<float>& truth() const { return m_truth; }
    const std::vector<float>& predicted() const { return m_predicted; }
    // Mean squared difference of predicted and true continuation (NaN when none).
    double forecastError() const;
    QString headerText() const;

    static constexpr int kWindows = 3;                 // continuation length in windows
    static constexpr uint64_t kSeriesSeed = 20261206;  // a series outside every training set

private:
    QPointer<LiveWeights> m_live;
    QLabel* m_header;
    QChartView* m_view;
    QLineSeries *m_history, *m_true, *m_pred;
    QValueAxis *m_x, *m_y;
    PredictorSlot m_slot;
    std::vector<float> m_truth, m_predicted;
};

}  // namespace netloom::ui
