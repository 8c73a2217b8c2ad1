#pragma once
// A small chart of the learning-rate schedule over the whole run (epochs × steps per epoch),
// in the settings' schedule box. It draws engine::scheduleCurve(), the function the run's hook
// applies, and redraws whenever a training setting changes; a schedule the run would refuse
// shows the refusal instead of a curve.
#include <QWidget>
#include <cstdint>

#include "engine/project/training_config.h"
#include "ui/document/graph_document.h"

class QChartView;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace netloom::ui {

class LrSchedulePreview : public QWidget {
    Q_OBJECT
public:
    explicit LrSchedulePreview(GraphDocument* doc, QWidget* parent = nullptr);

    // Batches per epoch the preview assumes: from the data settings (Fashion-MNIST's 60,000,
    // a synthetic set's size, a training limit) minus the validation split, over the batch
    // size; 0 when the data must be read to know (CSV or MNIST-format files without a limit).
    static int64_t estimatedStepsPerEpoch(const engine::TrainingConfig& c);

    QLineSeries* series() const { return m_series; }
    QString caption() const;
    void refresh();

private:
    GraphDocument* m_doc;
    QChartView* m_view;
    QLineSeries* m_series;
    QValueAxis *m_x, *m_y;
    QLabel* m_caption;
};

}  // namespace netloom::ui
