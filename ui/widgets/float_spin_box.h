#pragma once
// A spin box for real numbers that shows them compactly ("0.001", "1e-08") and accepts typed
// scientific notation. In log mode the arrows walk the 1-2-5 sequence (learning rates).
#include <QDoubleSpinBox>

namespace netloom::ui {

class FloatSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit FloatSpinBox(QWidget* parent = nullptr);
    void setLogSteps(bool on) { m_log = on; }
    void stepBy(int steps) override;

protected:
    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;

private:
    bool m_log = false;
};

}  // namespace netloom::ui
