// `netloom train FILE [--save OUT] [--json] [--profile] [--fresh] [--score-with CNN]
//  [settings: --epochs N, --seed N, --set NAME=VALUE, ... (app/cli_settings.h)]`: trains a
//  project headless; `netloom train --help` lists every setting flag.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/cli_settings.h"
#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "engine/train/trainer.h"

namespace netloom::app {

using namespace netloom::engine;
using nlohmann::json;

namespace {

struct TrainOptions {
    std::string file, saveTo, scoreWith;
    SettingOverrides settings;  // --epochs, --seed, --set lr=..., ...
    bool json = false, profile = false, fresh = false, help = false;
};

TrainOptions parseTrainOptions(const std::vector<std::string>& args) {
    TrainOptions o;
    ArgReader r{args};
    while (!r.done()) {
        std::string a = r.next();
        if (a == "--help" || a == "-h")
            o.help = true;
        else if (a == "--save")
            o.saveTo = r.value(a);
        else if (a == "--json")
            o.json = true;
        else if (a == "--score-with")
            o.scoreWith = r.value(a);
        else if (a == "--profile")
            o.profile = true;
        else if (a == "--fresh")
            o.fresh = true;
        else if (!readSettingFlag(r, a, o.settings))
            ArgReader::positional(a, o.file);
    }
    if (o.file.empty() && !o.help)
        throw Error(
            "usage: netloom train FILE [--save OUT] [--json] [--profile] [--fresh] "
            "[--score-with CNN.netloom (GAN: classifier score after every epoch)] [--epochs N] "
            "[--set NAME=VALUE] ... ('netloom train --help' lists every setting)");
    return o;
}

json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json evalJson(const EvalResult& r) {
    return {{"loss", num(r.loss)}, {"accuracy", num(r.accuracy)}, {"samples", r.samples}};
}

void printProfile(const std::vector<Model::LayerTiming>& timings, int64_t steps) {
    double totalF = 0, totalB = 0;
    for (const auto& t : timings) totalF += t.forwardMs, totalB += t.backwardMs;
    std::printf("\nper-layer time per training step (ms; evaluation not included)\n");
    std::printf("%-16s %-14s %10s %10s %8s\n", "layer", "type", "forward", "backward", "share");
    for (const auto& t : timings) {
        const double calls = static_cast<double>(std::max<int64_t>(t.calls, 1));
        const double share = 100.0 * (t.forwardMs + t.backwardMs) / std::max(totalF + totalB, 1e-9);
        std::printf("%-16s %-14s %10.3f %10.3f %7.1f%%\n", t.name.c_str(), t.type.c_str(),
                    t.forwardMs / calls, t.backwardMs / std::max<double>(steps, 1), share);
    }
    std::printf("%-31s %10.0f %10.0f ms in all\n", "total", totalF, totalB);
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
    TrainOptions o;
    try {
        o = parseTrainOptions(args);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (o.help) {
        std::printf(
            "usage: netloom train FILE [options]\n"
            "  --save OUT                 save the trained project (weights + run history)\n"
            "  --json                     one JSON line per epoch\n"
            "  --profile                  per-layer timings\n"
            "  --fresh                    start from new weights, not the project's\n"
            "  --score-with CNN.netloom   GAN: classifier score after every epoch\n\n%s",
            settingFlagsHelp().c_str());
        return 0;
    }
    Project project;
    try {
        project = loadProject(o.file);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    TrainingConfig config = project.training;
    try {
        o.settings.applyTo(config);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (config.task == "adversarial") {
        if (o.profile) return fail("--profile is not available for GAN projects yet");
        return trainGan(project, config, {o.file, o.saveTo, o.scoreWith, o.json, o.fresh});
    }
    if (!o.scoreWith.empty()) return fail("--score-with scores GAN projects only");

    Trainer trainer(project.model().graph, config, o.fresh ? WeightSet{} : project.model().weights);
    trainer.setProfiling(o.profile);
    const bool tty = isatty(fileno(stderr));
    auto lastPrint = std::chrono::steady_clock::now();
    std::string failure;
    EvalResult test;
    int64_t steps = 0;
    RunRecord record = trainer.run([&](const TrainingEvent& ev) {
        using K = TrainingEvent::Kind;
        steps = std::max(steps, ev.step);
        if (ev.kind == K::Batch && tty && !o.json) {
            auto now = std::chrono::steady_clock::now();
            if (now - lastPrint > std::chrono::milliseconds(250)) {
                lastPrint = now;
                std::fprintf(stderr,
                             "\repoch %lld/%lld  batch %lld/%lld  loss %.4f  %.0f samples/s ",
                             (long long)ev.epoch, (long long)ev.epochs, (long long)ev.batch,
                             (long long)ev.batchesPerEpoch, ev.loss, ev.samplesPerSecond);
            }
        } else if (ev.kind == K::Epoch) {
            if (tty && !o.json) std::fprintf(stderr, "\r%70s\r", "");
            const EpochRecord& r = ev.record;
            if (o.json) {
                std::printf("%s\n", json{{"event", "epoch"},
                                         {"epoch", r.epoch},
                                         {"train_loss", num(r.trainLoss)},
                                         {"train_accuracy", num(r.trainAccuracy)},
                                         {"val_loss", num(r.valLoss)},
                                         {"val_accuracy", num(r.valAccuracy)},
                                         {"samples_per_s", std::round(ev.samplesPerSecond)},
                                         {"seconds", r.seconds}}
                                        .dump()
                                        .c_str());
            } else {
                std::printf(
                    "epoch %lld/%lld  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  "
                    "%.0f samples/s  %.1f s\n",
                    (long long)r.epoch, (long long)ev.epochs, r.trainLoss, r.trainAccuracy,
                    r.valLoss, r.valAccuracy, ev.samplesPerSecond, r.seconds);
            }
            std::fflush(stdout);
        } else if (ev.kind == K::Finished) {
            test = ev.test;
            if (!ev.message.empty() && !o.json) std::printf("%s\n", ev.message.c_str());
        } else if (ev.kind == K::Failed) {
            failure = ev.message;
        }
    });
    if (record.status == "failed") return fail(o.file + ": " + failure);

    if (o.json) {
        std::printf("%s\n", json{{"event", "finished"},
                                 {"status", record.status},
                                 {"epochs", config.epochs},
                                 {"test_loss", num(test.loss)},
                                 {"test_accuracy", num(test.accuracy)},
                                 {"seconds", record.seconds}}
                                .dump()
                                .c_str());
    } else {
        std::printf("test  loss %.4f  accuracy %.4f  (%lld samples, %.1f s)\n", test.loss,
                    test.accuracy, (long long)test.samples, record.seconds);
    }
    if (o.profile) printProfile(trainer.timings(), steps);
    if (!o.saveTo.empty()) {
        try {
            project.model().weights = trainer.weights();
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
