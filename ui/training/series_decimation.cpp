#include "ui/training/series_decimation.h"

#include <algorithm>

namespace netloom::ui {

QList<QPointF> decimateMinMax(const std::vector<QPointF>& points, int buckets) {
    const size_t n = points.size();
    buckets = std::max(buckets, 1);
    QList<QPointF> out;
    if (n <= 2 * static_cast<size_t>(buckets)) {
        out.reserve(static_cast<qsizetype>(n));
        for (const QPointF& p : points) out.append(p);
        return out;
    }
    out.reserve(2 * buckets + 2);
    out.append(points.front());
    for (int b = 0; b < buckets; ++b) {
        const size_t begin = n * static_cast<size_t>(b) / static_cast<size_t>(buckets);
        const size_t end = n * static_cast<size_t>(b + 1) / static_cast<size_t>(buckets);
        if (begin >= end) continue;
        size_t lo = begin, hi = begin;
        for (size_t i = begin; i < end; ++i) {
            if (points[i].y() < points[lo].y()) lo = i;
            if (points[i].y() > points[hi].y()) hi = i;
        }
        for (size_t i : {std::min(lo, hi), std::max(lo, hi)})
            if (i != 0 && i != n - 1 && (out.isEmpty() || out.back() != points[i]))
                out.append(points[i]);
    }
    out.append(points.back());
    return out;
}

}  // namespace netloom::ui
