#pragma once
// Learning-rate schedules as pure functions of the step: the rate a run uses at global step t
// (0-based, steps done so far) from its settings, the optimizer's learning rate (the base), the
// steps per epoch and the run length. The formulas are PyTorch's (torch.optim.lr_scheduler):
// StepLR and ExponentialLR stepped once per epoch, CosineAnnealingWarmRestarts stepped with the
// fractional epoch (PyTorch's documented `scheduler.step(epoch + i / iters)`), CosineAnnealingLR
// over the whole run when the period is 0, OneCycleLR stepped per batch, and LinearLR as the
// warm-up in front of any of them (SequentialLR: the schedule starts once the warm-up ends).
// Here, below the training loop, so that the settings schema can validate it and the settings
// widget can preview it with the very function the run uses (train/lr_schedule_hook.h).
#include <cstdint>
#include <string>
#include <vector>

namespace netloom::engine {

struct LrScheduleConfig {
    std::string type = "constant";      // constant | step | exponential | cosine | one_cycle
    int64_t stepSize = 10;              // step: epochs between decays
    double gamma = 0.1;                 // step, exponential: factor per decay
    int64_t period = 0;                 // cosine: epochs of the first cycle; 0 = the whole run
    int64_t periodMultiplier = 1;       // cosine: each restart's cycle is this many times longer
    double minLr = 0.0;                 // cosine: the lowest rate (eta_min)
    double maxLr = 0.0;                 // one_cycle: the peak; 0 = the optimizer's learning rate
    double pctStart = 0.3;              // one_cycle: fraction of the steps spent rising
    double divFactor = 25.0;            // one_cycle: start = max / div_factor
    double finalDivFactor = 1e4;        // one_cycle: end = start / final_div_factor
    int64_t warmup = 0;                 // linear warm-up length (0 = none), in warmupUnit
    std::string warmupUnit = "epochs";  // epochs | steps
    double warmupStartFactor = 0.1;     // the warm-up starts at this fraction of the rate
    bool operator==(const LrScheduleConfig&) const = default;

    // Whether the run's rate ever differs from the optimizer's (nothing to do otherwise).
    bool active() const { return type != "constant" || warmup > 0; }
};

// The length a schedule is computed over.
struct RunLength {
    int64_t epochs = 1;
    int64_t stepsPerEpoch = 1;
    int64_t steps() const { return epochs * stepsPerEpoch; }
};

// The rate at global step `step` (0-based). baseLr is the optimizer's learning rate.
// Assumes a config that validateLrSchedule() accepted for this length.
double scheduledRate(const LrScheduleConfig& s, double baseLr, int64_t step, RunLength run);

// The rate at every step of the run (the settings widget's preview, the tests).
std::vector<double> scheduleCurve(const LrScheduleConfig& s, double baseLr, RunLength run);

// Empty when the schedule fits a run of this length, else what is wrong with the setting named
// under `prefix` ("training.schedule"): "training.schedule.warmup (6 epochs) must be shorter
// than the run (5 epochs)". stepsPerEpoch 0 = not known yet (checks what it can).
std::string lrScheduleProblem(const LrScheduleConfig& s, double baseLr, int64_t epochs,
                              int64_t stepsPerEpoch, const std::string& prefix);

}  // namespace netloom::engine
