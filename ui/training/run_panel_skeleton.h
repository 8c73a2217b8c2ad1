#pragma once
// What every training panel shares, whatever the task: Train / Pause-Resume / Stop / Reset
// weights, the epoch bar and the step bar ("Batch 310 / 937", "Iteration 7 / 100"), speed,
// elapsed and remaining time, the status line and the one-line progress text for the status
// bar, all kept up to date from a RunController's signals. A panel (TrainingPanel, GanPanel)
// puts its own rows under these (addRow) and its own views beside the skeleton.
#include <QPointer>
#include <QString>
#include <QWidget>
#include <functional>

#include "ui/training/run_controller.h"

class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace netloom::ui {

class DataLoader;
class GraphDocument;

class RunPanelSkeleton : public QWidget {
    Q_OBJECT
public:
    // The words that differ between tasks.
    struct Words {
        QString step;       // what one step is called: "Batch", "Iteration"
        QString speedUnit;  // "samples/s" (samplesPerSecond) or "it/s" (stepsPerSecond)
        bool speedPerStep = false;
        QString progressTitle;  // "Training", "GAN training"
        QString stoppedText;    // status after Stop, %1 = the run's duration
    };

    RunPanelSkeleton(RunController* controller, GraphDocument* doc, Words words,
                     QWidget* parent = nullptr);

    QPushButton* trainButton() const { return m_train; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* resetButton() const { return m_reset; }
    QProgressBar* epochBar() const { return m_epochBar; }
    QProgressBar* stepBar() const { return m_stepBar; }

    // A row under the timing rows: a label and a widget, or (empty label) a widget across both
    // columns; the status line stays last.
    void addRow(const QString& label, QWidget* widget);
    void addRow(QWidget* left, QWidget* right);

    // Bars back to zero; prepareRun() also says "Loading data…" (before a panel starts a run).
    void clearProgress();
    void prepareRun();
    void setStatus(const QString& text, bool error = false);
    // The status shown before a run and after another project opens ("Press Train to start").
    void setIdleStatus(const QString& text);
    QString statusText() const;
    QString speedText() const;
    QString elapsedText() const;
    QString remainingText() const;
    QString progressText() const { return m_progressText; }
    void setProgressText(const QString& text);  // and emits progressTextChanged
    // The end of the progress line (after the speed) from the newest step; default "ETA 0:42".
    void setProgressTail(std::function<QString(const engine::RunEvent&, const QString& eta)> f) {
        m_progressTail = std::move(f);
    }
    // Appended to the status line of a finished (not stopped) run, e.g. the test accuracy.
    void setFinishedNote(std::function<QString(const engine::RunRecord&)> f) {
        m_finishedNote = std::move(f);
    }

signals:
    // One line for the status bar: "Training: epoch 2/5 · batch 310/937 · 8,500 samples/s · …".
    void progressTextChanged(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;  // loads the data a pending step count needs

private:
    void onState(RunController::State state);
    void onSteps(const engine::RunEvent& latest);
    // Opened project (or changed settings) while idle: every figure of the last run goes, the
    // bars count this project's epochs and steps per epoch (once its data is known).
    void showProjectFacts(bool clearRun);
    void showStepsPerEpoch(int64_t steps);

    QPointer<RunController> m_controller;
    QPointer<GraphDocument> m_doc;
    Words m_words;
    QPushButton *m_train, *m_pause, *m_stop, *m_reset;
    QProgressBar* m_epochBar;
    QProgressBar* m_stepBar;
    QLabel *m_speed, *m_elapsed, *m_eta, *m_status;
    QGridLayout* m_grid;
    QString m_progressText;
    QString m_idleStatus;
    DataLoader* m_loader;
    bool m_stepsPending = false;  // the step count waits for the data (loaded once shown)
    void requestSteps();
    std::function<QString(const engine::RunEvent&, const QString&)> m_progressTail;
    std::function<QString(const engine::RunRecord&)> m_finishedNote;
};

// "1:05:03" / "4:07"
QString formatDuration(double seconds);
// The text with a full stop unless it ends a sentence already, for messages (often an engine
// error without one) that another sentence follows.
QString asSentence(const QString& text);

}  // namespace netloom::ui
