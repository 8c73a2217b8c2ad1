#pragma once
// For regression projects: predicted against true target values of the first test samples
// (every output of a sample when the target has several), with the diagonal y = x where a
// perfect model would put every point. Refreshed after every epoch.
#include <QList>
#include <QPointF>
#include <QWidget>

class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace netloom::ui {

class EvalContext;
class LiveWeights;

class RegressionScatter : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSamples = 500;

    explicit RegressionScatter(LiveWeights* live, QWidget* parent = nullptr);

    // (true, predicted) pairs as drawn; empty without a model or data.
    QList<QPointF> points() const;
    QString message() const { return m_message; }
    EvalContext* context() const { return m_ctx; }

private:
    void refresh();

    EvalContext* m_ctx;
    QChartView* m_view;
    QScatterSeries* m_points;
    QLineSeries* m_diagonal;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QString m_message;
};

}  // namespace netloom::ui
