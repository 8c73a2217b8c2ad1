#include "engine/optim/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace netloom::engine {
namespace {

constexpr double kPi = 3.14159265358979323846;

int64_t warmupSteps(const LrScheduleConfig& s, int64_t stepsPerEpoch) {
    return s.warmupUnit == "steps" ? s.warmup : s.warmup * stepsPerEpoch;
}

// OneCycleLR's _annealing_cos: from start (pct 0) to end (pct 1) along half a cosine.
double cosineAnneal(double start, double end, double pct) {
    return end + (start - end) / 2.0 * (std::cos(kPi * pct) + 1.0);
}

// The schedule after the warm-up, `u` steps into it; `length` steps long.
double mainRate(const LrScheduleConfig& s, double base, int64_t u, int64_t length,
                int64_t stepsPerEpoch) {
    const int64_t epoch = u / stepsPerEpoch;  // completed epochs: per-epoch schedulers
    if (s.type == "step") return base * std::pow(s.gamma, static_cast<double>(epoch / s.stepSize));
    if (s.type == "exponential") return base * std::pow(s.gamma, static_cast<double>(epoch));
    if (s.type == "cosine") {
        double tCur, tI;
        if (s.period == 0) {  // CosineAnnealingLR, T_max = the whole schedule, stepped per batch
            tCur = static_cast<double>(u);
            tI = static_cast<double>(length);
        } else {  // CosineAnnealingWarmRestarts.step(epoch + i / iters)
            const double e = static_cast<double>(u) / static_cast<double>(stepsPerEpoch);
            const double t0 = static_cast<double>(s.period);
            const double m = static_cast<double>(s.periodMultiplier);
            if (s.periodMultiplier == 1) {
                tCur = std::fmod(e, t0);
                tI = t0;
            } else {
                const double n = std::floor(std::log(e / t0 * (m - 1.0) + 1.0) / std::log(m));
                tCur = e - t0 * (std::pow(m, n) - 1.0) / (m - 1.0);
                tI = t0 * std::pow(m, n);
            }
        }
        return s.minLr + (base - s.minLr) * (1.0 + std::cos(kPi * tCur / tI)) / 2.0;
    }
    if (s.type == "one_cycle") {
        const double peak = s.maxLr > 0 ? s.maxLr : base;
        const double initial = peak / s.divFactor;
        const double lowest = initial / s.finalDivFactor;
        const double end1 = s.pctStart * static_cast<double>(length) - 1.0;
        const double end2 = static_cast<double>(length) - 1.0;
        const double t = static_cast<double>(u);
        if (t <= end1) return cosineAnneal(initial, peak, t / end1);
        return cosineAnneal(peak, lowest, std::min(1.0, (t - end1) / (end2 - end1)));
    }
    return base;  // constant
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

}  // namespace

double scheduledRate(const LrScheduleConfig& s, double baseLr, int64_t step, RunLength run) {
    const int64_t spe = std::max<int64_t>(run.stepsPerEpoch, 1);
    const int64_t w = warmupSteps(s, spe);
    const int64_t length = std::max<int64_t>(run.steps() - w, 1);
    if (step < w) {
        // LinearLR(start_factor, end_factor=1, total_iters=w) in front (SequentialLR): it
        // scales the schedule's first rate.
        const double factor = s.warmupStartFactor + (1.0 - s.warmupStartFactor) *
                                                        static_cast<double>(step) /
                                                        static_cast<double>(w);
        return factor * mainRate(s, baseLr, 0, length, spe);
    }
    return mainRate(s, baseLr, step - w, length, spe);
}

std::vector<double> scheduleCurve(const LrScheduleConfig& s, double baseLr, RunLength run) {
    std::vector<double> curve(static_cast<size_t>(std::max<int64_t>(run.steps(), 0)));
    for (size_t t = 0; t < curve.size(); ++t)
        curve[t] = scheduledRate(s, baseLr, static_cast<int64_t>(t), run);
    return curve;
}

std::string lrScheduleProblem(const LrScheduleConfig& s, double baseLr, int64_t epochs,
                              int64_t stepsPerEpoch, const std::string& prefix) {
    const std::string p = prefix + ".";
    if (s.warmup > 0) {
        const bool inSteps = s.warmupUnit == "steps";
        if (!inSteps && s.warmup >= epochs)
            return p + "warmup (" + std::to_string(s.warmup) +
                   " epochs) must be shorter than the run (" + std::to_string(epochs) + " epochs)";
        if (inSteps && stepsPerEpoch > 0 && s.warmup >= epochs * stepsPerEpoch)
            return p + "warmup (" + std::to_string(s.warmup) +
                   " steps) must be shorter than the run (" + std::to_string(epochs) +
                   " epochs of " + std::to_string(stepsPerEpoch) +
                   " steps = " + std::to_string(epochs * stepsPerEpoch) + " steps)";
    }
    if (s.type == "cosine" && !(s.minLr < baseLr))
        return p + "min_lr (" + number(s.minLr) +
               ") must be below the learning rate (training.optimizer.lr = " + number(baseLr) + ")";
    if (s.type == "one_cycle") {
        const double peak = s.maxLr > 0 ? s.maxLr : baseLr;
        if (!(peak > 0)) return p + "max_lr must be > 0";
        if (stepsPerEpoch > 0) {
            const int64_t w = warmupSteps(s, stepsPerEpoch);
            const double length = static_cast<double>(epochs * stepsPerEpoch - w);
            const double rising = s.pctStart * length;
            if (!(rising > 1.0) || !(rising < length))
                return p + "pct_start (" + number(s.pctStart) +
                       ") leaves no room to rise and fall: the one-cycle schedule has " +
                       number(length) + " steps, so " + number(rising) +
                       " rise; it needs more than 1 and fewer than all";
        }
    }
    return {};
}

}  // namespace netloom::engine
