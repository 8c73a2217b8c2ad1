#include "ui/training/run_panel_skeleton.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "engine/tasks/registry.h"
#include "ui/document/graph_document.h"
#include "ui/training/data_cache.h"
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

QString asSentence(const QString& text) {
    const QString t = text.trimmed();
    if (t.isEmpty() || QStringLiteral(".!?…:").contains(t.back())) return t;
    return t + '.';
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
    connect(controller, &RunController::evaluating, this, [this](const QString& what) {
        m_stepBar->setValue(m_stepBar->maximum());
        m_eta->setText(QStringLiteral("–"));
        const QString text = tr("%1…").arg(what);
        setStatus(text);
        setProgressText(tr("%1: %2").arg(m_words.progressTitle, text));
    });
    connect(controller, &RunController::healthPaused, this, [this](const QString& message) {
        setStatus(tr("Paused: %1").arg(message), true);
        setProgressText(message);
    });
    connect(controller, &RunController::failed, this, [this](const QString& message) {
        const QString text =
            tr("Training failed: %1 The previous weights are kept.").arg(asSentence(message));
        setStatus(text, true);
        setProgressText(text);
    });
    // Before a run the bars count the project's epochs and batches (a run sets its own range);
    // another project forgets the last run's figures.
    m_loader = new DataLoader(this);
    connect(m_loader, &DataLoader::loaded, this,
            [this](std::shared_ptr<const engine::DataSplit> split) {
                if (!m_doc || (m_controller && m_controller->isActive())) return;
                const engine::TrainingConfig& t = m_doc->training();
                if (t.batchSize > 0) showStepsPerEpoch(split->train.count / t.batchSize);
            });
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training)
            showProjectFacts(c.kind == GraphChange::Kind::Reset);
    });
    showProjectFacts(true);
    onState(controller->state());
}

void RunPanelSkeleton::setIdleStatus(const QString& text) {
    m_idleStatus = text;
    setStatus(text);
}

QString RunPanelSkeleton::speedText() const {
    return m_speed->text();
}

QString RunPanelSkeleton::elapsedText() const {
    return m_elapsed->text();
}

QString RunPanelSkeleton::remainingText() const {
    return m_eta->text();
}

void RunPanelSkeleton::showStepsPerEpoch(int64_t steps) {
    m_stepBar->setRange(0, static_cast<int>(std::max<int64_t>(steps, 1)));
    m_stepBar->setValue(0);
    m_stepBar->setFormat(tr("%1 %v / %m").arg(m_words.step));
}

void RunPanelSkeleton::showProjectFacts(bool clearRun) {
    if (!m_doc || (m_controller && m_controller->isActive())) return;
    const engine::TrainingConfig& t = m_doc->training();
    m_epochBar->setRange(0, static_cast<int>(std::max<int64_t>(1, t.epochs)));
    if (clearRun) {
        clearProgress();
        for (QLabel* label : {m_speed, m_elapsed, m_eta}) label->setText(QStringLiteral("–"));
        setStatus(m_idleStatus);
        setProgressText({});
    }
    // Steps per epoch: set by the settings alone (GAN iterations per epoch), else the training
    // set's size over the batch size, from the data as the run will load it (in the background).
    const engine::TaskDef* task = engine::findTask(t.task);
    const std::vector<std::string> groups =
        task ? task->settingGroups() : std::vector<std::string>{};
    auto uses = [&groups](const char* g) {
        return std::find(groups.begin(), groups.end(), g) != groups.end();
    };
    m_stepBar->setValue(0);
    m_stepBar->setFormat(m_words.step);  // until the count is known
    if (uses("gan") && t.gan.iterationsPerEpoch > 0) {
        showStepsPerEpoch(t.gan.iterationsPerEpoch);
        return;
    }
    m_stepsPending = true;
    if (isVisible()) requestSteps();  // else when shown: a hidden panel loads nothing
}

void RunPanelSkeleton::requestSteps() {
    if (!m_stepsPending || !m_doc || (m_controller && m_controller->isActive())) return;
    m_stepsPending = false;
    const engine::TrainingConfig& t = m_doc->training();
    const engine::TaskDef* task = engine::findTask(t.task);
    const std::vector<std::string> groups =
        task ? task->settingGroups() : std::vector<std::string>{};
    const bool validates = std::find(groups.begin(), groups.end(), "validation") != groups.end();
    // The same split as the run loads (RunController): the run then finds it in the cache.
    m_loader->request(t.dataset, validates ? t.validationSplit : 0.0, t.seed);
}

void RunPanelSkeleton::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    requestSteps();
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

void RunPanelSkeleton::onState(RunController::State state) {
    using S = RunController::State;
    m_train->setEnabled(state == S::Idle);
    m_reset->setEnabled(state == S::Idle);
    m_pause->setEnabled(state == S::Running || state == S::Paused);
    m_pause->setText(state == S::Paused ? tr("Resume") : tr("Pause"));
    m_stop->setEnabled(state == S::Running || state == S::Paused);
    if (state == S::Paused) {
        setStatus(tr("Paused. Resume continues the same run."));
        // The status bar must not keep saying "Training… ETA" while nothing runs.
        const engine::RunEvent& at =
            m_controller ? m_controller->lastProgress() : engine::RunEvent{};
        setProgressText(at.epoch > 0 ? tr("%1 paused at epoch %2/%3 · %4 %5/%6")
                                           .arg(m_words.progressTitle)
                                           .arg(at.epoch)
                                           .arg(at.epochs)
                                           .arg(m_words.step.toLower())
                                           .arg(at.stepInEpoch)
                                           .arg(at.stepsPerEpoch)
                                     : tr("%1 paused").arg(m_words.progressTitle));
    }
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
