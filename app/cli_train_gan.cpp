// `netloom train GAN.netloom ...`: the adversarial recipe headless. Prints per epoch the mean D
// and G losses and D's accuracy on real and generated samples; --save keeps both networks'
// weights and the run in the history; --score-with CNN.netloom prints after every epoch the
// classifier score of the generator reached (as `netloom eval` computes it).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/project/network_roles.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "engine/train/gan.h"
#include "engine/train/gan_trainer.h"
#include "engine/evaluation/project_eval.h"
#include "engine/train/trainer.h"

namespace netloom::app {

using namespace netloom::engine;
using nlohmann::json;

namespace {

json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

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

}  // namespace

int trainGan(Project& project, const TrainingConfig& config, const GanTrainRequest& o) {
    GanNetworks nets;
    try {
        nets = ganNetworks(project);
    } catch (const std::exception& e) {
        return fail(o.file + ": " + e.what());
    }
    std::optional<ScoreClassifier> scorer;
    if (!o.scoreWith.empty()) {
        try {
            scorer = loadScoreClassifier(o.scoreWith);
        } catch (const std::exception& e) {
            return fail(e.what());
        }
    }
    Project scored = project;  // the generator's weights swapped in after every epoch
    GanTrainer trainer(nets.generator->graph, nets.discriminator->graph, config,
                       o.fresh ? WeightSet{} : nets.generator->weights,
                       o.fresh ? WeightSet{} : nets.discriminator->weights);
    const bool tty = isatty(fileno(stderr));
    auto lastPrint = std::chrono::steady_clock::now();
    std::string failure;
    int64_t steps = 0;
    RunRecord record = trainer.run([&](const GanEvent& ev) {
        using K = GanEvent::Kind;
        steps = std::max(steps, ev.step);
        const GanMetrics& m = ev.metrics;
        if (ev.kind == K::Iteration && tty && !o.json) {
            auto now = std::chrono::steady_clock::now();
            if (now - lastPrint > std::chrono::milliseconds(250)) {
                lastPrint = now;
                std::fprintf(
                    stderr, "\repoch %lld/%lld  iteration %lld/%lld  D %.3f  G %.3f  %.0f it/s ",
                    (long long)ev.epoch, (long long)ev.epochs, (long long)ev.iteration,
                    (long long)ev.iterationsPerEpoch, m.dLoss, m.gLoss, ev.iterationsPerSecond);
            }
        } else if (ev.kind == K::Epoch) {
            if (tty && !o.json) std::fprintf(stderr, "\r%75s\r", "");
            if (o.json) {
                std::printf("%s\n", json{{"event", "epoch"},
                                         {"epoch", ev.epoch},
                                         {"d_loss", num(m.dLoss)},
                                         {"g_loss", num(m.gLoss)},
                                         {"d_real_accuracy", num(m.dRealAccuracy)},
                                         {"d_fake_accuracy", num(m.dFakeAccuracy)},
                                         {"iterations_per_s", std::round(ev.iterationsPerSecond)},
                                         {"seconds", ev.record.seconds}}
                                        .dump()
                                        .c_str());
            } else {
                std::printf(
                    "epoch %lld/%lld  D loss %.4f  G loss %.4f  D(real) acc %.3f  "
                    "D(fake) acc %.3f  %.0f it/s  %.1f s\n",
                    (long long)ev.epoch, (long long)ev.epochs, m.dLoss, m.gLoss, m.dRealAccuracy,
                    m.dFakeAccuracy, ev.iterationsPerSecond, ev.record.seconds);
            }
            if (scorer && ev.generatorWeights) {
                Network* g = findNetwork(scored, kGeneratorRole);
                try {
                    g->weights = *ev.generatorWeights;
                    printScore(evaluateGan(scored, *scorer), ev.epoch, o.json,
                               ev.trainedGeneratorWeights ? "averaged" : "");
                    if (ev.trainedGeneratorWeights) {
                        g->weights = *ev.trainedGeneratorWeights;
                        printScore(evaluateGan(scored, *scorer), ev.epoch, o.json, "last step");
                    }
                } catch (const std::exception& e) {  // say why once, keep training
                    std::fprintf(stderr, "netloom: no classifier score: %s\n", e.what());
                    scorer.reset();
                }
            }
            std::fflush(stdout);
        } else if (ev.kind == K::Failed) {
            failure = ev.message;
        }
    });
    if (record.status == "failed") return fail(o.file + ": " + failure);

    if (o.json)
        std::printf("%s\n", json{{"event", "finished"},
                                 {"status", record.status},
                                 {"epochs", config.epochs},
                                 {"iterations", steps},
                                 {"seconds", record.seconds}}
                                .dump()
                                .c_str());
    else
        std::printf("%s: %lld iterations in %.1f s\n", record.status.c_str(), (long long)steps,
                    record.seconds);
    if (!o.saveTo.empty()) {
        try {
            findNetwork(project, kGeneratorRole)->weights = trainer.generatorWeights();
            findNetwork(project, kDiscriminatorRole)->weights = trainer.discriminatorWeights();
            project.history.push_back(record);
            saveProject(project, o.saveTo);
            if (!o.json) std::printf("saved %s\n", o.saveTo.c_str());
        } catch (const std::exception& e) {
            return fail(e.what());
        }
    }
    return 0;
}

}  // namespace netloom::app
