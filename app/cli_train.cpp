// `netloom train FILE [--epochs N] [--save OUT] [--json] [--profile] [--threads N] [--fresh]
//  [--limit-train N] [--limit-test N] [--seed N] [--validation-split F] [--early-stopping N]
//  [--generator-average DECAY] [--score-with CNN]`: trains a project headless.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli.h"
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
    long long epochs = 0, threads = -1, limitTrain = -1, limitTest = -1, seed = -1;
    long long earlyStopping = -1;  // patience in epochs; < 0: the project's
    double validationSplit = -1;   // < 0: the project's
    double generatorAverage = -1;  // GAN: < 0: the project's
    bool json = false, profile = false, fresh = false;
};

TrainOptions parseTrainOptions(const std::vector<std::string>& args) {
    TrainOptions o;
    ArgReader r{args};
    while (!r.done()) {
        std::string a = r.next();
        if (a == "--epochs")
            o.epochs = r.integer(a, 1, 100000);
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
        else if (a == "--threads")
            o.threads = r.integer(a, 0, 1024);
        else if (a == "--limit-train")
            o.limitTrain = r.integer(a, 1, 1ll << 40);
        else if (a == "--limit-test")
            o.limitTest = r.integer(a, 1, 1ll << 40);
        else if (a == "--seed")
            o.seed = r.integer(a, 0, (1ll << 62));
        else if (a == "--validation-split")
            o.validationSplit = r.real(a, 0.0, 0.9);
        else if (a == "--generator-average")
            o.generatorAverage = r.real(a, 0.0, 1.0);
        else if (a == "--early-stopping")
            o.earlyStopping = r.integer(a, 0, 100000);
        else
            ArgReader::positional(a, o.file);
    }
    if (o.file.empty())
        throw Error(
            "usage: netloom train FILE [--epochs N] [--save OUT] [--json] [--profile] "
            "[--threads N] [--fresh] [--limit-train N] [--limit-test N] [--seed N] "
            "[--validation-split F] [--early-stopping N (stop after N epochs without a lower "
            "validation loss, keep the best epoch; 0 = off)] [--generator-average DECAY (GAN)] "
            "[--score-with CNN.netloom (GAN: classifier score after every epoch)]");
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
    Project project;
    try {
        project = loadProject(o.file);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    TrainingConfig config = project.training;
    if (o.epochs > 0) config.epochs = o.epochs;
    if (o.threads >= 0) config.threads = static_cast<int>(o.threads);
    if (o.limitTrain > 0) config.dataset.limitTrain = o.limitTrain;
    if (o.limitTest > 0) config.dataset.limitTest = o.limitTest;
    if (o.seed >= 0) config.seed = static_cast<uint64_t>(o.seed);
    if (o.validationSplit >= 0) config.validationSplit = o.validationSplit;
    if (o.earlyStopping >= 0) config.earlyStopping = o.earlyStopping;
    if (o.generatorAverage >= 0) {
        if (config.task != "adversarial")
            return fail("--generator-average applies to GAN projects only");
        config.gan.generatorAverage = o.generatorAverage;
    }
    if (config.task == "adversarial") {
        if (o.profile) return fail("--profile is not available for GAN projects yet");
        if (o.earlyStopping > 0) return fail("--early-stopping is not available for GAN projects");
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
