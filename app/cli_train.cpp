// `netloom train FILE [--epochs N] [--save OUT] [--json] [--profile] [--threads N] [--fresh]
//  [--limit-train N] [--limit-test N] [--seed N] [--validation-split F] [--early-stopping N]
//  [--generator-average DECAY] [--score-with CNN]`: trains a project headless, whatever its
// task, through the task's recipe on the one run skeleton (engine/train/run_loop.h). The lines
// it prints are the task's figures (cli_train_output.cpp); --save keeps every network's weights
// and the run in the history.
#include <algorithm>
#include <map>
#include <memory>
#include <cmath>
#include <cstdio>

#include "app/cli.h"
#include "app/cli_train_output.h"
#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/network_roles.h"
#include "engine/project/project.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"

namespace netloom::app {

using namespace netloom::engine;

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
    const TaskDef* task = findTask(config.task);
    if (!task) return fail(o.file + ": unknown task '" + config.task + "'");
    const std::vector<std::string> groups = task->settingGroups();
    auto hasGroup = [&](const char* g) {
        return std::find(groups.begin(), groups.end(), g) != groups.end();
    };
    if (o.generatorAverage >= 0) {
        if (!hasGroup("adversarial"))
            return fail("--generator-average applies to GAN projects only");
        config.gan.generatorAverage = o.generatorAverage;
    }
    if (task->isMultiNetwork() && o.profile)
        return fail("--profile is not available for GAN projects yet");
    if (!hasGroup("validation") && o.earlyStopping > 0)
        return fail("--early-stopping is not available for GAN projects");
    if (!o.scoreWith.empty() && task->views().evaluation != TaskViews::Evaluation::ClassifierScore)
        return fail("--score-with scores GAN projects only");

    std::unique_ptr<TrainOutput> out;
    try {
        out = makeTrainOutput(*task, project, o.json, o.scoreWith);
    } catch (const std::exception& e) {  // the scoring classifier could not be loaded
        return fail(e.what());
    }
    std::unique_ptr<TrainingRecipe> recipe;
    try {
        RecipeInputs in = recipeInputsFor(project);
        in.config = config;
        if (o.fresh) in.weights.clear();
        in.profiling = o.profile;
        recipe = task->makeRecipe(std::move(in));
    } catch (const std::exception& e) {
        return fail(o.file + ": " + e.what());
    }
    std::map<std::string, WeightSet> kept;
    std::string failure;
    RunControl control;
    const RunRecord record = runTraining(
        *recipe, control, hooksFromSettings(*recipe),
        [&](const RunEvent& ev) {
            if (ev.kind == RunEvent::Kind::Failed) failure = ev.message;
            out->onEvent(ev);
        },
        {}, [&](std::map<std::string, WeightSet>&& w) { kept = std::move(w); });
    if (record.status == "failed") return fail(o.file + ": " + failure);
    out->onEnd(record, config);
    if (o.profile) printProfile(recipe->timings(), out->steps());
    if (!o.saveTo.empty()) {
        try {
            const std::vector<std::string> roles = task->networkRoles();
            for (const std::string& role : roles) {
                Network* n = roles.size() == 1 ? &project.networks.front()
                                               : findNetwork(project, role);
                if (n) n->weights = std::move(kept[role]);
            }
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
