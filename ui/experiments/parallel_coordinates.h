#pragma once
// A parallel-coordinates plot of a search's trials: one vertical axis per searched value (log
// ranges on a log scale, choices evenly spaced) and one for the metric; each finished or pruned
// trial is a line across them, coloured from poor (light) to good (dark), the best in accent
// colour, pruned ones dashed.
#include <QString>
#include <QWidget>
#include <vector>

#include "engine/search/trial_store.h"

namespace netloom::ui {

class ParallelCoordinates : public QWidget {
    Q_OBJECT
public:
    explicit ParallelCoordinates(QWidget* parent = nullptr);
    void setRecord(const engine::SearchRecord& record);
    // Where a trial's line crosses axis `axis` (0..dims), as a fraction 0 (bottom) .. 1 (top);
    // NaN when it has no value there. For tests.
    double position(const engine::Trial& trial, size_t axis) const;
    // The value labels drawn on axis `axis` (0..dims): where (0 bottom .. 1 top) and what. A
    // numeric range and the metric have their two ends (the metric spans the values seen; one
    // value alone sits in the middle; none before any trial finished), choices each their own.
    struct AxisLabel {
        double at;
        QString text;
    };
    std::vector<AxisLabel> axisLabels(size_t axis) const;
    QSize sizeHint() const override { return {480, 220}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    engine::SearchRecord m_record;
};

}  // namespace netloom::ui
