#pragma once
// A hidden benchmark mode of the window (not a test; bench/gui_latency.sh drives it). With
// NETLOOM_GUI_BENCH=<result.json> in the environment, `netloom FILE.netloom` opens the project,
// starts training it, and measures while it trains:
//   - the event loop's latency: a 10 ms timer records how late each tick comes (p50, p99, max);
//   - the engine's training throughput in samples/s (the figure `netloom train` reports).
// At the end it writes the figures as JSON and quits without saving anything.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <utility>
#include <vector>

namespace netloom::ui {

class MainWindow;
class TrainingPanel;

// Ticks every `intervalMs` and records each tick's lateness in milliseconds.
class LatencyProbe : public QObject {
    Q_OBJECT
public:
    explicit LatencyProbe(int intervalMs = 10, QObject* parent = nullptr);
    void start();
    void stop();
    // p in [0, 100]; 0 when nothing was recorded.
    double percentile(double p) const;
    double maximum() const;
    size_t ticks() const { return m_late.size(); }
    // Ticks later than 50 ms: (seconds since start, lateness in ms), to find their cause.
    const std::vector<std::pair<double, double>>& spikes() const { return m_spikes; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    int m_intervalMs;
    std::vector<double> m_late;
    std::vector<std::pair<double, double>> m_spikes;
};

// Starts the benchmark when NETLOOM_GUI_BENCH is set; returns whether it did.
bool startGuiBenchmarkIfRequested(MainWindow* window, TrainingPanel* panel);

}  // namespace netloom::ui
