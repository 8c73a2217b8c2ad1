#pragma once
// Thins a long curve for drawing: at most ~2 points per pixel column keep its look (every
// spike survives) while QXYSeries::replace() stays cheap for runs of 100k+ batches.
#include <QList>
#include <QPointF>
#include <vector>

namespace netloom::ui {

// Points sorted by x. Up to 2 × buckets points come back unchanged; longer input is cut into
// `buckets` equal runs, each giving its minimum and maximum (in x order). The first and last
// points are always kept.
QList<QPointF> decimateMinMax(const std::vector<QPointF>& points, int buckets);

}  // namespace netloom::ui
