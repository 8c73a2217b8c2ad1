#pragma once
// Sizes of a node card, shared by the items that draw it and the layout that places it.
#include <QPointF>
#include <QRectF>
#include <algorithm>

namespace netloom::ui::geom {

inline constexpr double kCardWidth = 176;
inline constexpr double kHeaderHeight = 24;
inline constexpr double kBodyMinHeight = 58;
inline constexpr double kPortSpacing = 20;
inline constexpr double kPortRadius = 6;
inline constexpr double kPortHitRadius = 12;
inline constexpr double kColumnGap = 84;  // room for the shape label on the edge
inline constexpr double kRowGap = 40;

inline double cardHeight(int inputPorts) {
    return kHeaderHeight + std::max(kBodyMinHeight, inputPorts * kPortSpacing + 8);
}
inline QRectF cardRect(int inputPorts) {
    return {0, 0, kCardWidth, cardHeight(inputPorts)};
}

// Port centres in card coordinates.
inline QPointF inputPortPos(int index, int count, int rows) {
    const double body = cardHeight(rows) - kHeaderHeight;
    const double first = kHeaderHeight + body / 2 - (count - 1) * kPortSpacing / 2;
    return {0, first + index * kPortSpacing};
}
inline QPointF inputPortPos(int index, int count) { return inputPortPos(index, count, count); }
// Output ports sit on the right edge, centred like the inputs; `rows` is the larger of the two
// port counts (what cardHeight was given).
inline QPointF outputPortPos(int index, int count, int rows) {
    const double body = cardHeight(rows) - kHeaderHeight;
    const double first = kHeaderHeight + body / 2 - (count - 1) * kPortSpacing / 2;
    return {kCardWidth, first + index * kPortSpacing};
}
inline QPointF outputPortPos(int inputPorts) { return outputPortPos(0, 1, inputPorts); }

}  // namespace netloom::ui::geom
