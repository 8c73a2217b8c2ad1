#pragma once
// Class probabilities as a horizontal bar chart: one labelled bar per class with its percentage;
// the most likely class is highlighted, and a known true class is marked.
#include <QStringList>
#include <QWidget>
#include <vector>

namespace netloom::ui {

class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);

    // Labels name the classes (numbers when empty or of the wrong length); trueClass < 0 when
    // unknown (a drawing).
    void setProbabilities(std::vector<float> probabilities, const QStringList& labels = {},
                          int trueClass = -1);
    void clear(const QString& message = {});

    const std::vector<float>& probabilities() const { return m_probs; }
    int topClass() const;  // -1 when empty
    QString label(int c) const { return c >= 0 && c < m_labels.size() ? m_labels[c] : QString(); }

    QSize sizeHint() const override { return {260, 220}; }
    QSize minimumSizeHint() const override { return {160, 150}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> m_probs;
    QStringList m_labels;
    int m_true = -1;
    QString m_message;
};

}  // namespace netloom::ui
