#include "ui/evaluation/eval_context.h"

#include <QEvent>
#include <QWidget>

#include "engine/tasks/registry.h"
#include "ui/evaluation/confusion_matrix_widget.h"
#include "ui/training/data_cache.h"
#include "ui/document/graph_document.h"
#include "ui/training/live_weights.h"

namespace netloom::ui {

EvalContext::EvalContext(LiveWeights* live, QWidget* view, std::function<void()> refresh)
    : QObject(view), m_live(live), m_view(view), m_refresh(std::move(refresh)) {
    m_loader = new DataLoader(this);
    m_timer.setSingleShot(true);
    m_timer.setInterval(150);
    connect(&m_timer, &QTimer::timeout, this, &EvalContext::refreshNow);
    connect(live, &LiveWeights::changed, this, &EvalContext::schedule);
    connect(m_loader, &DataLoader::loaded, this,
            [this](std::shared_ptr<const engine::DataSplit> split) {
                m_data = std::move(split);
                m_dataError.clear();
                if (!m_refreshing) refreshNow();  // else the refresh under way sees it
            });
    connect(m_loader, &DataLoader::failed, this, [this](const QString& message) {
        m_data.reset();
        m_dataError = tr("The data cannot be loaded: %1").arg(message);
        if (!m_refreshing) refreshNow();
    });
    view->installEventFilter(this);
}

const engine::TrainingConfig& EvalContext::training() const {
    return m_live->document()->training();
}

QStringList EvalContext::classLabels(int numClasses) const {
    return ui::classLabels(training().dataset.kind, numClasses);
}

qint64 EvalContext::epoch() const {
    return m_live ? m_live->epoch() : 0;
}

engine::TaskViews taskViews(const engine::TrainingConfig& config) {
    const engine::TaskDef* task = engine::findTask(config.task);
    return task ? task->views() : engine::TaskViews{};
}

Predictor* EvalContext::predictor() {
    if (!m_live || !m_live->document()) return nullptr;
    const engine::TaskDef* task = engine::findTask(training().task);
    Predictor* p = m_slot.update(m_live->document()->graph(), m_live->weights(),
                                 task ? task->target() : engine::TargetKind::None);
    m_predictorError = p ? QString() : QString::fromStdString(m_slot.error());
    return p;
}

QString EvalContext::message() const {
    if (!m_predictorError.isEmpty()) return m_predictorError;
    if (!m_data) return m_dataError.isEmpty() ? tr("Loading the test data…") : m_dataError;
    return {};
}

void EvalContext::schedule() {
    m_dirty = true;
    if (m_view->isVisible() && !m_timer.isActive()) m_timer.start();
}

void EvalContext::requestData() {
    const engine::TrainingConfig& t = training();
    if (m_dataSplit == t.validationSplit && m_dataSeed == t.seed && m_dataConfig == t.dataset)
        return;
    m_dataConfig = t.dataset;
    m_dataSplit = t.validationSplit;
    m_dataSeed = t.seed;
    m_data.reset();
    m_dataError.clear();
    m_loader->request(t.dataset, t.validationSplit, t.seed);  // may answer at once
}

void EvalContext::refreshNow() {
    m_timer.stop();
    if (!m_live || !m_live->document() || !m_view->isVisible()) return;
    m_dirty = false;
    m_refreshing = true;
    requestData();
    m_refresh();
    m_refreshing = false;
}

bool EvalContext::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view && event->type() == QEvent::Show && m_dirty) schedule();
    return QObject::eventFilter(watched, event);
}

}  // namespace netloom::ui
