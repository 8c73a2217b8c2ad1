// `netloom bench [mlp|cnn|ae|gan|lstm|gru|all] [--threads N] [--epochs N] [--json]`: trains the
// reference networks of samples/ exactly as ../shared/bench/peer_pytorch.py trains them with
// PyTorch (same data, batch, epochs) and prints the same JSON fields. Throughput counts only the
// training batches (data already in memory), as the peer does. The GAN runs 2000 iterations per
// "epoch" and reports iterations per second over all of them, as the peer's steps_per_s.
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/sample_paths.h"
#include "engine/core/error.h"
#include "engine/evaluation/project_eval.h"
#include "engine/io/project_io.h"
#include "engine/losses/loss.h"
#include "engine/project/project.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/evaluator.h"
#include "engine/train/gan.h"
#include "engine/train/gan_trainer.h"
#include "engine/train/trainer.h"

namespace netloom::app {

using namespace netloom::engine;
using nlohmann::json;

namespace {

struct BenchCase {
    std::string key, model, sample;
    int64_t defaultEpochs;
    bool inAll = true;  // the recurrent samples are asked for by name ("all" stays the four)
};

const std::vector<BenchCase>& benchCases() {
    static const std::vector<BenchCase> cases{
        {"mlp", "mlp", "fashion-mlp.netloom", 5},
        {"cnn", "cnn", "fashion-cnn.netloom", 2},
        {"ae", "autoencoder", "fashion-autoencoder.netloom", 5},
        {"gan", "gan_mlp", "fashion-gan.netloom", 1},
        {"lstm", "lstm", "fashion-lstm.netloom", 1, false},
        {"gru", "gru", "fashion-gru.netloom", 1, false},
    };
    return cases;
}

double peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// The peer's run_gan: 2000 iterations per epoch argument, one D and one G step each.
json runGanCase(const BenchCase& c, const Project& p, int threads, int64_t epochs,
                const std::shared_ptr<const DataSplit>& data) {
    TrainingConfig config = p.training;
    config.epochs = epochs > 0 ? epochs : c.defaultEpochs;
    config.gan.iterationsPerEpoch = 2000;
    config.gan.sampleEvery = 0;  // no grids between epochs (the peer draws none)
    if (threads > 0) config.threads = threads;
    const GanNetworks nets = ganNetworks(p);
    GanTrainer trainer(nets.generator->graph, nets.discriminator->graph, config);
    trainer.setData(data);
    MetricList last;
    double rate = 0;
    int64_t steps = 0;
    std::string failure;
    RunRecord r = trainer.run([&](const RunEvent& ev) {
        if (ev.kind == RunEvent::Kind::Step) last = ev.metrics;
        if (ev.kind == RunEvent::Kind::Finished) {
            rate = ev.stepsPerSecond;
            steps = ev.step;
        }
        if (ev.kind == RunEvent::Kind::Failed) failure = ev.message;
    });
    if (r.status != "finished") throw Error(c.sample + ": " + failure);
    return json{{"model", c.model},
                {"engine", "netloom"},
                {"steps", steps},
                {"batch", config.batchSize},
                {"threads", computeThreadsFor(config)},
                {"steps_per_s", std::round(rate * 10) / 10},
                {"d_loss", std::round(last.get("d_loss") * 1e3) / 1e3},
                {"g_loss", std::round(last.get("g_loss") * 1e3) / 1e3},
                {"peak_rss_mb", std::round(peakRssMb())}};
}

json runCase(const BenchCase& c, int threads, int64_t epochs,
             const std::shared_ptr<const DataSplit>& data) {
    Project p = loadProject(findSample(c.sample));
    if (taskFor(p.training).isMultiNetwork()) return runGanCase(c, p, threads, epochs, data);
    TrainingConfig config = p.training;
    config.epochs = epochs > 0 ? epochs : c.defaultEpochs;
    if (threads > 0) config.threads = threads;
    Trainer trainer = trainerFor(p.model().graph, config);
    trainer.setData(data);
    double samplesPerSecond = 0;
    EvalResult test;
    std::string failure;
    RunRecord r = trainer.run([&](const RunEvent& ev) {
        if (ev.kind == RunEvent::Kind::Finished) {
            samplesPerSecond = ev.samplesPerSecond;
            test = ev.test;
        }
        if (ev.kind == RunEvent::Kind::Failed) failure = ev.message;
    });
    if (r.status != "finished") throw Error(c.sample + ": " + failure);
    json out{{"model", c.model},
             {"engine", "netloom"},
             {"epochs", config.epochs},
             {"batch", config.batchSize},
             {"threads", computeThreadsFor(config)},
             {"train_samples_per_s", std::round(samplesPerSecond)}};
    if (taskFor(config).target() == TargetKind::ClassLabels) {
        out["test_accuracy"] = std::round(test.accuracy * 1e4) / 1e4;
    } else {
        // The peer reports MSE and BCE of the reconstructions on the test set.
        Network trained = p.model();
        trained.weights = trainer.weights();
        const ReconstructionScores r = evaluateReconstruction(trained, config, data, c.sample);
        out["test_mse"] = std::round(r.mse * 1e5) / 1e5;
        out["test_bce"] = std::round(r.bce * 1e5) / 1e5;
    }
    out["peak_rss_mb"] = std::round(peakRssMb());
    return out;
}

}  // namespace

int runBench(const std::vector<std::string>& args) {
    std::string which = "all";
    int threads = 0;
    int64_t epochs = 0;
    bool asJson = false;
    try {
        ArgReader r{args};
        while (!r.done()) {
            std::string a = r.next();
            if (a == "--threads")
                threads = static_cast<int>(r.integer(a, 1, 1024));
            else if (a == "--epochs")
                epochs = r.integer(a, 1, 1000);
            else if (a == "--json")
                asJson = true;
            else if (a == "all" || a == "mlp" || a == "cnn" || a == "ae" || a == "gan" ||
                     a == "lstm" || a == "gru")
                which = a;
            else
                throw Error(
                    "unknown bench argument '" + a +
                    "' (mlp, cnn, ae, gan, lstm, gru, all, --threads N, --epochs N, --json)");
        }
        std::shared_ptr<DataSplit> data;  // Fashion-MNIST, loaded once for all cases
        for (const BenchCase& c : benchCases()) {
            if (which == "all" ? !c.inAll : which != c.key) continue;
            // x/255 in [0, 1]; the GAN trains on 2x - 1 in [-1, 1], as the peer (same pixels).
            DatasetConfig dc;
            if (c.key == "gan") dc.scaling = "signed";
            if (!data) data = std::make_shared<DataSplit>(loadData(dc, 0.0, 1));
            for (Dataset* d : {&data->train, &data->test}) {
                d->scale = dc.scaling == "signed" ? 2.0f / 255.0f : 1.0f / 255.0f;
                d->offset = dc.scaling == "signed" ? -1.0f : 0.0f;
            }
            json row = runCase(c, threads, epochs, data);
            if (asJson) {
                std::printf("%s\n", row.dump().c_str());
            } else if (row.contains("steps_per_s")) {
                std::printf(
                    "%-12s %8.1f iterations/s  D loss %.3f  G loss %.3f  (%lld steps, "
                    "%d threads, peak %.0f MB)\n",
                    c.model.c_str(), row["steps_per_s"].get<double>(), row["d_loss"].get<double>(),
                    row["g_loss"].get<double>(), row["steps"].get<long long>(),
                    row["threads"].get<int>(), row["peak_rss_mb"].get<double>());
            } else {
                std::printf("%-12s %8.0f samples/s  ", c.model.c_str(),
                            row["train_samples_per_s"].get<double>());
                if (row.contains("test_accuracy"))
                    std::printf("test accuracy %.4f", row["test_accuracy"].get<double>());
                else
                    std::printf("test MSE %.5f  BCE %.5f", row["test_mse"].get<double>(),
                                row["test_bce"].get<double>());
                std::printf("  (%lld epochs, %d threads, peak %.0f MB)\n",
                            row["epochs"].get<long long>(), row["threads"].get<int>(),
                            row["peak_rss_mb"].get<double>());
            }
            std::fflush(stdout);
        }
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
