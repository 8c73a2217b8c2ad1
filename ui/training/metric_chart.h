#pragma once
// A live chart of a run's figures by name (RunPoint::metrics), x = the run's global step: one
// curve per named metric, on a left axis that grows with its values or on a right axis fixed to
// 0…1 (shares such as accuracies). The full history is kept and drawn decimated (min/max per
// pixel column) by replace() from an 8 Hz timer while live; the axes only grow during a run
// (no jumping) and start over after clear(). Steps without a curve's metric add no point to it.
#include <QColor>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <string>
#include <vector>

#include "ui/training/run_controller.h"

class QChartView;
class QLineSeries;
class QValueAxis;

namespace netloom::ui {

class ChartLegend;

class MetricChart : public QWidget {
    Q_OBJECT
public:
    enum class Axis { Left, RightShare };
    struct Curve {
        std::string metric;  // the RunEvent metric's name, e.g. "d_loss"
        QString label;
        QColor colour;
        Axis axis = Axis::Left;
    };
    struct Titles {
        QString chart, x, left, right;
    };

    MetricChart(const Titles& titles, std::vector<Curve> curves, QWidget* parent = nullptr);

    void addPoints(const QVector<RunPoint>& points);
    void clear();
    // Redraws from the timer while live (a run is active); refresh() redraws now.
    void setLive(bool live);
    void refresh();

    // The curve of this metric, or null.
    QLineSeries* series(const std::string& metric) const;
    QChartView* view() const { return m_view; }
    ChartLegend* legend() const { return m_legend; }
    QValueAxis* xAxis() const { return m_x; }
    QValueAxis* leftAxis() const { return m_left; }

private:
    struct Line {
        Curve curve;
        QLineSeries* series = nullptr;
        std::vector<QPointF> points;
    };
    std::vector<Line> m_lines;
    QChartView* m_view;
    ChartLegend* m_legend;
    QValueAxis *m_x, *m_left, *m_right;
    double m_maxLeft = 1;  // largest finite value on the left axis so far
    double m_maxX = 0;
    bool m_dirty = false;
    QTimer m_timer;
};

}  // namespace netloom::ui
