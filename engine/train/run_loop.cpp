#include "engine/train/run_loop.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>

#include "engine/core/error.h"
#include "engine/settings/settings.h"

namespace netloom::engine {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string nowIso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Every setting that applies, against the one schema (engine/settings): a bad value is refused
// before anything loads, with the setting named ("training.batch_size must be between 1 and
// 65536, got 0"). The recipe checks what only it knows (data sizes, graphs) in prepare().
void checkRunSettings(const TrainingConfig& c) {
    validateTrainingConfig(c);
}

class Skeleton {
public:
    Skeleton(TrainingRecipe& recipe, RunControl& control,
             const std::vector<std::shared_ptr<RunHook>>& hooks, const RunEventCallback& onEvent,
             const RunOptions& options, const KeepWeights& keep)
        : m_recipe(recipe),
          m_control(control),
          m_hooks(hooks),
          m_onEvent(onEvent),
          m_options(options),
          m_keep(keep),
          m_epochs(recipe.config().epochs) {}

    void run(RunRecord& record);

private:
    RunEvent progressEvent(RunEvent::Kind kind, int64_t epoch, int64_t stepInEpoch) const {
        RunEvent e;
        e.kind = kind;
        e.epoch = epoch;
        e.epochs = m_epochs;
        e.stepInEpoch = stepInEpoch;
        e.stepsPerEpoch = m_stepsPerEpoch;
        e.step = m_step;
        return e;
    }
    void setRates(RunEvent& e) const {
        const double seconds = std::max(m_trainSeconds, 1e-9);
        const int64_t steps = m_step - m_resumedStep;  // the steps this process ran
        e.stepsPerSecond = static_cast<double>(steps) / seconds;
        e.samplesPerSecond = static_cast<double>(steps * m_recipe.samplesPerStep()) / seconds;
        e.elapsedSeconds = secondsSince(m_start);
    }
    // A hook's verdict: Pause pauses the run here (it waits before the next step); Finish ends
    // it after this epoch (or step). Returns true when the run should finish.
    bool apply(const HookVerdict& v, int64_t epoch, int64_t stepInEpoch) {
        if (v.action == HookVerdict::Action::Finish) return true;
        if (v.action == HookVerdict::Action::Pause) {
            m_control.pause();
            RunEvent e = progressEvent(RunEvent::Kind::Paused, epoch, stepInEpoch);
            setRates(e);
            e.message = v.message;
            m_onEvent(e);
        }
        return false;
    }

    // Checks that the checkpoint belongs to this run's shape and loads it (Error otherwise).
    void resume(const Checkpoint& c, RunRecord& record) {
        if (!m_recipe.canCheckpoint()) throw Error("this task cannot resume from a checkpoint");
        if (c.stepsPerEpoch != m_stepsPerEpoch)
            throw Error("the checkpoint was taken with " + std::to_string(c.stepsPerEpoch) + " " +
                        m_recipe.stepNounPlural() + " per epoch, this run has " +
                        std::to_string(m_stepsPerEpoch) +
                        ": the batch size or the data changed since");
        if (c.epoch >= m_epochs)
            throw Error("the checkpoint is at epoch " + std::to_string(c.epoch) +
                        ", the run has only " + std::to_string(m_epochs) +
                        " epochs: raise training.epochs to continue it");
        m_recipe.loadCheckpoint(c);
        m_step = m_resumedStep = c.step;
        record.started = c.run.started.empty() ? record.started : c.run.started;
        record.epochs = c.run.epochs;
    }

    TrainingRecipe& m_recipe;
    RunControl& m_control;
    const std::vector<std::shared_ptr<RunHook>>& m_hooks;
    const RunEventCallback& m_onEvent;
    const RunOptions& m_options;
    const KeepWeights& m_keep;
    const int64_t m_epochs;
    int64_t m_stepsPerEpoch = 0;
    int64_t m_step = 0;
    int64_t m_resumedStep = 0;
    double m_trainSeconds = 0;
    Clock::time_point m_start;
};

void Skeleton::run(RunRecord& record) {
    // oneDNN primitives and the OpenMP team belong to this thread from here on.
    omp_set_num_threads(computeThreadsFor(m_recipe.config()));
    checkRunSettings(m_recipe.config());

    RunEvent started;
    started.kind = RunEvent::Kind::Started;
    started.epochs = m_epochs;
    m_recipe.prepare(started);
    m_stepsPerEpoch = started.stepsPerEpoch;
    int64_t firstEpoch = 1;
    if (const Checkpoint* c = m_options.resumeFrom.get()) {
        resume(*c, record);
        firstEpoch = c->epoch + 1;
        started.epoch = c->epoch;
        started.step = m_step;
        for (auto& h : m_hooks) h->restoreState(*c);
    }
    std::vector<const RunHook*> peers;
    for (auto& h : m_hooks) peers.push_back(h.get());
    for (auto& h : m_hooks) h->setPeers(peers);
    for (auto& h : m_hooks) h->onRunStart(started, m_recipe);
    m_onEvent(started);

    const bool rollBack = m_options.pauseOnNonFinite && m_recipe.canRollBack();
    m_start = Clock::now();
    bool stopped = false, finishEarly = false;
    for (int64_t epoch = firstEpoch; epoch <= m_epochs && !stopped && !finishEarly; ++epoch) {
        const auto epochStart = Clock::now();
        m_recipe.beginEpoch(epoch);
        if (rollBack) m_recipe.takeEpochStart();
        int64_t done = 0;
        for (int64_t s = 1; s <= m_stepsPerEpoch; ++s) {
            if (!m_control.waitWhilePaused()) {
                stopped = true;
                break;
            }
            for (auto& h : m_hooks) h->onStepStart(m_step + 1, m_recipe);
            RunEvent ev = progressEvent(RunEvent::Kind::Step, epoch, s);
            const auto stepStart = Clock::now();
            if (!m_recipe.step(epoch, s, m_step + 1, ev)) {
                const std::string where = m_recipe.nonFiniteProblem();
                if (!rollBack) throw Error(where + ": " + m_recipe.nonFiniteAdvice());
                m_recipe.restoreEpochStart();
                m_control.pause();
                ev.kind = RunEvent::Kind::Paused;
                ev.elapsedSeconds = secondsSince(m_start);
                ev.message = where +
                             ". Paused and rolled back to the weights of the start of epoch " +
                             std::to_string(epoch) +
                             ": lower the learning rate or add gradient clipping, then resume "
                             "(the epoch starts over).";
                m_onEvent(ev);
                s = 0;  // after the pause, the epoch starts over from its first step
                done = 0;
                continue;
            }
            m_trainSeconds += secondsSince(stepStart);
            // The rate this step used (a schedule changes it per step): charted live.
            ev.metrics.set("lr", m_recipe.learningRate());
            ++m_step;
            ++done;
            ev.step = m_step;
            setRates(ev);
            m_recipe.decorateStep(ev);
            ev.elapsedSeconds = secondsSince(m_start);
            m_onEvent(ev);
            for (auto& h : m_hooks) finishEarly |= apply(h->onStepEnd(ev, m_recipe), epoch, s);
            if (finishEarly) break;
        }
        if (stopped || done == 0) break;

        EpochRecord rec;
        rec.epoch = epoch;
        // The rate the epoch's steps used (a change asked mid-epoch applies from the next step;
        // the record keeps the rate in force at the epoch's end).
        rec.learningRate = m_recipe.learningRate();
        RunEvent ev = progressEvent(RunEvent::Kind::Epoch, epoch, m_stepsPerEpoch);
        m_recipe.endEpoch(epoch, rec, ev);
        rec.seconds = secondsSince(epochStart);
        setRates(ev);
        ev.record = rec;
        record.epochs.push_back(std::move(rec));
        m_onEvent(ev);
        // Checkpoint takers last: they save the other hooks' state of this epoch.
        for (bool takers : {false, true})
            for (auto& h : m_hooks)
                if (h->takesCheckpoints() == takers)
                    finishEarly |= apply(h->onEpochEnd(ev, m_recipe), epoch, m_stepsPerEpoch);
    }
    for (auto& h : m_hooks) h->onRunEnd(stopped, record, m_recipe);

    RunEvent ev = progressEvent(stopped ? RunEvent::Kind::Stopped : RunEvent::Kind::Finished, 0, 0);
    ev.stepsPerEpoch = m_stepsPerEpoch;
    record.status = stopped ? "stopped" : "finished";
    if (m_keep) m_keep(m_recipe.keptWeights());
    // The final evaluation can take a while after the last step (the whole test set): say so.
    if (const std::string what = m_recipe.finalEvaluation(); !stopped && !what.empty()) {
        RunEvent evaluating = progressEvent(RunEvent::Kind::Evaluating, 0, 0);
        setRates(evaluating);
        evaluating.message = what;
        m_onEvent(evaluating);
    }
    m_recipe.finish(stopped, ev, record);
    setRates(ev);
    ev.message = stopped ? "Stopped after " + std::to_string(m_step) + " " +
                               m_recipe.stepNounPlural() + "; the weights reached so far are kept."
                         : record.message;
    m_onEvent(ev);
}

}  // namespace

int computeThreadsFor(const TrainingConfig& config) {
    if (config.threads > 0) return config.threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

RunRecord runTraining(TrainingRecipe& recipe, RunControl& control,
                      const std::vector<std::shared_ptr<RunHook>>& hooks,
                      const RunEventCallback& onEvent, const RunOptions& options,
                      const KeepWeights& keep) {
    RunRecord record;
    record.started = nowIso();
    record.config = recipe.config();
    recipe.describeRecord(record);
    const auto t0 = Clock::now();
    try {
        Skeleton(recipe, control, hooks, onEvent, options, keep).run(record);
    } catch (const std::exception& e) {
        record.status = "failed";
        record.message = e.what();
        RunEvent ev;
        ev.kind = RunEvent::Kind::Failed;
        ev.message = e.what();
        ev.elapsedSeconds = secondsSince(t0);
        onEvent(ev);
    }
    record.seconds = secondsSince(t0);
    return record;
}

}  // namespace netloom::engine
