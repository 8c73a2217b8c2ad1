#pragma once
// A chart's legend as a word-wrapped line under it: coloured marks and the series' full names.
// Qt Charts' own legend elides names that do not fit ("training (smoot…"); a wrapped label
// takes another line instead, and follows renamed series.
#include <QLabel>

class QChart;
class QValueAxis;
class QAbstractAxis;

namespace netloom::ui {

class ChartLegend : public QLabel {
    Q_OBJECT
public:
    // Hides the chart's own legend and lists its series (those present when this is built).
    explicit ChartLegend(QChart* chart, QWidget* parent = nullptr);
    void refreshItems();  // after series were added, removed or renamed

private:
    QChart* m_chart;
};

// An axis counting whole steps or epochs from 0 to at least `max`: ticks on whole numbers only
// (a "%.0f" axis from 0 to 2.5 with five ticks reads "0 1 1 2 2"). With max ≤ 0 (nothing yet)
// the axis shows 0 to 1 without labels rather than "0 0 1 1 1". The range ends a little past
// the last tick so a point on it is not cut by the plot edge.
void setWholeNumberRange(QValueAxis* axis, double max);

// Shows or blanks an axis's figures. Blank figures are painted transparent rather than hidden:
// a hidden-label axis shrinks, and Qt Charts then elides its title to "…" on an empty chart.
void setAxisFiguresShown(QAbstractAxis* axis, bool shown);
bool axisFiguresShown(const QAbstractAxis* axis);

}  // namespace netloom::ui
