#pragma once
// Sequence generation's live views: lines written by the current weights (refreshed after each
// epoch and every few seconds from the run's weight snapshots, with a temperature slider, a
// prompt box and "Sample again"), the vocabulary the text dataset gives, and the per-character
// perplexity chart (training steps, validation per epoch, and the character-unigram baseline
// the model must beat). Sampling runs on the GUI thread through its own InferenceSession
// (a Predictor): the training thread's primitives are never touched here.
#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

#include "ui/evaluation/predictor.h"
#include "ui/training/run_controller.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSlider;

namespace netloom::ui {

class LiveWeights;
class MetricChart;
class TrainingController;

class TextGenerationView : public QWidget {
    Q_OBJECT
public:
    TextGenerationView(LiveWeights* live, TrainingController* controller,
                       QWidget* parent = nullptr);

    // Samples now from the current weights (when this view's task writes text); false with
    // error() set when it cannot (no weights, no text dataset, a prompt outside the vocabulary).
    bool sampleNow();
    QStringList lines() const { return m_lines; }
    int samplesDrawn() const { return m_draws; }  // successful samplings so far
    QString error() const { return m_error; }
    double temperature() const;
    void setTemperature(double t);
    void setPrompt(const QString& prompt);
    QPushButton* sampleAgainButton() const { return m_again; }
    QSlider* temperatureSlider() const { return m_temperature; }
    QLineEdit* promptBox() const { return m_prompt; }
    QPlainTextEdit* textView() const { return m_text; }
    MetricChart* perplexityChart() const { return m_chart; }
    // The vocabulary shown ("<pad> <s> </s> ' A B …"), empty before a text dataset is read.
    QString vocabularyText() const;

    static constexpr int kLines = 16;
    static constexpr int kRefreshMs = 3000;  // at most one automatic sampling per this while live

private:
    void onWeights();
    bool loadVocabulary(QString& problem);
    void show(const QString& header);

    QPointer<LiveWeights> m_live;
    QPointer<TrainingController> m_controller;
    QLabel* m_header;
    QPlainTextEdit* m_text;
    QSlider* m_temperature;
    QLabel* m_temperatureValue;
    QLineEdit* m_prompt;
    QPushButton* m_again;
    QLabel* m_vocabulary;
    MetricChart* m_chart;
    PredictorSlot m_slot;
    std::string m_vocabularyKey;  // the data settings the vocabulary was read with
    std::vector<std::string> m_vocabularyTokens;
    QStringList m_lines;
    QString m_error;
    int m_draws = 0;
    quint64 m_seed = 1;
    qint64 m_lastAuto = 0;  // ms since epoch of the last automatic sampling
    qint64 m_lastEpoch = -1;
};

}  // namespace netloom::ui
