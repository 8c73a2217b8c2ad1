#pragma once
// The evaluation panel of the training dock: the figures `netloom eval` prints, for the
// document's trained weights, computed by the same engine functions (train/project_eval.h) on a
// worker thread with its own Models (no oneDNN object crosses threads). Autoencoders: test-set
// MSE and BCE. GANs: the classifier score of 1,000 generated samples beside 1,000 real test
// images and the classes covered, judged by a trained classifier project the user chooses.
#include <QPointer>
#include <QWidget>
#include <atomic>
#include <optional>
#include <thread>

#include "engine/evaluation/project_eval.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace netloom::ui {

class GraphDocument;

class EvalPanel : public QWidget {
    Q_OBJECT
public:
    explicit EvalPanel(GraphDocument* doc, QWidget* parent = nullptr);
    ~EvalPanel() override;  // stops training a classifier, waits for an evaluation under way

    // Starts an evaluation of the document's weights; false (and the reason in resultText())
    // when there is nothing to evaluate or one is already running. A GAN with no classifier
    // chosen trains the default one first (once; cached where `netloom eval` keeps it).
    bool evaluate();
    bool isRunning() const { return m_worker.joinable(); }

    // The project the default classifier is trained from; by default the fashion-cnn sample
    // (tests give a smaller one; an empty path means none).
    void setScorerSample(const QString& path) { m_scorerSample = path; }

    QPushButton* evaluateButton() const { return m_run; }
    QLineEdit* classifierEdit() const { return m_classifier; }
    QString resultText() const;
    // The latest results (reset when an evaluation starts).
    const std::optional<engine::ReconstructionScores>& reconstructionScores() const {
        return m_reconstruction;
    }
    const std::optional<engine::GanScores>& ganScores() const { return m_gan; }

signals:
    // An evaluation ended; ok false when it failed (resultText() says why).
    void finished(bool ok);

private:
    void showTask();
    void chooseClassifier();
    void setResult(const QString& text, bool error = false);
    void done();
    // On the worker: trains the default scoring classifier (default_scorer.h), showing its
    // epochs; stops when the panel closes.
    void trainScorer(const std::string& sample, const std::string& path);

    QPointer<GraphDocument> m_doc;
    QPushButton* m_run;
    QLabel* m_intro;
    QWidget* m_classifierRow;
    QLineEdit* m_classifier;
    QLabel* m_result;
    std::optional<QString> m_scorerSample;

    std::thread m_worker;
    std::atomic<bool> m_closing{false};  // the panel is going away: stop training the scorer
    std::optional<engine::ReconstructionScores> m_reconstruction;
    std::optional<engine::GanScores> m_gan;
    // Written by the worker before it posts done(), read by done() after joining it.
    std::optional<engine::ReconstructionScores> m_workerReconstruction;
    std::optional<engine::GanScores> m_workerGan;
    std::string m_workerError;
};

}  // namespace netloom::ui
