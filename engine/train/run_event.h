#pragma once
// The one thing a training run tells the world, whatever its task: progress (epoch, step),
// figures by name (metrics), and optional payloads (weight snapshots per network, a grid of
// generated samples). Plain values only: copies of what the UI shows, never pointers into live
// training state, so events can cross threads freely.
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/shape.h"
#include "engine/project/project.h"

namespace netloom::engine {

struct EvalResult {
    int64_t samples = 0;
    double loss = 0;
    double accuracy = 0;  // NaN when not a classification task
    int numClasses = 0;
    std::vector<int64_t> confusion;  // numClasses², row = true class, column = predicted
};

// Figures by name ("loss", "accuracy", "d_loss", ...) in a fixed array: filling one per step
// allocates nothing. Names are string literals owned by the recipe that sets them.
class MetricList {
public:
    static constexpr int kCapacity = 8;
    void set(const char* name, double value) {
        for (int i = 0; i < m_size; ++i)
            if (std::string_view(m_items[i].name) == name) {
                m_items[i].value = value;
                return;
            }
        if (m_size < kCapacity) m_items[m_size++] = {name, value};
    }
    double get(std::string_view name, double fallback = std::nan("")) const {
        for (int i = 0; i < m_size; ++i)
            if (m_items[i].name == name) return m_items[i].value;
        return fallback;
    }
    bool has(std::string_view name) const {
        for (int i = 0; i < m_size; ++i)
            if (m_items[i].name == name) return true;
        return false;
    }
    int size() const { return m_size; }
    const char* name(int i) const { return m_items[i].name; }
    double value(int i) const { return m_items[i].value; }

private:
    struct Item {
        const char* name = "";
        double value = 0;
    };
    std::array<Item, kCapacity> m_items{};
    int m_size = 0;
};

// Samples a generating network drew (a GAN's fixed noise batch, in inference mode).
struct SampleGrid {
    int64_t step = 0;  // steps done when drawn
    int64_t count = 0;
    Shape shape;                // one sample: the generator's output shape ({784} or {1,28,28})
    std::vector<float> values;  // count × shape.elements(), row-major, in the generator's range
                                // (Tanh: [-1, 1]; map with (v + 1) / 2 for display)
};

struct RunEvent {
    // Paused: the run paused itself (a NaN/Inf loss, or a hook such as the loss watch asked);
    // message says where and what to do.
    // Evaluating: the last step is done and the run's final evaluation (the test set) runs
    // before Finished; message says what is evaluated.
    enum class Kind { Started, Step, Epoch, Evaluating, Finished, Stopped, Failed, Paused };
    Kind kind = Kind::Step;
    int64_t epoch = 0;  // 1-based
    int64_t epochs = 0;
    int64_t stepInEpoch = 0;  // 1-based (a batch, or a GAN iteration of k D steps + 1 G step)
    int64_t stepsPerEpoch = 0;
    int64_t step = 0;  // global step counter over the run
    // Step: this step's figures; Epoch: the epoch's means (as in record.metrics and its fields).
    MetricList metrics;
    double samplesPerSecond = 0;  // training steps only (evaluation, payloads excluded)
    double stepsPerSecond = 0;
    double elapsedSeconds = 0;
    EpochRecord record;     // Epoch: the epoch's figures, as saved in the run history
    EvalResult validation;  // Epoch: on the validation set (or test set without a split)
    EvalResult test;        // Finished: on the test set (tasks that have one)
    // Copies of weights by network role ("model", "generator", "generator (trained)"), shared
    // and read-only so copying events stays cheap. Epoch always; Step when the recipe was asked
    // for snapshots every n steps.
    std::map<std::string, std::shared_ptr<const WeightSet>> weights;
    std::shared_ptr<const SampleGrid> samples;  // generating tasks: the fixed-noise grid
    // Failed/Stopped/Paused: what happened, for the user. Started: which layers start from
    // fresh weights (added or changed since the weights were trained), or empty. Finished: the
    // run record's message (e.g. early stopping's kept epoch).
    std::string message;

    // The figures the built-in tasks set, by name (NaN when this event carries none): "loss" and
    // "accuracy" (classification) for the supervised tasks; "d_loss", "g_loss",
    // "d_real_accuracy" and "d_fake_accuracy" for the adversarial one.
    double loss() const { return metrics.get("loss"); }
    double accuracy() const { return metrics.get("accuracy"); }

    std::shared_ptr<const WeightSet> weightsOf(const std::string& role) const {
        auto it = weights.find(role);
        return it == weights.end() ? nullptr : it->second;
    }
};

}  // namespace netloom::engine
