#include "ui/window/gui_bench.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/window/main_window.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_panel.h"

namespace netloom::ui {

LatencyProbe::LatencyProbe(int intervalMs, QObject* parent)
    : QObject(parent), m_intervalMs(intervalMs) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.nsecsElapsed();
        const double late = std::max(0.0, (now - m_lastNs) / 1e6 - m_intervalMs);
        m_late.push_back(late);
        if (late > 50) m_spikes.emplace_back(now / 1e9, late);
        m_lastNs = now;
    });
}

void LatencyProbe::start() {
    m_late.clear();
    m_spikes.clear();
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void LatencyProbe::stop() {
    m_timer.stop();
}

double LatencyProbe::percentile(double p) const {
    if (m_late.empty()) return 0;
    std::vector<double> v = m_late;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

double LatencyProbe::maximum() const {
    return m_late.empty() ? 0 : *std::max_element(m_late.begin(), m_late.end());
}

bool startGuiBenchmarkIfRequested(MainWindow* window, TrainingPanel* panel) {
    const QString out = qEnvironmentVariable("NETLOOM_GUI_BENCH");
    if (out.isEmpty()) return false;
    auto* controller = window->document()->findChild<TrainingController*>();
    if (!controller) return false;
    auto* probe = new LatencyProbe(10, window);
    QObject::connect(controller, &TrainingController::finished, window,
                     [window, controller, probe, out](const engine::RunRecord& record) {
                         probe->stop();
                         const engine::RunEvent& last = controller->lastProgress();
                         QJsonArray spikes;
                         for (const auto& [t, ms] : probe->spikes())
                             spikes.append(QJsonArray{std::round(t * 100) / 100, std::round(ms)});
                         QJsonObject latency{{"spikes_s_ms", spikes},
                                             {"p50_ms", probe->percentile(50)},
                                             {"p99_ms", probe->percentile(99)},
                                             {"max_ms", probe->maximum()},
                                             {"ticks", static_cast<qint64>(probe->ticks())}};
                         double epochSeconds = 0;
                         for (const engine::EpochRecord& e : record.epochs)
                             epochSeconds += e.seconds;
                         QJsonObject result{{"status", QString::fromStdString(record.status)},
                                            {"epochs", static_cast<qint64>(record.epochs.size())},
                                            {"samples_per_s", std::round(last.samplesPerSecond)},
                                            {"run_seconds", record.seconds},
                                            {"epoch_seconds", epochSeconds},
                                            {"latency", latency}};
                         QFile file(out);
                         if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                             file.write(QJsonDocument(result).toJson());
                         else
                             std::fprintf(stderr, "cannot write %s\n", qPrintable(out));
                         window->document()->undoStack()->setClean();  // quit without asking
                         QCoreApplication::exit(file.error() == QFile::NoError ? 0 : 1);
                     });
    QObject::connect(controller, &TrainingController::failed, window, [](const QString& message) {
        std::fprintf(stderr, "training failed: %s\n", qPrintable(message));
        QCoreApplication::exit(2);
    });
    // Give the window a moment to settle (first paint, project load) before measuring.
    QTimer::singleShot(1000, window, [panel, probe] {
        probe->start();
        if (!panel->startTraining()) QCoreApplication::exit(2);
    });
    return true;
}

}  // namespace netloom::ui
