#pragma once
// Spin boxes that report a value they cannot take instead of dropping it in silence, and the
// message that names the field, its range, what was typed and what was kept. Shared by the
// inspector (layer parameters) and the training settings.
#include <QCoreApplication>
#include <QSpinBox>
#include <QString>
#include <QValidator>
#include <functional>

namespace netloom::ui {

// Lets the user type any text, so that a value the box cannot take is reported (onRefused):
// the stock validator swallows keystrokes that would leave the range (999999 becomes 9999) and
// quietly restores the old value when editing ends on an unfinished one (0 where the minimum is
// 1). The box still keeps its old value.
template <typename Base>
class ReportingSpinBox : public Base {
public:
    using Base::Base;
    std::function<void(const QString& text)> onRefused;
    // The current value as the box shows it ("0.001", "automatic"): what a refusal kept.
    QString valueText() const { return this->textFromValue(this->value()); }

protected:
    QValidator::State validate(QString& text, int& pos) const override {
        const QValidator::State state = Base::validate(text, pos);
        return state == QValidator::Invalid ? QValidator::Intermediate : state;
    }
    // Qt calls fixup when editing ends (Enter, focus out, an arrow step) on a value the box
    // does not accept; whatever fixup leaves unacceptable is refused and the old value stays.
    void fixup(QString& text) const override {
        Base::fixup(text);
        QString copy = text;
        int pos = 0;
        if (Base::validate(copy, pos) != QValidator::Acceptable && onRefused) onRefused(text);
    }
};

// "Units must be between 1 and 65536, got 0 — kept 64."
inline QString rangeRefusal(const QString& label, bool integer, double min, double max,
                            const QString& typed, const QString& kept) {
    auto tr = [](const char* s) { return QCoreApplication::translate("RangeRefusal", s); };
    auto num = [integer](double v) {
        return integer ? QString::number(static_cast<qint64>(v)) : QString::number(v, 'g', 6);
    };
    const QString t = typed.trimmed();
    bool ok = false;
    if (integer)
        t.toLongLong(&ok);
    else
        t.toDouble(&ok);
    const QString range = tr("between %1 and %2").arg(num(min), num(max));
    if (!ok)
        return tr("%1 must be a %2 %3, got '%4' — kept %5.")
            .arg(label, integer ? tr("whole number") : tr("number"), range, t, kept);
    return tr("%1 must be %2, got %3 — kept %4.").arg(label, range, t, kept);
}

}  // namespace netloom::ui
