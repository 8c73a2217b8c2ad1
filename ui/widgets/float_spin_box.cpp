#include "ui/widgets/float_spin_box.h"

#include <QLineEdit>
#include <cmath>

namespace netloom::ui {

FloatSpinBox::FloatSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setDecimals(12);  // QDoubleSpinBox rounds values to this many decimals
    setKeyboardTracking(false);
}

QString FloatSpinBox::textFromValue(double value) const {
    return QString::number(value, 'g', 6);
}

double FloatSpinBox::valueFromText(const QString& text) const {
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    return ok ? v : value();
}

QValidator::State FloatSpinBox::validate(QString& text, int&) const {
    const QString t = text.trimmed();
    if (t.isEmpty() || t == "-" || t == "+" || t.endsWith('e', Qt::CaseInsensitive) ||
        t.endsWith("e-", Qt::CaseInsensitive) || t.endsWith("e+", Qt::CaseInsensitive) ||
        t.endsWith('.'))
        return QValidator::Intermediate;
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok) return QValidator::Invalid;
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void FloatSpinBox::stepBy(int steps) {
    if (!m_log || value() <= 0) {
        QDoubleSpinBox::stepBy(steps);
        return;
    }
    // Walk 1, 2, 5, 10, 20, 50, ... from the nearest value of that sequence.
    static const double mantissas[] = {1, 2, 5};
    double exponent = std::floor(std::log10(value()));
    int index = 0;
    const double m = value() / std::pow(10, exponent);
    if (m >= 4.5)
        index = 2;
    else if (m >= 1.5)
        index = 1;
    index += steps;
    exponent += std::floor(index / 3.0);
    index = ((index % 3) + 3) % 3;
    setValue(std::clamp(mantissas[index] * std::pow(10, exponent), minimum(), maximum()));
    selectAll();
}

}  // namespace netloom::ui
