#include "app/cli_train_output.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "engine/evaluation/project_eval.h"
#include "engine/project/network_roles.h"

namespace netloom::app {

using namespace netloom::engine;
using nlohmann::json;

namespace {

json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

// Progress on a terminal's stderr, at most four times per second.
class ProgressLine {
public:
    explicit ProgressLine(bool on) : m_on(on && isatty(fileno(stderr))) {}
    bool due() {
        if (!m_on) return false;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last <= std::chrono::milliseconds(250)) return false;
        m_last = now;
        return true;
    }
    void clear(int width) const {
        if (m_on) std::fprintf(stderr, "\r%*s\r", width, "");
    }

private:
    bool m_on;
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// Classification, regression, reconstruction: loss (and accuracy) per epoch, test figures.
class SupervisedOutput final : public TrainOutput {
public:
    // `accuracy`: the task has classes (its traits say so); other tasks print no accuracy
    // rather than "acc nan".
    SupervisedOutput(bool asJson, bool accuracy)
        : m_json(asJson), m_accuracy(accuracy), m_progress(!asJson) {}

    void onEvent(const RunEvent& ev) override {
        using K = RunEvent::Kind;
        m_steps = std::max(m_steps, ev.step);
        if (ev.kind == K::Step && m_progress.due()) {
            std::fprintf(stderr, "\repoch %lld/%lld  batch %lld/%lld  loss %.4f  %.0f samples/s ",
                         (long long)ev.epoch, (long long)ev.epochs, (long long)ev.stepInEpoch,
                         (long long)ev.stepsPerEpoch, ev.metrics.get("loss", 0.0),
                         ev.samplesPerSecond);
        } else if (ev.kind == K::Epoch) {
            m_progress.clear(70);
            const EpochRecord& r = ev.record;
            if (m_json) {
                json line{{"event", "epoch"}, {"epoch", r.epoch}, {"train_loss", num(r.trainLoss)}};
                if (m_accuracy) line["train_accuracy"] = num(r.trainAccuracy);
                line["val_loss"] = num(r.valLoss);
                if (m_accuracy) line["val_accuracy"] = num(r.valAccuracy);
                line["samples_per_s"] = std::round(ev.samplesPerSecond);
                line["seconds"] = r.seconds;
                line["metrics"] = r.metrics;
                std::printf("%s\n", line.dump().c_str());
            } else {
                if (m_accuracy)
                    std::printf(
                        "epoch %lld/%lld  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  "
                        "%.0f samples/s  %.1f s",
                        (long long)r.epoch, (long long)ev.epochs, r.trainLoss, r.trainAccuracy,
                        r.valLoss, r.valAccuracy, ev.samplesPerSecond, r.seconds);
                else
                    std::printf("epoch %lld/%lld  loss %.4f  val_loss %.4f  %.0f samples/s  %.1f s",
                                (long long)r.epoch, (long long)ev.epochs, r.trainLoss, r.valLoss,
                                ev.samplesPerSecond, r.seconds);
                // The task's further figures (sequence generation: perplexities).
                for (const auto& [name, value] : r.metrics)
                    std::printf("  %s %.4g", name.c_str(), value);
                std::printf("\n");
            }
            std::fflush(stdout);
        } else if (ev.kind == K::Finished) {
            m_test = ev.test;
            if (!ev.message.empty() && !m_json) std::printf("%s\n", ev.message.c_str());
        }
    }

    void onEnd(const RunRecord& record, const TrainingConfig& config) override {
        if (m_json) {
            json line{{"event", "finished"},
                      {"status", record.status},
                      {"epochs", config.epochs},
                      {"test_loss", num(m_test.loss)}};
            if (m_accuracy) line["test_accuracy"] = num(m_test.accuracy);
            line["seconds"] = record.seconds;
            std::printf("%s\n", line.dump().c_str());
        } else if (m_accuracy) {
            std::printf("test  loss %.4f  accuracy %.4f  (%lld samples, %.1f s)\n", m_test.loss,
                        m_test.accuracy, (long long)m_test.samples, record.seconds);
        } else {
            std::printf("test  loss %.4f  (%lld samples, %.1f s)\n", m_test.loss,
                        (long long)m_test.samples, record.seconds);
        }
    }

private:
    bool m_json;
    bool m_accuracy;
    ProgressLine m_progress;
    EvalResult m_test;
};

// which: "" for the generator the run keeps; "last step" beside an averaged generator.
void printScore(const GanScores& s, int64_t epoch, bool asJson, const char* which = "") {
    if (asJson)
        std::printf("%s\n", json{{"event", "score"},
                                 {"epoch", epoch},
                                 {"weights", *which ? which : "kept"},
                                 {"score", num(s.generated.score)},
                                 {"real_score", num(s.real.score)},
                                 {"ratio", num(s.ratio)},
                                 {"classes_covered", s.generated.classesCovered}}
                                .dump()
                                .c_str());
    else
        std::printf("  classifier score%s%s %.3f (real %.3f, ratio %.4f, %d of 10 classes)\n",
                    *which ? ", " : "", which, s.generated.score, s.real.score, s.ratio,
                    s.generated.classesCovered);
}

// Adversarial: mean D and G losses and D's accuracy on real and generated samples per epoch;
// with a scoring classifier, the generator's classifier score after every epoch.
class AdversarialOutput final : public TrainOutput {
public:
    AdversarialOutput(const Project& project, bool asJson, const std::string& scoreWith)
        : m_json(asJson), m_progress(!asJson), m_scored(project) {
        if (!scoreWith.empty()) m_scorer = loadScoreClassifier(scoreWith);
    }

    void onEvent(const RunEvent& ev) override {
        using K = RunEvent::Kind;
        m_steps = std::max(m_steps, ev.step);
        const double d = ev.metrics.get("d_loss", 0.0), g = ev.metrics.get("g_loss", 0.0);
        if (ev.kind == K::Step && m_progress.due()) {
            std::fprintf(stderr,
                         "\repoch %lld/%lld  iteration %lld/%lld  D %.3f  G %.3f  %.0f it/s ",
                         (long long)ev.epoch, (long long)ev.epochs, (long long)ev.stepInEpoch,
                         (long long)ev.stepsPerEpoch, d, g, ev.stepsPerSecond);
        } else if (ev.kind == K::Epoch) {
            m_progress.clear(75);
            const double real = ev.metrics.get("d_real_accuracy", 0.0);
            const double fake = ev.metrics.get("d_fake_accuracy", 0.0);
            if (m_json) {
                std::printf("%s\n", json{{"event", "epoch"},
                                         {"epoch", ev.epoch},
                                         {"d_loss", num(d)},
                                         {"g_loss", num(g)},
                                         {"d_real_accuracy", num(real)},
                                         {"d_fake_accuracy", num(fake)},
                                         {"iterations_per_s", std::round(ev.stepsPerSecond)},
                                         {"seconds", ev.record.seconds}}
                                        .dump()
                                        .c_str());
            } else {
                std::printf(
                    "epoch %lld/%lld  D loss %.4f  G loss %.4f  D(real) acc %.3f  "
                    "D(fake) acc %.3f  %.0f it/s  %.1f s\n",
                    (long long)ev.epoch, (long long)ev.epochs, d, g, real, fake, ev.stepsPerSecond,
                    ev.record.seconds);
            }
            score(ev);
            std::fflush(stdout);
        }
    }

    void onEnd(const RunRecord& record, const TrainingConfig& config) override {
        if (m_json)
            std::printf("%s\n", json{{"event", "finished"},
                                     {"status", record.status},
                                     {"epochs", config.epochs},
                                     {"iterations", m_steps},
                                     {"seconds", record.seconds}}
                                    .dump()
                                    .c_str());
        else
            std::printf("%s: %lld iterations in %.1f s\n", record.status.c_str(),
                        (long long)m_steps, record.seconds);
    }

private:
    void score(const RunEvent& ev) {
        const auto kept = ev.weightsOf(kGeneratorRole);
        const auto trained = ev.weightsOf("generator (trained)");
        if (!m_scorer || !kept) return;
        Network* g = findNetwork(m_scored, kGeneratorRole);
        try {
            g->weights = *kept;
            printScore(evaluateGan(m_scored, *m_scorer), ev.epoch, m_json,
                       trained ? "averaged" : "");
            if (trained) {
                g->weights = *trained;
                printScore(evaluateGan(m_scored, *m_scorer), ev.epoch, m_json, "last step");
            }
        } catch (const std::exception& e) {  // say why once, keep training
            std::fprintf(stderr, "netloom: no classifier score: %s\n", e.what());
            m_scorer.reset();
        }
    }

    bool m_json;
    ProgressLine m_progress;
    Project m_scored;  // the generator's weights swapped in after every epoch
    std::optional<ScoreClassifier> m_scorer;
};

}  // namespace

std::unique_ptr<TrainOutput> makeTrainOutput(const TaskDef& task, const Project& project, bool json,
                                             const std::string& scoreWith) {
    if (task.views().generatedSamples)
        return std::make_unique<AdversarialOutput>(project, json, scoreWith);
    return std::make_unique<SupervisedOutput>(json, task.views().accuracy);
}

}  // namespace netloom::app
