#include "ui/training/run_panel_skeleton.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/document/graph_document.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
    const qint64 s = static_cast<qint64>(std::llround(seconds));
    if (s >= 3600)
        return QString("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QChar('0'))
            .arg(s % 60, 2, 10, QChar('0'));
    return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

RunPanelSkeleton::RunPanelSkeleton(RunController* controller, GraphDocument* doc, Words words,
                                   QWidget* parent)
    : QWidget(parent), m_controller(controller), m_doc(doc), m_words(std::move(words)) {
    setObjectName("runPanelSkeleton");
    m_train = new QPushButton(actionIcon("train"), tr("Train"), this);
    m_pause = new QPushButton(tr("Pause"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_reset = new QPushButton(tr("Reset weights"), this);
    m_stop->setToolTip(tr("Stop and keep the weights reached so far"));
    // The epoch bar is the first progress bar of the panel (tests and tools look it up so).
    m_epochBar = new QProgressBar(this);
    m_stepBar = new QProgressBar(this);
    m_epochBar->setFormat(tr("Epoch %v / %m"));
    m_stepBar->setFormat(m_words.step);  // the count per epoch is known once a run starts
    m_speed = new QLabel(this);
    m_elapsed = new QLabel(this);
    m_eta = new QLabel(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    m_grid = new QGridLayout;
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->addWidget(m_train, 0, 0);
    m_grid->addWidget(m_pause, 0, 1);
    m_grid->addWidget(m_stop, 1, 0);
    m_grid->addWidget(m_reset, 1, 1);
    m_grid->addWidget(m_epochBar, 2, 0, 1, 2);
    m_grid->addWidget(m_stepBar, 3, 0, 1, 2);
    addRow(tr("Speed:"), m_speed);
    addRow(tr("Elapsed:"), m_elapsed);
    addRow(tr("Remaining:"), m_eta);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_grid);
    layout->addWidget(m_status);
    layout->addStretch(1);
    setFixedWidth(240);

    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (!m_controller) return;
        if (m_controller->state() == RunController::State::Paused)
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_controller) m_controller->stop();
    });
    connect(m_reset, &QPushButton::clicked, this, [this] {
        if (m_controller && m_controller->resetWeights())
            setStatus(tr("Weights reset: the next run starts from fresh initial weights."));
    });
    connect(controller, &RunController::stateChanged, this, &RunPanelSkeleton::onState);
    connect(controller, &RunController::runStarted, this, [this](qint64 epochs, qint64 perEpoch) {
        m_epochBar->setRange(0, static_cast<int>(epochs));
        m_stepBar->setRange(0, static_cast<int>(perEpoch));
        m_stepBar->setFormat(tr("%1 %v / %m").arg(m_words.step));
        const QString& note = m_controller->startNote();
        setStatus(note.isEmpty() ? tr("Training…") : tr("Training… %1").arg(note));
    });
    connect(controller, &RunController::stepsArrived, this,
            [this](const QVector<RunPoint>&, const engine::RunEvent& latest) { onSteps(latest); });
    connect(controller, &RunController::finished, this, [this](const engine::RunRecord& r) {
        QString text = r.status == "stopped" ? m_words.stoppedText : tr("Finished in %1.");
        text = text.arg(formatDuration(r.seconds));
        if (r.status == "finished" && m_finishedNote) text += m_finishedNote(r);
        setStatus(text);
        setProgressText(text);
    });
    connect(controller, &RunController::healthPaused, this, [this](const QString& message) {
        setStatus(tr("Paused: %1").arg(message), true);
        setProgressText(message);
    });
    connect(controller, &RunController::failed, this, [this](const QString& message) {
        const QString text = tr("Training failed: %1 The previous weights are kept.").arg(message);
        setStatus(text, true);
        setProgressText(text);
    });
    // Before a run the epoch bar counts the project's epochs (a run sets its own range).
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training)
            showProjectEpochs();
    });
    showProjectEpochs();
    onState(controller->state());
}

void RunPanelSkeleton::addRow(const QString& label, QWidget* widget) {
    const int row = m_grid->rowCount();
    if (label.isEmpty()) {
        m_grid->addWidget(widget, row, 0, 1, 2);
        return;
    }
    m_grid->addWidget(new QLabel(label, this), row, 0);
    m_grid->addWidget(widget, row, 1);
}

void RunPanelSkeleton::addRow(QWidget* left, QWidget* right) {
    const int row = m_grid->rowCount();
    m_grid->addWidget(left, row, 0);
    m_grid->addWidget(right, row, 1);
}

void RunPanelSkeleton::clearProgress() {
    m_epochBar->setValue(0);
    m_stepBar->setValue(0);
}

void RunPanelSkeleton::prepareRun() {
    clearProgress();
    setStatus(tr("Loading data…"));
}

QString RunPanelSkeleton::statusText() const {
    return m_status->text();
}

void RunPanelSkeleton::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QString("color:%1").arg(errorColor().name()) : QString());
}

void RunPanelSkeleton::setProgressText(const QString& text) {
    m_progressText = text;
    emit progressTextChanged(text);
}

void RunPanelSkeleton::showProjectEpochs() {
    if (m_doc && !(m_controller && m_controller->isActive()))
        m_epochBar->setRange(0, static_cast<int>(std::max<int64_t>(1, m_doc->training().epochs)));
}

void RunPanelSkeleton::onState(RunController::State state) {
    using S = RunController::State;
    m_train->setEnabled(state == S::Idle);
    m_reset->setEnabled(state == S::Idle);
    m_pause->setEnabled(state == S::Running || state == S::Paused);
    m_pause->setText(state == S::Paused ? tr("Resume") : tr("Pause"));
    m_stop->setEnabled(state == S::Running || state == S::Paused);
    if (state == S::Paused) setStatus(tr("Paused. Resume continues the same run."));
    if (state == S::Running && m_controller && m_controller->lastProgress().step > 0)
        setStatus(tr("Training…"));
    if (state == S::Stopping) setStatus(tr("Stopping after this %1…").arg(m_words.step.toLower()));
}

void RunPanelSkeleton::onSteps(const engine::RunEvent& ev) {
    const int64_t perEpoch = std::max<int64_t>(ev.stepsPerEpoch, 1);
    m_epochBar->setRange(0, static_cast<int>(ev.epochs));
    m_epochBar->setValue(static_cast<int>(ev.epoch));
    m_stepBar->setRange(0, static_cast<int>(perEpoch));
    m_stepBar->setValue(static_cast<int>(ev.stepInEpoch));
    const double done = static_cast<double>((ev.epoch - 1) * perEpoch + ev.stepInEpoch);
    const double total = static_cast<double>(ev.epochs * perEpoch);
    const double eta = done > 0 ? ev.elapsedSeconds / done * (total - done) : NAN;
    const double speed = m_words.speedPerStep ? ev.stepsPerSecond : ev.samplesPerSecond;
    m_speed->setText(
        QString("%1 %2").arg(QLocale().toString(std::round(speed), 'f', 0), m_words.speedUnit));
    m_elapsed->setText(formatDuration(ev.elapsedSeconds));
    m_eta->setText(formatDuration(eta));
    const QString tail =
        m_progressTail ? m_progressTail(ev, m_eta->text()) : tr("ETA %1").arg(m_eta->text());
    setProgressText(tr("%1: epoch %2/%3 · %4 %5/%6 · %7 · %8")
                        .arg(m_words.progressTitle)
                        .arg(ev.epoch)
                        .arg(ev.epochs)
                        .arg(m_words.step.toLower())
                        .arg(ev.stepInEpoch)
                        .arg(perEpoch)
                        .arg(m_speed->text())
                        .arg(tail));
}

}  // namespace netloom::ui
