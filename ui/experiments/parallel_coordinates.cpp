#include "ui/experiments/parallel_coordinates.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace netloom::ui {

using namespace netloom::engine;

namespace {

double number(const ParamValue& v) {
    if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (const double* x = std::get_if<double>(&v)) return *x;
    return std::nan("");
}

// The lowest and highest metric of the trials that did not fail; (inf, -inf) when none has one.
std::pair<double, double> metricRange(const std::vector<Trial>& trials) {
    double lo = INFINITY, hi = -INFINITY;
    for (const Trial& o : trials)
        if (o.state != TrialState::Failed && std::isfinite(o.value()))
            lo = std::min(lo, o.value()), hi = std::max(hi, o.value());
    return {lo, hi};
}

}  // namespace

ParallelCoordinates::ParallelCoordinates(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(160);
}

void ParallelCoordinates::setRecord(const SearchRecord& record) {
    m_record = record;
    update();
}

double ParallelCoordinates::position(const Trial& t, size_t axis) const {
    const auto& dims = m_record.space.dimensions;
    if (axis < dims.size()) {
        const SearchDimension& d = dims[axis];
        if (axis >= t.values.size()) return std::nan("");
        if (d.kind == SearchDimension::Kind::Categorical) {
            auto it = std::find(d.choices.begin(), d.choices.end(), t.values[axis]);
            if (it == d.choices.end()) return std::nan("");
            const double n = static_cast<double>(d.choices.size());
            return n < 2 ? 0.5 : static_cast<double>(it - d.choices.begin()) / (n - 1);
        }
        const double x = number(t.values[axis]);
        if (d.log) return (std::log(x) - std::log(d.low)) / (std::log(d.high) - std::log(d.low));
        return (x - d.low) / (d.high - d.low);
    }
    // The metric axis spans the values seen.
    const auto [lo, hi] = metricRange(m_record.trials);
    if (!std::isfinite(t.value()) || !(hi > lo)) return std::isfinite(t.value()) ? 0.5 : NAN;
    const double f = (t.value() - lo) / (hi - lo);
    return m_record.space.maximize ? f : 1 - f;
}

std::vector<ParallelCoordinates::AxisLabel> ParallelCoordinates::axisLabels(size_t axis) const {
    const auto& dims = m_record.space.dimensions;
    auto num = [](double x) { return QString::number(x, 'g', 3); };
    if (axis < dims.size()) {
        const SearchDimension& d = dims[axis];
        if (d.kind == SearchDimension::Kind::Int)  // whole: 1024, not 1.02e+03
            return {{1.0, QString::number(std::llround(d.high))},
                    {0.0, QString::number(std::llround(d.low))}};
        if (d.kind != SearchDimension::Kind::Categorical)
            return {{1.0, num(d.high)}, {0.0, num(d.low)}};
        std::vector<AxisLabel> out;
        const double n = static_cast<double>(d.choices.size());
        for (size_t c = 0; c < d.choices.size(); ++c)
            out.push_back({n < 2 ? 0.5 : static_cast<double>(c) / (n - 1),
                           QString::fromStdString(paramValueToString(d.choices[c]))});
        return out;
    }
    if (axis > dims.size()) return {};
    // The metric: its range as position() maps it; the better end is on top (a minimised loss
    // has its lowest value there).
    const auto [lo, hi] = metricRange(m_record.trials);
    if (!std::isfinite(lo)) return {};
    if (!(hi > lo)) return {{0.5, num(lo)}};
    const bool up = m_record.space.maximize;
    return {{1.0, num(up ? hi : lo)}, {0.0, num(up ? lo : hi)}};
}

void ParallelCoordinates::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const auto& dims = m_record.space.dimensions;
    if (dims.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Open a search space to see its trials here"));
        return;
    }
    const size_t axes = dims.size() + 1;
    const QRectF area = QRectF(rect()).adjusted(50, 24, -50, -44);
    auto axisX = [&](size_t i) {
        return area.left() + area.width() * static_cast<double>(i) / static_cast<double>(axes - 1);
    };
    const QColor text = palette().color(QPalette::WindowText);
    const QColor accent = palette().color(QPalette::Highlight);
    const Trial* best = bestTrial(m_record.trials, m_record.space.maximize);
    for (const Trial& t : m_record.trials) {
        if (t.state == TrialState::Failed) continue;
        QPainterPath path;
        bool started = false;
        for (size_t a = 0; a < axes; ++a) {
            const double f = position(t, a);
            if (!std::isfinite(f)) continue;
            const QPointF pt(axisX(a), area.bottom() - area.height() * std::clamp(f, 0.0, 1.0));
            started ? path.lineTo(pt) : path.moveTo(pt);
            started = true;
        }
        const double good = std::isfinite(position(t, axes - 1)) ? position(t, axes - 1) : 0.0;
        QColor c = &t == best ? accent : text;
        if (&t != best) c.setAlphaF(0.15 + 0.6 * good);
        QPen pen(c, &t == best ? 2.5 : 1.2);
        if (t.state == TrialState::Pruned) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawPath(path);
    }
    p.setPen(text);
    for (size_t a = 0; a < axes; ++a) {
        const double x = axisX(a);
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        const QString name = a < dims.size() ? QString::fromStdString(dims[a].name())
                                             : QString::fromStdString(m_record.space.metric);
        p.drawText(QRectF(x - 80, area.bottom() + 22, 160, 20), Qt::AlignCenter, name);
        const bool beside = a < dims.size() && dims[a].kind == SearchDimension::Kind::Categorical;
        for (const AxisLabel& label : axisLabels(a)) {
            const double y = area.bottom() - area.height() * label.at;
            if (beside)  // each choice beside the axis
                p.drawText(QRectF(x + 4, y - 8, 80, 16), Qt::AlignLeft | Qt::AlignVCenter,
                           label.text);
            else if (label.at > 0 && label.at < 1)  // one metric value: left, the plot's inside
                p.drawText(QRectF(x - 84, y - 8, 80, 16), Qt::AlignRight | Qt::AlignVCenter,
                           label.text);
            else  // a range's ends above and below it
                p.drawText(
                    QRectF(x - 50, label.at > 0 ? area.top() - 20 : area.bottom() + 4, 100, 16),
                    Qt::AlignCenter, label.text);
        }
    }
}

}  // namespace netloom::ui
